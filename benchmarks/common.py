"""Shared timing and table helpers for the benchmarks: fresh books on disk, medians, the result table."""
from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import hera_desktop


@dataclass
class Row:
    """One line of the result table. ``ok`` is None for a figure that has no target of its own."""
    benchmark: str
    size: str
    measured: str
    target: str = ""
    ok: bool | None = None
    note: str = ""


def books(workdir: Path, name: str) -> tuple[Any, Any, Any]:
    """A fresh set of books on a real SQLite file (WAL, synchronous=FULL), one organization, its system scope."""
    path = workdir / f"{name}.db"
    hera = hera_desktop.open(path)
    org = hera.create_organization(f"Benchmark {name}", currency="USD")
    return hera, org, hera.scope(org.id)


def timed(fn: Callable[[], Any]) -> float:
    """Seconds one call of ``fn`` takes."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def verdict(ok: bool | None) -> str:
    return "" if ok is None else ("PASS" if ok else "MISS")


def table(rows: list[Row]) -> str:
    head = ("benchmark", "size", "measured", "target", "result")
    body = [(r.benchmark, r.size, r.measured, r.target, verdict(r.ok)) for r in rows]
    widths = [max(len(str(x[i])) for x in (head, *body)) for i in range(len(head))]
    line = "  ".join("-" * w for w in widths)
    out = ["  ".join(str(v).ljust(w) for v, w in zip(head, widths)), line]
    out += ["  ".join(str(v).ljust(w) for v, w in zip(row, widths)).rstrip() for row in body]
    notes = [f"  * {r.benchmark}: {r.note}" for r in rows if r.note]
    return "\n".join(out + ([""] + notes if notes else []))


def progress(message: str) -> None:
    print(f"  .. {message}", flush=True)
