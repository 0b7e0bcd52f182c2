"""Bulk journal import writes each entry exactly as posting it one at a time would, only faster."""
from __future__ import annotations

import gc
import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

import hera_desktop
from flows_factories import books_template, db_path, org  # noqa: F401  (fixtures: books copied from a template)
from flows_factories import balances, contents
from raw_books import RawBooks
from hera_desktop.domain.contracts.events import json_safe
from hera_desktop.storage.database import BULK_CHECKPOINT_PAGES, CHECKPOINT_PAGES

# Columns that differ between two recordings of the same entry: identity, time, place in the chain.
HEADER_OWN = {"id", "transaction_code", "reference", "idempotency_key", "idempotency_fingerprint", "chain_seq",
              "prev_hash", "content_hash", "created_at", "updated_at"}
LINE_OWN = {"id", "transaction_id", "created_at"}


def account(s, code):
    return s.journals.account_by_code(code).id


def entry(s, reference, **changes):
    lines = changes.pop("lines", None) or [
        {"gl_account_id": account(s, "6000"), "amount": "123.45", "dr_cr": "DR", "description": "Office supplies",
         "reference": "Invoice-12345"},
        {"gl_account_id": account(s, "1000"), "amount": "123.45", "dr_cr": "CR", "description": "Cash payment"}]
    return {"date": "2025-01-15", "reference": reference, "description": "Office supplies expense payment",
            "lines": lines, **changes}


def stored(db_path, transaction_id):
    """The header, lines and change-feed event of one transaction as the file holds them, JSON read as values."""
    conn = RawBooks(db_path)  # an SQLite file or a PostgreSQL database
    try:
        header = conn.dicts("SELECT * FROM universal_transactions WHERE id = ?", (transaction_id,))[0]
        lines = conn.dicts("SELECT * FROM universal_transaction_lines WHERE transaction_id = ? "
                           "ORDER BY line_number", (transaction_id,))
        event = conn.dicts("SELECT * FROM hera_change_feed WHERE record_id = ?", (transaction_id,))[0]
    finally:
        conn.close()
    for row in (header, *lines):
        for column in ("business_context", "metadata"):
            if isinstance(row.get(column), str):  # SQLite keeps JSON as its text; PostgreSQL's driver decodes it
                row[column] = json.loads(row[column])
    if isinstance(event["record"], str):
        event["record"] = json.loads(event["record"])
    return header, lines, event


def same_content(one, other):
    (h1, l1, e1), (h2, l2, e2) = one, other
    assert {k: v for k, v in h1.items() if k not in HEADER_OWN} == {k: v for k, v in h2.items() if k not in HEADER_OWN}
    assert [{k: v for k, v in ln.items() if k not in LINE_OWN} for ln in l1] == \
        [{k: v for k, v in ln.items() if k not in LINE_OWN} for ln in l2]
    # The event carries the transaction as stored, its lines with it, amounts as exact text
    for header, lines, event in (one, other):
        assert event["record"] == {**json_safe(header), "lines": [json_safe(ln) for ln in lines]}
    event_own = {"id", "record_id", "record", "change_seq", "hlc_ms", "hlc_counter", "payload_hash", "created_at"}
    assert {k: v for k, v in e1.items() if k not in event_own} == {k: v for k, v in e2.items() if k not in event_own}
    assert e1["kind"] == "transaction.recorded"


CASES = {
    "a plain entry": {},
    "text to trim and no descriptions": {"description": "  Rent  ", "lines": "trimmed"},
    "a time with its zone": {"date": datetime(2025, 3, 1, 23, 30, tzinfo=timezone(timedelta(hours=-5)))},
    "many lines, amounts with trailing zeros": {"lines": "many"},
}


