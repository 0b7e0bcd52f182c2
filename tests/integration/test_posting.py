"""Automatic posting: sales, payments and stock movements reach the general ledger by rules kept as data."""
from __future__ import annotations

from decimal import Decimal

import pytest

import hera_desktop
from flows_factories import books_template, db_path, org  # noqa: F401  (fixtures: books copied from a template)
from flows_factories import (SALE_SC, assert_books_balance, balances, build_restaurant, contents, location,
                             order_items, product)

AUTO = "HERA.FINANCE.GL.AUTO.POSTING.V1"


def nonzero(s):
    return {code: bal for code, bal in balances(s).items() if bal != 0}


@pytest.fixture
def r(hera, org, s):
    return build_restaurant(hera, org, s, stock=False)


def test_a_paid_cash_order_posts_sales_tax_payable_and_cash(s, r):
    order = s.restaurant.process_order(items=order_items(r, pizza=2, pasta=1), payment_method="cash")
    assert nonzero(s) == {"1000": Decimal("40.95"), "4000": Decimal("-39.00"), "2100": Decimal("-1.95")}
    assert_books_balance(s)

    journal = s.posting.posting_of(order.sales_transaction.transaction_id)
    assert journal is not None
    assert (journal.transaction_type, journal.smart_code) == ("journal_entry", AUTO)
    assert journal.reference == order.sales_transaction.transaction_code
    assert journal.business_context["source_transaction_id"] == order.sales_transaction.transaction_id
    assert sorted((ln.metadata["gl_account_code"], ln.dr_cr, ln.line_amount) for ln in journal.lines) == [
        ("1150", "DR", Decimal("40.95")), ("2100", "CR", Decimal("1.95")), ("4000", "CR", Decimal("39.00"))]
    assert s.posting.posting_of(order.payment_transaction.transaction_id) is not None


@pytest.mark.parametrize("method, account", [("cash", "1000"), ("card", "1050"), ("on_account", "1100")])
def test_each_payment_method_posts_to_its_account(s, r, method, account):
    s.restaurant.process_order(customer_id=r.customer.id, items=order_items(r, bread=2), payment_method=method)
    assert nonzero(s) == {account: Decimal("8.40"), "4000": Decimal("-8.00"), "2100": Decimal("-0.40")}


def test_an_unpaid_order_waits_in_its_own_account_until_paid(s, r):
    order = s.restaurant.process_order(items=order_items(r, pasta=1), payment_method=None)
    assert balances(s)["1150"] == Decimal("14.70")
    s.restaurant.pay(order.sales_transaction.transaction_id, [{"method": "card", "amount": "4.70"}],
                     idempotency_key="t1-a")
    assert balances(s)["1150"] == Decimal("10.00")
    s.restaurant.pay(order.sales_transaction.transaction_id, [{"method": "cash"}], idempotency_key="t1-b")
    assert nonzero(s) == {"1000": Decimal("10.00"), "1050": Decimal("4.70"), "4000": Decimal("-14.00"),
                          "2100": Decimal("-0.70")}


def test_settling_an_account_moves_it_from_receivable_to_cash(s, r):
    s.restaurant.process_order(customer_id=r.customer.id, items=order_items(r, pasta=1), payment_method="on_account")
    s.customers.settle_account(r.customer.id, "14.70", payment_method="card")
    assert nonzero(s) == {"1050": Decimal("14.70"), "4000": Decimal("-14.00"), "2100": Decimal("-0.70")}


def test_a_refund_reverses_the_postings(s, r):
    before = nonzero(s)
    order = s.restaurant.process_order(items=order_items(r, pizza=1, bread=1),
                                       payments=[{"method": "card", "amount": "5"}, {"method": "cash"}])
    s.restaurant.refund(order.sales_transaction.transaction_id, "Wrong table")
    assert nonzero(s) == before
    assert_books_balance(s)


def test_stock_receipts_issues_and_counts_post_at_cost(s):
    cheese = product(s, "Mozzarella")
    warehouse, kitchen = location(s, "Main Warehouse"), location(s, "Kitchen")

    def adjust(kind, quantity, unit_cost=None, at=warehouse, to=None):
        s.inventory.adjust(product_id=cheese.id, adjustment_type=kind, quantity=quantity, unit_cost=unit_cost,
                           reason=kind, location_id=at.id, to_location_id=to.id if to else None)
        assert_books_balance(s)

    adjust("receipt", 100, "25.50")
    assert nonzero(s) == {"1200": Decimal("2550.00"), "2000": Decimal("-2550.00")}
    adjust("receipt", 50, "30")
    adjust("issue", 10)  # at the average cost of 27
    assert nonzero(s) == {"1200": Decimal("3780.00"), "2000": Decimal("-4050.00"), "5000": Decimal("270.00")}
    adjust("transfer", 40, to=kitchen)  # moving stock between rooms changes no account
    assert nonzero(s) == {"1200": Decimal("3780.00"), "2000": Decimal("-4050.00"), "5000": Decimal("270.00")}
    adjust("adjustment", -2, at=kitchen)  # count found less: a stock difference expense
    adjust("adjustment", "0.5", at=kitchen)  # and some found again
    assert nonzero(s) == {"1200": Decimal("3739.50"), "2000": Decimal("-4050.00"), "5000": Decimal("270.00"),
                          "5100": Decimal("40.50")}


def test_a_sale_posts_the_cost_of_what_it_consumed(hera, org, s):
    r = build_restaurant(hera, org, s, customer=False)
    stock_value = balances(s)["1200"]
    s.restaurant.process_order(items=order_items(r, pizza=2, pasta=1), payment_method="cash")
    # flour 0.6 x 2.00 + mozzarella 0.25 x 8.00 + eggs 2 x 0.25 = 3.70
    assert balances(s)["5000"] == Decimal("3.70")
    assert balances(s)["1200"] == stock_value - Decimal("3.70")
    assert_books_balance(s)


