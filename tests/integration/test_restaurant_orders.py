"""Restaurant orders: the usage guide's order flow as a cashier and a manager meet it at the till."""
from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

import hera_desktop
from flows_factories import books_template, db_path, org  # noqa: F401  (fixtures: books copied from a template)
from flows_factories import (PAYMENT_SC, SALE_SC, build_restaurant, contents, count, make_users, numbers_in,
                             order_items)


@pytest.fixture
def r(hera, org, s):
    """The restaurant without stock bookkeeping: selling takes nothing from stock."""
    return build_restaurant(hera, org, s, stock=False)


def txn(s, emitted):
    return s.txn.read(emitted.transaction_id)


# ------------------------------------------------------------------ the sale and its payment

def test_price_comes_from_the_menu_and_sale_and_payment_are_recorded_as_in_the_guide(s, r):
    order = s.restaurant.process_order(
        customer_id=r.customer.id, table_number=7,
        items=[{"menu_item_id": r.menu["pizza"].id, "quantity": 2, "special_instructions": "extra basil"},
               {"menu_item_id": r.menu["pasta"].id, "quantity": 1}],
        payment_method="cash")

    summary = order.order_summary
    assert (summary.subtotal, summary.tax_amount, summary.total_amount) == (Decimal("39.00"), Decimal("1.95"),
                                                                           Decimal("40.95"))
    assert (summary.item_count, summary.amount_paid, summary.balance_due) == (2, Decimal("40.95"), Decimal("0"))

    sale = txn(s, order.sales_transaction)
    assert (sale.transaction_type, sale.smart_code) == ("sale", SALE_SC)
    assert sale.source_entity_id == r.customer.id
    assert sale.total_amount == Decimal("40.95")
    assert sale.business_context["table_number"] == 7
    assert sale.business_context["order_type"] == "dine_in"
    assert sale.business_context["payment_method"] == "cash"
    assert [(ln.line_number, ln.line_type) for ln in sale.lines] == [(1, "ITEM"), (2, "ITEM"), (3, "TAX")]
    pizza, pasta, tax = sale.lines
    assert pizza.entity_id == r.menu["pizza"].id
    assert (pizza.quantity, pizza.unit_price, pizza.line_amount) == (Decimal(2), Decimal("12.50"), Decimal("25.00"))
    assert pizza.smart_code == "HERA.RESTAURANT.SALES.LINE.ITEM.V1"
    assert pizza.description == "Margherita Pizza"
    assert pizza.metadata["kitchen_station"] == "PIZZA_STATION"
    assert pizza.metadata["special_instructions"] == "extra basil"
    assert "price_override" not in pizza.metadata
    assert (pasta.unit_price, pasta.line_amount) == (Decimal("14.00"), Decimal("14.00"))
    assert tax.smart_code == "HERA.RESTAURANT.SALES.LINE.TAX.V1"
    assert tax.line_amount == Decimal("1.95")
    assert tax.description == "Sales Tax (5%)"
    assert Decimal(tax.metadata["tax_rate"]) == Decimal("0.05")
    assert Decimal(tax.metadata["tax_basis"]) == Decimal("39.00")

    payment = txn(s, order.payment_transaction)
    assert (payment.transaction_type, payment.smart_code) == ("payment", PAYMENT_SC)
    assert payment.source_entity_id == r.customer.id
    assert payment.business_context["payment_method"] == "cash"
    assert payment.business_context["related_sale"] == sale.id
    [line] = payment.lines
    assert (line.line_type, line.line_amount) == ("PAYMENT", Decimal("40.95"))
    assert line.smart_code == "HERA.RESTAURANT.PAYMENT.LINE.V1"
    assert line.metadata["original_transaction"] == sale.id
    assert sale.transaction_code in line.description
    assert s.restaurant.balance_due(sale.id) == 0


