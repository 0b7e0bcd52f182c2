"""A menu item's recipe: the products one sold takes from stock, a line added, changed or taken out."""
from __future__ import annotations

from decimal import Decimal

import pytest

from flows_factories import books_template, contents, db_path, org  # noqa: F401  (fixtures)
from flows_factories import build_restaurant, order_items
from hera_desktop.domain.errors import PermissionDeniedError, ValidationError


@pytest.fixture
def r(hera, org, s):
    return build_restaurant(hera, org, s)


def test_a_line_taken_out_of_a_recipe_is_no_longer_issued_when_the_item_sells(s, r):
    menu, flour, eggs = s.restaurant.menu, r.products["flour"].id, r.products["eggs"].id
    menu.remove_consumption(r.menu["pasta"].id, flour)
    assert menu.consumption([r.menu["pasta"].id]) == {r.menu["pasta"].id: [(eggs, Decimal("2"))]}
    s.restaurant.process_order(items=order_items(r, pasta=1), payment_method="card")
    assert s.inventory.level(flour, r.kitchen.id) == Decimal("10")
    assert s.inventory.level(eggs, r.kitchen.id) == Decimal("28")


def test_changing_a_line_keeps_one_line_with_the_new_quantity(s, r):
    menu, flour = s.restaurant.menu, r.products["flour"].id
    menu.set_consumption(r.menu["pizza"].id, flour, "0.3")
    lines = dict(menu.consumption([r.menu["pizza"].id])[r.menu["pizza"].id])
    assert lines[flour] == Decimal("0.3") and len(lines) == 2


def test_taking_out_a_product_not_in_the_recipe_is_refused_and_nothing_changes(s, r, db_path):
    before = contents(db_path)
    with pytest.raises(ValidationError) as err:
        s.restaurant.menu.remove_consumption(r.menu["wine"].id, r.products["eggs"].id)
    assert err.value.field == "product_id" and "not in this item's recipe" in str(err.value)
    with pytest.raises(ValidationError) as err:
        s.restaurant.menu.remove_consumption(r.products["eggs"].id, r.products["flour"].id)
    assert err.value.field == "menu_item_id"
    assert contents(db_path) == before


def test_a_cashier_may_not_change_a_recipe(hera, org, s, r):
    cashier = hera.scope(org.id, s.users.create("Cai", "cashier", "5555").id)
    with pytest.raises(PermissionDeniedError):
        cashier.restaurant.menu.remove_consumption(r.menu["pasta"].id, r.products["flour"].id)
    assert len(s.restaurant.menu.consumption([r.menu["pasta"].id])[r.menu["pasta"].id]) == 2
