"""Reports a bookkeeper and a manager read: trial balance, general ledger, stock valuation, sales by day."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

import hera_desktop
from hera_desktop.services.business_calendar import BusinessCalendar
from flows_factories import books_template, db_path, org  # noqa: F401  (fixtures: books copied from a template)
from flows_factories import build_restaurant, make_users, order_items


def post(s, day, reference, debit, credit, amount, description=None):
    return s.journals.create_entry(date=day, reference=reference, description=description or reference, lines=[
        {"gl_account_id": s.journals.account_by_code(debit).id, "amount": amount, "dr_cr": "DR"},
        {"gl_account_id": s.journals.account_by_code(credit).id, "amount": amount, "dr_cr": "CR"}])


@pytest.fixture
def january(s):
    """Posted out of date order, as a bookkeeper catching up would."""
    post(s, "2025-01-10", "RENT-JAN", "6200", "1010", "1000.00", "January rent")
    post(s, "2025-01-05", "CAPITAL", "1010", "3000", "5000.00", "Owner's capital")
    post(s, "2025-01-20", "WAGES-JAN", "6100", "1010", "500.00", "Wages")
    return s


def test_trial_balance_as_of_a_date(january):
    s = january
    mid = s.reports.trial_balance(as_of="2025-01-15")
    assert mid.as_of == "2025-01-15"
    assert [(r.account_code, r.account_name, r.account_type, r.debit, r.credit) for r in mid.rows] == [
        ("1010", "Bank account", "asset", Decimal("4000.00"), Decimal("0")),
        ("3000", "Owner's equity", "equity", Decimal("0"), Decimal("5000.00")),
        ("6200", "Rent", "expense", Decimal("1000.00"), Decimal("0"))]
    assert mid.total_debits == mid.total_credits == Decimal("5000.00")

    end = s.reports.trial_balance(as_of=date(2025, 1, 31))
    assert {r.account_code: r.balance for r in end.rows} == {
        "1010": Decimal("3500.00"), "3000": Decimal("-5000.00"), "6100": Decimal("500.00"), "6200": Decimal("1000.00")}
    assert end.total_debits == end.total_credits == Decimal("5000.00")
    assert s.reports.trial_balance().rows == end.rows

    before = s.reports.trial_balance(as_of="2025-01-04")
    assert (before.rows, before.total_debits, before.total_credits) == ([], 0, 0)
    with pytest.raises(hera_desktop.ValidationError) as caught:
        s.reports.trial_balance(as_of="yesterday")
    assert caught.value.field == "as_of"


def test_general_ledger_per_account_with_running_balance(january):
    s = january
    bank = s.journals.account_by_code("1010").id
    ledger = s.reports.general_ledger(bank)
    assert (ledger.account_code, ledger.account_name, ledger.opening_balance) == ("1010", "Bank account", 0)
    assert [(ln.transaction_date[:10], ln.reference, ln.debit, ln.credit, ln.running_balance)
            for ln in ledger.lines] == [
        ("2025-01-05", "CAPITAL", Decimal("5000.00"), 0, Decimal("5000.00")),
        ("2025-01-10", "RENT-JAN", 0, Decimal("1000.00"), Decimal("4000.00")),
        ("2025-01-20", "WAGES-JAN", 0, Decimal("500.00"), Decimal("3500.00"))]
    assert ledger.closing_balance == Decimal("3500.00")
    assert ledger.lines[1].description == "January rent"

    later = s.reports.general_ledger(bank, date_from="2025-01-10")
    assert later.opening_balance == Decimal("5000.00")
    assert [ln.running_balance for ln in later.lines] == [Decimal("4000.00"), Decimal("3500.00")]
    early = s.reports.general_ledger(bank, date_to="2025-01-10")
    assert early.closing_balance == Decimal("4000.00")

    rent = s.reports.general_ledger(s.journals.account_by_code("6200").id)
    assert [(ln.debit, ln.running_balance) for ln in rent.lines] == [(Decimal("1000.00"), Decimal("1000.00"))]
    with pytest.raises(hera_desktop.ValidationError):
        s.reports.general_ledger(s.customers.onboard(name="Not An Account").customer.id)


def test_stock_valuation_per_location_matches_the_inventory_account(hera, org, s):
    r = build_restaurant(hera, org, s, customer=False)
    valuation = s.reports.stock_valuation()
    assert [(row.product_name, row.location_name, row.quantity, row.average_cost, row.value)
            for row in valuation.rows] == [
        ("Eggs", "Kitchen", Decimal(30), Decimal("0.25"), Decimal("7.50")),
        ("Flour 00", "Kitchen", Decimal(10), Decimal("2"), Decimal("20.00")),
        ("Flour 00", "Main Warehouse", Decimal(50), Decimal("2"), Decimal("100.00")),
        ("Mozzarella", "Kitchen", Decimal(4), Decimal("8"), Decimal("32.00"))]
    assert valuation.value_by_location == {"Kitchen": Decimal("59.50"), "Main Warehouse": Decimal("100.00")}
    assert valuation.total_value == Decimal("159.50")
    inventory_account = {row.account_code: row.balance for row in s.reports.trial_balance().rows}["1200"]
    assert inventory_account == valuation.total_value

    s.restaurant.process_order(items=order_items(r, pizza=2))  # 0.5 flour, 0.25 mozzarella from the kitchen
    s.inventory.adjust(product_id=r.products["flour"].id, adjustment_type="transfer", quantity=20,
                       reason="Restock", location_id=r.warehouse.id, to_location_id=r.kitchen.id)
    after = s.reports.stock_valuation()
    assert after.value_by_location == {"Kitchen": Decimal("96.50"), "Main Warehouse": Decimal("60.00")}
    assert after.total_value == Decimal("156.50")
    assert {row.account_code: row.balance for row in s.reports.trial_balance().rows}["1200"] == Decimal("156.50")


def test_sales_by_day(hera, org, s):
    r = build_restaurant(hera, org, s, stock=False, customer=False)
    for when, items in (("2025-03-01T12:15:00", order_items(r, pizza=2)),
                        ("2025-03-01T20:40:00", order_items(r, pasta=1, bread=1)),
                        ("2025-03-02T19:30:00", order_items(r, tiramisu=1))):
        s.restaurant.process_order(items=items, transaction_date=when, payment_method="card")
    days = s.reports.sales_by_day(date_from="2025-03-01", date_to="2025-03-02")
    assert [(d.day, d.orders, d.subtotal, d.tax, d.total) for d in days] == [
        ("2025-03-01", 2, Decimal("43.00"), Decimal("2.15"), Decimal("45.15")),
        ("2025-03-02", 1, Decimal("6.00"), Decimal("0.30"), Decimal("6.30"))]
    assert [d.day for d in s.reports.sales_by_day(date_from="2025-03-02", date_to="2025-03-02")] == ["2025-03-02"]

    # A refund counts against the day it is given, not the day of the sale.
    first = s.txn.query(transaction_type="sale", date_from="2025-03-01", date_to="2025-03-01").transactions[0]
    s.restaurant.refund(first.id, "Burnt")
    with s.db.read():  # the business day of now: before the day cutoff (04:00) that is the calendar's yesterday
        today = BusinessCalendar(s).today()
    refund_day = s.reports.sales_by_day(date_from=today)[0]
    assert (refund_day.day, refund_day.orders, refund_day.total) == (today, 0, Decimal("-26.25"))
    assert s.reports.sales_by_day(date_to="2025-03-02") == days


def test_a_cashier_cannot_read_the_books(hera, org, s):
    users = make_users(hera, org, s, "cashier", "bookkeeper")
    _, at_till = users["cashier"]
    _, in_office = users["bookkeeper"]
    for report in (lambda x: x.reports.trial_balance(), lambda x: x.reports.stock_valuation(),
                   lambda x: x.reports.sales_by_day(),
                   lambda x: x.reports.general_ledger(x.journals.account_by_code("1000").id)):
        with pytest.raises(hera_desktop.PermissionDeniedError):
            report(at_till)
        report(in_office)
