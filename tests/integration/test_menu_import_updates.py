"""A menu file imported again with new prices updates the items with those codes, as repricing them does.

The preview shows what each row changes of its item (old -> new) and the rows that change nothing as
unchanged; importing it records the new prices in each item's price history, by whoever imported it.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from flows_factories import contents

FIRST = "name,price,category,code\nMargherita,12.50,Pizza,M-MAR\nLemonade,3.20,Drinks,M-LEM\nTiramisu,6,Desserts,M-TIR\n"
SECOND = ("name,price,category,code\nMargherita DOP,13.00,Pizza,m-mar\nLemonade,3.20,Drinks,M-LEM\n"
          "Tiramisu,6.00,Dolci,M-TIR\nAffogato,5.50,Dolci,M-AFF\n")


@pytest.fixture
def menu(s: Any) -> dict[str, Any]:
    s.imports.run(s.imports.preview("menu_items", FIRST))
    return {i.entity_code: i for i in s.restaurant.menu.items().values()}


def test_the_preview_shows_each_change_old_to_new_and_the_unchanged_rows(s: Any, menu: Any, db_path: Any) -> None:
    before = contents(db_path)
    preview = s.imports.preview("menu_items", SECOND)
    rows = {r.line: r for r in preview.rows}
    assert rows[2].update_of == menu["M-MAR"].id
    assert rows[2].changes == {"name": ("Margherita", "Margherita DOP"), "price": ("12.50", "13.00")}
    assert rows[3].unchanged and rows[3].existing == "code M-LEM is Lemonade, unchanged" and not rows[3].ok
    assert rows[4].changes == {"category": ("Desserts", "Dolci")}  # 6 and 6.00 are one price
    assert rows[5].update_of is None and rows[5].ok
    assert [r.line for r in preview.updates] == [2, 4] and [r.line for r in preview.unchanged] == [3]
    assert contents(db_path) == before


def test_importing_updates_the_items_and_keeps_the_new_price_in_their_history(hera: Any, org: Any, s: Any,
                                                                              menu: Any) -> None:
    manager = hera.scope(org.id, s.users.create("Marta", "manager", "444444").id)
    result = manager.imports.run(manager.imports.preview("menu_items", SECOND))
    assert (result.imported, result.updated, result.rejected) == (3, 2, [])
    assert result.message == ("Imported 3 rows (2 of them updating 2 items already on the menu); 1 unchanged.")
    items = {i.entity_code: i for i in s.restaurant.menu.items().values()}
    assert (items["M-MAR"].entity_name, items["M-MAR"].price) == ("Margherita DOP", Decimal("13.00"))
    assert items["M-TIR"].category == "Dolci" and items["M-AFF"].price == Decimal("5.50")
    assert len(items) == 4
    [latest, first] = s.restaurant.menu.price_history(menu["M-MAR"].id)
    assert (latest.previous_price, latest.price, latest.changed_by_name) == (Decimal("12.50"), Decimal("13.00"),
                                                                           "Marta")
    assert len(s.restaurant.menu.price_history(menu["M-TIR"].id)) == 1  # only its category changed
    sale = s.restaurant.process_order(items=[{"menu_item_id": menu["M-MAR"].id, "quantity": 1}])
    assert sale.order_summary.subtotal == Decimal("13.00")


def test_a_row_for_a_retired_item_is_skipped_as_already_in_the_books(s: Any, menu: Any) -> None:
    s.restaurant.menu.retire_item(menu["M-LEM"].id, "Out of season")
    row = s.imports.preview("menu_items", "name,price,category,code\nLemonade,3.50,Drinks,M-LEM\n").rows[0]
    assert row.update_of is None and row.existing == "code M-LEM is Lemonade (M-LEM, deleted)"


def test_an_all_or_nothing_import_whose_update_fails_changes_nothing(s: Any, menu: Any, db_path: Any) -> None:
    preview = s.imports.preview("menu_items", "name,price,category,code\nMargherita,12.5055,Pizza,M-MAR\n"
                                              "Gelato,4,Dolci,M-GEL\n")
    before = contents(db_path)
    result = s.imports.run(preview)
    assert result.rolled_back and result.updated == 0
    assert "more decimals" in result.rejected[0].errors[-1]
    assert contents(db_path) == before