def test_price_override_is_refused_for_a_cashier_and_recorded_for_a_manager(hera, org, s, r, db_path):
    users = make_users(hera, org, s, "cashier", "manager")
    cashier, at_till = users["cashier"]
    manager, as_manager = users["manager"]
    pizza = r.menu["pizza"].id

    before = contents(db_path)
    with pytest.raises(hera_desktop.PermissionDeniedError) as caught:
        at_till.restaurant.process_order(items=[{"menu_item_id": pizza, "quantity": 2, "unit_price": "9.99"}],
                                         server_id=cashier.id)
    assert Decimal("12.5") in numbers_in(str(caught.value))  # the menu price is named
    assert contents(db_path) == before

    # Sending the menu's own price is not an override.
    same = at_till.restaurant.process_order(items=[{"menu_item_id": pizza, "quantity": 1, "unit_price": 12.5}])
    assert "price_override" not in txn(s, same.sales_transaction).lines[0].metadata

    order = as_manager.restaurant.process_order(
        items=[{"menu_item_id": pizza, "quantity": 2, "unit_price": "10.00"}], server_id=manager.id,
        payment_method="card")
    line = txn(s, order.sales_transaction).lines[0]
    assert (line.unit_price, line.line_amount) == (Decimal("10.00"), Decimal("20.00"))
    assert line.metadata["price_override"] is True
    assert line.metadata["override_by"] == manager.id
    assert Decimal(line.metadata["menu_price"]) == Decimal("12.50")
    assert order.order_summary.total_amount == Decimal("21.00")
    assert txn(s, order.sales_transaction).business_context["server_id"] == manager.id

    with pytest.raises(hera_desktop.ValidationError):
        as_manager.restaurant.process_order(items=[{"menu_item_id": pizza, "unit_price": "-1"}])


@pytest.mark.parametrize("price, quantity, tax", [
    ("0.10", 1, "0.01"),    # 0.005 -> 0.01 (half-even would give 0.00)
    ("0.50", 1, "0.03"),    # 0.025 -> 0.03 (half-even: 0.02)
    ("0.90", 1, "0.05"),    # 0.045 -> 0.05 (half-even: 0.04)
    ("33.30", 1, "1.67"),   # 1.665 -> 1.67 (half-even: 1.66)
    ("0.29", 1, "0.01"),    # 0.0145 -> 0.01
    ("0.10", 3, "0.02"),    # 0.30 exactly (never 0.30000000000000004) -> 0.015 -> 0.02
])
def test_five_percent_tax_is_rounded_half_up_to_cents(s, price, quantity, tax):
    item = s.restaurant.menu.add_item("Espresso", price, category="Coffee", classification="beverage")
    order = s.restaurant.process_order(items=[{"menu_item_id": item.id, "quantity": quantity}])
    subtotal = Decimal(price) * quantity
    assert order.order_summary.subtotal == subtotal
    assert order.order_summary.tax_amount == Decimal(tax)
    assert order.order_summary.total_amount == subtotal + Decimal(tax)
    sale = txn(s, order.sales_transaction)
    assert [ln.line_amount for ln in sale.lines if ln.line_type == "TAX"] == [Decimal(tax)]
    assert sale.total_amount == subtotal + Decimal(tax)
    assert txn(s, order.payment_transaction).total_amount == subtotal + Decimal(tax)


def test_the_tax_rate_is_a_setting_of_each_organization(hera, org, s):
    till_before_change = s  # a till that was open when the manager changed the rate
    item = s.restaurant.menu.add_item("Lasagne", "10.00")
    other = hera.scope(hera.create_organization("Luigi's", currency="USD").id)
    their_item = other.restaurant.menu.add_item("Lasagne", "10.00")

    hera.update_settings(org.id, tax_rate="0.08")

    order = till_before_change.restaurant.process_order(items=[{"menu_item_id": item.id}])
    assert order.order_summary.tax_amount == Decimal("0.80")
    tax = txn(s, order.sales_transaction).lines[-1]
    assert tax.description == "Sales Tax (8%)"
    assert Decimal(tax.metadata["tax_rate"]) == Decimal("0.08")
    assert hera.scope(org.id).restaurant.process_order(items=[{"menu_item_id": item.id}]).order_summary.tax_amount \
        == Decimal("0.80")
    assert other.restaurant.process_order(items=[{"menu_item_id": their_item.id}]).order_summary.tax_amount \
        == Decimal("0.50")


# ------------------------------------------------------------------ paying

def test_cash_with_tendered_amount_gives_change(s, r):
    order = s.restaurant.process_order(items=order_items(r, pizza=2, pasta=1),
                                       payments=[{"method": "cash", "tendered": "50.00"}])
    assert order.order_summary.total_amount == Decimal("40.95")
    assert order.order_summary.amount_paid == Decimal("40.95")
    assert order.order_summary.change_due == Decimal("9.05")
    assert order.order_summary.balance_due == 0
    payment = txn(s, order.payment_transaction)
    assert payment.total_amount == Decimal("40.95")  # the drawer keeps the price, not the note
    assert Decimal(payment.business_context["tendered"]) == Decimal("50")
    assert Decimal(payment.business_context["change"]) == Decimal("9.05")


