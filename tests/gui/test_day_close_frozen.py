"""A manager closes the day, the till sells on, and the closed day's report still shows what was recorded."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QMessageBox

from hera_desktop.gui.dayclose import DayCloseScreen


def test_a_sale_after_the_z_report_leaves_the_closed_days_report_as_recorded(qtbot: Any, books: Any,
                                                                            session_as: Any) -> None:
    hera, book = books
    cashier = hera.scope(book.organization_id, actor_id=book.users["cashier"])
    cashier.restaurant.process_order(items=[{"menu_item_id": book.menu["Margherita Pizza"], "quantity": 2}],
                                     payments=[{"method": "cash", "tendered": "50"}])  # 26.25 in cash
    screen = DayCloseScreen(session_as("manager"))
    qtbot.addWidget(screen)
    screen.show()
    closed = screen.business_day
    qtbot.keyClicks(screen.counted, "25.50")
    screen.z_button.click()
    screen.findChild(QMessageBox, "confirmClose").button(QMessageBox.StandardButton.Yes).click()

    cashier.restaurant.process_order(items=[{"menu_item_id": book.menu["Espresso"]}], payment_method="cash")  # 2.94
    screen.refresh()
    assert screen.business_day == closed
    text = screen.report.toPlainText()
    assert "Z report" in text and "Cash expected in the drawer26.25 USD" in text.replace("\n", "")
    assert "0.75 USD short" in text and "2.94" not in text
    assert (screen.expected.text(), screen.counted.text(), screen.difference.text()) == (
        "26.25 USD", "25.50", "0.75 USD short")

    following = (date.fromisoformat(closed) + timedelta(days=1)).isoformat()
    screen.day.setDate(QDate.fromString(following, "yyyy-MM-dd"))  # the day the later sale belongs to
    assert screen.business_day == following
    assert "X report" in screen.report.toPlainText() and screen.expected.text() == "2.94 USD"
    assert screen.counted.isEnabled() and screen.counted.text() == "" and not screen.z_button.isEnabled()
