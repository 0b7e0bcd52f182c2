"""Tamper anchors: a deleted tail is named, its numbers are never given again, and a Z report records (and
its printed hash later checks) the chains as they stood at the closing.

The tampering is done as someone holding the books file (or the database's superuser) would: raw SQL through
the database's own driver, with its refusal to change transactions switched off.
"""
from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

import factories as f
import hera_desktop
from hera_desktop.demo import create_demo
from hera_desktop.domain.errors import ValidationError
from hera_desktop.universal import chain
from raw_books import RawBooks, tamper




def delete_transactions(db_path: Any, *ids: str) -> None:
    for txn_id in ids:
        tamper(db_path, ("DELETE FROM universal_transaction_lines WHERE transaction_id = ?", (txn_id,)),
               ("DELETE FROM universal_transactions WHERE id = ?", (txn_id,)))


def chain_ids(db_path: Any, organization_id: str, terminal_id: str, from_seq: int = 1) -> list[str]:
    conn = RawBooks(db_path)
    try:
        return [r["id"] for r in conn.dicts(
            "SELECT id FROM universal_transactions WHERE organization_id = ? AND terminal_id = ? AND chain_seq >= ? "
            "ORDER BY chain_seq", (organization_id, terminal_id, from_seq))]
    finally:
        conn.close()


def relink(db_path: Any, s: Any, victim_id: str, column: str, value: Any,
           rewrite_closings: bool = False) -> None:
    """Edit one transaction, then recompute its hash and every later one's in its chain, and move the chain's
    counter to the new last hash: a forger who knows the hash rule. ``rewrite_closings``: the forger also
    rewrites what later closings recorded (the heads and the previous closing's hash) to match."""
    tamper(db_path, (f"UPDATE universal_transactions SET {column} = ? WHERE id = ?", (value, victim_id)))
    victim = s.txn.read(victim_id)
    before = s.txn.query(limit=1000).transactions
    prev = next((t.content_hash for t in before if t.terminal_id == victim.terminal_id
                 and t.chain_seq == victim.chain_seq - 1), chain.GENESIS)
    renamed: dict[str, str] = {}  # old hash -> new
    raw = RawBooks(db_path)
    json_param = "?::json" if raw.postgresql else "?"
    raw.close()
    for txn_id in chain_ids(db_path, s.organization_id, victim.terminal_id, victim.chain_seq):
        t = s.txn.read(txn_id)
        row = t.model_dump() | {"prev_hash": prev}
        context = t.business_context
        if rewrite_closings and context.get("anchor"):
            anchor = context["anchor"]
            for head in anchor["heads"]:
                head["content_hash"] = renamed.get(head["content_hash"], head["content_hash"])
            if anchor["previous"]:
                anchor["previous"]["content_hash"] = renamed.get(anchor["previous"]["content_hash"],
                                                                 anchor["previous"]["content_hash"])
            row["business_context"] = context
            tamper(db_path, (f"UPDATE universal_transactions SET business_context = {json_param} WHERE id = ?",
                             (json.dumps(context), txn_id)))
        new_hash = chain.content_hash(row, [ln.model_dump() for ln in t.lines])
        renamed[t.content_hash] = new_hash
        tamper(db_path, ("UPDATE universal_transactions SET prev_hash = ?, content_hash = ? WHERE id = ?",
                         (prev, new_hash, txn_id)))
        prev = new_hash
    tamper(db_path, ("UPDATE hera_chain_counters SET last_hash = ? WHERE organization_id = ? AND terminal_id = ?",
                     (prev, s.organization_id, victim.terminal_id)))


@pytest.fixture
def five_sales(s):
    return [s.txn.emit(f.sale([f.item(None, 1, f"{n}.50")])) for n in range(1, 6)]


# ------------------------------------------------------------------ a deleted tail