def test_cash_tendered_short_leaves_the_rest_due_and_card_pays_it_later(s, r):
    order = s.restaurant.process_order(items=order_items(r, pizza=2, pasta=1),
                                       payments=[{"method": "cash", "tendered": "20"}])
    sale_id = order.sales_transaction.transaction_id
    assert (order.order_summary.amount_paid, order.order_summary.balance_due) == (Decimal("20"), Decimal("20.95"))
    assert s.restaurant.balance_due(sale_id) == Decimal("20.95")
    later = s.restaurant.pay(sale_id, [{"method": "card"}], idempotency_key="table-7-card")
    assert later.order_summary.balance_due == 0
    assert [p.total_amount for p in later.payment_transactions] == [Decimal("20"), Decimal("20.95")]


def test_card_payment(s, r):
    order = s.restaurant.process_order(items=order_items(r, bread=1), payment_method="card")
    assert order.order_summary.total_amount == Decimal("4.20")
    assert txn(s, order.payment_transaction).business_context["payment_method"] == "card"
    assert order.order_summary.change_due == 0


def test_on_account_raises_the_balance_and_is_refused_past_the_credit_limit(s, r, db_path):
    customer = r.customer.id  # credit limit 100.00
    for expected in ("40.95", "81.90"):
        order = s.restaurant.process_order(customer_id=customer, items=order_items(r, pizza=2, pasta=1),
                                           payment_method="on_account")
        assert s.customers.balance(customer) == Decimal(expected)
        assert txn(s, order.payment_transaction).business_context["payment_method"] == "on_account"
    assert s.customers.view(customer).account_balance == Decimal("81.90")

    before = contents(db_path)
    with pytest.raises(hera_desktop.CreditLimitExceededError) as caught:
        s.restaurant.process_order(customer_id=customer, items=order_items(r, pizza=2, pasta=1),
                                   payment_method="on_account")
    error = caught.value
    assert (error.balance, error.amount, error.credit_limit) == (Decimal("81.90"), Decimal("40.95"), Decimal("100"))
    assert {Decimal("81.9"), Decimal("100"), Decimal("40.95")} <= numbers_in(str(error))
    assert contents(db_path) == before
    assert s.customers.balance(customer) == Decimal("81.90")

    # Exactly up to the limit is allowed: 81.90 + 18.10 = 100.00
    item = s.restaurant.menu.add_item("Catering fee", "17.24")  # 17.24 + 0.86 tax = 18.10
    s.restaurant.process_order(customer_id=customer, items=[{"menu_item_id": item.id}], payment_method="on_account")
    assert s.customers.balance(customer) == Decimal("100.00")


def test_settling_an_account_lowers_the_balance(s, r):
    customer = r.customer.id
    s.restaurant.process_order(customer_id=customer, items=order_items(r, pizza=2, pasta=1),
                               payment_method="on_account")
    s.customers.settle_account(customer, "20.00", payment_method="cash")
    assert s.customers.balance(customer) == Decimal("20.95")
    with pytest.raises(hera_desktop.ValidationError) as caught:
        s.customers.settle_account(customer, "21.00")
    assert caught.value.field == "amount"
    assert "20.95" in str(caught.value)
    s.customers.settle_account(customer, "20.95", payment_method="card")
    assert s.customers.balance(customer) == 0


def test_on_account_needs_an_active_customer(s, r, db_path):
    before = contents(db_path)
    with pytest.raises(hera_desktop.ValidationError) as caught:
        s.restaurant.process_order(items=order_items(r, bread=1), payment_method="on_account")
    assert caught.value.field == "customer_id"
    assert contents(db_path) == before

    s.customers.transition_status(r.customer.id, "suspended", "Cheque bounced", None)
    before = contents(db_path)
    with pytest.raises(hera_desktop.ValidationError) as caught:
        s.restaurant.process_order(customer_id=r.customer.id, items=order_items(r, bread=1),
                                   payment_method="on_account")
    assert "suspended" in str(caught.value)
    assert contents(db_path) == before


def test_split_payment_card_then_cash(s, r):
    order = s.restaurant.process_order(items=order_items(r, pizza=2, pasta=1),
                                       payments=[{"method": "card", "amount": "20.00"},
                                                 {"method": "cash", "tendered": "50.00"}])
    card, cash = (txn(s, p) for p in order.payment_transactions)
    assert (card.business_context["payment_method"], card.total_amount) == ("card", Decimal("20.00"))
    assert (cash.business_context["payment_method"], cash.total_amount) == ("cash", Decimal("20.95"))
    assert order.order_summary.change_due == Decimal("29.05")
    assert order.order_summary.balance_due == 0
    assert txn(s, order.sales_transaction).business_context["payment_method"] == "split"
    assert {card.business_context["related_sale"], cash.business_context["related_sale"]} == \
        {order.sales_transaction.transaction_id}


