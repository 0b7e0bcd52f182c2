"""Derived values and the change feed checked against the records: an edit behind the books' back is named.

A tamperer with the database's keys edits a cached total, a stock level, an average
cost, a customer's balance or a change-feed event; no hash covers those, so ``verify``
works each out again from the transaction lines and names what disagrees. The quick
check on opening looks at the newest links of each chain and the newest day's totals.
"""
from __future__ import annotations

import json
from decimal import Decimal

import pytest

from flows_factories import books_template, db_path, org  # noqa: F401  (fixtures: books copied from a template)
from flows_factories import build_restaurant, order_items
import raw_books
from raw_books import RawBooks

import factories as f


@pytest.fixture
def r(hera, org, s):
    """A restaurant's first day: opening stock, sales at the till (one on account, part paid), a journal."""
    r = build_restaurant(hera, org, s)
    s.restaurant.process_order(items=order_items(r, pizza=2, pasta=1), payment_method="cash")
    s.restaurant.process_order(customer_id=r.customer.id, items=order_items(r, pizza=1, bread=2),
                               payment_method="on_account")
    s.customers.settle_account(r.customer.id, "5.00", payment_method="card")
    s.inventory.adjust(product_id=r.products["flour"].id, adjustment_type="transfer", quantity=5,
                       reason="Restock the kitchen", location_id=r.warehouse.id, to_location_id=r.kitchen.id)
    s.inventory.adjust(product_id=r.products["flour"].id, adjustment_type="receipt", quantity=20,
                       unit_cost="2.30", reason="Delivery", location_id=r.warehouse.id)
    cash, sales = f.gl_account(s, "1000"), f.gl_account(s, "4000")
    s.txn.emit(f.journal([(cash.id, "DR", "1000.00"), (sales.id, "CR", "1000.00")]))
    return r


def tamper(db_path, sql, params=()):
    raw_books.tamper(db_path, (sql, params))


def raw_rows(db_path, sql, params=()):
    conn = RawBooks(db_path)
    try:
        return conn.dicts(sql, params)
    finally:
        conn.close()


def problems(report):
    return [d.problem for d in report.disagreements]


def test_books_worked_through_the_app_agree_with_their_records(hera, s, r):
    report = hera.verify(s.organization_id)
    assert report.intact, problems(report)
    assert report.disagreements == [] and report.broken == []
    assert hera.quick_check(s.organization_id).intact


def test_an_edited_trial_balance_fails_verify_naming_the_account_and_both_figures(hera, s, r, db_path):
    sales = f.gl_account(s, "4000")
    cached = s.reports.trial_balance().rows
    before = next(row.credit for row in cached if row.account_code == "4000")
    tamper(db_path, "UPDATE hera_gl_account_balances SET credit = ? WHERE account_id = ?",
           (str(before + 1000), sales.id))
    # What the tamperer wanted: the trial balance reads the edited figure ...
    assert next(row.credit for row in s.reports.trial_balance().rows if row.account_code == "4000") == before + 1000
    # ... and verify names it.
    report = hera.verify(s.organization_id)
    assert not report.intact and report.broken == []
    assert problems(report) == [f"GL account 4000 Sales: cached credit {before + 1000:,.2f}, lines say {before:,.2f}"]
    assert report.disagreements[0].value == "gl_account_balance" and report.disagreements[0].record_id == sales.id


def test_an_edited_daily_total_is_named_with_its_day(hera, s, r, db_path):
    cash = f.gl_account(s, "1000")
    day = raw_rows(db_path, "SELECT posting_date, debit FROM hera_gl_daily_balances WHERE account_id = ?",
                   (cash.id,))[0]
    tamper(db_path, "UPDATE hera_gl_daily_balances SET debit = ? WHERE account_id = ? AND posting_date = ?",
           ("0.5", cash.id, day["posting_date"]))
    found = problems(hera.verify(s.organization_id))
    assert found == [f"GL account 1000 Cash on hand on {day['posting_date']}: cached debit 0.50, lines say "
                     f"{Decimal(str(day['debit'])):,.2f}"]


def test_an_edited_stock_level_is_named_with_its_product_and_location(hera, s, r, db_path):
    flour = r.products["flour"]
    level = s.inventory.level(flour.id, r.kitchen.id)
    tamper(db_path, "UPDATE hera_stock_levels SET quantity = ? WHERE product_id = ? AND location_id = ?",
           ("99", flour.id, r.kitchen.id))
    assert problems(hera.verify(s.organization_id)) == [
        f"Product Flour 00: cached stock at Kitchen 99, movements say {level.normalize():f}"]


def test_an_edited_average_cost_and_stock_on_hand_are_named(hera, s, r, db_path):
    flour = r.products["flour"]
    average = s.universal.get_dynamic_field(flour.id, "average_cost").field_value_number
    on_hand = s.universal.get_dynamic_field(flour.id, "current_inventory").field_value_number
    assert Decimal("2.00") < average < Decimal("2.30")  # 60 at 2.00, then 20 at 2.30 once the sales took some
    tamper(db_path, "UPDATE core_dynamic_data SET field_value_number = ? WHERE entity_id = ? AND field_name = ?",
           ("1.5", flour.id, "average_cost"))
    tamper(db_path, "UPDATE core_dynamic_data SET field_value_number = ? WHERE entity_id = ? AND field_name = ?",
           ("1000", flour.id, "current_inventory"))
    found = problems(hera.verify(s.organization_id))
    assert f"Product Flour 00: cached stock on hand 1,000, movements say {on_hand.normalize():f}" in found
    assert f"Product Flour 00: cached average cost 1.5, movements say {average.normalize():f}" in found
    assert len(found) == 2