def test_deleting_the_newest_transactions_is_named_as_a_missing_tail(hera, s, db_path, five_sales):
    assert hera.verify().intact
    terminal = hera.db.terminal_id
    delete_transactions(db_path, five_sales[3].transaction_id, five_sales[4].transaction_id)
    report = hera.verify()
    assert not report.intact
    assert report.broken == []  # what is left links up: only the witnesses see the cut
    by_witness = {m.witness: m.problem for m in report.missing}
    assert by_witness["chain counter"] == (f"transactions 4..5 of terminal {terminal} are missing: the chain ends "
                                           f"at 3, but its counter says 5 were recorded")
    mark = terminal[-4:].upper()
    assert by_witness["document numbers"].startswith(f"documents SALE 000004..000005 of terminal {terminal} are "
                                                     "missing")
    assert five_sales[4].transaction_code == f"SALE-{mark}-000005"


def test_deleting_the_one_newest_transaction_is_named_too(hera, s, db_path, five_sales):
    delete_transactions(db_path, five_sales[4].transaction_id)
    problems = [m.problem for m in hera.verify().missing]
    assert f"transaction 5 of terminal {hera.db.terminal_id} is missing: the chain ends at 4, but its counter " \
           "says 5 were recorded" in problems


def test_a_deleted_number_is_never_handed_out_again(hera, s, db_path, five_sales):
    deleted = s.txn.read(five_sales[4].transaction_id)
    delete_transactions(db_path, deleted.id)
    after = s.txn.read(s.txn.emit(f.sale([f.item()])).transaction_id)
    assert after.chain_seq == 6  # not 5 again
    raw = RawBooks(db_path)
    stored = raw.dicts("SELECT prev_hash FROM universal_transactions WHERE id = ?", (after.id,))
    raw.close()
    assert stored == [{"prev_hash": deleted.content_hash}]  # it follows the deleted link, not the one left
    assert after.transaction_code.endswith("-000006")
    broken = hera.verify().broken
    assert [(b.chain_seq, b.transaction_id) for b in broken] == [(6, after.id)]
    assert "number 5 of this terminal is missing" in broken[0].problem


def test_a_replaced_newest_transaction_is_named_by_the_counter(hera, s, db_path, five_sales):
    """The newest transaction edited and its hash recomputed: the chain links up, the counter's hash differs."""
    newest = s.txn.read(five_sales[4].transaction_id)
    row = newest.model_dump() | {"total_amount": Decimal("0.01"),
                                          "prev_hash": s.txn.read(five_sales[3].transaction_id).content_hash}
    forged = chain.content_hash(row, [ln.model_dump() for ln in newest.lines])
    tamper(db_path, ("UPDATE universal_transactions SET total_amount = '0.01', content_hash = ? WHERE id = ?",
                     (forged, newest.id)))
    report = hera.verify()
    assert report.broken == []
    assert [m.witness for m in report.missing] == ["chain counter"]
    assert "not the one recorded last" in report.missing[0].problem


def counter(db_path: Any, organization_id: str, terminal_id: str) -> list[tuple[int, str]]:
    raw = RawBooks(db_path)
    try:
        return [(r["last_seq"], r["last_hash"]) for r in raw.dicts(
            "SELECT last_seq, last_hash FROM hera_chain_counters WHERE organization_id = ? AND terminal_id = ?",
            (organization_id, terminal_id))]
    finally:
        raw.close()


def test_the_counter_follows_what_a_unit_of_work_committed_savepoints_and_rollbacks_included(hera, s, db_path):
    class Refused(Exception):
        pass

    with s.db.write() as conn:
        first = s.txn.emit(f.sale([f.item()]))
        try:
            with conn.begin_nested():  # as a batch runs each operation
                s.txn.emit(f.sale([f.item()]))
                raise Refused
        except Refused:
            pass
        last = s.txn.emit(f.sale([f.item()]))
    stored = s.txn.read(last.transaction_id)
    assert stored.chain_seq == s.txn.read(first.transaction_id).chain_seq + 1 == 2
    assert counter(db_path, s.organization_id, hera.db.terminal_id) == [(2, stored.content_hash)]
    try:
        with s.db.write():
            s.txn.emit(f.sale([f.item()]))
            raise Refused
    except Refused:
        pass
    assert counter(db_path, s.organization_id, hera.db.terminal_id) == [(2, stored.content_hash)]
    assert hera.verify().intact


