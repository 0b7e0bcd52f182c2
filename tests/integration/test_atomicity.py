"""Every business operation is one database transaction: a flow that fails part way leaves no row behind.

Each test makes a flow fail after it has already written something (a sale, a first payment, a
posting, a customer balance) and compares every table of the file, the event outbox and the
caches included, before and after.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

import hera_desktop
from flows_factories import books_template, db_path, org  # noqa: F401  (fixtures: books copied from a template)
from flows_factories import build_restaurant, contents, order_items, row_counts

PAYMENT_SC = "HERA.RESTAURANT.PAYMENT.CUSTOMER.V1"


@pytest.fixture
def r(hera, org, s):
    return build_restaurant(hera, org, s, credit_limit="50.00")


def assert_untouched(db_path, counts, rows):
    assert row_counts(db_path) == counts  # every table, hera_event_outbox included
    assert contents(db_path) == rows      # and not a value changed (stock levels, balances, caches)


def snapshot(db_path):
    return row_counts(db_path), contents(db_path)


def assert_still_works(hera, org, s, r):
    """After the failure the till goes on: the next order is recorded and the hash chain is intact."""
    order = s.restaurant.process_order(items=order_items(r, bread=1), payment_method="cash")
    assert s.restaurant.balance_due(order.sales_transaction.transaction_id) == 0
    report = hera.verify(org.id)
    assert report.intact, report.broken
    tb = s.reports.trial_balance()
    assert tb.total_debits == tb.total_credits


def test_an_order_whose_second_item_is_out_of_stock_leaves_nothing(hera, org, s, r, db_path):
    hera.update_settings(org.id, refuse_sale_when_short=True)  # by default a sale takes stock past zero
    counts, rows = snapshot(db_path)
    # The pizza takes flour and mozzarella, the on-account payment raises the customer's balance,
    # then the wine finds no bottle in the kitchen.
    with pytest.raises(hera_desktop.InsufficientInventoryError) as caught:
        s.restaurant.process_order(customer_id=r.customer.id, items=order_items(r, pizza=1, wine=1),
                                   payment_method="on_account")
    assert "Red Wine Bottle" in str(caught.value)
    assert_untouched(db_path, counts, rows)
    assert s.customers.balance(r.customer.id) == 0
    assert s.inventory.level(r.products["flour"].id, r.kitchen.id) == 10
    assert_still_works(hera, org, s, r)


def test_on_account_past_the_limit_in_the_second_payment_of_a_split_leaves_nothing(hera, org, s, r, db_path):
    counts, rows = snapshot(db_path)
    # 2 pizzas + 2 pasta = 53.00 + 2.65 tax = 55.65; 5.00 by card, then 50.65 on account > 50.00.
    with pytest.raises(hera_desktop.CreditLimitExceededError) as caught:
        s.restaurant.process_order(customer_id=r.customer.id, items=order_items(r, pizza=2, pasta=2),
                                   payments=[{"method": "card", "amount": "5.00"}, {"method": "on_account"}])
    assert (caught.value.amount, caught.value.credit_limit) == (Decimal("50.65"), Decimal("50.00"))
    assert_untouched(db_path, counts, rows)
    assert_still_works(hera, org, s, r)


def test_paying_later_with_a_second_payment_refused_leaves_the_first_unpaid_too(hera, org, s, r, db_path):
    order = s.restaurant.process_order(customer_id=r.customer.id, items=order_items(r, pizza=2, pasta=2),
                                       payment_method=None)
    sale_id = order.sales_transaction.transaction_id
    counts, rows = snapshot(db_path)
    with pytest.raises(hera_desktop.CreditLimitExceededError):
        s.restaurant.pay(sale_id, [{"method": "cash", "amount": "1.00"}, {"method": "on_account"}],
                         idempotency_key="table-3")
    assert_untouched(db_path, counts, rows)
    assert s.restaurant.balance_due(sale_id) == Decimal("55.65")
    # The same key works once the customer pays differently: nothing of the failed attempt remains.
    s.restaurant.pay(sale_id, [{"method": "cash", "amount": "10.00"}, {"method": "on_account"}],
                     idempotency_key="table-3")
    assert s.customers.balance(r.customer.id) == Decimal("45.65")


def test_a_posting_that_fails_after_the_sale_was_written_leaves_nothing(hera, org, s, r, db_path):
    s.posting.set_rule(PAYMENT_SC, "Customer payment", [
        {"side": "DR", "account": {"by": "payment_method", "cash": "1000", "card": "1999", "on_account": "1100"},
         "amount": "total"},
        {"side": "CR", "account": "1150", "amount": "total"}])
    counts, rows = snapshot(db_path)
    with pytest.raises(hera_desktop.NotFoundError) as caught:
        s.restaurant.process_order(items=order_items(r, pizza=1), payment_method="card")
    assert "1999" in str(caught.value)
    assert_untouched(db_path, counts, rows)
    assert_still_works(hera, org, s, r)


def test_a_refund_that_fails_after_reversing_the_payments_leaves_nothing(hera, org, s, r, db_path):
    order = s.restaurant.process_order(items=order_items(r, pizza=1),
                                       payments=[{"method": "card", "amount": "5"}, {"method": "cash"}])
    sale_id = order.sales_transaction.transaction_id
    # Someone reversed the sale by hand, leaving its payments standing.
    s.txn.reverse(sale_id, "HERA.RESTAURANT.SALES.ORDER.REFUND.V1", "Reversed by hand")
    counts, rows = snapshot(db_path)
    with pytest.raises(hera_desktop.AlreadyReversedError):
        s.restaurant.refund(sale_id, "Customer left")
    assert_untouched(db_path, counts, rows)
    assert all(not s.txn.read(p.transaction_id).is_reversed for p in order.payment_transactions)


def test_onboarding_a_customer_with_a_code_already_used_leaves_nothing(s, r, db_path):
    s.customers.onboard(name="VIP One", entity_code="CUST-VIP-0001", status="prospect")
    counts, rows = snapshot(db_path)
    with pytest.raises(hera_desktop.DuplicateError):
        s.customers.onboard(name="VIP Two", email="two@vip.example.com", credit_limit="900",
                            entity_code="CUST-VIP-0001", status="prospect")
    assert_untouched(db_path, counts, rows)


def test_a_transfer_that_would_empty_a_room_twice_leaves_nothing(s, r, db_path):
    flour = r.products["flour"].id
    counts, rows = snapshot(db_path)
    with pytest.raises(hera_desktop.InsufficientInventoryError):
        s.inventory.adjust(product_id=flour, adjustment_type="transfer", quantity="10.5", reason="Too much",
                           location_id=r.kitchen.id, to_location_id=r.warehouse.id)
    assert_untouched(db_path, counts, rows)
    # A raw emit whose stock line goes below zero is stopped by the stock rule after its rows were inserted.
    with pytest.raises(hera_desktop.InsufficientInventoryError):
        s.txn.emit(transaction_type="inventory_adjustment", smart_code="HERA.INVENTORY.ADJUSTMENT.ISSUE.V1",
                   source_entity_id=flour,
                   lines=[{"line_type": "INVENTORY", "entity_id": flour, "quantity": "-11", "unit_price": "2",
                           "smart_code": "HERA.INVENTORY.LINE.ISSUE.V1", "metadata": {"location_id": r.kitchen.id}}])
    assert_untouched(db_path, counts, rows)
