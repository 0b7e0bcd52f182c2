"""Stock on hand per product and location, the stock card of a product, and stock counts."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from hera_desktop.domain.errors import PermissionDeniedError, ValidationError
from hera_desktop.services.stock_history import NO_LOCATION


@pytest.fixture
def store(s: Any) -> tuple[Any, str, str, str]:
    uni = s.universal
    warehouse = uni.create_entity(entity_type="location", entity_name="Warehouse",
                                  smart_code="HERA.INVENTORY.LOCATION.ENT.V1").id
    shop = uni.create_entity(entity_type="location", entity_name="Shop", smart_code="HERA.INVENTORY.LOCATION.ENT.V1").id
    flour = s.inventory.add_product("Flour 00 (kg)", reorder_level="20").id
    s.inventory.adjust(product_id=flour, adjustment_type="receipt", quantity=50, unit_cost="1.00", reason="Delivery",
                       reference="PO-1", location_id=warehouse)
    s.inventory.adjust(product_id=flour, adjustment_type="receipt", quantity=50, unit_cost="1.40", reason="Delivery",
                       reference="PO-2", location_id=warehouse)
    s.inventory.adjust(product_id=flour, adjustment_type="transfer", quantity=30, reason="Restock",
                       location_id=warehouse, to_location_id=shop)
    s.inventory.adjust(product_id=flour, adjustment_type="issue", quantity=5, reason="Spilled", location_id=shop)
    return s, flour, warehouse, shop


def test_on_hand_per_location_with_average_cost_and_value(store: Any) -> None:
    s, flour, warehouse, shop = store
    s.inventory.add_product("Salt (kg)")  # no stock yet: listed all the same
    overview = s.stock_history.on_hand()
    assert [loc.name for loc in overview.locations] == ["Shop", "Warehouse"]
    row = {p.product_name: p for p in overview.products}["Flour 00 (kg)"]
    assert row.by_location == {warehouse: Decimal("70"), shop: Decimal("25")}
    assert (row.on_hand, row.average_cost, row.value) == (Decimal("95"), Decimal("1.2"), Decimal("114.00"))
    assert not row.low
    salt = {p.product_name: p for p in overview.products}["Salt (kg)"]
    assert (salt.on_hand, salt.by_location, salt.low) == (0, {}, False)
    assert overview.total_value == Decimal("114.00")


def test_low_stock_is_at_or_below_the_reorder_level(store: Any) -> None:
    s, flour, warehouse, shop = store
    s.inventory.adjust(product_id=flour, adjustment_type="issue", quantity=70, reason="Big order",
                       location_id=warehouse)
    row = s.stock_history.on_hand().products[0]
    assert row.on_hand == Decimal("25") and not row.low
    s.inventory.adjust(product_id=flour, adjustment_type="issue", quantity=5, reason="Used", location_id=shop)
    assert s.stock_history.on_hand().products[0].low  # 20 left, reorder level 20


def test_the_stock_card_of_one_location_runs_its_balance(store: Any) -> None:
    s, flour, warehouse, shop = store
    moves = s.stock_history.movements(flour, shop)
    assert [(m.kind, m.quantity, m.balance, m.reason) for m in moves] == [
        ("transfer", Decimal("30"), Decimal("30"), "Restock"), ("issue", Decimal("-5"), Decimal("25"), "Spilled")]
    card = s.stock_history.movements(flour, warehouse)
    assert [(m.kind, m.quantity, m.unit_cost, m.balance, m.reference) for m in card] == [
        ("receipt", Decimal("50"), Decimal("1.00"), Decimal("50"), "PO-1"),
        ("receipt", Decimal("50"), Decimal("1.40"), Decimal("100"), "PO-2"),
        ("transfer", Decimal("-30"), Decimal("1.2"), Decimal("70"), None)]


def test_the_stock_card_of_all_locations_runs_the_total(store: Any) -> None:
    s, flour, *_ = store
    moves = s.stock_history.movements(flour)
    assert [m.balance for m in moves] == [Decimal(x) for x in ("50", "100", "70", "100", "95")]
    assert [m.location_name for m in moves] == ["Warehouse", "Warehouse", "Warehouse", "Shop", "Shop"]
    assert s.stock_history.movements(flour, limit=2) == moves[-2:]


def test_stock_without_a_location_is_listed_as_such(s: Any) -> None:
    salt = s.inventory.add_product("Salt (kg)").id
    s.inventory.adjust(product_id=salt, adjustment_type="receipt", quantity=3, unit_cost="0.5", reason="Delivery")
    overview = s.stock_history.on_hand()
    assert overview.locations[-1].location_id == NO_LOCATION
    assert overview.products[0].by_location == {NO_LOCATION: Decimal("3")}
    assert s.stock_history.movements(salt, NO_LOCATION)[0].location_name == "(no location)"


def test_a_count_sets_the_stock_to_what_was_counted(store: Any) -> None:
    s, flour, warehouse, shop = store
    result = s.stock_count.record(flour, shop, "22", "Monthly count", "COUNT-03")
    assert result.inventory_movement.quantity_change == Decimal("-3")
    assert s.inventory.level(flour, shop) == Decimal("22")
    assert s.stock_history.movements(flour, shop)[-1].kind == "adjustment"
    with pytest.raises(ValidationError, match="nothing to adjust"):
        s.stock_count.record(flour, shop, "22", "Counted again")
    with pytest.raises(ValidationError, match="counted"):
        s.stock_count.record(flour, shop, "-1", "Typo")


def test_a_cashier_sees_no_stock(hera: Any, org: Any, store: Any) -> None:
    s, flour, *_ = store
    luca = s.users.create("Luca", "cashier", "2222")
    cashier = hera.scope(org.id, luca.id)
    with pytest.raises(PermissionDeniedError):
        cashier.stock_history.on_hand()
    with pytest.raises(PermissionDeniedError):
        cashier.stock_history.movements(flour)
