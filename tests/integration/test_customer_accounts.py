"""Customer accounts: receiving a payment on account, and the statement of what was bought and paid."""
from __future__ import annotations

from decimal import Decimal

import pytest

import hera_desktop
from flows_factories import books_template, db_path, org  # noqa: F401  (fixtures: books copied from a template)
from flows_factories import balances, build_restaurant, contents, order_items


@pytest.fixture
def r(hera, org, s):
    return build_restaurant(hera, org, s, stock=False)


def on_account(s, r, **quantities):
    return s.restaurant.process_order(customer_id=r.customer.id, items=order_items(r, **quantities),
                                      payment_method="on_account")


# ------------------------------------------------------------------ receiving a payment

def test_a_payment_on_account_moves_the_amount_from_receivables_to_cash_or_card(s, r):
    on_account(s, r, pizza=2, pasta=1)  # 40.95
    before = balances(s)
    s.customers.settle_account(r.customer.id, "15.00", payment_method="cash", reference="Receipt 881")
    s.customers.settle_account(r.customer.id, "5.00", payment_method="card")
    after = balances(s)
    moved = {code: after.get(code, 0) - before.get(code, 0) for code in ("1100", "1000", "1050")}
    assert moved == {"1100": Decimal("-20.00"), "1000": Decimal("15.00"), "1050": Decimal("5.00")}
    assert s.customers.balance(r.customer.id) == Decimal("20.95")
    paid = [t for t in s.customers.history(r.customer.id) if t.business_context.get("account_effect") == "settle"]
    assert sorted(t.reference or "" for t in paid) == ["", "Receipt 881"]


@pytest.mark.parametrize("amount, words", [("0", "more than zero"), ("-5", "more than zero"),
                                           ("41.00", "owes 40.95 USD"), ("abc", "")])
def test_a_payment_that_is_not_more_than_zero_or_more_than_owed_is_refused_and_nothing_is_written(
        s, r, db_path, amount, words):
    on_account(s, r, pizza=2, pasta=1)
    before = contents(db_path)
    with pytest.raises(hera_desktop.ValidationError) as caught:
        s.customers.settle_account(r.customer.id, amount)
    assert caught.value.field == "amount" and words in str(caught.value)
    assert contents(db_path) == before


def test_a_customer_who_owes_nothing_cannot_pay_on_account(s, r):
    walk_in = s.customers.onboard(name="Walk In Wendy").customer
    with pytest.raises(hera_desktop.ValidationError) as caught:
        s.customers.settle_account(walk_in.id, "10.00", payment_method="card")
    assert caught.value.field == "amount" and "Walk In Wendy owes nothing on account" in str(caught.value)


def test_only_cash_or_card_settles_an_account_and_only_a_customers(s, r):
    on_account(s, r, bread=1)
    with pytest.raises(hera_desktop.ValidationError) as caught:
        s.customers.settle_account(r.customer.id, "1.00", payment_method="on_account")
    assert caught.value.field == "payment_method"
    with pytest.raises(hera_desktop.ValidationError) as caught:
        s.customers.settle_account(r.menu["pizza"].id, "1.00")
    assert caught.value.field == "customer_id"


def test_paying_off_everything_twice_with_the_same_key_records_one_payment(s, r):
    on_account(s, r, pasta=1)  # 14.70
    first = s.customers.settle_account(r.customer.id, "14.70", payment_method="card", idempotency_key="acct-1")
    again = s.customers.settle_account(r.customer.id, "14.70", payment_method="card", idempotency_key="acct-1")
    assert again.transaction_id == first.transaction_id and again.replayed
    assert s.customers.balance(r.customer.id) == 0


# ------------------------------------------------------------------ the statement

def test_the_statement_adds_up_to_the_balance_across_a_closed_day(s, r):
    customer = r.customer.id
    first_day = s.day_close.today()
    on_account(s, r, pizza=2, pasta=1)  # 40.95
    s.customers.settle_account(customer, "20.00", payment_method="cash")
    s.day_close.z_report("20.00")  # the day is closed: what follows belongs to the next business day
    next_day = s.day_close.today()
    assert next_day > first_day
    refunded = on_account(s, r, bread=2)  # 8.40
    on_account(s, r, pasta=1)  # 14.70
    s.restaurant.refund(refunded.sales_transaction.transaction_id, "Wrong table")
    s.customers.settle_account(customer, "10.00", payment_method="card", reference="Slip 42")

    whole = s.customers.statement(customer)
    assert (whole.date_from, whole.date_to, whole.opening_balance) == (None, next_day, 0)
    assert whole.closing_balance == s.customers.balance(customer) == Decimal("25.65")

    earlier = s.customers.statement(customer, first_day, first_day)
    assert (earlier.opening_balance, earlier.sales, earlier.payments, earlier.closing_balance) == (
        0, Decimal("40.95"), Decimal("20.00"), Decimal("20.95"))

    later = s.customers.statement(customer, next_day, next_day)
    assert later.opening_balance == earlier.closing_balance
    assert (later.sales, later.payments) == (Decimal("14.70"), Decimal("10.00"))  # 8.40 + 14.70 - 8.40 refunded
    assert later.opening_balance + later.sales - later.payments == later.closing_balance == whole.closing_balance
    assert [(e.kind, e.amount, e.balance) for e in later.entries] == [
        ("sale", Decimal("8.40"), Decimal("29.35")), ("sale", Decimal("14.70"), Decimal("44.05")),
        ("sale", Decimal("-8.40"), Decimal("35.65")), ("payment", Decimal("10.00"), Decimal("25.65"))]
    assert later.entries[2].description.startswith("Refund of order")
    assert later.entries[3].reference == "Slip 42" and later.entries[3].description == "Payment by card"


def test_a_statement_names_what_is_wrong_with_its_dates(s, r):
    with pytest.raises(hera_desktop.ValidationError) as caught:
        s.customers.statement(r.customer.id, "2024-03-02", "2024-03-01")
    assert caught.value.field == "date_to"
    with pytest.raises(hera_desktop.ValidationError) as caught:
        s.customers.statement(r.customer.id, "last week")
    assert caught.value.field == "date_from"
