"""Journal import: ``s.journals.import_entries`` of balanced four-line entries, entries per second."""
from __future__ import annotations

import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from hera_desktop.domain.ids import new_ids
from hera_desktop.services.journal_import import fingerprint
from hera_desktop.services.journals import check_entry
from hera_desktop.universal import chain

from .common import Row, books, chunks, progress, timed
from .raw import RawReplay, last_chain_seq, transactions_after

TARGET_PER_SECOND = 5000
BATCH = 1000


def accounts(s: Any, count: int = 20) -> list[str]:
    return [a.id for a in s.journals.accounts()[:count]]


def entries(account_ids: list[str], count: int, days: int = 365, start: int = 0,
            first_day: date = date(2024, 1, 1)) -> list[dict[str, Any]]:
    """Balanced four-line entries (two debits, two credits) spread over ``days`` days and the accounts."""
    out = []
    n = len(account_ids)
    for i in range(start, start + count):
        a = Decimal(100 + i % 997) + Decimal(i % 100) / 100
        b = Decimal(7 + i % 89) + Decimal(i % 37) / 100
        out.append({
            "date": (first_day + timedelta(days=i % days)).isoformat(),
            "reference": f"IMP-{i:08d}", "description": f"Imported entry {i}",
            "lines": [
                {"gl_account_id": account_ids[i % n], "amount": a, "dr_cr": "DR", "description": "goods"},
                {"gl_account_id": account_ids[(i + 3) % n], "amount": b, "dr_cr": "DR", "description": "tax"},
                {"gl_account_id": account_ids[(i + 7) % n], "amount": a, "dr_cr": "CR", "description": "supplier"},
                {"gl_account_id": account_ids[(i + 11) % n], "amount": b, "dr_cr": "CR", "description": "tax payable"},
            ]})
    return out


def post_entries(s: Any, account_ids: list[str], count: int, days: int = 365) -> float:
    """Post ``count`` such entries over ``days`` days, in import batches (data for other benchmarks); seconds taken."""
    start = time.perf_counter()
    for batch in chunks(entries(account_ids, count, days=days), BATCH):
        s.journals.import_entries(batch)
    return time.perf_counter() - start


def post_lines(s: Any, lines: int, days: int, purpose: str = "") -> float:
    """Post ``lines`` ledger lines as four-line entries over ``days`` days and 20 accounts, saying so; seconds taken."""
    ids = accounts(s, 20)
    count = lines // 4
    progress(f"posting {count * 4:,} lines ({count:,} four-line entries over {days} days, {len(ids)} accounts)"
             f"{purpose}")
    return post_entries(s, ids, count, days=days)


def run(count: int, workdir: Path) -> list[Row]:
    hera, _org, s = books(workdir, "journal_import")
    try:
        ids = accounts(s)
        s.journals.import_entries(entries(ids, 200, start=10**7))  # warm-up
        data = entries(ids, count)
        progress(f"importing {count} four-line entries in batches of {BATCH}, and raw sqlite3 writing the same rows")
        batches = list(chunks(data, BATCH))
        before = last_chain_seq(hera.db.path)
        seconds = timed(lambda: s.journals.import_entries(batches[0]))
        raw = RawReplay(hera.db.path, transactions_after(hera.db.path, before), bulk=True)
        raw_seconds = 0.0
        for batch in batches[1:]:  # alternating, so the machine's noise falls on both
            raw_seconds += timed(raw.replay)
            seconds += timed(lambda: s.journals.import_entries(batch))
        raw_seconds += timed(raw.replay)
        checks = timed(lambda: per_entry_checks(s, batches[-1], raw))
        raw.close()
        rate = count / seconds
        raw_rate = len(batches) * raw.transactions / raw_seconds
        return [Row("journal import (4-line entries)", f"{count:,} entries", f"{rate:,.0f} entries/s",
                    f">= {TARGET_PER_SECOND:,} /s", rate >= TARGET_PER_SECOND,
                    note=f"import_entries in batches of {BATCH}, {seconds:.2f} s in all"),
                Row("journal import: raw sqlite3, same rows", f"{len(batches) * raw.transactions:,} entries",
                    f"{raw_rate:,.0f} entries/s",
                    note=f"the floor on this machine: {raw.row_count / raw.transactions:.1f} rows per entry, "
                         f"executemany, one transaction per batch"),
                Row("journal import: per-entry checks alone", f"{len(batches[-1]):,} entries",
                    f"{len(batches[-1]) / checks:,.0f} entries/s",
                    note="validating each entry, its idempotency fingerprint, its ids and its hash-chain link, "
                         "in Python, writing nothing; these checks and the raw floor's writing, one after the "
                         f"other: {1 / (checks / len(batches[-1]) + raw_seconds / (len(batches) * raw.transactions)):,.0f}"
                         " entries/s")]
    finally:
        hera.close()


def per_entry_checks(s: Any, batch: list[dict[str, Any]], raw: RawReplay) -> None:
    """The work every imported entry needs before a row is written: what no faster storage can take away."""
    currency = s.txn.currency
    for e in batch:
        entry = check_entry(e["date"], e["reference"], e["description"], e["lines"], "imported", currency)
        fingerprint(entry)
    hcols, hrows = raw.headers
    lcols, lrows = raw.lines
    lines_of: dict[str, list[dict[str, Any]]] = {}
    for row in lrows:
        line = dict(zip(lcols, row))
        lines_of.setdefault(line["transaction_id"], []).append(line)
    for row in hrows:
        header = dict(zip(hcols, row))
        lines = lines_of[header["id"]]
        new_ids(2 + len(lines))
        chain.content_hash(header, lines)
