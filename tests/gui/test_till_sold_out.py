"""An item sold out today ("86") at the till: its button says so, pressing it adds nothing, and it is back on
sale at the till as soon as the manager says so, without reopening the till."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from hera_desktop.gui import theme
from hera_desktop.gui.till.screen import TillScreen

from .test_menu_screen import click, open_screen


def test_a_sold_out_button_looks_sold_out_refuses_in_words_and_comes_back_when_back_on_sale(
        qtbot: Any, session_as: Any, books: Any) -> None:
    _, book = books
    session = session_as("manager")  # one session: the till hears the Menu screen's changes
    till = TillScreen(session)
    qtbot.addWidget(till)
    till.show()
    menu = open_screen(qtbot, session)
    tiramisu = book.menu["Tiramisu"]
    on_sale_sheet = till.menu.buttons[tiramisu].styleSheet()

    menu.select_by_name("Tiramisu")
    click(qtbot, menu.editor.sold_out_button)

    button = till.menu.buttons[tiramisu]
    assert button.text().splitlines()[-1] == "Sold out"
    assert button.accessibleName() == "Tiramisu, sold out today"
    assert f"background: {theme.surface('panel')[0]}; color: {theme.tone('muted')}" in button.styleSheet()
    assert button.styleSheet() != on_sale_sheet
    click(qtbot, button)
    assert till.message.text() == "Tiramisu is sold out today"
    assert till.model.rowCount() == 0
    till.menu.search.setFocus()
    qtbot.keyClicks(till.menu.search, "tiramisu")
    qtbot.keyClick(till.menu.search, Qt.Key.Key_Return)  # the best match is sold out: nothing is added either
    assert till.model.rowCount() == 0 and till.message.text() == "Tiramisu is sold out today"

    click(qtbot, menu.editor.sold_out_button)  # back on sale

    button = till.menu.buttons[tiramisu]
    assert "Sold out" not in button.text() and button.accessibleName().startswith("Tiramisu, ")
    click(qtbot, button)
    assert till.model.rowCount() == 1 and till.message.text() == "Added Tiramisu"


def test_search_offers_what_can_be_sold_before_what_is_sold_out(qtbot: Any, session_as: Any, books: Any) -> None:
    _, book = books
    session = session_as("manager")
    session.scope.restaurant.menu.update_item(book.menu["Margherita Pizza"], available=False)
    till = TillScreen(session)
    qtbot.addWidget(till)
    till.show()
    till.menu.search.setFocus()
    qtbot.keyClicks(till.menu.search, "pizza")  # Margherita would come first by name

    assert [i.entity_name for i in till.menu.visible] == ["Quattro Formaggi Pizza", "Margherita Pizza"]
    qtbot.keyClick(till.menu.search, Qt.Key.Key_Return)
    assert [ln.name for ln in till.model.lines] == ["Quattro Formaggi Pizza"]
