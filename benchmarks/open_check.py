"""The check when the books are opened (``hera.quick_check``) on big books, and the full ``verify`` beside it.

The quick check walks the newest 200 links of each chain and compares the ledger's cached totals of the newest
day with its lines, and every account's cached total with its daily totals; it must stay well under a second
however many transactions the books hold. The full check (every link, every derived value, every feed event)
is what runs in the background after a day close; its time is a figure, with no target.
"""
from __future__ import annotations

import time
from pathlib import Path

from .common import Row, books, median_ms, progress
from .journal_import import accounts, post_entries

TARGET_MS = 250.0  # "well under a second", with room for a slow disk at opening
DAYS = 365


def run(transactions: int, workdir: Path, full: bool = True) -> list[Row]:
    hera, org, s = books(workdir, "open_check")
    try:
        progress(f"posting {transactions:,} four-line journal entries over {DAYS} days")
        built = post_entries(s, accounts(s, 20), transactions, days=DAYS)
        hera.close()
        from hera_desktop import open as open_books

        hera = open_books(workdir / "open_check.db")
        t = time.perf_counter()
        first = hera.quick_check(org.id)
        cold = time.perf_counter() - t
        assert first.intact, first
        samples = []
        for _ in range(15):
            t = time.perf_counter()
            hera.quick_check(org.id)
            samples.append(time.perf_counter() - t)
        ms = median_ms(samples)
        size = f"{transactions:,} transactions"
        rows = [Row("check on opening", size, f"{ms:.1f} ms median", f"<= {TARGET_MS:g} ms", ms <= TARGET_MS,
                    note=f"{first.transactions} newest links, the newest day's and every account's cached totals; "
                         f"first call after opening {cold * 1000:.0f} ms; data built in {built:.0f} s")]
        if full:
            progress("the full verify (every link, derived value and feed event)")
            t = time.perf_counter()
            report = hera.verify(org.id)
            seconds = time.perf_counter() - t
            assert report.intact
            rows.append(Row("full verify (after a day close)", size, f"{seconds:.1f} s",
                            note=f"{report.transactions:,} links and every cache, in the background"))
        return rows
    finally:
        hera.close()
