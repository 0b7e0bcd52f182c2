"""A customer who pays what they owe on account takes a receipt away: at the till (F11) and from the customer
screen, on screen, as a PDF in the receipts folder, and on the receipt printer (a fake ESC/POS printer on
127.0.0.1) when one is set up."""
from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from hera_desktop.gui.till.account_receipt import AccountReceiptDialog
from hera_desktop.printing.queue import queue_of

from .test_customer_accounts import BELLA, charge_bella, open_customers, owed
from .test_till import activate, open_till, receipts_dir  # noqa: F401

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from fake_printer import DRAWER_KICK, RASTER_IMAGE, FakePrinter  # noqa: E402


@pytest.fixture
def printer() -> Iterator[FakePrinter]:
    fake = FakePrinter().start()
    yield fake
    fake.stop()


def receipt_of(parent: Any) -> AccountReceiptDialog:
    dialog = parent.findChild(AccountReceiptDialog, "accountReceipt")
    assert dialog is not None and dialog.isVisible(), "no receipt was shown"
    return dialog


def printed(dialog: AccountReceiptDialog) -> list[str]:
    return [line.strip() for line in dialog.text().splitlines() if line.strip()]


def test_a_cash_payment_on_account_at_the_till_prints_its_receipt_and_opens_the_drawer(
        qtbot: Any, open_till: Any, books: Any, printer: FakePrinter, receipts_dir: Path) -> None:
    hera, book = books
    charge_bella(hera, book)
    before = owed(hera, book)
    hera.update_settings(book.organization_id, receipt_printer=printer.address, auto_print_on_pay=True,
                         open_drawer_on_cash=True)
    till = open_till("cashier")
    qtbot.keyClicks(till.panel.customer.edit, "bella")
    qtbot.keyClick(till.panel.customer.edit, Qt.Key.Key_Return)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F11)
    payment = till.account_payment_dialog
    payment.amount.setText("20")
    qtbot.mouseClick(payment.receive, Qt.MouseButton.LeftButton)

    receipt = receipt_of(till)
    lines = printed(receipt)
    assert lines[1:3] == ["Payment on account", f"Receipt {receipt.receipt.code}"]
    assert lines[4:] == [f"Customer {BELLA}", "RECEIVED USD", "20.00", "Paid by", "Cash",
                         "Still owed on account", f"{before - 20:,.2f}", "Thank you!"]
    [pdf] = [p for p in receipts_dir.iterdir() if p.name.endswith("-account-payment.pdf")]
    assert pdf.name.startswith(receipt.receipt.code) and pdf.read_bytes().startswith(b"%PDF")
    drawer, paper = printer.wait_for(2)  # without Done: the drawer first, then the receipt
    assert DRAWER_KICK in drawer and RASTER_IMAGE not in drawer
    assert RASTER_IMAGE in paper
    assert queue_of(till.session).printed[-1] == f"Receipt {receipt.receipt.code} (payment on account)"
    assert owed(hera, book) == before - 20


def test_a_card_payment_from_the_customer_screen_shows_its_receipt_and_prints_it_when_done(
        qtbot: Any, session_as: Any, books: Any, printer: FakePrinter, receipts_dir: Path) -> None:
    hera, book = books
    charge_bella(hera, book)
    before = owed(hera, book)
    hera.update_settings(book.organization_id, receipt_printer=printer.address, open_drawer_on_cash=True)
    screen = open_customers(qtbot, session_as("cashier"), book.customers[BELLA])
    qtbot.mouseClick(screen.detail.account.receive, Qt.MouseButton.LeftButton)
    payment = screen.detail.payment_dialog
    payment.amount.setText("50")
    payment.choose("card")
    payment.reference.setText("Slip 7")
    qtbot.mouseClick(payment.receive, Qt.MouseButton.LeftButton)

    receipt = receipt_of(screen.detail)
    assert printed(receipt)[5:] == ["RECEIVED USD", "50.00", "Paid by", "Card", "Reference", "Slip 7",
                                    "Still owed on account", f"{before - 50:,.2f}", "Thank you!"]
    assert receipt.file is not None and receipt.file.parent == receipts_dir and receipt.file.exists()
    assert queue_of(screen.session).wait(10) and printer.jobs == []  # not yet: a card opens no drawer either

    activate(qtbot, receipt)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)  # "Done  Esc"

    [paper] = printer.wait_for(1)
    assert RASTER_IMAGE in paper and DRAWER_KICK not in paper
    assert owed(hera, book) == before - Decimal("50")


def test_without_a_receipt_printer_the_receipt_is_still_shown_and_saved(
        qtbot: Any, session_as: Any, books: Any, receipts_dir: Path) -> None:
    hera, book = books
    charge_bella(hera, book)
    screen = open_customers(qtbot, session_as("cashier"), book.customers[BELLA])
    qtbot.mouseClick(screen.detail.account.receive, Qt.MouseButton.LeftButton)
    payment = screen.detail.payment_dialog
    payment.amount.setText("5")
    qtbot.mouseClick(payment.receive, Qt.MouseButton.LeftButton)

    receipt = receipt_of(screen.detail)
    receipt.accept()

    assert receipt.file is not None and receipt.file.read_bytes().startswith(b"%PDF")
    assert queue_of(screen.session).wait(10) and queue_of(screen.session).printed == []
