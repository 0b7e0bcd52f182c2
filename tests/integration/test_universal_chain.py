"""The hash chain: intact after ordinary work, and any change made behind the API's back is named by verify()."""
from __future__ import annotations

from decimal import Decimal

import pytest

from sqlalchemy import text

import factories as f
import hera_desktop
from hera_desktop import UnbalancedTransactionError
from hera_desktop.universal import chain
from raw_books import tamper


@pytest.fixture
def busy(hera, s):
    """Two organizations' worth of sales, journals, reversals and replays."""
    other = hera.scope(hera.create_organization("Luigi's Pizzeria").id)
    pasta = f.product(s, "Pasta")
    cash, sales = f.gl_account(s, "1000"), f.gl_account(s, "4000")
    ids = []
    with s.db.write():  # most of it in one unit of work; the chain must not care
        ids += [s.txn.emit(f.sale([f.item(pasta.id, 1, "9.99")])).transaction_id for _ in range(5)]
    for n in range(10):
        ids.append(s.txn.emit(f.sale([f.item(pasta.id, n + 1, "2.25"), f.item(None, 1, "0.1")],
                                     idempotency_key=f"order-{n}")).transaction_id)
        if n % 5 == 0:
            ids.append(s.txn.emit(f.journal([(cash.id, "DR", f"{n}.10"), (sales.id, "CR", f"{n}.10")])).transaction_id)
    s.txn.emit(f.sale([f.item(pasta.id, 1, "2.25"), f.item(None, 1, "0.1")], idempotency_key="order-0"))  # replay
    ids.append(s.txn.reverse(ids[3], "HERA.TEST.SALES.REVERSAL.V1", "wrong table").transaction_id)
    for _ in range(5):
        other.txn.emit(f.sale([f.item()]))
    return ids


def test_the_chain_is_intact_after_ordinary_work(hera, s, busy):
    report = hera.verify()
    assert report.intact and report.broken == []
    assert report.transactions == len(busy) + 5
    assert report.chains == 2
    assert hera.verify(s.organization_id).transactions == len(busy)


def test_each_transaction_links_to_the_one_before(s, busy):
    txns = [s.txn.read(i) for i in busy]
    assert [t.chain_seq for t in txns] == list(range(1, len(busy) + 1))
    assert len({t.content_hash for t in txns}) == len(txns)


def test_a_refused_emit_leaves_no_gap_in_the_chain(hera, s):
    cash, sales = f.gl_account(s, "1000"), f.gl_account(s, "4000")
    first = s.txn.emit(f.sale([f.item()]))
    with pytest.raises(UnbalancedTransactionError):
        s.txn.emit(f.journal([(cash.id, "DR", "1"), (sales.id, "CR", "2")]))
    second = s.txn.emit(f.sale([f.item()]))
    assert s.txn.read(second.transaction_id).chain_seq == s.txn.read(first.transaction_id).chain_seq + 1
    assert hera.verify().intact


def test_the_chain_carries_on_after_reopening(db_path, hera, s):
    s.txn.emit(f.sale([f.item()]))
    org_id = s.organization_id
    hera.close()
    with hera_desktop.open(db_path) as again:
        emitted = again.scope(org_id).txn.emit(f.sale([f.item()]))
        assert again.scope(org_id).txn.read(emitted.transaction_id).chain_seq == 2
        assert again.verify().intact




def test_the_tamperer_can_change_what_the_app_cannot(hera, s, db_path):
    """The tests below are only worth something if their changes really reach the stored rows."""
    victim = s.txn.emit(f.sale([f.item(None, 1, "9.99")]))
    with pytest.raises(hera_desktop.StorageError, match="immutable"):
        with s.db.write() as conn:
            conn.execute(text("UPDATE universal_transactions SET total_amount = 1 WHERE id = :id"),
                         {"id": victim.transaction_id})
    tamper(db_path, ("UPDATE universal_transactions SET total_amount = '0.01' WHERE id = ?", (victim.transaction_id,)))
    assert s.txn.read(victim.transaction_id).total_amount == Decimal("0.01")


def test_a_changed_amount_is_named(hera, s, db_path, busy):
    victim = s.txn.read(busy[10])
    tamper(db_path, ("UPDATE universal_transactions SET total_amount = '0.01' WHERE id = ?", (victim.id,)))
    report = hera.verify()
    assert not report.intact
    assert [(b.transaction_id, b.transaction_code) for b in report.broken] == [(victim.id, victim.transaction_code)]
    assert report.broken[0].chain_seq == victim.chain_seq
    assert "changed" in report.broken[0].problem
    other_org = next(o for o in hera.list_organizations() if o.id != s.organization_id)
    assert hera.verify(other_org.id).intact


def test_a_changed_line_is_named(hera, s, db_path, busy):
    victim = s.txn.read(busy[9])
    tamper(db_path, ("UPDATE universal_transaction_lines SET quantity = '1' "
                     "WHERE transaction_id = ? AND line_number = 1", (victim.id,)))
    broken = hera.verify().broken
    assert [b.transaction_id for b in broken] == [victim.id]


