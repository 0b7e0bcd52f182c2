"""A manager's Inventory screen: stock per location, average cost, low stock, and recording movements."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QDialogButtonBox

from hera_desktop.gui import theme
from hera_desktop.gui.inventory.adjust import AdjustmentDialog
from hera_desktop.gui.inventory.models import (MovementModel,
                                              StockModel)
from hera_desktop.gui.inventory.screen import InventoryScreen


def open_screen(qtbot: Any, session: Any) -> InventoryScreen:
    screen = InventoryScreen(session)
    qtbot.addWidget(screen)
    screen.resize(1100, 700)
    screen.show()  # showing it loads the stock
    return screen


def cell(screen: InventoryScreen, product: str, column: str, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
    model = screen.model
    row = next(i for i, r in enumerate(model.rows) if r.product_name == product)
    col = next(c for c, (title, _) in enumerate(model.columns) if title == column)
    return model.data(model.index(row, col), role)


def record(qtbot: Any, dialog: AdjustmentDialog, **fields: str) -> None:
    """Fill the dialog's fields as a person types them, then press Record."""
    for name, text in fields.items():
        edit = getattr(dialog, name)
        edit.clear()
        qtbot.keyClicks(edit, text)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)


def test_stock_per_location_with_average_cost_and_value(qtbot: Any, session_as: Any) -> None:
    screen = open_screen(qtbot, session_as("manager"))
    assert [title for title, _ in screen.model.columns] == [
        "Product", "Main warehouse", "Store front", "On hand", "Reorder level", "Average cost", "Value"]
    # Demo: 200 dough balls at 0.45 in the warehouse, 60 at 0.50 in the store front.
    assert (cell(screen, "Pizza dough ball", "Main warehouse"), cell(screen, "Pizza dough ball", "Store front"),
            cell(screen, "Pizza dough ball", "On hand")) == ("200", "60", "260")
    assert cell(screen, "Pizza dough ball", "Average cost") == "0.4615"
    assert cell(screen, "Pizza dough ball", "Value") == "120.00"
    assert "4 products" in screen.summary.text()


def test_a_manager_receives_stock_at_two_costs_and_sees_the_weighted_average(qtbot: Any, session_as: Any,
                                                                              books: Any) -> None:
    session = session_as("manager")
    _, book = books
    oil = session.scope.inventory.add_product("Olive oil (l)", reorder_level="5").id
    screen = open_screen(qtbot, session)
    screen.select_product(oil)
    dialog = screen.open_adjustment("receipt")
    assert dialog.product.currentText() == "Olive oil (l)"
    record(qtbot, dialog, quantity="10", unit_cost="4.00", reason="Delivery", reference="PO-77")
    assert not dialog.isVisible()
    dialog = screen.open_adjustment("receipt")
    record(qtbot, dialog, quantity="30", unit_cost="6.00", reason="Delivery", reference="PO-78")
    # (10 × 4.00 + 30 × 6.00) / 40 = 5.50
    assert cell(screen, "Olive oil (l)", "On hand") == "40"
    assert cell(screen, "Olive oil (l)", "Average cost") == "5.50"
    assert cell(screen, "Olive oil (l)", "Value") == "220.00"
    assert session.scope.inventory.average_cost(oil) == Decimal("5.5")
    history = screen.history.model
    assert [history.data(history.index(r, 6)) for r in range(history.rowCount())] == ["PO-78", "PO-77"]


def test_issuing_more_than_is_on_hand_is_refused_with_the_figures(qtbot: Any, session_as: Any, books: Any) -> None:
    session = session_as("manager")
    _, book = books
    screen = open_screen(qtbot, session)
    dough, store = book.products["Pizza dough ball"], book.locations["Store front"]
    dialog = screen.open_adjustment("issue", dough)
    dialog.location.setCurrentIndex(dialog.location.findData(store))
    record(qtbot, dialog, quantity="100", reason="Party order")
    assert dialog.isVisible()  # stays open so the manager can correct it
    assert dialog.message.text() == ("Not enough Pizza dough ball at Store front: 60 on hand, 100 requested. "
                                     "Nothing was recorded.")
    assert session.scope.inventory.level(dough, store) == Decimal("60")
    record(qtbot, dialog, quantity="60", reason="Party order")
    assert not dialog.isVisible()
    assert cell(screen, "Pizza dough ball", "Store front") == "0"


def test_a_transfer_moves_stock_between_locations(qtbot: Any, session_as: Any, books: Any) -> None:
    session = session_as("manager")
    _, book = books
    screen = open_screen(qtbot, session)
    dialog = screen.open_adjustment("transfer", book.products["Pizza dough ball"])
    dialog.location.setCurrentIndex(dialog.location.findData(book.locations["Main warehouse"]))
    dialog.to_location.setCurrentIndex(dialog.to_location.findData(book.locations["Store front"]))
    record(qtbot, dialog, quantity="40", reason="Restock the store front")
    assert (cell(screen, "Pizza dough ball", "Main warehouse"), cell(screen, "Pizza dough ball", "Store front"),
            cell(screen, "Pizza dough ball", "On hand")) == ("160", "100", "260")
    history = screen.history.model  # newest first: both halves of the transfer
    assert [history.data(history.index(r, 1)) for r in range(2)] == ["Transfer in", "Transfer out"]
    screen.history.choose_location(book.locations["Store front"])
    assert [history.data(history.index(r, 5)) for r in range(history.rowCount())] == ["100", "60"]


