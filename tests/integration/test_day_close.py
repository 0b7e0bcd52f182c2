"""Closing the day: a manager reads the X report at any time and closes the day once with a Z report.

The day's orders are taken through the till's own flow (process_order): cash
with change, a split card + cash payment, card, a refunded cash order, and one
on account. Prices (5% tax): Margherita 12.50, Caesar Salad 9.20, Espresso 2.80,
Tiramisu 7.00, Bruschetta 6.50, Sparkling Water 3.00.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from hera_desktop.demo import create_demo
from hera_desktop.domain.errors import IdempotencyConflictError, PermissionDeniedError, ValidationError
from hera_desktop.services.day_close import DAY_CLOSE_SC


@pytest.fixture
def book(hera):
    return create_demo(hera)


def as_role(hera, book, role):
    return hera.scope(book.organization_id, actor_id=book.users[role])


@pytest.fixture
def days_orders(hera, book):
    """The day's trade; returns the manager's scope."""
    cashier, manager = as_role(hera, book, "cashier"), as_role(hera, book, "manager")
    m = book.menu
    take = cashier.restaurant.process_order
    take(items=[{"menu_item_id": m["Margherita Pizza"], "quantity": 2}],             # 26.25
         payments=[{"method": "cash", "tendered": "30"}])
    take(items=[{"menu_item_id": m["Caesar Salad"]}, {"menu_item_id": m["Espresso"]}],  # 12.60
         payments=[{"method": "card", "amount": "10.00"}, {"method": "cash"}])
    take(items=[{"menu_item_id": m["Tiramisu"]}], payment_method="card")               # 7.35
    refunded = take(items=[{"menu_item_id": m["Bruschetta"]}], payment_method="cash")  # 6.83
    take(items=[{"menu_item_id": m["Sparkling Water"], "quantity": 2}],                # 6.30
         customer_id=book.customers["Acme Corporation"], payment_method="on_account")
    manager.restaurant.refund(refunded.sales_transaction.transaction_id, "Dropped on the floor")
    return manager


def test_the_x_report_adds_up_the_days_orders_payments_and_refunds_and_writes_nothing(hera, days_orders):
    before = hera.verify().transactions
    x = days_orders.day_close.x_report()
    assert (x.orders, x.refunds, x.payments) == (5, 1, 6)
    assert (x.subtotal, x.tax, x.total) == (Decimal("50.00"), Decimal("2.50"), Decimal("52.50"))
    assert x.refunds_total == Decimal("6.83")
    assert x.by_method == {"cash": Decimal("28.85"), "card": Decimal("17.35"), "on_account": Decimal("6.30")}
    assert (x.cash_payments, x.cash_refunds, x.cash_expected) == (Decimal("35.68"), Decimal("6.83"),
                                                                  Decimal("28.85"))
    assert hera.verify().transactions == before


def test_the_z_report_records_the_closing_and_posts_a_short_drawer_to_cash_over_and_short(hera, days_orders):
    s = days_orders
    balances = {r.account_code: r.balance for r in s.reports.trial_balance().rows}
    z = s.day_close.z_report("28.00")
    assert (z.figures.cash_expected, z.counted_cash, z.difference) == (Decimal("28.85"), Decimal("28.00"),
                                                                       Decimal("-0.85"))
    closings = s.txn.query(transaction_type="day_close", include_lines=True).transactions
    assert [c.id for c in closings] == [z.closing.transaction_id]
    closing = closings[0]
    assert closing.smart_code == DAY_CLOSE_SC and closing.created_by == s.actor_id
    assert closing.business_context["cash_expected"] == "28.85" and closing.business_context["counted_cash"] == "28.00"
    assert [(ln.line_type, ln.metadata.get("payment_method"), ln.line_amount) for ln in closing.lines] == [
        ("TENDER", "cash", Decimal("28.85")), ("TENDER", "card", Decimal("17.35")),
        ("TENDER", "on_account", Decimal("6.30")), ("CASH_OVER_SHORT", None, Decimal("-0.85"))]
    journal = s.posting.posting_of(closing.id)
    assert sorted((ln.metadata["gl_account_code"], ln.dr_cr, ln.line_amount) for ln in journal.lines) == [
        ("1000", "CR", Decimal("0.85")), ("6900", "DR", Decimal("0.85"))]
    after = s.reports.trial_balance()
    assert after.balanced
    now = {r.account_code: r.balance for r in after.rows}
    assert now["1000"] - balances["1000"] == Decimal("-0.85")
    assert now["6900"] - balances.get("6900", Decimal(0)) == Decimal("0.85")


def test_a_drawer_that_counts_right_closes_without_a_posting(days_orders):
    s = days_orders
    z = s.day_close.z_report("28.85")
    assert z.difference == 0
    closing = s.txn.read(z.closing.transaction_id)
    assert "CASH_OVER_SHORT" not in {ln.line_type for ln in closing.lines}
    assert s.posting.posting_of(closing.id) is None


def test_a_day_closes_once_and_the_refusal_names_the_first_closing(hera, days_orders):
    s = days_orders
    first = s.day_close.z_report("29.00")
    before = hera.verify().transactions
    with pytest.raises(IdempotencyConflictError) as refused:
        s.day_close.z_report("29.00")
    assert first.closing.transaction_code in refused.value.message
    assert "Maria Bianchi" in refused.value.message
    assert hera.verify().transactions == before
    assert s.day_close.closing_of().id == first.closing.transaction_id


def test_a_cashier_may_not_close_the_day_or_read_its_takings(hera, book, days_orders):
    cashier = as_role(hera, book, "cashier")
    with pytest.raises(PermissionDeniedError):
        cashier.day_close.z_report("28.85")
    with pytest.raises(PermissionDeniedError):
        cashier.day_close.x_report()
    with pytest.raises(PermissionDeniedError):  # nor around the closing, through the raw records
        cashier.txn.query(transaction_type="day_close")


def test_the_counted_cash_must_be_an_amount_of_money_and_the_day_must_have_started(hera, book):
    manager = as_role(hera, book, "manager")
    for counted in ("abc", "-1", "12.345", None):
        with pytest.raises(ValidationError) as refused:
            manager.day_close.z_report(counted)
        assert refused.value.field == "counted_cash", counted
    with pytest.raises(ValidationError) as refused:
        manager.day_close.z_report("0", day="2999-01-01")
    assert refused.value.field == "day"
    assert manager.day_close.closing_of() is None


def test_books_made_before_day_closings_get_the_default_rule_for_the_difference(hera, monkeypatch):
    from hera_desktop.services import setup

    original = setup.resource
    monkeypatch.setattr(setup, "resource", lambda name: [r for r in original(name)
                                                         if r.get("smart_code") != DAY_CLOSE_SC])
    book = create_demo(hera)
    monkeypatch.setattr(setup, "resource", original)
    s = as_role(hera, book, "manager")
    with hera.db.read():
        assert DAY_CLOSE_SC not in s.posting.rules()
    z = s.day_close.z_report("5.00")  # nothing was sold: 5.00 over
    journal = s.posting.posting_of(z.closing.transaction_id)
    assert sorted((ln.metadata["gl_account_code"], ln.dr_cr) for ln in journal.lines) == [("1000", "DR"), ("6900", "CR")]