def test_an_edited_customer_balance_is_named(hera, s, r, db_path):
    owed = s.customers.balance(r.customer.id)
    assert owed > 0
    tamper(db_path, "UPDATE core_dynamic_data SET field_value_number = ? WHERE entity_id = ? AND field_name = ?",
           ("0", r.customer.id, "account_balance"))
    assert problems(hera.verify(s.organization_id)) == [
        f"Customer Acme Catering: cached account balance 0.00, sales on account and payments say {owed:,.2f}"]


def test_an_edited_change_feed_event_is_named(hera, s, r, db_path):
    row = raw_rows(db_path, "SELECT id, change_seq, record FROM hera_change_feed WHERE record_id = ? "
                            "ORDER BY change_seq", (r.customer.id,))[0]
    record = row["record"] if isinstance(row["record"], dict) else json.loads(row["record"])
    record["entity_name"] = "Someone Else"
    conn = RawBooks(db_path, superuser=True)
    cast = "CAST(? AS json)" if conn.postgresql else "?"
    try:
        conn.execute(f"UPDATE hera_change_feed SET record = {cast} WHERE id = ?", (json.dumps(record), row["id"]))
    finally:
        conn.close()
    report = hera.verify(s.organization_id)
    assert [d.record_id for d in report.disagreements] == [row["id"]]
    assert report.disagreements[0].value == "change_feed_event"
    assert f"Change-feed event {row['change_seq']} of terminal" in problems(report)[0]
    assert f"of record {r.customer.id}" in problems(report)[0] and "altered" in problems(report)[0]


# ------------------------------------------------------------------ the quick check on opening

def test_the_quick_check_finds_an_edited_newest_link(hera, s, r, db_path):
    newest = s.txn.query(limit=500).transactions
    victim = max(newest, key=lambda t: t.chain_seq)
    conn = RawBooks(db_path, superuser=True)
    try:
        conn.lift_immutability()
        conn.execute("UPDATE universal_transactions SET description = ? WHERE id = ?", ("nothing here", victim.id))
    finally:
        conn.close()
    report = hera.quick_check(s.organization_id)
    assert [b.transaction_id for b in report.broken] == [victim.id]
    assert "changed" in report.broken[0].problem


def test_the_quick_check_walks_only_the_newest_links(hera, s, r, db_path):
    oldest = min(s.txn.query(limit=500).transactions, key=lambda t: t.chain_seq)
    conn = RawBooks(db_path, superuser=True)
    try:
        conn.lift_immutability()
        conn.execute("UPDATE universal_transactions SET description = ? WHERE id = ?", ("nothing here", oldest.id))
    finally:
        conn.close()
    quick = hera.quick_check(s.organization_id, links=3)
    assert quick.intact and quick.transactions == 3
    assert [b.transaction_id for b in hera.verify(s.organization_id).broken] == [oldest.id]


def test_the_quick_check_finds_an_edited_total_of_today(hera, s, r, db_path):
    sales = f.gl_account(s, "4000")
    today = raw_rows(db_path, "SELECT posting_date, credit FROM hera_gl_daily_balances WHERE account_id = ? "
                              "ORDER BY posting_date DESC", (sales.id,))[0]
    tamper(db_path, "UPDATE hera_gl_daily_balances SET credit = ? WHERE account_id = ? AND posting_date = ?",
           ("1.00", sales.id, today["posting_date"]))
    found = problems(hera.quick_check(s.organization_id))
    worked = Decimal(str(today["credit"]))
    assert found[0] == f"GL account 4000 Sales on {today['posting_date']}: cached credit 1.00, lines say {worked:,.2f}"
    assert found[1] == f"GL account 4000 Sales: cached credit {worked:,.2f}, daily totals say 1.00"


def test_the_quick_check_finds_an_edited_account_total(hera, s, r, db_path):
    sales = f.gl_account(s, "4000")
    tamper(db_path, "UPDATE hera_gl_account_balances SET credit = ? WHERE account_id = ?", ("2790.91", sales.id))
    assert problems(hera.quick_check(s.organization_id))[0].startswith(
        "GL account 4000 Sales: cached credit 2,790.91, daily totals say ")


# ------------------------------------------------------------------ a failure kept as evidence

def test_a_failed_check_is_recorded_once_as_a_security_event(hera, s, r, db_path):
    sales = f.gl_account(s, "4000")
    tamper(db_path, "UPDATE hera_gl_account_balances SET credit = ? WHERE account_id = ?", ("2790.91", sales.id))
    report = hera.quick_check(s.organization_id)
    recorded = hera.record_check_failure(s.organization_id, report)
    assert recorded is not None
    event = s.txn.read(recorded, include_lines=True)
    assert event.transaction_type == "security_event"
    assert event.business_context["event"] == "books_check_failed"
    assert [ln.description for ln in event.lines] == problems(report)
    # The same findings when the books are opened again: no second record.
    assert hera.record_check_failure(s.organization_id, hera.quick_check(s.organization_id)) is None
    assert len(s.txn.query(transaction_type="security_event").transactions) == 1
    # Nothing found: nothing recorded.
    assert hera.record_check_failure(s.organization_id, hera.verify(hera.list_organizations()[0].id).model_copy(
        update={"disagreements": [], "broken": []})) is None