def test_a_count_sets_stock_to_what_was_counted(qtbot: Any, session_as: Any, books: Any) -> None:
    session = session_as("manager")
    _, book = books
    screen = open_screen(qtbot, session)
    mozzarella, store = book.products["Mozzarella (kg)"], book.locations["Store front"]
    dialog = screen.open_adjustment("adjustment", mozzarella)
    dialog.location.setCurrentIndex(dialog.location.findData(store))
    assert dialog.form.labelForField(dialog.quantity).text() == "Counted quantity"
    record(qtbot, dialog, quantity="12.5", reason="Monthly count", reference="COUNT-11")
    assert session.scope.inventory.level(mozzarella, store) == Decimal("12.5")
    assert cell(screen, "Mozzarella (kg)", "Store front") == "12.5"


def test_the_dialog_shows_only_the_fields_a_movement_needs(qtbot: Any, session_as: Any) -> None:
    screen = open_screen(qtbot, session_as("manager"))
    dialog = screen.open_adjustment("receipt")
    shown = {}
    for kind in ("receipt", "issue", "transfer", "adjustment"):
        dialog.kind.setCurrentIndex(dialog.kind.findData(kind))
        shown[kind] = (dialog.form.isRowVisible(dialog.unit_cost), dialog.form.isRowVisible(dialog.to_location))
    assert shown == {"receipt": (True, False), "issue": (False, False), "transfer": (False, True),
                     "adjustment": (False, False)}
    record(qtbot, dialog, quantity="", reason="")
    assert "please enter a number" in dialog.message.text()


def test_low_stock_is_highlighted(qtbot: Any, session_as: Any, books: Any) -> None:
    session = session_as("manager")
    _, book = books
    spaghetti = book.products["Spaghetti (kg)"]  # 50 kg on hand, reorder level 10
    session.scope.inventory.adjust(product_id=spaghetti, adjustment_type="issue", quantity=40, reason="Catering",
                                   location_id=book.locations["Main warehouse"])
    screen = open_screen(qtbot, session)
    assert cell(screen, "Spaghetti (kg)", "On hand") == "10"
    assert cell(screen, "Spaghetti (kg)", "Product", Qt.ItemDataRole.BackgroundRole) == QColor(theme.surface("low")[0])
    assert cell(screen, "Spaghetti (kg)", "On hand", Qt.ItemDataRole.ForegroundRole) == QColor(theme.surface("low")[1])
    assert "reorder level 10" in cell(screen, "Spaghetti (kg)", "Product", Qt.ItemDataRole.ToolTipRole)
    assert cell(screen, "Pizza dough ball", "Product", Qt.ItemDataRole.BackgroundRole) is None
    assert "1 at or below their reorder level" in screen.summary.text()


def test_finding_a_product_filters_the_table(qtbot: Any, session_as: Any) -> None:
    screen = open_screen(qtbot, session_as("manager"))
    qtbot.keyClicks(screen.filter, "mozz")
    assert screen.proxy.rowCount() == 1
    assert screen.proxy.data(screen.proxy.index(0, 0)) == "Mozzarella (kg)"


def test_models_pass_the_model_tester(qtbot: Any, qtmodeltester: Any, session_as: Any, books: Any) -> None:
    session = session_as("manager")
    _, book = books
    stock = StockModel()
    stock.set_overview(session.scope.stock_history.on_hand(), "USD")
    qtmodeltester.check(stock)
    moves = MovementModel()
    moves.set_movements(session.scope.stock_history.movements(book.products["Pizza dough ball"]), "USD")
    qtmodeltester.check(moves)
    assert moves.rowCount() == 2


def test_stock_sold_below_zero_is_flagged_and_can_be_listed_alone(qtbot: Any, qtmodeltester: Any, session_as: Any,
                                                                   books: Any) -> None:
    session = session_as("manager")
    _, book = books
    scope, store = session.scope, book.locations["Store front"]
    # The store front has 24 bottles; a party of 30 glasses at 0.2 each and 100 at the bar take 26.
    wine = scope.restaurant.menu.items()[book.menu["House Red Wine"]]
    scope.restaurant.process_order(items=[{"menu_item_id": wine.id, "quantity": 130}], payment_method="card")
    [short] = scope.inventory.negative_stock()
    assert (short.product_name, short.location_name, short.quantity) == (
        "House red wine (bottle)", "Store front", Decimal("-2"))

    screen = open_screen(qtbot, session)
    name = "House red wine (bottle)"
    assert cell(screen, name, "Store front") == "-2"
    assert cell(screen, name, "Product", Qt.ItemDataRole.BackgroundRole) == QColor(theme.surface("negative")[0])
    assert cell(screen, name, "Store front", Qt.ItemDataRole.ForegroundRole) == QColor(theme.surface("negative")[1])
    assert cell(screen, name, "Product", Qt.ItemDataRole.ToolTipRole).startswith("Below zero: -2 at Store front")
    assert "1 below zero" in screen.summary.text()
    assert screen.below_zero.text() == "Below zero only (1)"

    screen.below_zero.click()
    assert [screen.proxy.data(screen.proxy.index(r, 0)) for r in range(screen.proxy.rowCount())] == [name]
    screen.below_zero.click()
    assert screen.proxy.rowCount() == 4
    qtmodeltester.check(screen.model)
