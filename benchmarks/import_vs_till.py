"""A long journal import while a till in another process pays orders in a loop.

The import (``s.journals.import_entries`` of balanced four-line entries, in one
call: it commits in chunks of about a tenth of a second) runs in this process; a
till process pays the pay_order benchmark's order again and again meanwhile. The
till's Pay times (p50 / p99 / max) and failures are what a cashier would notice;
the import's total time and its chunks' longest hold of the write lock (from the
record the import leaves in the log) are the other side.
"""
from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from .common import Row, books, progress
from .journal_import import accounts, entries
from .tills import Tills, figures, prepared

TARGET_TILL_MAX_S = 0.5    # "a till's Pay waits at most a fraction of a second"
TARGET_CHUNK_S = 0.1       # a chunk holds the write lock at most this long


class Chunks(logging.Handler):
    """The import's own record of its chunks (``import_chunks`` logs one per long write)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.runs: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.runs.append(getattr(record, "hera", {}))


def run(count: int, workdir: Path) -> list[Row]:
    hera, org, s = books(workdir, "import_vs_till")
    try:
        items, kitchen = prepared(s)
        ids = accounts(s)
        s.journals.import_entries(entries(ids, 200, start=10**7))  # warm-up
        data = entries(ids, count)
        till = Tills(1, hera.db.path, org.id, items, kitchen)
        till.go()
        time.sleep(2)  # the till alone first: its figures below include these Pays
        progress(f"importing {count:,} four-line entries in one call while a till process pays in a loop")
        log, recorded = logging.getLogger("hera_desktop.imports"), Chunks()
        log.addHandler(recorded)
        level = log.level
        log.setLevel(logging.INFO)
        reports: list[float] = []
        started = time.perf_counter()
        try:
            s.journals.import_entries(data, progress=lambda done, total: reports.append(time.perf_counter()))
        finally:
            log.removeHandler(recorded)
            log.setLevel(level)
        seconds = time.perf_counter() - started
        (took, failures), = till.finish()
        chunks = recorded.runs[-1]["chunks"]
        longest = recorded.runs[-1]["longest_hold_ms"] / 1000
        # From one progress report to the next (the first comes after every entry was checked: left out).
        between = sorted(b - a for a, b in zip(reports, reports[1:])) or [seconds]
        return [
            Row("import vs till: till's Pay", f"{len(took):,} Pays", figures(took), f"max <= {TARGET_TILL_MAX_S} s",
                max(took) <= TARGET_TILL_MAX_S,
                note=f"one till process paying while {count:,} entries were imported (and 2 s before)"),
            Row("import vs till: till's failures", f"{len(took):,} Pays", f"{len(failures)} failed", "0",
                not failures, note="; ".join(sorted(set(failures)))[:200]),
            Row("import vs till: the import", f"{count:,} entries", f"{seconds:.1f} s, {count / seconds:,.0f} /s",
                note=f"one import_entries call ({chunks:,} chunks), checking every entry first"),
            Row("import vs till: longest chunk's hold", f"{chunks:,} chunks", f"{longest * 1000:.0f} ms",
                f"<= {TARGET_CHUNK_S * 1000:.0f} ms", longest <= TARGET_CHUNK_S,
                note=f"the write lock from BEGIN to COMMIT; one progress report to the next (hold, 10 ms gap, "
                     f"checkpoint, waiting for the till): median {between[len(between) // 2] * 1000:.0f} ms, "
                     f"max {between[-1] * 1000:.0f} ms"),
        ]
    finally:
        hera.close()