def test_the_trial_balance_balances_after_every_flow(hera, org, s):
    r = build_restaurant(hera, org, s)
    cash, expense = s.journals.account_by_code("1000").id, s.journals.account_by_code("6000").id
    flows = [
        lambda: s.journals.create_entry(date="2025-01-02", reference="JE-1", lines=[
            {"gl_account_id": expense, "amount": "12.34", "dr_cr": "DR"},
            {"gl_account_id": cash, "amount": "12.34", "dr_cr": "CR"}]),
        lambda: s.restaurant.process_order(items=order_items(r, pizza=1), payment_method="cash"),
        lambda: s.restaurant.process_order(items=order_items(r, pasta=1), payment_method="card"),
        lambda: s.restaurant.process_order(customer_id=r.customer.id, items=order_items(r, pizza=1, pasta=1),
                                           payment_method="on_account"),
        lambda: s.restaurant.process_order(items=order_items(r, pizza=3),
                                           payments=[{"method": "card", "amount": "10"}, {"method": "cash"}]),
        lambda: s.customers.settle_account(r.customer.id, "10.00"),
        lambda: s.restaurant.refund(s.txn.query(transaction_type="sale").transactions[0].id, "Refund"),
        lambda: s.inventory.adjust(product_id=r.products["flour"].id, adjustment_type="transfer", quantity=5,
                                   reason="Restock", location_id=r.warehouse.id, to_location_id=r.kitchen.id),
        lambda: s.inventory.adjust(product_id=r.products["eggs"].id, adjustment_type="adjustment", quantity=-3,
                                   reason="Count", location_id=r.kitchen.id),
        lambda: s.journals.reverse(s.txn.query(transaction_type="journal_entry", reference="JE-1")
                                   .transactions[0].id, "Wrong account"),
    ]
    for i, flow in enumerate(flows):
        flow()
        tb = s.reports.trial_balance()
        assert tb.total_debits == tb.total_credits, f"after flow {i}"
        assert sum((row.balance for row in tb.rows), Decimal(0)) == 0


def test_posting_rules_are_the_organizations_own_data(hera, org, s, r):
    rules = s.universal.query_entities(entity_type="posting_rule", entity_code=SALE_SC).entities
    assert len(rules) == 1
    definition = s.universal.get_dynamic_field(rules[0].id, "rule").field_value_json
    assert {"side": "CR", "account": "4000", "amount": "lines:ITEM"} in definition["lines"]

    s.restaurant.process_order(items=order_items(r, bread=1), payment_method="cash")  # the till is in use
    before = nonzero(s)
    office = hera.scope(org.id)  # the bookkeeper's screen; the till keeps using ``s``
    office.journals.add_account("4100", "Food sales", "revenue")
    office.posting.set_rule(SALE_SC, "Restaurant sale", [
        {"side": "DR", "account": "1150", "amount": "total"},
        {"side": "CR", "account": "4100", "amount": "lines:ITEM"},
        {"side": "CR", "account": "2100", "amount": "lines:TAX"}])
    office.posting.set_rule("HERA.RESTAURANT.PAYMENT.CUSTOMER.V1", "Customer payment", [
        {"side": "DR", "account": {"by": "payment_method", "cash": "1010", "card": "1050", "on_account": "1100"},
         "amount": "total"},
        {"side": "CR", "account": "1150", "amount": "total"}])
    assert len(s.universal.query_entities(entity_type="posting_rule", entity_code=SALE_SC).entities) == 1

    s.restaurant.process_order(items=order_items(r, pasta=1), payment_method="cash")
    after = nonzero(s)
    assert {code: after[code] - before.get(code, 0) for code in after if after[code] != before.get(code, 0)} == \
        {"1010": Decimal("14.70"), "4100": Decimal("-14.00"), "2100": Decimal("-0.70")}

    # Other organizations keep the default rules.
    other = hera.scope(hera.create_organization("Luigi's", currency="USD").id)
    item = other.restaurant.menu.add_item("Pasta Carbonara", "14.00")
    other.restaurant.process_order(items=[{"menu_item_id": item.id}], payment_method="cash")
    assert nonzero(other) == {"1000": Decimal("14.70"), "4000": Decimal("-14.00"), "2100": Decimal("-0.70")}


def test_a_rule_that_names_a_missing_account_stops_the_order(s, r, db_path):
    s.posting.set_rule(SALE_SC, "Restaurant sale", [
        {"side": "DR", "account": "1150", "amount": "total"},
        {"side": "CR", "account": "4999", "amount": "total"}])
    before = contents(db_path)
    with pytest.raises(hera_desktop.NotFoundError) as caught:
        s.restaurant.process_order(items=order_items(r, pasta=1), payment_method="cash")
    assert "4999" in str(caught.value)
    assert contents(db_path) == before


@pytest.mark.parametrize("lines, field", [
    ([], "lines"),
    ([{"side": "XX", "account": "1000", "amount": "total"}], "lines.0.side"),
    ([{"side": "DR", "account": "1000", "amount": "half"}], "lines.0.amount"),
    ([{"side": "DR", "account": 1000, "amount": "total"}], "lines.0.account"),
])
def test_malformed_rules_are_refused(s, db_path, lines, field):
    before = contents(db_path)
    with pytest.raises(hera_desktop.ValidationError) as caught:
        s.posting.set_rule(SALE_SC, "Broken", lines)
    assert caught.value.field == field
    with pytest.raises(hera_desktop.InvalidSmartCodeError):
        s.posting.set_rule("not a smart code", "Broken", [{"side": "DR", "account": "1000", "amount": "total"}])
    assert contents(db_path) == before