# ------------------------------------------------------------------ the Z report's anchor


@pytest.fixture
def book(hera):
    return create_demo(hera)


def trade(hera, book, refund: bool = False) -> list[Any]:
    cashier = hera.scope(book.organization_id, actor_id=book.users["cashier"])
    m = book.menu
    orders = [cashier.restaurant.process_order(items=[{"menu_item_id": m["Margherita Pizza"], "quantity": 2}],
                                               payment_method="cash"),  # 26.25
              cashier.restaurant.process_order(items=[{"menu_item_id": m["Tiramisu"]}], payment_method="card")]
    if refund:  # 7.35 given back
        manager = hera.scope(book.organization_id, actor_id=book.users["manager"])
        manager.restaurant.refund(orders[1].sales_transaction.transaction_id, "Cold")
    return orders


def yesterday(manager) -> str:
    return (date.fromisoformat(manager.day_close.today()) - timedelta(days=1)).isoformat()


def test_a_z_report_records_each_chains_head_and_the_grand_total(hera, book):
    manager = hera.scope(book.organization_id, actor_id=book.users["manager"])
    trade(hera, book)
    newest = max(manager.txn.query(limit=1000).transactions, key=lambda t: t.chain_seq)
    z = manager.day_close.z_report("26.25")
    closing = manager.txn.read(z.closing.transaction_id)
    assert closing.chain_seq == newest.chain_seq + 1
    assert (z.anchor.chain_seq, z.anchor.content_hash, z.anchor.terminal_id) == (
        closing.chain_seq, closing.content_hash, hera.db.terminal_id)
    assert [(h.terminal_id, h.chain_seq, h.content_hash) for h in z.anchor.heads] == [
        (hera.db.terminal_id, newest.chain_seq, newest.content_hash)]
    assert z.anchor.grand_total == Decimal("33.60") == z.figures.total
    assert z.anchor.previous is None
    recorded = closing.business_context["anchor"]  # in the closing itself, so hashed with it
    assert recorded["grand_total"] == "33.60" and recorded["heads"][0]["chain_seq"] == newest.chain_seq
    assert hera.verify().intact


def test_the_next_closing_refers_to_the_previous_and_adds_its_sales_to_the_grand_total(hera, book):
    manager = hera.scope(book.organization_id, actor_id=book.users["manager"])
    trade(hera, book)                                     # 33.60, counted by the first closing
    first = manager.day_close.z_report("26.25", day=yesterday(manager))
    assert first.anchor.grand_total == Decimal("33.60")
    trade(hera, book, refund=True)                        # 33.60 - 7.35 more
    second = manager.day_close.z_report("52.50")
    assert second.anchor.grand_total == Decimal("33.60") + Decimal("26.25")
    previous = second.anchor.previous
    assert previous is not None
    assert (previous.transaction_id, previous.transaction_code, previous.chain_seq, previous.content_hash) == (
        first.closing.transaction_id, first.closing.transaction_code, first.anchor.chain_seq,
        first.anchor.content_hash)
    assert second.anchor.heads[0].chain_seq == second.anchor.chain_seq - 1
    assert hera.verify().intact


def test_the_printed_anchor_is_found_intact(hera, book):
    manager = hera.scope(book.organization_id, actor_id=book.users["manager"])
    trade(hera, book)
    z = manager.day_close.z_report("26.25")
    for given in (z.anchor.content_hash, z.anchor.short_hash, z.anchor.content_hash[:12].upper()):
        report = hera.verify_anchor(given)
        assert report.intact, report.problem
        assert (report.chain_seq, report.terminal_id, report.transaction_code) == (
            z.anchor.chain_seq, hera.db.terminal_id, z.closing.transaction_code)


def test_an_anchor_must_be_enough_of_a_hash(hera, book):
    for bad in ("abc123", "not-a-hash-at-all", "g" * 16, "a" * 65):
        with pytest.raises(ValidationError, match="12 to 64 hex digits"):
            hera.verify_anchor(bad)