def lines_for(s, kind):
    if kind == "trimmed":
        return [{"gl_account_id": f" {account(s, '6200')} ", "amount": "1500.00", "dr_cr": "dr"},
                {"gl_account_id": account(s, "1010"), "amount": 1500, "dr_cr": "CR", "reference": " Bank-7 ",
                 "description": "  "}]
    return [{"gl_account_id": account(s, code), "amount": amount, "dr_cr": side, "description": f"line {i}"}
            for i, (code, amount, side) in enumerate([("6000", "10.10", "DR"), ("6100", "4.50", "DR"),
                                                      ("6200", Decimal("0.40"), "DR"), ("1000", "7", "CR"),
                                                      ("1010", "8.000", "CR")])]


@pytest.mark.parametrize("case", CASES)
def test_an_imported_entry_is_recorded_exactly_as_a_posted_one(hera, s, db_path, case):
    changes = dict(CASES[case])
    if "lines" in changes:
        changes["lines"] = lines_for(s, changes["lines"])
    posted = s.journals.create_entry(**entry(s, "POSTED-1", entry_type="imported", **changes))
    imported = s.journals.import_entries([entry(s, "IMPORTED-1", **changes)])[0]

    assert imported.balance_validation == posted.balance_validation
    assert imported.journal_entry.total_amount == posted.journal_entry.total_amount
    same_content(stored(db_path, posted.journal_entry.transaction_id),
                 stored(db_path, imported.journal_entry.transaction_id))
    a, b = (s.txn.read(r.journal_entry.transaction_id) for r in (posted, imported))
    assert (b.chain_seq, b.chain_format) == (a.chain_seq + 1, 2)
    assert hera.verify().intact  # recomputes both links from the stored rows


def test_imported_and_posted_entries_replay_each_other_by_reference(s, db_path):
    posted = s.journals.create_entry(**entry(s, "EXP-1", entry_type="imported"))
    before = contents(db_path)
    again = s.journals.import_entries([entry(s, "EXP-1")])[0]
    assert again.journal_entry.replayed and again.journal_entry.transaction_id == posted.journal_entry.transaction_id
    assert contents(db_path) == before

    imported = s.journals.import_entries([entry(s, "EXP-2", entry_type="manual")])[0]
    before = contents(db_path)
    repeat = s.journals.create_entry(**entry(s, "EXP-2"))
    assert repeat.journal_entry.replayed and repeat.journal_entry.transaction_id == imported.journal_entry.transaction_id
    assert contents(db_path) == before

    with pytest.raises(hera_desktop.IdempotencyConflictError) as caught:
        s.journals.import_entries([entry(s, "EXP-9", entry_type="manual"),
                                   entry(s, "EXP-2", description="Something else")])
    assert imported.journal_entry.transaction_code in str(caught.value)
    assert contents(db_path) == before


def test_the_same_reference_twice_in_one_import(s, db_path):
    first, second = s.journals.import_entries([entry(s, "IMP-7"), entry(s, "IMP-7")])
    assert second.journal_entry.replayed and second.journal_entry.transaction_id == first.journal_entry.transaction_id
    assert balances(s)["6000"] == Decimal("123.45")
    before = contents(db_path)
    with pytest.raises(hera_desktop.IdempotencyConflictError):
        s.journals.import_entries([entry(s, "IMP-8"), entry(s, "IMP-8", description="changed")])
    assert contents(db_path) == before


def test_imported_entries_chain_verify_and_reverse(hera, s, db_path):
    results = s.journals.import_entries([entry(s, f"IMP-{i}", date=f"2025-01-{1 + i % 28:02d}") for i in range(60)])
    assert len({r.journal_entry.transaction_id for r in results}) == 60
    assert hera.verify().intact
    assert balances(s)["6000"] == Decimal("123.45") * 60
    assert balances(s, as_of="2025-01-01")["6000"] == Decimal("123.45") * 3

    reversal = s.journals.reverse(results[5].journal_entry.transaction_id, "imported twice")
    assert s.txn.read(results[5].journal_entry.transaction_id).reversed_by == reversal.transaction_id
    assert balances(s)["6000"] == Decimal("123.45") * 59
    assert hera.verify().intact

    tamperer = RawBooks(db_path, superuser=True)
    tamperer.lift_immutability()
    tamperer.execute("UPDATE universal_transaction_lines SET line_amount = '12.45' WHERE transaction_id = ? "
                     "AND line_number = 1", (results[30].journal_entry.transaction_id,))
    tamperer.close()
    assert [b.transaction_id for b in hera.verify().broken] == [results[30].journal_entry.transaction_id]