def test_a_payment_larger_than_what_is_due_is_refused(s, r, db_path):
    before = contents(db_path)
    with pytest.raises(hera_desktop.ValidationError) as caught:
        s.restaurant.process_order(items=order_items(r, bread=1),
                                   payments=[{"method": "card", "amount": "3.00"}, {"method": "card", "amount": "2.00"}])
    assert caught.value.field == "payments.1.amount"
    assert "1.20" in str(caught.value)
    with pytest.raises(hera_desktop.ValidationError) as caught:
        s.restaurant.process_order(items=order_items(r, bread=1), payment_method="bitcoin")
    assert caught.value.field == "payments.0.method"
    assert contents(db_path) == before


def test_pay_later_in_parts_and_a_retried_pay_charges_once(s, r, db_path):
    order = s.restaurant.process_order(items=order_items(r, pizza=2, pasta=1), payment_method=None, table_number=4)
    sale_id = order.sales_transaction.transaction_id
    assert order.payment_transaction is None
    assert s.restaurant.balance_due(sale_id) == Decimal("40.95")

    first = s.restaurant.pay(sale_id, [{"method": "card", "amount": "15.00"}], idempotency_key="pay-table-4-a")
    assert first.order_summary.balance_due == Decimal("25.95")
    before = contents(db_path)
    again = s.restaurant.pay(sale_id, [{"method": "card", "amount": "15.00"}], idempotency_key="pay-table-4-a")
    assert again.replayed
    assert again.order_summary.balance_due == Decimal("25.95")
    assert contents(db_path) == before

    rest = s.restaurant.pay(sale_id, [{"method": "cash", "tendered": "30"}], idempotency_key="pay-table-4-b")
    assert rest.order_summary.balance_due == 0
    assert s.restaurant.balance_due(sale_id) == 0
    assert len(rest.payment_transactions) == 2
    with pytest.raises(hera_desktop.ValidationError):
        s.restaurant.pay(sale_id, [{"method": "card", "amount": "0.01"}], idempotency_key="pay-table-4-c")
    with pytest.raises(hera_desktop.ValidationError) as caught:
        s.restaurant.pay(sale_id, [{"method": "card"}], idempotency_key="")
    assert caught.value.field == "idempotency_key"


def test_retrying_an_order_with_the_same_key_returns_the_first_and_writes_nothing(s, r, db_path):
    items = order_items(r, pizza=2, pasta=1)
    first = s.restaurant.process_order(items=items, payment_method="card", idempotency_key="draft-0042")
    sales_rows = count(db_path, "universal_transactions")
    before = contents(db_path)

    retry = s.restaurant.process_order(items=items, payment_method="card", idempotency_key="draft-0042")
    assert retry.replayed
    assert retry.sales_transaction.transaction_id == first.sales_transaction.transaction_id
    assert [p.transaction_id for p in retry.payment_transactions] == \
        [p.transaction_id for p in first.payment_transactions]
    assert retry.order_summary.total_amount == first.order_summary.total_amount
    assert count(db_path, "universal_transactions") == sales_rows
    assert contents(db_path) == before

    with pytest.raises(hera_desktop.IdempotencyConflictError):
        s.restaurant.process_order(items=order_items(r, pizza=3), payment_method="card", idempotency_key="draft-0042")
    assert contents(db_path) == before


def test_two_orders_without_a_key_are_two_orders(s, r):
    items = order_items(r, bread=1)
    a = s.restaurant.process_order(items=items)
    b = s.restaurant.process_order(items=items)
    assert a.sales_transaction.transaction_id != b.sales_transaction.transaction_id


# ------------------------------------------------------------------ refunds

