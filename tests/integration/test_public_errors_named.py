"""Bad arguments the fuzz test found, each refused with a ValidationError naming the argument, writing nothing.

Each test is one reproduction from the report: what was sent, the error a caller
now gets (its class, its ``field``, a message a person can act on), and that the
books are as they were, or (for a batch) that only the bad row failed.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

import factories as f
from hera_desktop import ValidationError


def _deep(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    return value


def books(s: Any) -> tuple[int, int]:
    """(transactions, entities) as a user reading the books would count them."""
    return (len(s.txn.query(limit=1000).transactions),
            len(s.universal.query_entities(limit=1000).entities))


@pytest.fixture
def shop(s: Any) -> Any:
    """A till with one menu item and a product in stock: what the reproductions need."""
    s.pizza = s.restaurant.menu.add_item("Margherita", "12.50", category="Pizza")
    s.flour = s.inventory.add_product("Flour 00")
    s.inventory.adjust(product_id=s.flour.id, adjustment_type="receipt", quantity=10, unit_cost="2.00",
                       reason="Opening stock")
    return s


def refused(call: Any, s: Any) -> ValidationError:
    before = books(s)
    with pytest.raises(ValidationError) as caught:
        call()
    assert books(s) == before
    return caught.value


def test_an_order_dated_garbage_names_the_transaction_date(shop):
    error = refused(lambda: shop.restaurant.process_order(
        items=[{"menu_item_id": shop.pizza.id, "quantity": 1}], transaction_date="garbage"), shop)
    assert error.field == "transaction_date"
    assert "'garbage' is not a date" in error.message and "YYYY-MM-DD" in error.message


def test_a_stock_reference_of_300_characters_names_the_reference(shop):
    error = refused(lambda: shop.inventory.adjust(product_id=shop.flour.id, adjustment_type="receipt", quantity=1,
                                                  reason="Delivery", reference="x" * 300), shop)
    assert error.field == "reference"
    assert "too long (at most 200 characters)" in error.message


def test_a_payment_key_of_250_characters_names_the_key(shop):
    order = shop.restaurant.process_order(items=[{"menu_item_id": shop.pizza.id, "quantity": 1}],
                                          payment_method=None)
    sale_id = order.sales_transaction.transaction_id
    error = refused(lambda: shop.restaurant.pay(sale_id, [{"method": "card"}], "k" * 250), shop)
    assert error.field == "idempotency_key"
    assert "too long (at most 180 characters)" in error.message
    assert shop.restaurant.balance_due(sale_id) == order.order_summary.total_amount


def test_an_order_key_too_long_for_its_payments_is_refused_before_anything_is_recorded(shop):
    error = refused(lambda: shop.restaurant.process_order(items=[{"menu_item_id": shop.pizza.id, "quantity": 1}],
                                                          idempotency_key="k" * 195), shop)
    assert error.field == "idempotency_key"
    assert "too long (at most 180 characters)" in error.message  # the key the caller gave, not a payment's


def test_an_adjustment_without_a_product_names_the_product(shop):
    error = refused(lambda: shop.inventory.adjust(product_id=None, adjustment_type="receipt", quantity=1,
                                                  reason="Delivery"), shop)
    assert error.field == "product_id"
    assert "None is not a valid id" in error.message


@pytest.mark.parametrize("bad", [[1], {"a": 1}, Decimal("sNaN"), _deep(2000)],
                         ids=["list", "dict", "signalling NaN", "2000 deep"])
@pytest.mark.parametrize("where", ["product_id", "customer_id", "entity_id", "location_id"])
def test_an_id_that_is_not_text_names_the_id_field(shop, bad, where):
    calls = {
        "product_id": lambda: shop.inventory.adjust(product_id=bad, adjustment_type="receipt", quantity=1,
                                                    reason="Delivery"),
        "customer_id": lambda: shop.restaurant.process_order(
            items=[{"menu_item_id": shop.pizza.id, "quantity": 1}], customer_id=bad),
        "entity_id": lambda: shop.universal.get_entity(bad),
        "location_id": lambda: shop.inventory.level(shop.flour.id, location_id=bad),
    }
    error = refused(calls[where], shop)
    assert error.field == where
    assert error.message == f"{where}: a {type(bad).__name__} is not a valid id"


def test_a_batch_row_whose_type_is_a_list_fails_alone(s):
    result = s.batch.process([
        {"type": "entity", "operation": "create",
         "data": {"entity_type": "customer", "entity_name": "Anna", "smart_code": f.CUSTOMER}},
        {"type": [1], "operation": "create", "data": {"entity_name": "Bad"}},
        {"type": "entity", "operation": "create",
         "data": {"entity_type": "customer", "entity_name": "Bruno", "smart_code": f.CUSTOMER}},
    ])
    assert (result.successful, result.failed) == (2, 1)
    assert result.errors[1].field == "type" and "must be text naming the operation" in result.errors[1].message
    names = {e.entity_name for e in s.universal.query_entities(entity_type="customer").entities}
    assert {"Anna", "Bruno"} <= names and "Bad" not in names


def test_a_camel_case_keyword_is_named_with_the_spelling_meant(shop):
    error = refused(lambda: shop.inventory.adjust(productId=shop.flour.id, adjustment_type="receipt", quantity=1,
                                                  reason="Delivery"), shop)
    assert error.field == "productId"
    assert error.message == "productId: is not an argument of this call; did you mean product_id?"


def test_an_unknown_keyword_is_named(shop):
    error = refused(lambda: shop.restaurant.process_order(items=[{"menu_item_id": shop.pizza.id, "quantity": 1}],
                                                          colour="red"), shop)
    assert error.field == "colour" and "is not an argument of this call" in error.message


def test_a_boolean_tax_rate_is_refused_and_later_orders_still_work(hera, org, shop):
    with pytest.raises(ValidationError) as caught:
        hera.update_settings(org.id, tax_rate=True)
    assert caught.value.field == "tax_rate"
    assert hera.organization(org.id).settings["tax_rate"] == "0.05"
    order = hera.scope(org.id).restaurant.process_order(items=[{"menu_item_id": shop.pizza.id, "quantity": 1}])
    assert order.order_summary.total_amount == Decimal("13.13")


# ------------------------------------------------------------------ found by the fuzz test beyond the report

LAST_MOMENT = datetime.max.replace(tzinfo=timezone(timedelta(hours=-12)))


def test_a_report_up_to_the_last_day_the_books_hold_includes_every_sale(shop):
    shop.restaurant.process_order(items=[{"menu_item_id": shop.pizza.id, "quantity": 2}])
    [day] = shop.reports.sales_by_day(date_from="2000-01-01", date_to=date.max)
    assert day.total == Decimal("26.25")
    assert shop.reports.sales_by_day(date_from=LAST_MOMENT, date_to=LAST_MOMENT) == []
    assert [i.quantity for i in shop.sales_analysis.sales_by_item(date_to=date.max)] == [2]


@pytest.mark.parametrize("call", [
    lambda s: s.reports.sales_by_day(date_from="0001-01-01"),
    lambda s: s.day_close.closing_of(day=LAST_MOMENT),
    lambda s: s.reports.trial_balance(as_of="0999-12-31"),
], ids=["sales by day", "closing of", "trial balance"])
def test_a_day_beyond_the_years_the_books_hold_is_named(s, call):
    error = refused(lambda: call(s), s)
    assert error.field in ("date_from", "day", "as_of")
    assert "outside the years the books hold (1000 to 9999)" in error.message


def test_a_day_given_as_a_deep_list_is_named_not_printed(s):
    error = refused(lambda: s.reports.trial_balance(as_of=_deep(2000)), s)
    assert error.message == "as_of: a list is not a date (YYYY-MM-DD)"


@pytest.mark.parametrize("checkpoint", ["not a function", datetime(2024, 3, 1)])
def test_a_report_checkpoint_that_is_not_a_function_is_named(s, checkpoint):
    error = refused(lambda: s.statements.balance_sheet(checkpoint=checkpoint), s)
    assert error.field == "checkpoint" and "must be a function" in error.message


def test_a_checkpoint_that_raises_stops_the_report_with_the_reason(s):
    def broken() -> None:
        raise RuntimeError("screen went away")

    error = refused(lambda: s.sales_analysis.sales_by_hour(checkpoint=broken), s)
    assert error.field == "checkpoint"
    assert error.message == "checkpoint: raised RuntimeError: screen went away; the report stopped"


@pytest.mark.parametrize("call, field", [
    (lambda s: s.txn.emit_many(5), "payloads"),
    (lambda s: s.org_settings.check("tax_rate=0.07"), "changes"),
    (lambda s: s.universal.set_dynamic_fields(f.customer(s).id, None), "fields"),
    (lambda s: s.universal.field_values("x" * 1000, ("email",)), "entity_ids"),
    (lambda s: s.customers.views(2**63), "customer_ids"),
    (lambda s: s.restaurant.menu.consumption(-5), "menu_item_ids"),
], ids=["emit_many", "settings check", "set_dynamic_fields", "field_values", "views", "consumption"])
def test_a_list_or_mapping_argument_given_something_else_is_named(s, call, field):
    with pytest.raises(ValidationError) as caught:
        call(s)
    assert caught.value.field == field and "must be a " in caught.value.message


def test_a_huge_number_as_an_id_is_named(s):
    for call, field in [(lambda: s.users.role_of(2**63), "user_id"),
                        (lambda: s.inventory.rebuild(2**63), "product_id")]:
        error = refused(call, s)
        assert error.field == field and "is not a valid id" in error.message


def test_a_report_in_a_currency_that_is_not_a_code_is_named(s):
    error = refused(lambda: s.statements.balance_sheet(currency=Decimal("sNaN")), s)
    assert error.field == "currency" and "three-letter currency code" in error.message


def test_code_numbers_of_a_width_that_is_not_a_number_are_named(s):
    error = refused(lambda: s.universal.next_number("customer", "CUST-", width="six"), s)
    assert error.field == "width" and "whole number from 1 to 18" in error.message


def test_helpers_no_caller_should_call_are_not_offered(s):
    assert not hasattr(s.customers, "add_to_balance")
    assert not hasattr(s.posting, "account_id")
    assert not hasattr(s.restaurant, "stock")


def test_a_sub_service_checks_its_arguments_too(s):
    with pytest.raises(ValidationError) as caught:
        s.restaurant.menu.add_item(Name="Margherita", price="12.50", category="Pizza")
    assert caught.value.message == "Name: is not an argument of this call; did you mean name?"
    with pytest.raises(ValidationError) as caught:
        s.inventory.ledger.level(productId=f.product(s).id)
    assert caught.value.field == "productId" and "did you mean product_id?" in caught.value.message