@pytest.mark.parametrize("change, message", [
    ({"lines": [{"gl_account_id": "x", "amount": "5", "dr_cr": "DR"}]}, "entries.1.lines: "),
    ({"reference": "   "}, "entries.1.reference: "),
    ({"reference": "R" * 198}, "entries.1.reference: is too long (at most 197 characters)"),
    ({"date": "31/01/2025"}, "entries.1.date: "),
    ({"description": 42}, "entries.1.description: must be text"),
    ({"entry_type": ["x"]}, "entries.1.entry_type: "),
    ({"lines": "amount"}, "entries.1.lines.0.amount: must be more than zero"),
    ({"lines": "unbalanced"}, "entries.1 (IMP-2): Entry is not balanced in USD: debits 5 vs credits 4"),
    ({"lines": "stranger"}, "gl_account_id: "),
    ({"lines": "third decimal"}, "entries.1.lines.0.amount: has more decimals than USD allows (5.005)"),
])
def test_an_import_with_a_bad_entry_names_it_and_writes_nothing(s, db_path, change, message):
    change = dict(change)
    six, one = account(s, "6000"), account(s, "1000")
    if change.get("lines") == "amount":
        change["lines"] = [{"gl_account_id": six, "amount": "0", "dr_cr": "DR"},
                           {"gl_account_id": one, "amount": "0", "dr_cr": "CR"}]
    elif change.get("lines") == "unbalanced":
        change["lines"] = [{"gl_account_id": six, "amount": "5", "dr_cr": "DR"},
                           {"gl_account_id": one, "amount": "4", "dr_cr": "CR"}]
    elif change.get("lines") == "third decimal":
        change["lines"] = [{"gl_account_id": six, "amount": "5.005", "dr_cr": "DR"},
                           {"gl_account_id": one, "amount": "5.005", "dr_cr": "CR"}]
    elif change.get("lines") == "stranger":
        change["lines"] = [{"gl_account_id": six, "amount": "5", "dr_cr": "DR"},
                           {"gl_account_id": "01a20000-0000-7000-8000-00000000dead", "amount": "5", "dr_cr": "CR"}]
    before = contents(db_path)
    with pytest.raises(hera_desktop.HeraError) as caught:
        s.journals.import_entries([entry(s, "IMP-1"), entry(s, change.pop("reference", "IMP-2"), **change)])
    assert message in str(caught.value)
    assert contents(db_path) == before
    assert gc.isenabled()  # the collector, paused while importing, runs again


def test_import_takes_a_list_of_entries(s, db_path):
    before = contents(db_path)
    assert s.journals.import_entries([]) == []
    for wrong, message in (("IMP-1", "entries: must be a list"), ([["IMP-1"]], "entries.0: must be")):
        with pytest.raises(hera_desktop.ValidationError, match=message):
            s.journals.import_entries(wrong)
    assert contents(db_path) == before


def test_an_import_defers_checkpoints_and_leaves_ordinary_commits_as_they_were(hera, s):
    """An import's commits let the write-ahead log grow (its next batches rewrite the same index pages); every
    other commit, after an import that worked or one that failed, checkpoints as usual."""
    def checkpoint_pages():
        with hera.db.write() as conn:
            return conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()

    with hera.db.write(bulk=True) as conn:
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == BULK_CHECKPOINT_PAGES
    assert checkpoint_pages() == CHECKPOINT_PAGES
    s.journals.import_entries([entry(s, f"IMP-{i}") for i in range(3)])
    assert checkpoint_pages() == CHECKPOINT_PAGES
    with pytest.raises(hera_desktop.HeraError):
        s.journals.import_entries([entry(s, "IMP-9"), entry(s, "IMP-9", description="changed")])
    assert checkpoint_pages() == CHECKPOINT_PAGES
