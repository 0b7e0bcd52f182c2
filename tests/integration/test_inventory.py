"""Inventory: the usage guide's adjustments, per location, with stock levels derived from the movements."""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest

import hera_desktop
from flows_factories import books_template, db_path, org  # noqa: F401  (fixtures: books copied from a template)
from flows_factories import build_restaurant, connect, contents, location, numbers_in, order_items, product

CURRENT_SC = "HERA.INVENTORY.PRODUCT.DYN.CURRENT.V1"
AVGCOST_SC = "HERA.INVENTORY.PRODUCT.DYN.AVGCOST.V1"


@pytest.fixture
def site(s):
    """A product (mozzarella) and two locations, nothing on hand yet."""
    return {"cheese": product(s, "Mozzarella"), "warehouse": location(s, "Main Warehouse"),
            "kitchen": location(s, "Kitchen")}


def move(s, site, kind, quantity, at="warehouse", to=None, unit_cost=None, reason=None):
    return s.inventory.adjust(product_id=site["cheese"].id, adjustment_type=kind, quantity=quantity,
                              unit_cost=unit_cost, reason=reason or f"{kind} test", location_id=site[at].id,
                              to_location_id=site[to].id if to else None)


def stocked(s, site):
    """The guide's purchases: 100 at 25.50 and 50 at 30.00 into the warehouse."""
    move(s, site, "receipt", 100, unit_cost="25.50", reason="Purchase order PO-2025-001")
    move(s, site, "receipt", 50, unit_cost=30, reason="Purchase order PO-2025-002")


def levels(s, site):
    cheese = site["cheese"].id
    return (s.inventory.level(cheese, site["warehouse"].id), s.inventory.level(cheese, site["kitchen"].id),
            s.inventory.level(cheese))


def cached_fields(s, product_id):
    current = s.universal.get_dynamic_field(product_id, "current_inventory")
    average = s.universal.get_dynamic_field(product_id, "average_cost")
    return (current.field_value_number if current else None, average.field_value_number if average else None)


def test_a_receipt_is_recorded_as_in_the_guide(s, site):
    result = s.inventory.adjust(product_id=site["cheese"].id, adjustment_type="receipt", quantity=100,
                                unit_cost=25.50, reason="Purchase order PO-2025-001", reference="PO-2025-001",
                                location_id=site["warehouse"].id)
    movement = result.inventory_movement
    assert (movement.product, movement.adjustment_type) == ("Mozzarella", "receipt")
    assert (movement.quantity_change, movement.previous_level, movement.new_level) == (100, 0, 100)
    assert movement.unit_cost == Decimal("25.50")

    txn = s.txn.read(result.transaction.transaction_id)
    assert (txn.transaction_type, txn.smart_code) == ("inventory_adjustment", "HERA.INVENTORY.ADJUSTMENT.RECEIPT.V1")
    assert (txn.source_entity_id, txn.target_entity_id) == (site["cheese"].id, site["warehouse"].id)
    assert txn.reference == "PO-2025-001"
    assert txn.business_context["reason"] == "Purchase order PO-2025-001"
    assert txn.total_amount == Decimal("2550.00")
    [line] = txn.lines
    assert (line.line_type, line.smart_code) == ("INVENTORY", "HERA.INVENTORY.LINE.RECEIPT.V1")
    assert (line.quantity, line.unit_price, line.line_amount) == (100, Decimal("25.50"), Decimal("2550.00"))
    assert line.metadata["location_id"] == site["warehouse"].id

    current = s.universal.get_dynamic_field(site["cheese"].id, "current_inventory")
    assert (current.field_value_number, current.smart_code) == (100, CURRENT_SC)
    assert s.universal.get_dynamic_field(site["cheese"].id, "average_cost").smart_code == AVGCOST_SC


def test_weighted_average_cost_follows_the_guide(s, site):
    stocked(s, site)
    assert s.inventory.average_cost(site["cheese"].id) == Decimal("27")
    assert cached_fields(s, site["cheese"].id) == (Decimal("150"), Decimal("27"))
    # Issues take stock out at the average and leave it unchanged.
    issue = move(s, site, "issue", 10)
    assert issue.inventory_movement.unit_cost == Decimal("27")
    assert s.txn.read(issue.transaction.transaction_id).lines[0].line_amount == Decimal("-270.00")
    assert s.inventory.average_cost(site["cheese"].id) == Decimal("27")
    # 140 at 27 + 60 at 24.40 = 3780 + 1464 = 5244 over 200 = 26.22
    move(s, site, "receipt", 60, unit_cost="24.40")
    assert s.inventory.average_cost(site["cheese"].id) == Decimal("26.22")