def test_any_changed_header_field_is_named(hera, s, db_path, busy, subtests):
    victim = s.txn.read(busy[0])
    for column, value in [("description", "nothing to see"), ("transaction_date", "2020-01-01"),
                          ("reference", "R-1"), ("status", "void"), ("currency", "EUR"),
                          ("created_by", "01a20000-0000-7000-8000-000000000002")]:
        original = getattr(victim, column)
        with subtests.test(column=column):
            tamper(db_path, (f"UPDATE universal_transactions SET {column} = ? WHERE id = ?", (value, victim.id)))
            assert [b.transaction_code for b in hera.verify().broken] == [victim.transaction_code]
        tamper(db_path, (f"UPDATE universal_transactions SET {column} = ? WHERE id = ?", (original, victim.id)))
        assert hera.verify().intact


def test_a_forger_who_recomputes_the_hash_breaks_the_next_link(hera, s, db_path, busy):
    victim, follower = s.txn.read(busy[7]), s.txn.read(busy[8])
    row = victim.model_dump() | {"total_amount": Decimal("0.01"), "prev_hash": s.txn.read(busy[6]).content_hash}
    forged = chain.content_hash(row, [ln.model_dump() for ln in victim.lines])
    tamper(db_path, ("UPDATE universal_transactions SET total_amount = '0.01', content_hash = ? WHERE id = ?",
            (forged, victim.id)))
    broken = hera.verify().broken
    assert [b.transaction_id for b in broken] == [follower.id]
    assert "previous" in broken[0].problem


def test_a_deleted_transaction_is_caught(hera, s, db_path, busy):
    victim, follower = s.txn.read(busy[12]), s.txn.read(busy[13])
    tamper(db_path, ("DELETE FROM universal_transaction_lines WHERE transaction_id = ?", (victim.id,)),
           ("DELETE FROM universal_transactions WHERE id = ?", (victim.id,)))
    report = hera.verify()
    assert [b.transaction_id for b in report.broken] == [follower.id]
    assert report.broken[0].chain_seq == victim.chain_seq + 1
    assert f"number {victim.chain_seq}" in report.broken[0].problem


def test_a_deleted_line_is_caught(hera, s, db_path, busy):
    victim = s.txn.read(busy[7])
    tamper(db_path, ("DELETE FROM universal_transaction_lines WHERE transaction_id = ? AND line_number = 2",
                     (victim.id,)))
    assert [b.transaction_id for b in hera.verify().broken] == [victim.id]


def test_a_transaction_slipped_in_is_caught(hera, s, db_path, busy):
    original = s.txn.read(busy[5])
    tamper(db_path, (
        "INSERT INTO universal_transactions (id, organization_id, transaction_type, transaction_code, "
        "transaction_date, total_amount, currency, status, smart_code, business_context, metadata, terminal_id, "
        "chain_seq, prev_hash, content_hash, created_at, updated_at, version) "
        "VALUES ('01a20000-0000-7000-8000-000000000001', ?, 'sale', 'FAKE-1', ?, '999', 'USD', 'posted', ?, '{}', "
        "'{}', ?, ?, ?, ?, ?, ?, 1)",
        (s.organization_id, original.transaction_date, original.smart_code, original.terminal_id,
         len(busy) + 1, original.content_hash, original.content_hash, original.created_at, original.created_at)))
    broken = hera.verify().broken
    assert [b.transaction_code for b in broken] == ["FAKE-1"]


def test_a_chain_begun_in_the_first_format_carries_on_in_the_current_one(hera, s, db_path, monkeypatch):
    """Books written before chain formats existed keep verifying after new transactions join their chains."""
    monkeypatch.setattr(chain, "FORMAT", 1)
    old = [s.txn.emit(f.sale([f.item(None, 2, "3.50")])).transaction_id for _ in range(3)]
    monkeypatch.setattr(chain, "FORMAT", 2)
    new = [s.txn.emit(f.sale([f.item(None, 1, "4.25")])).transaction_id for _ in range(3)]
    assert [s.txn.read(i).chain_format for i in old + new] == [1, 1, 1, 2, 2, 2]
    assert hera.verify().intact
    tamper(db_path, ("UPDATE universal_transactions SET total_amount = '1' WHERE id = ?", (old[1],)))
    assert [b.transaction_id for b in hera.verify().broken] == [old[1]]


def test_a_changed_chain_format_is_named(hera, s, db_path, busy, subtests):
    """The format number is hashed too: claiming another format, or one that does not exist, breaks the link."""
    victim = s.txn.read(busy[4])
    assert victim.chain_format == chain.FORMAT == 2
    for claimed in (1, 3):
        with subtests.test(claimed=claimed):
            tamper(db_path, ("UPDATE universal_transactions SET chain_format = ? WHERE id = ?", (claimed, victim.id)))
            broken = hera.verify().broken
            assert [b.transaction_id for b in broken] == [victim.id]
            assert "changed" in broken[0].problem
    tamper(db_path, ("UPDATE universal_transactions SET chain_format = 2 WHERE id = ?", (victim.id,)))
    assert hera.verify().intact
