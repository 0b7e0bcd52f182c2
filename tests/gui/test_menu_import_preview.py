"""A manager imports the menu again with new prices: the preview says what each row changes, then it is done."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtGui import QColor
from PySide6.QtCore import Qt

from hera_desktop.gui import theme

from .test_import_files import open_dialog, statuses


def test_the_preview_shows_old_to_new_for_changed_items_and_unchanged_rows(qtbot: Any, session_as: Any,
                                                                          books: Any, tmp_path: Path) -> None:
    session = session_as("manager")
    _, book = books
    menu = session.scope.restaurant.menu.items()
    pizza, water = menu[book.menu["Margherita Pizza"]], menu[book.menu["Sparkling Water"]]
    source = tmp_path / "menu.csv"
    source.write_text("name,price,category,code\n"
                      f"Margherita,13.00,Pizza,{pizza.entity_code}\n"
                      f"Sparkling Water,3.00,Drinks,{water.entity_code}\n"
                      "Focaccia,4.50,Starters,M-FOC\n", encoding="utf-8")
    dialog = open_dialog(qtbot, session, "menu_items", source)
    assert statuses(dialog) == {"2": "will change: name Margherita Pizza → Margherita, price 12.50 → 13.00",
                                "3": "unchanged: skipped", "4": "ready"}
    m = dialog.model
    assert m.data(m.index(0, 0), Qt.ItemDataRole.BackgroundRole) == QColor(theme.surface("selected")[0])
    assert m.data(m.index(1, 0), Qt.ItemDataRole.BackgroundRole) == QColor(theme.surface("existing")[0])
    assert dialog.summary.text() == "2 rows ready (1 changing item already on the menu), 1 unchanged (skipped)"

    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    assert dialog.summary.text() == "Imported 2 rows (1 of them updating 1 item already on the menu); 1 unchanged."
    assert statuses(dialog)["2"] == "updated: name Margherita Pizza → Margherita, price 12.50 → 13.00"
    [latest, _first] = session.scope.restaurant.menu.price_history(pizza.id)
    assert (latest.previous_price, latest.price, latest.changed_by_name) == (
        Decimal("12.50"), Decimal("13.00"), "Maria Bianchi")
