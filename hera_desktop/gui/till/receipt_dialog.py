"""After payment: the receipt and the kitchen tickets of what was never sent, on screen, saved as PDF, printable;
for a reprint the same, with the tickets of every round and VOID the order had before them; after a send to the
kitchen or a void, that round's tickets the same way."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QPushButton, QTabWidget, QTextBrowser, QVBoxLayout,
                               QWidget)

from ...domain.contracts.kitchen import KitchenTicket
from ...domain.money import fmt
from ..labels import button_text, plain_label
from . import receipts, style


class ReceiptDialog(QDialog):
    def __init__(self, receipt: receipts.Receipt, folder: Path, parent: QWidget | None = None,
                 change_due: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("receiptDialog")
        self.setStyleSheet(style.till())
        self.receipt = receipt
        self.setWindowTitle(f"{'Reprint' if receipt.copy else 'Receipt'} — order {receipt.code}")
        self.pages: list[tuple[str, str]] = [("Receipt", receipts.receipt_html(receipt))]
        self.pages += [(button_text(receipts.kitchen_title(t)), receipts.kitchen_ticket_html(t)) for t in receipt.rounds]
        self.pages += [(button_text(f"Kitchen: {receipts.station_name(s)}"), receipts.kitchen_html(receipt, s))
                       for s in receipt.tickets]
        self.tabs = QTabWidget(objectName="receiptPages")
        for title, html in self.pages:
            view = QTextBrowser()
            view.setDocument(receipts.document(html))
            self.tabs.addTab(view, title)
        self.headline = plain_label(objectName="receiptHeadline")
        if change_due:
            self.headline.setText(f"Change due {fmt(change_due, receipt.currency)}")
        else:
            self.headline.setText(("Reprinted" if receipt.copy else "Paid") + f" — order {receipt.code}")
        self.saved = plain_label(objectName="receiptSaved", wordWrap=True)
        self.files: list[Path] = []
        try:
            self.files = receipts.write_all(receipt, folder)
            self.saved.setText(f"Saved as PDF in {folder}")
        except OSError as exc:  # the sale is recorded either way; only the file is missing
            self.saved.setText(f"The PDF could not be saved in {folder} ({exc.strerror or exc}). Print it instead.")
            self.saved.setProperty("error", True)
        buttons = QDialogButtonBox()
        self.print_button = QPushButton("Print…  Ctrl+P", objectName="printReceipt", shortcut="Ctrl+P")
        self.print_button.clicked.connect(self.print_current)
        done = QPushButton("Done  Esc", objectName="closeReceipt", default=True, autoDefault=True)
        done.clicked.connect(self.accept)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(done, QDialogButtonBox.ButtonRole.AcceptRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.saved)
        layout.addWidget(buttons)
        self.resize(460, 640)

    def text(self, page: int = 0) -> str:
        return receipts.document(self.pages[page][1]).toPlainText()

    def print_current(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> None:
        receipts.render(receipts.document(self.pages[self.tabs.currentIndex()][1]), printer)


class KitchenDialog(QDialog):
    """The tickets a send to the kitchen (or a void) gave, one tab per station, saved as PDF, printable."""

    def __init__(self, tickets: list[KitchenTicket], folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kitchenDialog")
        self.setStyleSheet(style.till())
        self.tickets = tickets
        first = tickets[0]
        self.setWindowTitle(f"Kitchen — {first.order}")
        self.pages = [(button_text(receipts.kitchen_title(t)), receipts.kitchen_ticket_html(t)) for t in tickets]
        self.tabs = QTabWidget(objectName="kitchenPages")
        for title, html in self.pages:
            view = QTextBrowser()
            view.setDocument(receipts.document(html))
            self.tabs.addTab(view, title)
        what = "Voided" if first.void else f"Round {first.round} sent"
        self.headline = plain_label(f"{what} — {first.order}", objectName="kitchenHeadline")
        self.saved = plain_label(objectName="kitchenSaved", wordWrap=True)
        self.files: list[Path] = []
        try:
            self.files = receipts.write_kitchen(tickets, folder)
            self.saved.setText(f"Saved as PDF in {folder}")
        except OSError as exc:  # the round is recorded either way; only the file is missing
            self.saved.setText(f"The PDF could not be saved in {folder} ({exc.strerror or exc}). Print it instead.")
            self.saved.setProperty("error", True)
        buttons = QDialogButtonBox()
        self.print_button = QPushButton("Print…  Ctrl+P", objectName="printKitchen", shortcut="Ctrl+P")
        self.print_button.clicked.connect(self.print_current)
        done = QPushButton("Done  Esc", objectName="closeKitchen", default=True, autoDefault=True)
        done.clicked.connect(self.accept)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(done, QDialogButtonBox.ButtonRole.AcceptRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.saved)
        layout.addWidget(buttons)
        self.resize(460, 560)

    def text(self, page: int = 0) -> str:
        return receipts.document(self.pages[page][1]).toPlainText()

    def print_current(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            receipts.render(receipts.document(self.pages[self.tabs.currentIndex()][1]), printer)
