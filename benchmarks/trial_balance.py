"""Trial balance over many posted lines: ``s.reports.trial_balance()`` median, built with the bulk import."""
from __future__ import annotations

import time
from pathlib import Path

from .common import Row, books, median_ms
from .journal_import import post_lines

TARGET_MS = 20.0
DAYS = 365


def run(lines: int, workdir: Path) -> list[Row]:
    hera, _org, s = books(workdir, "trial_balance")
    try:
        built = post_lines(s, lines, DAYS)
        for _ in range(3):
            s.reports.trial_balance()
        samples = []
        for _ in range(30):
            t = time.perf_counter()
            tb = s.reports.trial_balance()
            samples.append(time.perf_counter() - t)
        assert tb.total_debits == tb.total_credits, "the trial balance does not balance"
        as_of = []
        for _ in range(30):
            t = time.perf_counter()
            s.reports.trial_balance(as_of="2024-06-30")
            as_of.append(time.perf_counter() - t)
        ms = median_ms(samples)
        size = f"{lines // 4 * 4:,} lines"
        return [Row("trial balance", size, f"{ms:.2f} ms median", f"<= {TARGET_MS:g} ms", ms <= TARGET_MS,
                    note=f"{len(tb.rows)} accounts, {DAYS} days; data built in {built:.1f} s"),
                Row("trial balance as of mid-year", size, f"{median_ms(as_of):.2f} ms median")]
    finally:
        hera.close()
