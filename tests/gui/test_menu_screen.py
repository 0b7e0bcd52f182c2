"""A manager's Menu screen: adding an item with its recipe, repricing it, selling it out for the day,
retiring it, and keeping the products recipes take from."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtGui import QColor
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from hera_desktop.gui import theme
from hera_desktop.gui.menu.screen import MenuScreen
from hera_desktop.gui.till.screen import TillScreen


def open_screen(qtbot: Any, session: Any) -> MenuScreen:
    screen = MenuScreen(session)
    qtbot.addWidget(screen)
    screen.resize(1200, 760)
    screen.show()  # showing it loads the menu
    return screen


def fill(qtbot: Any, **edits: Any) -> None:
    """Type into each field as a person does: clear it, then type."""
    for edit, text in edits.values():
        edit.clear()
        qtbot.keyClicks(edit, text)


def click(qtbot: Any, button: Any) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def listed(screen: MenuScreen) -> dict[str, tuple[str, ...]]:
    m = screen.model
    return {m.data(m.index(r, 0)): tuple(m.data(m.index(r, c)) for c in range(1, m.columnCount()))
            for r in range(m.rowCount())}


def cells(model: Any) -> list[tuple[str, ...]]:
    return [tuple(model.data(model.index(r, c)) for c in range(model.columnCount())) for r in range(model.rowCount())]


def error_text(widget: Any) -> str:
    box = widget.findChild(QMessageBox, "errorDialog")
    assert box is not None, "no error was shown"
    return str(box.text())


def add_focaccia(qtbot: Any, screen: MenuScreen) -> Any:
    editor = screen.editor
    click(qtbot, screen.new_button)
    fill(qtbot, name=(editor.name, "Focaccia"), price=(editor.price, "4.50"))
    editor.category.setEditText("Starters")
    click(qtbot, editor.save_button)
    return next(i for i in screen.menu.values() if i.entity_name == "Focaccia")


def test_a_manager_adds_an_item_with_a_recipe_reprices_it_and_the_till_sells_at_the_new_price(
        qtbot: Any, session_as: Any, books: Any) -> None:
    _, book = books
    screen = open_screen(qtbot, session_as("manager"))
    editor = screen.editor
    focaccia = add_focaccia(qtbot, screen)
    assert editor.message.text() == "Focaccia added to the menu."
    assert screen.selected_item() == focaccia.id
    assert listed(screen)["Focaccia"][1:5] == ("Starters", "4.50", focaccia.kitchen_station, "On sale")

    editor.product.setCurrentIndex(editor.product.findData(book.products["Pizza dough ball"]))
    fill(qtbot, quantity=(editor.quantity, "0.5"))
    click(qtbot, editor.set_line_button)
    assert cells(editor.recipe) == [("Pizza dough ball", "0.5", "")]

    fill(qtbot, price=(editor.price, "5.00"))
    click(qtbot, editor.save_button)
    assert editor.message.text() == "Focaccia saved."
    assert cells(editor.history)[0][1:] == ("Maria Bianchi", "4.50", "5.00")
    assert cells(editor.history)[1][1:] == ("Maria Bianchi", "", "4.50")
    assert cells(editor.recipe) == [("Pizza dough ball", "0.5", "")]  # a new price keeps the recipe

    till = TillScreen(session_as("cashier"))
    qtbot.addWidget(till)
    till.show()
    assert till.menu.items[focaccia.id].price == Decimal("5.00")
    assert "5.00" in till.menu.buttons[focaccia.id].text()


def test_an_item_sold_out_today_is_refused_at_the_till_until_it_is_back_on_sale(
        qtbot: Any, session_as: Any, books: Any) -> None:
    _, book = books
    till = TillScreen(session_as("cashier"))  # another terminal: its ticket has the tiramisu already
    qtbot.addWidget(till)
    till.show()
    till.add(till.menu.items[book.menu["Tiramisu"]])

    screen = open_screen(qtbot, session_as("manager"))
    screen.select_by_name("Tiramisu")
    click(qtbot, screen.editor.sold_out_button)
    assert screen.editor.message.text() == "Tiramisu is sold out for today."
    assert screen.editor.sold_out_button.text() == "Back on sale"
    assert listed(screen)["Tiramisu"][-1] == "Sold out today"
    row = screen.model.row_of(book.menu["Tiramisu"])
    assert screen.model.data(screen.model.index(row, 0), Qt.ItemDataRole.BackgroundRole) == QColor(theme.surface("low")[0])

    till.hold()
    assert error_text(till) == "lines.0.menu_item_id: Tiramisu is sold out today"

    click(qtbot, screen.editor.sold_out_button)
    assert listed(screen)["Tiramisu"][-1] == "On sale"


def test_retiring_an_item_asks_why_and_it_is_listed_only_with_the_retired(qtbot: Any, session_as: Any,
                                                                         books: Any) -> None:
    screen = open_screen(qtbot, session_as("manager"))
    screen.select_by_name("Bruschetta")
    dialog = screen.editor.ask_retire()
    dialog.confirm()  # no reason yet
    assert dialog.isVisible() and "Say why" in dialog.problem.text()
    fill(qtbot, reason=(dialog.reason, "Tomatoes out of season"))
    dialog.confirm()
    assert "Bruschetta" not in listed(screen)
    screen.show_retired.setChecked(True)
    assert listed(screen)["Bruschetta"][-1] == "Retired"
    screen.select_by_name("Bruschetta")
    assert not screen.editor.save_button.isEnabled() and not screen.editor.retire_button.isEnabled()


def test_a_bad_price_is_refused_in_words_and_nothing_is_saved(qtbot: Any, session_as: Any, books: Any) -> None:
    _, book = books
    screen = open_screen(qtbot, session_as("manager"))
    screen.select_by_name("Espresso")
    fill(qtbot, price=(screen.editor.price, "2.805"))
    click(qtbot, screen.editor.save_button)
    assert "price" in error_text(screen) and "decimals" in error_text(screen)
    assert screen.session.scope.restaurant.menu.items()[book.menu["Espresso"]].price == Decimal("2.80")


def test_a_recipe_line_is_changed_and_taken_out(qtbot: Any, session_as: Any, books: Any) -> None:
    _, book = books
    screen = open_screen(qtbot, session_as("manager"))
    screen.select_by_name("Margherita Pizza")
    editor = screen.editor
    assert sorted(cells(editor.recipe)) == [("Mozzarella (kg)", "0.125", ""), ("Pizza dough ball", "1", "")]
    row = next(i for i, r in enumerate(editor.recipe.rows) if r[1] == "Mozzarella (kg)")
    editor.recipe_view.selectRow(row)
    assert editor.quantity.text() == "0.125"
    fill(qtbot, quantity=(editor.quantity, "0.15"))
    click(qtbot, editor.set_line_button)
    assert ("Mozzarella (kg)", "0.15", "") in cells(editor.recipe)
    row = next(i for i, r in enumerate(editor.recipe.rows) if r[1] == "Pizza dough ball")
    editor.recipe_view.selectRow(row)
    click(qtbot, editor.remove_line_button)
    assert cells(editor.recipe) == [("Mozzarella (kg)", "0.15", "")]
    menu = screen.session.scope.restaurant.menu
    assert menu.consumption([book.menu["Margherita Pizza"]])[book.menu["Margherita Pizza"]] == [
        (book.products["Mozzarella (kg)"], Decimal("0.15"))]


def test_products_are_added_edited_and_retired_and_one_in_stock_is_refused(qtbot: Any, session_as: Any,
                                                                          books: Any) -> None:
    _, book = books
    screen = open_screen(qtbot, session_as("manager"))
    screen.tabs.setCurrentIndex(1)
    panel = screen.products_panel
    fill(qtbot, name=(panel.name, "Basil"), unit=(panel.unit, "bunch"), reorder=(panel.reorder, "3"))
    click(qtbot, panel.save_button)
    assert panel.message.text() == "Basil added."
    row = next(r for r in cells(panel.model) if r[0] == "Basil")
    assert (row[2], row[3]) == ("bunch", "3")
    assert "Basil (bunch)" in [screen.editor.product.itemText(i) for i in range(screen.editor.product.count())]

    panel.select(next(p.product_id for p in panel.model.rows if p.product_name == "Basil"))
    fill(qtbot, name=(panel.name, "Fresh basil"), reorder=(panel.reorder, "5"))
    click(qtbot, panel.save_button)
    assert panel.message.text() == "Fresh basil saved."
    assert next(r for r in cells(panel.model) if r[0] == "Fresh basil")[2:] == ("bunch", "5")

    dialog = panel.ask_retire()
    fill(qtbot, reason=(dialog.reason, "Grown on the terrace now"))
    dialog.confirm()
    assert panel.message.text() == "Fresh basil is no longer stocked."
    assert "Fresh basil" not in [r[0] for r in cells(panel.model)]

    panel.select(book.products["Mozzarella (kg)"])
    dialog = panel.ask_retire()
    fill(qtbot, reason=(dialog.reason, "Switching supplier"))
    dialog.confirm()
    assert error_text(screen) == ("product_id: Mozzarella (kg) has 65 on hand: count it to zero before "
                                  "retiring it")
    assert "Mozzarella (kg)" in [r[0] for r in cells(panel.model)]


def test_the_models_pass_the_model_tester(qtbot: Any, qtmodeltester: Any, session_as: Any, books: Any) -> None:
    screen = open_screen(qtbot, session_as("manager"))
    screen.select_by_name("Margherita Pizza")
    for model in (screen.model, screen.editor.recipe, screen.editor.history, screen.products_panel.model):
        assert model.rowCount() > 0
        qtmodeltester.check(model)
