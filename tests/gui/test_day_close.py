"""A manager closes the day at the till: reads the X report, counts the drawer, closes once, saves the PDF."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from hera_desktop.gui.dayclose import DayCloseScreen


def take_the_days_orders(books: Any) -> None:
    """26.25 in cash and 7.35 by card."""
    hera, book = books
    cashier = hera.scope(book.organization_id, actor_id=book.users["cashier"])
    cashier.restaurant.process_order(items=[{"menu_item_id": book.menu["Margherita Pizza"], "quantity": 2}],
                                     payments=[{"method": "cash", "tendered": "50"}])
    cashier.restaurant.process_order(items=[{"menu_item_id": book.menu["Tiramisu"]}], payment_method="card")


def open_screen(qtbot: Any, session: Any) -> DayCloseScreen:
    screen = DayCloseScreen(session)
    qtbot.addWidget(screen)
    screen.show()
    return screen


def confirm(screen: DayCloseScreen) -> None:
    box = screen.findChild(QMessageBox, "confirmClose")
    assert box is not None and box.isVisible()
    box.button(QMessageBox.StandardButton.Yes).click()


def test_the_x_report_shows_the_days_figures_and_the_cash_expected(qtbot: Any, books: Any, session_as: Any) -> None:
    take_the_days_orders(books)
    screen = open_screen(qtbot, session_as("manager"))
    text = screen.report.toPlainText()
    assert "X report" in text and "Orders" in text
    assert "26.25" in text and "7.35" in text and "33.60" in text
    assert screen.expected.text() == "26.25 USD"
    assert not screen.z_button.isEnabled()  # nothing counted yet


def test_counting_short_and_closing_records_the_z_report_once(qtbot: Any, books: Any, session_as: Any) -> None:
    take_the_days_orders(books)
    session = session_as("manager")
    screen = open_screen(qtbot, session)
    qtbot.keyClicks(screen.counted, "25.5x0")  # the x is refused by the field
    assert screen.counted.text() == "25.50"
    assert screen.difference.text() == "0.75 USD short"
    qtbot.keyClick(screen.counted, Qt.Key.Key_Return)
    confirm(screen)
    assert "closed" in screen.status.text() and "CLOSE-" in screen.status.text()
    assert "Z report" in screen.report.toPlainText() and "25.50" in screen.report.toPlainText()
    assert not screen.counted.isEnabled() and not screen.z_button.isEnabled()
    closings = session.scope.txn.query(transaction_type="day_close").transactions
    assert len(closings) == 1 and closings[0].business_context["difference"] == "-0.75"


def test_a_day_closed_meanwhile_elsewhere_is_refused_in_plain_words(qtbot: Any, books: Any, session_as: Any) -> None:
    session = session_as("manager")
    screen = open_screen(qtbot, session)
    qtbot.keyClicks(screen.counted, "0")
    first = session_as("manager").scope.day_close.z_report("0")  # another terminal closes the day first
    screen.z_button.click()
    confirm(screen)
    error = screen.findChild(QMessageBox, "errorDialog")
    assert error is not None and error.windowTitle() == "Already recorded"
    assert first.closing.transaction_code in error.text()
    assert first.closing.transaction_code in screen.status.text()
    assert len(session.scope.txn.query(transaction_type="day_close").transactions) == 1


def test_the_report_saves_as_a_pdf(qtbot: Any, books: Any, session_as: Any, tmp_path: Path) -> None:
    take_the_days_orders(books)
    screen = open_screen(qtbot, session_as("manager"))
    target = tmp_path / "x-report.pdf"
    screen.save_pdf(str(target))
    data = target.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 2000


def test_the_report_shows_the_tax_at_each_rate_above_the_days_tax(qtbot: Any, books: Any, session_as: Any) -> None:
    hera, book = books
    system = hera.scope(book.organization_id)
    system.org_settings.set_tax_rate("alcohol", "0.19", label="Alcohol")
    system.org_settings.assign_tax_rate("alcohol", item_id=book.menu["House Red Wine"])
    system.restaurant.process_order(items=[{"menu_item_id": book.menu["House Red Wine"]},  # 7.50: 1.43 tax
                                           {"menu_item_id": book.menu["Tiramisu"]}],  # 7.00: 0.35 tax
                                    payment_method="cash")
    screen = open_screen(qtbot, session_as("manager"))
    text = screen.report.toPlainText()
    assert "Net sales before tax\n14.50 USD\nSales Tax 5%\n0.35 USD\nAlcohol 19%\n1.43 USD\nTax\n1.78 USD\n" in text
    assert "Net sales\n16.28 USD" in text  # the day's totals as they were


def test_the_z_report_prints_and_shows_its_tamper_anchor(qtbot: Any, books: Any, session_as: Any) -> None:
    from PySide6.QtGui import QTextDocument

    take_the_days_orders(books)
    session = session_as("manager")
    screen = open_screen(qtbot, session)
    assert screen.anchor.text() == "—"  # an X report anchors nothing
    qtbot.keyClicks(screen.counted, "26.25")
    qtbot.keyClick(screen.counted, Qt.Key.Key_Return)
    confirm(screen)
    closing = session.scope.txn.query(transaction_type="day_close").transactions[0]
    printed = f"seq {closing.chain_seq} · {closing.content_hash[:16]}"
    assert screen.anchor.text() == printed
    assert screen.anchor.toolTip() == closing.content_hash
    page = QTextDocument()
    page.setHtml(screen.html())  # what print_html and the PDF lay out
    text = page.toPlainText()
    assert f"Anchor (keep this report)\n{printed}\n" in text
    assert f"hera-desktop verify --anchor {closing.content_hash[:16]}" in text
    assert "Grand total of sales\n33.60 USD\n" in text
    assert "Previous closing\nnone" in text
    assert printed in screen.report.toPlainText()  # and on screen
