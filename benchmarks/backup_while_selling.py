"""A backup taken while a till sells in another process: how long the backup takes (the copy through SQLite's
online backup API, then its check: integrity_check and every hash chain verified on the copy), and what the
till's Pay costs meanwhile (p50/p99/max) next to the same till with no backup running.

``python -m benchmarks --only backup_while_selling``; the size counts the four-line journal entries that fill
the books before the till starts (a restaurant's year of bookkeeping is a few thousand).
"""
from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from .common import Row, books, progress
from .journal_import import post_lines
from .pay_order import setup

TARGET_MAX_MS = 500.0  # a till's Pay waits at most a fraction of a second while a backup runs
PHASE_S = 3.0


def run(entries: int, workdir: Path) -> list[Row]:
    from hera_desktop.services import backups

    hera, org, s = books(workdir, "backup_while_selling")
    try:
        post_lines(s, entries * 4, 365, "to fill the books")
        items, kitchen = setup(s)
        path = hera.db.path
    finally:
        hera.close()
    stop = workdir / "stop-the-till"
    progress("a till paying orders in another process; first alone, then while backups are taken")
    child = subprocess.Popen([sys.executable, "-m", "benchmarks.backup_while_selling", str(path), org.id,
                              json.dumps(items), kitchen, str(stop)], stdout=subprocess.PIPE, text=True,
                             cwd=Path(__file__).parents[1])
    paid: list[tuple[float, float]] = []  # (started, seconds) of each order the till paid
    assert child.stdout is not None
    try:
        _read_until(child, paid, lambda: len(paid) >= 20)  # warmed up
        alone_from = time.time()
        _read_until(child, paid, lambda: time.time() - alone_from >= PHASE_S)
        windows: list[tuple[float, float]] = []
        durations: list[float] = []
        backing_up_from = time.time()
        while time.time() - backing_up_from < PHASE_S or not durations:
            started = time.time()
            made = backups.take(path, workdir / "usb")
            windows.append((started, time.time()))
            durations.append(windows[-1][1] - started)
            Path(made.path).unlink()
            _read_available(child, paid)
    finally:
        stop.touch()
        for line in child.stdout:
            paid.append(_parsed(line))
        child.wait(60)
    from hera_desktop.storage.backup import copy_books

    started = time.perf_counter()
    copy_books(path, workdir / "copy.db")  # the copy alone, without the check (the till is idle now)
    copy_s = time.perf_counter() - started
    alone = [d for t, d in paid if alone_from <= t < backing_up_from]
    during = [d for t, d in paid if any(a <= t < b for a, b in windows)]
    size = f"{entries:,} entries, {path.stat().st_size / 1_048_576:.0f} MB"
    worst = max(during) * 1000 if during else 0.0
    return [
        Row("backup: copy and check", size, f"{statistics.median(durations) * 1000:.0f} ms median",
            note=f"{len(durations)} backup{'s' if len(durations) != 1 else ''}; each copies through the online "
                 f"backup API from one read snapshot (the copy alone: {copy_s * 1000:.0f} ms, with no till "
                 "selling), then runs integrity_check and verifies every hash chain on the copy"),
        Row("till Pay, no backup", f"{len(alone)} orders", _percentiles(alone)),
        Row("till Pay during a backup", f"{len(during)} orders", _percentiles(during),
            f"max <= {TARGET_MAX_MS:g} ms", bool(during) and worst <= TARGET_MAX_MS,
            note="the till in another process, paying three-item orders in a loop"),
    ]


def _percentiles(seconds: list[float]) -> str:
    if not seconds:
        return "none measured"
    ms = sorted(x * 1000 for x in seconds)
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    return f"p50 {statistics.median(ms):.1f} / p99 {p99:.1f} / max {ms[-1]:.1f} ms"


def _parsed(line: str) -> tuple[float, float]:
    started, seconds = line.split()
    return float(started), float(seconds)


def _read_until(child: Any, paid: list[tuple[float, float]], done: Any) -> None:
    while not done():
        line = child.stdout.readline()
        if not line:
            raise RuntimeError(f"the till stopped (exit status {child.poll()})")
        paid.append(_parsed(line))


def _read_available(child: Any, paid: list[tuple[float, float]]) -> None:
    """What the till printed so far, without waiting for more (its lines are short and flushed one by one)."""
    import select

    while select.select([child.stdout], [], [], 0)[0]:
        line = child.stdout.readline()
        if not line:
            return
        paid.append(_parsed(line))


def _till(argv: list[str]) -> int:
    """The till: pay orders until the stop file appears, printing when each began and how long it took."""
    import hera_desktop

    books_path, organization_id, items, kitchen, stop = argv
    order = json.loads(items)
    with hera_desktop.open(books_path, create=False) as hera:
        s = hera.scope(organization_id)
        while not Path(stop).exists():
            started, t = time.time(), time.perf_counter()
            s.restaurant.process_order(items=order, payment_method="cash", location_id=kitchen)
            print(f"{started:.6f} {time.perf_counter() - t:.6f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(_till(sys.argv[1:]))