def test_relinking_the_chain_after_an_edit_breaks_the_printed_anchor(hera, book, db_path):
    manager = hera.scope(book.organization_id, actor_id=book.users["manager"])
    orders = trade(hera, book)
    z = manager.day_close.z_report("26.25")
    printed = z.anchor.short_hash
    relink(db_path, manager, orders[0].sales_transaction.transaction_id, "description", "nothing to see")
    report = hera.verify_anchor(printed)
    assert not report.intact
    assert "altered" in report.problem and printed in report.problem
    plain = hera.verify()  # the chain links up again, but the closing recorded the heads as they were
    assert plain.broken == []
    assert [m.witness for m in plain.missing] == ["closing"]
    assert z.closing.transaction_code in plain.missing[0].problem


def test_a_forger_who_rewrites_the_closings_too_is_caught_only_by_the_printed_anchor(hera, book, db_path):
    """What the file alone cannot show: the chain, the closings' records and the counter all rewritten."""
    manager = hera.scope(book.organization_id, actor_id=book.users["manager"])
    orders = trade(hera, book)
    first = manager.day_close.z_report("26.25", day=yesterday(manager))
    trade(hera, book)
    second = manager.day_close.z_report("26.25")
    relink(db_path, manager, orders[1].sales_transaction.transaction_id, "total_amount", "0.01",
           rewrite_closings=True)
    assert hera.verify().intact
    for printed in (first.anchor.short_hash, second.anchor.short_hash):
        report = hera.verify_anchor(printed)
        assert not report.intact and "altered" in report.problem


def test_an_altered_closing_is_named_by_the_closing_after_it(hera, book, db_path):
    manager = hera.scope(book.organization_id, actor_id=book.users["manager"])
    trade(hera, book)
    first = manager.day_close.z_report("26.25", day=yesterday(manager))
    manager.day_close.z_report("0")
    relink(db_path, manager, first.closing.transaction_id, "description", "Day closing (edited)")
    report = hera.verify_anchor(first.anchor.short_hash)
    assert not report.intact
    assert report.transaction_code == first.closing.transaction_code
    assert first.closing.transaction_code in report.problem and "altered" in report.problem


def test_an_anchor_from_other_books_is_not_found(hera, book):
    report = hera.verify_anchor("0123456789abcdef")
    assert not report.intact and "no transaction in these books" in report.problem


OTHER_TERMINAL = "01a20000-0000-7000-8000-0000000000b2"


def test_a_closing_records_and_checks_the_head_of_every_chain_in_the_books(hera, book, db_path):
    """Another terminal's chain in the same books (as sync will bring it): its head is anchored too."""
    trade(hera, book)
    first_terminal = hera.db.terminal_id
    ours = max((t for t in hera.scope(book.organization_id).txn.query(limit=1000).transactions),
               key=lambda t: t.chain_seq)
    hera.close()
    tamper(db_path, ("UPDATE hera_settings SET value = ? WHERE key = 'terminal_id'", (OTHER_TERMINAL,)))
    with hera_desktop.open(db_path) as other:
        assert other.db.terminal_id == OTHER_TERMINAL
        trade(other, book)
        z = other.scope(book.organization_id, actor_id=book.users["manager"]).day_close.z_report("52.50")
        assert {(h.terminal_id, h.chain_seq) for h in z.anchor.heads} == {
            (first_terminal, ours.chain_seq), (OTHER_TERMINAL, z.anchor.chain_seq - 1)}
        assert z.anchor.grand_total == Decimal("67.20")  # both terminals' sales
        assert other.verify().intact and other.verify_anchor(z.anchor.short_hash).intact
        delete_transactions(db_path, ours.id)  # the first terminal's newest, recorded by the closing
        report = other.verify()
        assert {m.witness for m in report.missing} == {"chain counter", "closing", "document numbers"}
        assert any(f"recorded transaction {ours.chain_seq} of terminal {first_terminal}" in m.problem
                   for m in report.missing)
        anchored = other.verify_anchor(z.anchor.short_hash)
        assert not anchored.intact
        assert f"transaction {ours.chain_seq} of terminal {first_terminal}" in anchored.problem
        assert "missing" in anchored.problem