def test_after_selling_out_a_new_receipt_sets_the_cost(s, site):
    move(s, site, "receipt", 3, unit_cost="10")
    move(s, site, "issue", 3)
    move(s, site, "receipt", 2, unit_cost="12.34")
    assert s.inventory.average_cost(site["cheese"].id) == Decimal("12.34")


def test_levels_are_kept_per_location_through_transfers_issues_and_counts(s, site):
    stocked(s, site)
    transfer = move(s, site, "transfer", 40, at="warehouse", to="kitchen", reason="Kitchen restock")
    assert levels(s, site) == (110, 40, 150)
    assert transfer.inventory_movement.new_level == 150
    out, into = s.txn.read(transfer.transaction.transaction_id).lines
    assert (out.quantity, out.metadata["location_id"]) == (-40, site["warehouse"].id)
    assert (into.quantity, into.metadata["location_id"]) == (40, site["kitchen"].id)
    assert out.smart_code == into.smart_code == "HERA.INVENTORY.LINE.TRANSFER.V1"

    move(s, site, "issue", "5", at="kitchen", reason="Sale - Order SO-2025-001")
    assert levels(s, site) == (110, 35, 145)
    count_down = move(s, site, "adjustment", "-2.5", at="kitchen", reason="Stock count: spoiled")
    assert count_down.inventory_movement.quantity_change == Decimal("-2.5")
    move(s, site, "adjustment", 1, at="warehouse", reason="Stock count: found a crate")
    assert levels(s, site) == (111, Decimal("32.5"), Decimal("143.5"))
    assert cached_fields(s, site["cheese"].id) == (Decimal("143.5"), Decimal("27"))


def test_an_issue_beyond_what_is_on_hand_is_refused_naming_available_and_requested(s, site, db_path):
    stocked(s, site)
    move(s, site, "transfer", 35, to="kitchen")
    before = contents(db_path)
    with pytest.raises(hera_desktop.InsufficientInventoryError) as caught:
        move(s, site, "issue", 36, at="kitchen")
    assert (caught.value.available, caught.value.requested) == (35, 36)
    assert {Decimal(35), Decimal(36)} <= numbers_in(str(caught.value))
    assert "Mozzarella" in str(caught.value) and "Kitchen" in str(caught.value)
    # Stock in the warehouse does not make up for an empty kitchen, and transfers are checked too.
    with pytest.raises(hera_desktop.InsufficientInventoryError):
        move(s, site, "transfer", 116, at="warehouse", to="kitchen")
    with pytest.raises(hera_desktop.InsufficientInventoryError):
        move(s, site, "adjustment", -36, at="kitchen")
    assert contents(db_path) == before
    assert levels(s, site) == (115, 35, 150)


@pytest.mark.parametrize("change, field", [
    ({"adjustment_type": "theft"}, "adjustment_type"),
    ({"quantity": 0}, "quantity"),
    ({"quantity": -3}, "quantity"),
    ({"reason": " "}, "reason"),
    ({"unit_cost": "-1"}, "unit_cost"),
    ({"adjustment_type": "transfer", "to_location_id": None}, "to_location_id"),
    ({"adjustment_type": "transfer", "to_location_id": "same"}, "to_location_id"),
    ({"location_id": "product"}, "location_id"),
    ({"product_id": "location"}, "product_id"),
])
def test_movements_that_make_no_sense_are_refused_naming_the_field(s, site, db_path, change, field):
    stocked(s, site)
    args = {"product_id": site["cheese"].id, "adjustment_type": "receipt", "quantity": 5, "unit_cost": "1",
            "reason": "test", "location_id": site["warehouse"].id, "to_location_id": None}
    args.update(change)
    substitutes = {"same": site["warehouse"].id, "product": site["cheese"].id, "location": site["kitchen"].id}
    args = {k: substitutes.get(v, v) if isinstance(v, str) else v for k, v in args.items()}
    before = contents(db_path)
    with pytest.raises(hera_desktop.ValidationError) as caught:
        s.inventory.adjust(**args)
    assert caught.value.field == field
    assert contents(db_path) == before


