"""The till tells the cashier what the books are short of as items are added, never refuses the guest's money,
and its ticket shows every figure in full."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QStyle

from hera_desktop.gui.till import style
from hera_desktop.gui.till.ticket import TicketModel

from .test_till import add, open_till, pay_with_keys, receipts_dir, sales  # noqa: F401  (fixtures)


def test_the_ticket_shows_a_shortfall_when_the_item_is_added_and_the_order_still_sells(
        qtbot: Any, open_till: Any, books: Any) -> None:
    hera, book = books
    scope = hera.scope(book.organization_id)
    cheese, store = book.products["Mozzarella (kg)"], book.locations["Store front"]
    scope.inventory.adjust(product_id=cheese, adjustment_type="issue", quantity="14.9", reason="Spoiled",
                           location_id=store)  # 0.1 kg left at the till's location
    screen = open_till("cashier")
    warning = screen.panel.stock_warning

    add(qtbot, "espresso")
    assert not warning.isVisible()
    add(qtbot, "marg")
    assert warning.isVisible()
    assert warning.text() == "Only 0.1 of Mozzarella (kg) left at Store front (this order needs 0.125)"
    screen.panel.void_selected()
    assert not warning.isVisible()
    add(qtbot, "marg")

    dialog = pay_with_keys(qtbot, screen, Qt.Key.Key_F6)  # by card
    assert dialog.result() == dialog.DialogCode.Accepted
    [sale] = sales(scope)
    assert sale.total_amount == Decimal("16.07")  # 2.80 + 12.50 + 0.77 tax
    assert scope.inventory.level(cheese, store) == Decimal("-0.025")
    assert not warning.isVisible()  # a new, empty ticket


def _elided(view: Any, row: int, column: int) -> tuple[str, str]:
    """(the cell's text, what fits of it in the column), as the view's delegate lays it out."""
    text = view.model().data(view.model().index(row, column))
    margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    room = view.columnWidth(column) - 2 * margin
    return text, QFontMetrics(view.font()).elidedText(text, Qt.TextElideMode.ElideRight, room)


def test_the_ticket_columns_show_big_quantities_and_totals_in_full(qtbot: Any, open_till: Any) -> None:
    screen = open_till("cashier")
    model, view = screen.model, screen.panel.view
    add(qtbot, "quattro")                         # 14.90
    model.setData(model.index(0, TicketModel.QTY), 999)
    row = model.add("big-party", "Wedding buffet", Decimal("1000.99"))
    model.setData(model.index(row, TicketModel.QTY), 999)
    qtbot.waitExposed(view)
    view.viewport().repaint()

    shown = [_elided(view, r, c) for r in (0, row) for c in (TicketModel.QTY, TicketModel.EACH, TicketModel.AMOUNT)]
    assert [text for text, _ in shown] == ["999", "14.90", "14,885.10", "999", "1,000.99", "999,989.01"]
    assert all(fits == text for text, fits in shown), shown
    assert view.font().pixelSize() == style.px(16)  # measured in the till's own ticket font, for the user's font
    # Four digits of quantity and a price of five fit as well.
    fm = QFontMetrics(view.font())
    assert fm.horizontalAdvance("9999") < view.columnWidth(TicketModel.QTY) - 6
    assert fm.horizontalAdvance("99,999.99") < view.columnWidth(TicketModel.EACH) - 6
