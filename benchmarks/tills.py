"""A till in a process of its own, paying the same order in a loop: what each Pay took, and any failure.

The import-versus-till and two-tills benchmarks start one or two of these (``multiprocessing``, spawned: a
fresh interpreter, as a second till program would be) against the same books file.
"""
from __future__ import annotations

import multiprocessing
import statistics
import time
from pathlib import Path
from typing import Any

import hera_desktop

from .pay_order import setup


def prepared(s: Any) -> tuple[list[dict[str, Any]], str]:
    """The benchmark's menu and stock (see pay_order.setup): the order's items and the till's location."""
    return setup(s)


def pay_loop(path: str, organization_id: str, items: list[dict[str, Any]], location_id: str, ready: Any,
             start: Any, stop: Any, results: Any, most: int) -> None:
    """Pay orders until ``stop`` is set (or ``most`` are paid); put (seconds per Pay, failures) on ``results``."""
    books = hera_desktop.open(Path(path))
    try:
        s = books.scope(organization_id)
        for _ in range(10):  # warm caches and statement compilation
            s.restaurant.process_order(items=items, payment_method="cash", location_id=location_id)
        ready.set()
        start.wait()
        took: list[float] = []
        failures: list[str] = []
        while not stop.is_set() and len(took) < most:
            t = time.perf_counter()
            try:
                s.restaurant.process_order(items=items, payment_method="cash", location_id=location_id)
            except hera_desktop.HeraError as exc:
                failures.append(exc.message)
            took.append(time.perf_counter() - t)
        results.put((took, failures))
    finally:
        books.close()


class Tills:
    """``count`` till processes over the books at ``path``: ``go()`` starts them paying, ``finish()`` stops them
    and gives each one's (seconds per Pay, failures)."""

    def __init__(self, count: int, path: Path, organization_id: str, items: list[dict[str, Any]],
                 location_id: str, most: int = 10**9) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.start, self.stop, self.results = ctx.Event(), ctx.Event(), ctx.Queue()
        readies = [ctx.Event() for _ in range(count)]
        self.processes = [ctx.Process(target=pay_loop, args=(str(path), organization_id, items, location_id, ready,
                                                             self.start, self.stop, self.results, most))
                          for ready in readies]
        for p in self.processes:
            p.start()
        for ready in readies:
            if not ready.wait(120):
                raise RuntimeError("a till process did not start")

    def go(self) -> None:
        self.start.set()

    def finish(self) -> list[tuple[list[float], list[str]]]:
        """Stop them now; each one's (seconds per Pay, failures)."""
        self.stop.set()
        return self.finish_when_done()

    def finish_when_done(self) -> list[tuple[list[float], list[str]]]:
        """Wait for each to pay its ``most`` orders (or be stopped); each one's (seconds per Pay, failures)."""
        out = [self.results.get(timeout=1800) for _ in self.processes]
        for p in self.processes:
            p.join(60)
        return out


def figures(took: list[float]) -> str:
    """p50 / p99 / max of Pay times, in ms."""
    if not took:
        return "no Pay"
    ordered = sorted(took)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"p50 {statistics.median(ordered) * 1000:.1f} / p99 {p99 * 1000:.1f} / max {ordered[-1] * 1000:.1f} ms"
