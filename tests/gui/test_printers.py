"""Printing at the till, on a fake ESC/POS printer on 127.0.0.1: a cash payment with auto-print prints the receipt
and kicks the drawer without Done; No sale asks a reason, records it and opens the drawer; a printer that is off is
said in the status bar and its tickets print once it is back; the owner sets the printers up and prints a test."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from hera_desktop.gui.printers_settings import PrintersSettings
from hera_desktop.gui.shell import MainWindow
from hera_desktop.printing.queue import queue_of

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from fake_printer import CUT, DRAWER_KICK, INITIALISE, RASTER_IMAGE, FakePrinter  # noqa: E402

from .test_till import activate, add, as_system, open_till, pay_with_keys, press, receipts_dir, type_text  # noqa: E402,F401


@pytest.fixture
def printer() -> Iterator[FakePrinter]:
    fake = FakePrinter().start()
    yield fake
    fake.stop()


def set_printers(books: Any, **settings: Any) -> None:
    hera, book = books
    hera.update_settings(book.organization_id, **settings)


def test_a_cash_payment_with_auto_print_prints_the_receipt_and_opens_the_drawer_without_done(
        qtbot: Any, open_till: Any, books: Any, printer: FakePrinter) -> None:
    set_printers(books, receipt_printer=printer.address, auto_print_on_pay=True, open_drawer_on_cash=True)
    screen = open_till("cashier")
    add(qtbot, "tiramisu")
    pay_with_keys(qtbot, screen, Qt.Key.Key_F5, tendered="20")

    drawer, receipt = printer.wait_for(2)
    assert drawer.startswith(INITIALISE) and DRAWER_KICK in drawer and RASTER_IMAGE not in drawer
    assert receipt.startswith(INITIALISE) and RASTER_IMAGE in receipt and CUT in receipt
    assert screen.receipt_dialog is not None and screen.receipt_dialog.isVisible()  # Done not pressed
    assert queue_of(screen.session).printed[-1].startswith("Receipt ")
    assert any(screen.receipts_dir.glob("*.pdf")), "the PDF archive is written as before"


def test_a_card_payment_without_auto_print_prints_when_done_is_pressed_and_leaves_the_drawer_shut(
        qtbot: Any, open_till: Any, books: Any, printer: FakePrinter) -> None:
    set_printers(books, receipt_printer=printer.address, open_drawer_on_cash=True)
    screen = open_till("cashier")
    add(qtbot, "tiramisu")
    pay_with_keys(qtbot, screen, Qt.Key.Key_F6)
    queue = queue_of(screen.session)
    assert queue.wait(10) and printer.jobs == []
    activate(qtbot, screen.receipt_dialog)
    press(qtbot, Qt.Key.Key_Escape)  # "Done  Esc"
    [receipt] = printer.wait_for(1)
    assert RASTER_IMAGE in receipt and DRAWER_KICK not in receipt


def test_no_sale_asks_a_reason_records_it_and_opens_the_drawer(qtbot: Any, open_till: Any, books: Any,
                                                              printer: FakePrinter) -> None:
    set_printers(books, receipt_printer=printer.address, open_drawer_on_cash=True)
    screen = open_till("cashier")
    press(qtbot, Qt.Key.Key_F6)
    dialog = screen.no_sale_dialog
    activate(qtbot, dialog)
    assert not dialog.ok.isEnabled()  # no reason, no drawer
    press(qtbot, Qt.Key.Key_Return)
    assert printer.jobs == [] and dialog.isVisible()
    type_text(qtbot, "change for the parking meter")
    press(qtbot, Qt.Key.Key_Return)

    [kick] = printer.wait_for(1)
    assert kick.startswith(INITIALISE) and DRAWER_KICK in kick and RASTER_IMAGE not in kick
    assert screen.no_sale_dialog is None
    assert screen.message.text() == "No sale recorded; the drawer opens."
    hera, book = books
    [record] = as_system(screen.session.scope).txn.query(transaction_type="no_sale").transactions
    assert record.business_context["reason"] == "change for the parking meter"
    assert record.created_by == book.users["cashier"]


def test_a_kitchen_printer_that_is_off_is_said_in_the_status_bar_and_reprinted_once_back(
        qtbot: Any, session_as: Any, books: Any, printer: FakePrinter, receipts_dir: Path) -> None:
    printer.stop()
    set_printers(books, kitchen_printers={"HOT_KITCHEN": printer.address, "PIZZA_STATION": printer.address},
                 auto_print_on_pay=True)
    window = MainWindow(session_as("cashier"))
    qtbot.addWidget(window)
    window.show()
    screen = window.show_screen("Till")
    screen.receipts_dir = receipts_dir
    activate(qtbot, window)
    screen.focus_search()
    add(qtbot, "carbonara")
    add(qtbot, "marg")
    pay_with_keys(qtbot, screen, Qt.Key.Key_F6)

    label = window.printer_label
    qtbot.waitUntil(lambda: label.isVisible())
    assert label.status() == "Printer 'Hot Kitchen' is not answering — 1 ticket waiting · " \
        "Printer 'Pizza Station' is not answering — 1 ticket waiting"
    assert "Reprint waiting" in label.text()

    printer.start()
    label.linkActivated.emit("reprint")
    assert len(printer.wait_for(2)) == 2
    qtbot.waitUntil(lambda: not label.isVisible())
    assert label.status() == ""
    label.linkActivated.emit("reprint")
    assert queue_of(window.session).wait(10) and len(printer.jobs) == 2  # each printed once


def test_the_owner_sets_up_the_printers_and_prints_a_test(qtbot: Any, session_as: Any, books: Any,
                                                         printer: FakePrinter) -> None:
    widget = PrintersSettings(session_as("admin"))
    qtbot.addWidget(widget)
    assert widget.stations.rowCount() >= 3  # the menu's stations, each to be given a printer
    stations = {widget.stations.item(r, 0).text(): r for r in range(widget.stations.rowCount())}
    widget.receipt.setText(printer.address)
    widget.stations.item(stations["Bar"], 1).setText(printer.address)
    widget.paper.setCurrentIndex(widget.paper.findData(58))
    widget.auto_print.setChecked(True)
    widget.drawer.setChecked(True)
    qtbot.mouseClick(widget.save_button, Qt.MouseButton.LeftButton)
    assert widget.message.text() == "Printers saved."
    hera, book = books
    settings = hera.organization(book.organization_id).settings
    assert settings["receipt_printer"] == printer.address and settings["kitchen_printers"] == {"BAR": printer.address}
    assert (settings["paper_width_mm"], settings["auto_print_on_pay"], settings["open_drawer_on_cash"]) == (
        58, True, True)

    qtbot.mouseClick(widget.test_button, Qt.MouseButton.LeftButton)
    [page] = printer.wait_for(1)
    assert page.startswith(INITIALISE) and RASTER_IMAGE in page and CUT in page
    qtbot.waitUntil(lambda: widget.message.text() == f"Printed a test page on {printer.address}.")


def test_a_wrong_address_or_a_printer_that_is_off_is_said_by_the_widget(qtbot: Any, session_as: Any,
                                                                       printer: FakePrinter) -> None:
    widget = PrintersSettings(session_as("admin"))
    qtbot.addWidget(widget)
    widget.receipt.setText("192.168.1.50")
    qtbot.mouseClick(widget.save_button, Qt.MouseButton.LeftButton)
    assert "is not a printer address" in widget.message.text()
    printer.stop()
    widget.receipt.setText(printer.address)
    qtbot.mouseClick(widget.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "not answering" in widget.message.text())
    assert widget.test_button.isEnabled()
