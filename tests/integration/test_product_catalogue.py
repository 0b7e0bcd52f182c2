"""The products a restaurant stocks: added with a unit and reorder level, renamed, re-leveled, retired.

Changing a product leaves its stock and movements as they were; retiring one is refused while it is on
hand or still in the recipe of an item on the menu, and a retired product leaves the stock lists.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from flows_factories import books_template, contents, db_path, org  # noqa: F401  (fixtures)
from flows_factories import build_restaurant
from hera_desktop.domain.errors import PermissionDeniedError, ValidationError


@pytest.fixture
def r(hera, org, s):
    return build_restaurant(hera, org, s)


def test_a_product_is_added_with_its_unit_and_reorder_level_and_listed(s):
    basil = s.inventory.add_product("Basil", code="BAS-1", reorder_level="2", unit="bunch")
    [listed] = [p for p in s.inventory.products() if p.product_id == basil.id]
    assert (listed.product_name, listed.product_code, listed.unit, listed.reorder_level, listed.retired) == (
        "Basil", "BAS-1", "bunch", Decimal("2"), False)


def test_renaming_and_re_leveling_a_product_keeps_its_stock(s, r):
    flour = r.products["flour"].id
    changed = s.inventory.update_product(flour, name="Flour Tipo 00", unit="kg", reorder_level="15")
    assert (changed.product_name, changed.unit, changed.reorder_level) == ("Flour Tipo 00", "kg", Decimal("15"))
    assert s.inventory.level(flour) == Decimal("60")
    stock = {p.product_id: p for p in s.stock_history.on_hand().products}[flour]
    assert (stock.product_name, stock.reorder_level, stock.low) == ("Flour Tipo 00", Decimal("15"), False)
    assert s.inventory.update_product(flour, unit="sack").product_name == "Flour Tipo 00"


@pytest.mark.parametrize("given, field, message", [
    ({"name": " "}, "name", "needs a name"),
    ({"unit": ""}, "unit", "like kg"),
    ({"unit": "x" * 21}, "unit", "longer than 20"),
    ({"reorder_level": "-1"}, "reorder_level", "cannot be negative"),
    ({"reorder_level": "lots"}, "reorder_level", ""),
])
def test_a_bad_product_change_names_the_field_and_changes_nothing(s, r, db_path, given, field, message):
    before = contents(db_path)
    with pytest.raises(ValidationError) as err:
        s.inventory.update_product(r.products["eggs"].id, **{"name": "Duck eggs", **given})
    assert err.value.field == field and message in str(err.value)
    assert contents(db_path) == before


def test_retiring_a_product_on_hand_is_refused_saying_to_count_it_out(s, r, db_path):
    before = contents(db_path)
    with pytest.raises(ValidationError, match="Eggs has 30 on hand: count it to zero"):
        s.inventory.retire_product(r.products["eggs"].id, "Supplier stopped")
    assert contents(db_path) == before


def test_retiring_a_product_in_a_recipe_is_refused_naming_the_items(s, r):
    mozzarella = r.products["mozzarella"].id
    s.inventory.adjust(product_id=mozzarella, adjustment_type="adjustment", quantity="-4", reason="Spoiled",
                       location_id=r.kitchen.id)
    with pytest.raises(ValidationError, match="Mozzarella is in the recipe of Margherita Pizza"):
        s.inventory.retire_product(mozzarella, "Switching to burrata")


def test_a_retired_product_leaves_the_stock_lists_and_cannot_be_changed(s, r):
    wine = r.products["wine"].id  # none on hand; the house wine takes it
    s.restaurant.menu.remove_consumption(r.menu["wine"].id, wine)
    retired = s.inventory.retire_product(wine, "No longer served by the bottle")
    assert retired.retired is True
    assert wine not in {p.product_id for p in s.inventory.products()}
    assert wine not in {p.product_id for p in s.stock_history.on_hand().products}
    assert wine in {p.product_id for p in s.inventory.products(include_retired=True)}
    with pytest.raises(ValidationError, match="no longer stocked"):
        s.inventory.update_product(wine, reorder_level="1")
    with pytest.raises(ValidationError, match="reason"):
        s.inventory.retire_product(r.products["flour"].id, " ")


def test_only_those_who_adjust_stock_change_products(hera, org, s, r):
    cashier = hera.scope(org.id, s.users.create("Cai", "cashier", "5555").id)
    with pytest.raises(PermissionDeniedError):
        cashier.inventory.update_product(r.products["eggs"].id, name="Duck eggs")
    with pytest.raises(PermissionDeniedError):
        cashier.inventory.retire_product(r.products["eggs"].id, "gone")
    assert {p.product_name for p in s.inventory.products()} >= {"Eggs"}