def test_cached_levels_and_fields_equal_what_the_movements_say_and_can_be_rebuilt(hera, org, s, db_path):
    r = build_restaurant(hera, org, s, customer=False)
    s.inventory.adjust(product_id=r.products["flour"].id, adjustment_type="transfer", quantity="7.5",
                       reason="Restock", location_id=r.warehouse.id, to_location_id=r.kitchen.id)
    s.inventory.adjust(product_id=r.products["flour"].id, adjustment_type="receipt", quantity=20, unit_cost="2.30",
                       reason="PO-7", location_id=r.warehouse.id)
    s.restaurant.process_order(items=order_items(r, pizza=3, pasta=2))
    s.inventory.adjust(product_id=r.products["eggs"].id, adjustment_type="adjustment", quantity=-1,
                       reason="Broken egg", location_id=r.kitchen.id)
    products = [p.id for p in r.products.values()]

    # What the movement lines alone say, computed here independently of the service.
    expected: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    page = s.txn.query(transaction_type="inventory_adjustment", include_lines=True, limit=1000)
    for t in page.transactions:
        for ln in t.lines:
            if ln.line_type == "INVENTORY":
                expected[ln.entity_id][ln.metadata.get("location_id") or ""] += ln.quantity
    flour = r.products["flour"].id
    assert expected[flour][r.kitchen.id] == Decimal("10") + Decimal("7.5") - Decimal("0.75") - Decimal("0.2")
    assert expected[flour][r.warehouse.id] == Decimal("62.5")

    def observed():
        out = {}
        for pid in products:
            by_location = {loc: s.inventory.level(pid, loc) for loc in (r.kitchen.id, r.warehouse.id)}
            out[pid] = (by_location, s.inventory.level(pid), *cached_fields(s, pid))
        return out

    good = observed()
    for pid in products:
        by_location, total, current, _ = good[pid]
        assert by_location == {loc: expected[pid].get(loc, Decimal(0)) for loc in by_location}
        assert total == (current or 0) == sum(expected[pid].values(), Decimal(0))
    # flour: 60 at 2.00, then 20 at 2.30 on top of 60 -> (120 + 46) / 80 = 2.075
    assert good[flour][3] == Decimal("2.075")

    # Corrupt every cache: the level table with raw SQL, the guide's dynamic fields through the API.
    conn = connect(db_path)
    conn.execute("UPDATE hera_stock_levels SET quantity = '999'")
    conn.close()
    for pid in products:
        s.universal.set_dynamic_field(pid, "current_inventory", 5, CURRENT_SC)
        s.universal.set_dynamic_field(pid, "average_cost", Decimal("0.01"), AVGCOST_SC)
    assert observed() != good

    assert s.inventory.rebuild() == len(products)
    wine = r.products["wine"].id  # never moved: its made-up cached stock goes back to nothing
    assert observed() == {**good, wine: (good[wine][0], 0, Decimal(0), Decimal(0))}


def test_selling_a_menu_item_takes_what_it_consumes_from_the_tills_location(hera, org, s, db_path):
    r = build_restaurant(hera, org, s, customer=False)
    flour, eggs, cheese = (r.products[k].id for k in ("flour", "eggs", "mozzarella"))
    order = s.restaurant.process_order(items=order_items(r, pizza=2, pasta=1))

    assert s.inventory.level(flour, r.kitchen.id) == Decimal("9.4")      # 10 - 2 x 0.25 - 0.1
    assert s.inventory.level(cheese, r.kitchen.id) == Decimal("3.75")    # 4 - 2 x 0.125
    assert s.inventory.level(eggs, r.kitchen.id) == Decimal("28")        # 30 - 2
    assert s.inventory.level(flour, r.warehouse.id) == Decimal("50")     # untouched
    sale_code = order.sales_transaction.transaction_code
    # One issue for the order, a line per product, each at the till's location and at its average cost.
    [issue] = s.txn.query(smart_code_like="HERA.INVENTORY.ADJUSTMENT.ISSUE.V1", reference=sale_code,
                          include_lines=True).transactions
    assert issue.business_context["related_sale"] == order.sales_transaction.transaction_id
    assert issue.business_context["shortfalls"] == []
    assert {ln.entity_id: ln.quantity for ln in issue.lines} == {flour: Decimal("-0.6"), cheese: Decimal("-0.25"),
                                                                 eggs: Decimal("-2")}
    assert all(ln.metadata["location_id"] == r.kitchen.id for ln in issue.lines)
    assert issue.total_amount == Decimal("-3.70")                         # 0.6 x 2 + 0.25 x 8 + 2 x 0.25
    tb = {row.account_code: row for row in s.reports.trial_balance().rows}
    assert tb["5000"].balance == Decimal("3.70")                         # cost of goods sold, one journal

    # The till now takes stock from the warehouse, where there are no eggs: the pasta still sells, and the
    # warehouse shows two eggs short until they are received or moved there.
    hera.update_settings(org.id, till_location_id=r.warehouse.id)
    s.restaurant.process_order(items=order_items(r, pasta=1))
    assert s.inventory.level(eggs, r.warehouse.id) == Decimal("-2")
    assert s.inventory.level(flour, r.warehouse.id) == Decimal("49.9")
    s.inventory.adjust(product_id=eggs, adjustment_type="transfer", quantity=6, reason="Move eggs",
                       location_id=r.kitchen.id, to_location_id=r.warehouse.id)
    assert s.inventory.level(eggs, r.warehouse.id) == Decimal("4")
