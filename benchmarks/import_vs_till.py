"""A long journal import while a till in another process pays orders in a loop.

The import (``s.journals.import_entries`` of balanced four-line entries, in one
call: it commits in chunks of about a tenth of a second) runs in this process; a
till process pays the pay_order benchmark's order again and again meanwhile. The
till's Pay times (p50 / p99 / max) and failures are what a cashier would notice;
the import's total time, and its longest chunk as seen from its progress reports
(the lock held, then the gap it leaves and its checkpoint), are the other side.
"""
from __future__ import annotations

import time
from pathlib import Path

from .common import Row, books, progress
from .journal_import import accounts, entries
from .tills import Tills, figures, prepared

TARGET_TILL_MAX_S = 0.5    # "a till's Pay waits at most a fraction of a second"
TARGET_CHUNK_S = 0.1       # a chunk holds the write lock at most this long
GAP_AND_CHECKPOINT = ("an upper bound of the lock's hold: the 10 ms gap after it, its checkpoint and waiting for "
                      "the till's Pay to let go are included")


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
        reports: list[float] = []
        started = time.perf_counter()
        s.journals.import_entries(data, progress=lambda done, total: reports.append(time.perf_counter()))
        seconds = time.perf_counter() - started
        (took, failures), = till.finish()
        # From one progress report to the next: the first comes after every entry was checked, so it is left out.
        chunks = [b - a for a, b in zip(reports, reports[1:])] or [seconds]
        longest = max(chunks)
        return [
            Row("import vs till: till's Pay", f"{len(took):,} Pays", figures(took), f"max <= {TARGET_TILL_MAX_S} s",
                max(took) <= TARGET_TILL_MAX_S,
                note=f"one till process paying while {count:,} entries were imported (and 2 s before)"),
            Row("import vs till: till's failures", f"{len(took):,} Pays", f"{len(failures)} failed", "0",
                not failures, note="; ".join(sorted(set(failures)))[:200]),
            Row("import vs till: the import", f"{count:,} entries", f"{seconds:.1f} s, {count / seconds:,.0f} /s",
                note=f"one import_entries call ({len(reports):,} chunks), checking every entry first"),
            Row("import vs till: longest chunk", f"{len(reports):,} chunks", f"{longest * 1000:.0f} ms",
                f"<= {TARGET_CHUNK_S * 1000:.0f} ms + gap", longest <= TARGET_CHUNK_S + 0.05,
                note=f"progress report to progress report, {GAP_AND_CHECKPOINT}; median "
                     f"{sorted(chunks)[len(chunks) // 2] * 1000:.0f} ms"),
        ]
    finally:
        hera.close()
