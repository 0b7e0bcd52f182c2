"""The till never refuses a guest's money for stock, and a paid order replays as it was recorded."""
from __future__ import annotations

from decimal import Decimal

import pytest

import hera_desktop
from flows_factories import books_template, db_path, org  # noqa: F401  (fixtures: books copied from a template)
from flows_factories import build_restaurant, contents, count, location, order_items, product

ISSUE_SC = "HERA.INVENTORY.ADJUSTMENT.ISSUE.V1"


@pytest.fixture
def r(hera, org, s):
    return build_restaurant(hera, org, s)


def issue_of(s, order):
    [issue] = s.txn.query(smart_code_like=ISSUE_SC, reference=order.sales_transaction.transaction_code,
                          include_lines=True).transactions
    return issue


# ------------------------------------------------------------------ selling short

def test_an_order_short_of_an_ingredient_sells_records_the_shortfall_and_shows_negative_stock(s, r):
    wine = r.products["wine"].id  # no bottles anywhere; a glass takes 0.2 of one
    order = s.restaurant.process_order(items=order_items(r, pizza=1, wine=2), payment_method="card")

    assert order.order_summary.balance_due == 0
    assert s.restaurant.balance_due(order.sales_transaction.transaction_id) == 0
    assert s.inventory.level(wine, r.kitchen.id) == Decimal("-0.4")
    assert s.inventory.level(r.products["flour"].id, r.kitchen.id) == Decimal("9.75")
    issue = issue_of(s, order)
    assert issue.business_context["shortfalls"] == [
        {"product_id": wine, "location_id": r.kitchen.id, "on_hand": "0", "needed": "0.4"}]
    [short] = s.inventory.negative_stock()
    assert (short.product_id, short.product_name, short.location_id, short.location_name, short.quantity) == (
        wine, "Red Wine Bottle", r.kitchen.id, "Kitchen", Decimal("-0.4"))
    # Receiving bottles brings the level back up; the list empties once it is no longer below zero.
    s.inventory.adjust(product_id=wine, adjustment_type="receipt", quantity=6, unit_cost="9.00",
                       reason="Delivery", location_id=r.kitchen.id)
    assert s.inventory.level(wine, r.kitchen.id) == Decimal("5.6")
    assert s.inventory.negative_stock() == []
    # The cache agrees with the movements, negative levels included.
    before = s.inventory.level(wine, r.kitchen.id)
    s.inventory.rebuild()
    assert s.inventory.level(wine, r.kitchen.id) == before


def test_with_the_setting_on_a_short_order_is_refused_naming_the_product_and_nothing_is_written(
        hera, org, s, r, db_path):
    s.org_settings.update(refuse_sale_when_short=True)
    before = contents(db_path)
    with pytest.raises(hera_desktop.InsufficientInventoryError) as caught:
        s.restaurant.process_order(items=order_items(r, pizza=1, wine=1), payment_method="cash")
    assert "Red Wine Bottle" in str(caught.value) and "Kitchen" in str(caught.value)
    assert contents(db_path) == before
    # An order the books can cover still sells.
    s.restaurant.process_order(items=order_items(r, pizza=1), payment_method="cash")
    assert s.inventory.level(r.products["mozzarella"].id, r.kitchen.id) == Decimal("3.875")


def test_the_refuse_setting_must_be_true_or_false(s):
    with pytest.raises(hera_desktop.ValidationError) as caught:
        s.org_settings.update(refuse_sale_when_short="yes")
    assert caught.value.field == "refuse_sale_when_short"
    assert s.org_settings.update(refuse_sale_when_short=True)["refuse_sale_when_short"] is True


def test_a_managers_issue_past_zero_is_still_refused(s, r):
    with pytest.raises(hera_desktop.InsufficientInventoryError):
        s.inventory.adjust(product_id=r.products["eggs"].id, adjustment_type="issue", quantity=31,
                           reason="Breakfast", location_id=r.kitchen.id)


def test_an_item_with_a_recipe_sells_with_no_till_location_set(hera, org, s, r):
    hera.update_settings(org.id, till_location_id=None)  # the default of a new organization
    flour, eggs, wine = (r.products[k].id for k in ("flour", "eggs", "wine"))
    order = s.restaurant.process_order(items=order_items(r, pasta=1, wine=1), payment_method="cash")

    assert order.order_summary.balance_due == 0
    # Each product comes from where most of it is: flour from the warehouse (50 there, 10 in the kitchen),
    # eggs from the kitchen; the wine, stocked nowhere, from the first location by name.
    assert s.inventory.level(flour, r.warehouse.id) == Decimal("49.9")
    assert s.inventory.level(eggs, r.kitchen.id) == Decimal("28")
    assert s.inventory.level(wine, r.kitchen.id) == Decimal("-0.2")
    assert {ln.entity_id: ln.metadata["location_id"] for ln in issue_of(s, order).lines} == {
        flour: r.warehouse.id, eggs: r.kitchen.id, wine: r.kitchen.id}


def test_with_no_location_at_all_stock_is_kept_without_one(s):
    flour = product(s, "Flour 00")
    bread = s.restaurant.menu.add_item("Focaccia", "5.00", category="Bread")
    s.restaurant.menu.set_consumption(bread.id, flour.id, "0.5")
    s.inventory.adjust(product_id=flour.id, adjustment_type="receipt", quantity=1, unit_cost="2", reason="Bought")
    s.restaurant.process_order(items=[{"menu_item_id": bread.id, "quantity": 3}], payment_method="cash")
    assert s.inventory.level(flour.id) == Decimal("-0.5")
    [short] = s.inventory.negative_stock()
    assert (short.location_id, short.location_name) == ("", "(no location)")