def test_refund_is_for_a_manager_with_a_reason_and_reverses_sale_and_payments(hera, org, s, r, db_path):
    users = make_users(hera, org, s, "cashier", "manager")
    _, at_till = users["cashier"]
    manager, as_manager = users["manager"]
    order = at_till.restaurant.process_order(items=order_items(r, pizza=2, pasta=1),
                                             payments=[{"method": "card", "amount": "20"}, {"method": "cash"}])
    sale_id = order.sales_transaction.transaction_id

    before = contents(db_path)
    with pytest.raises(hera_desktop.PermissionDeniedError):
        at_till.restaurant.refund(sale_id, "customer complained")
    with pytest.raises(hera_desktop.ValidationError) as caught:
        as_manager.restaurant.refund(sale_id, "  ")
    assert caught.value.field == "reason"
    assert contents(db_path) == before

    refund = as_manager.restaurant.refund(sale_id, "Pizza was cold")
    assert refund.total_amount == Decimal("-40.95")
    sale = s.txn.read(sale_id)
    assert sale.is_reversed and sale.reversed_by == refund.transaction_id
    reversal = s.txn.read(refund.transaction_id)
    assert reversal.reversal_of == sale_id
    assert reversal.created_by == manager.id
    assert "Pizza was cold" in reversal.description
    assert [ln.line_amount for ln in reversal.lines] == [-ln.line_amount for ln in sale.lines]
    for payment in order.payment_transactions:
        assert s.txn.read(payment.transaction_id).is_reversed
    assert s.restaurant.payments_of(sale_id) == []
    assert s.restaurant.balance_due(sale_id) == 0  # nothing is owed on a refunded order

    with pytest.raises(hera_desktop.AlreadyReversedError):
        as_manager.restaurant.refund(sale_id, "again")
    with pytest.raises(hera_desktop.ValidationError):
        as_manager.restaurant.pay(sale_id, [{"method": "cash"}], idempotency_key="after-refund")


def test_refunding_an_order_on_account_gives_the_credit_back(s, r):
    order = s.restaurant.process_order(customer_id=r.customer.id, items=order_items(r, pizza=2, pasta=1),
                                       payment_method="on_account")
    assert s.customers.balance(r.customer.id) == Decimal("40.95")
    s.restaurant.refund(order.sales_transaction.transaction_id, "Wrong order delivered")
    assert s.customers.balance(r.customer.id) == 0


# ------------------------------------------------------------------ kitchen

def test_kitchen_tickets_group_items_by_station(s, r):
    fritta = s.restaurant.menu.add_item("Pizza Fritta", "9.00", kitchen_station="fryer")
    order = s.restaurant.process_order(items=[
        *order_items(r, pizza=2, pasta=1, wine=3, tiramisu=1, bread=1),
        {"menu_item_id": fritta.id, "quantity": 1, "special_instructions": "no anchovies"}])
    tickets = s.restaurant.kitchen_tickets(order.sales_transaction.transaction_id)
    named = {station: [(ln.description, ln.quantity) for ln in lines] for station, lines in tickets.items()}
    assert named == {
        "PIZZA_STATION": [("Margherita Pizza", Decimal(2))],
        "HOT_KITCHEN": [("Pasta Carbonara", Decimal(1))],
        "BAR": [("House Red Wine", Decimal(3))],
        "PASTRY": [("Tiramisu", Decimal(1))],
        "GENERAL": [("Garlic Bread", Decimal(1))],
        "FRYER": [("Pizza Fritta", Decimal(1))],
    }
    assert tickets["FRYER"][0].metadata["special_instructions"] == "no anchovies"
    assert "TAX" not in {ln.line_type for lines in tickets.values() for ln in lines}


# ------------------------------------------------------------------ what the till refuses

def test_orders_that_make_no_sense_are_refused_and_nothing_is_written(hera, s, r, db_path):
    other = hera.scope(hera.create_organization("Luigi's", currency="USD").id)
    their_pizza = other.restaurant.menu.add_item("Margherita Pizza", "11.00")
    s.universal.delete_entity(r.menu["tiramisu"].id, "Off the menu")
    before = contents(db_path)
    cases = [
        ([], hera_desktop.ValidationError),
        ([{"quantity": 1}], hera_desktop.ValidationError),
        ([{"menu_item_id": str(uuid.uuid4())}], hera_desktop.NotFoundError),
        ([{"menu_item_id": r.customer.id}], hera_desktop.ValidationError),
        ([{"menu_item_id": r.menu["pizza"].id, "quantity": 0}], hera_desktop.ValidationError),
        ([{"menu_item_id": r.menu["pizza"].id, "quantity": "two"}], hera_desktop.ValidationError),
        ([{"menu_item_id": r.menu["tiramisu"].id}], hera_desktop.ValidationError),
        ([{"menu_item_id": their_pizza.id}], hera_desktop.OrganizationMismatchError),
    ]
    for items, error in cases:
        with pytest.raises(error):
            s.restaurant.process_order(items=items)
    with pytest.raises(hera_desktop.ValidationError) as caught:
        s.restaurant.process_order(items=order_items(r, pizza=0))
    assert caught.value.field == "items.0.quantity"
    assert contents(db_path) == before