def test_shortfalls_tell_what_an_order_would_take_past_what_the_books_have(hera, org, s, r):
    cheese = r.products["mozzarella"].id
    s.inventory.adjust(product_id=cheese, adjustment_type="issue", quantity="3.8", reason="Staff lunch",
                       location_id=r.kitchen.id)  # 0.2 left
    assert s.restaurant.shortfalls(order_items(r, pizza=1)) == []  # one pizza takes 0.125
    [short] = s.restaurant.shortfalls(order_items(r, pizza=2))
    assert short.message == "Only 0.2 of Mozzarella left at Kitchen (this order needs 0.25)"
    [wine] = s.restaurant.shortfalls(order_items(r, wine=1))
    assert wine.message == "No Red Wine Bottle left at Kitchen (this order needs 0.2)"
    cellar = location(s, "Cellar")
    there = s.restaurant.shortfalls(order_items(r, pizza=1), location_id=cellar.id)
    assert [x.message for x in there] == ["No Flour 00 left at Cellar (this order needs 0.25)",
                                          "No Mozzarella left at Cellar (this order needs 0.125)"]
    with pytest.raises(hera_desktop.ValidationError) as caught:
        s.restaurant.shortfalls([{"quantity": 1}])
    assert caught.value.field == "items.0.menu_item_id"
    with pytest.raises(hera_desktop.ValidationError) as caught:
        s.restaurant.shortfalls([{"menu_item_id": r.menu["pizza"].id, "quantity": -1}])
    assert caught.value.field == "items.0.quantity"


def test_one_issue_per_order_keeps_average_cost_and_cost_of_goods_sold(s, r):
    flour = r.products["flour"].id
    s.inventory.adjust(product_id=flour, adjustment_type="receipt", quantity=20, unit_cost="3.50",
                       reason="Delivery", location_id=r.kitchen.id)  # 60 at 2.00 and 20 at 3.50: 2.375
    order = s.restaurant.process_order(items=order_items(r, pizza=4, pasta=2), payment_method="cash")
    issue = issue_of(s, order)
    line = next(ln for ln in issue.lines if ln.entity_id == flour)
    assert (line.quantity, line.unit_price, line.line_amount) == (Decimal("-1.2"), Decimal("2.375"), Decimal("-2.85"))
    assert s.inventory.average_cost(flour) == Decimal("2.375")
    assert len(issue.lines) == 3  # flour, mozzarella, eggs
    cogs = {row.account_code: row.balance for row in s.reports.trial_balance().rows}["5000"]
    assert cogs == -issue.total_amount == Decimal("7.85")  # 2.85 + 0.5 x 8.00 + 4 x 0.25


# ------------------------------------------------------------------ a paid order replays as recorded

@pytest.mark.parametrize("change", ["price", "tax", "payment method"])
def test_a_retried_paid_order_returns_the_recorded_sale_after_a_change(hera, org, s, r, db_path, change):
    items = order_items(r, pizza=2, pasta=1)
    first = s.restaurant.process_order(items=items, payment_method="card", idempotency_key="draft-0099")
    if change == "price":
        s.universal.set_dynamic_field(r.menu["pizza"].id, "price", Decimal("13.50"),
                                      "HERA.RESTAURANT.MENU.DYN.PRICE.V1")
    elif change == "tax":
        s.org_settings.update(tax_rate="0.08")
    rows = count(db_path, "universal_transactions")
    before = contents(db_path)["universal_transactions"]

    retry = s.restaurant.process_order(items=items, idempotency_key="draft-0099",
                                       payment_method="cash" if change == "payment method" else "card")
    assert retry.replayed
    assert retry.sales_transaction.transaction_id == first.sales_transaction.transaction_id
    assert retry.order_summary == first.order_summary  # 39.00 + 1.95 tax, paid by card
    assert retry.order_summary.total_amount == Decimal("40.95")
    assert [p.transaction_id for p in retry.payment_transactions] == \
        [p.transaction_id for p in first.payment_transactions]
    assert count(db_path, "universal_transactions") == rows
    assert contents(db_path)["universal_transactions"] == before


def test_a_key_reused_for_other_items_is_still_a_conflict(s, r):
    s.restaurant.process_order(items=order_items(r, pizza=1), payment_method="card", idempotency_key="draft-7")
    with pytest.raises(hera_desktop.IdempotencyConflictError) as caught:
        s.restaurant.process_order(items=order_items(r, pizza=1, wine=1), payment_method="card",
                                   idempotency_key="draft-7")
    assert "draft-7" in str(caught.value)


# ------------------------------------------------------------------ the X and Z reports

def test_the_x_and_z_reports_list_stock_sold_below_zero(s, r):
    from hera_desktop.gui.dayclose_report import report_html

    wine = r.products["wine"].id
    order = s.restaurant.process_order(items=order_items(r, wine=3), payment_method="cash")
    [row] = s.day_close.x_report().negative_stock
    assert (row.product_name, row.location_name, row.quantity) == ("Red Wine Bottle", "Kitchen", Decimal("-0.6"))
    html = report_html("Mario's Trattoria", s.day_close.x_report(), None)
    assert "Stock below zero" in html and "Red Wine Bottle" in html and "-0.6" in html

    closed = s.day_close.z_report(order.order_summary.total_amount)
    s.inventory.adjust(product_id=wine, adjustment_type="receipt", quantity=6, unit_cost="9.00", reason="Delivery",
                       location_id=r.kitchen.id)
    # The closed day's report is what it recorded at closing, the shortfall included.
    [frozen] = s.day_close.x_report(closed.figures.day).negative_stock
    assert (frozen.product_name, frozen.quantity) == ("Red Wine Bottle", Decimal("-0.6"))
    assert s.inventory.negative_stock() == []
