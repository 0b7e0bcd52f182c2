"""The receipt of a payment on account: what a customer who came in to pay what they owe takes away.

It is drawn from the payment as the books recorded it (amount, cash or card, the payer's reference, when) and
the balance still owed afterwards, shown on screen, saved as a PDF in the receipts folder beside the order
receipts, and sent to the receipt printer through the print queue (``gui.printouts``) when one is set up.
Used from the till (F11) and the customer screen alike.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from ...domain.money import fmt
from ..labels import plain_label
from ..letterhead import Letterhead
from . import receipts, style


@dataclass(frozen=True)
class AccountReceipt:
    business: Letterhead
    currency: str
    payment: Any           # the payment Transaction
    customer: str
    still_owed: Decimal

    @property
    def code(self) -> str:
        return self.payment.transaction_code

    @property
    def cash(self) -> bool:
        return self.payment.business_context.get("payment_method") == "cash"


def fetch(scope: Any, customer_id: str, payment_id: str) -> AccountReceipt:
    """Read a payment on account for its receipt (runs off the GUI thread)."""
    customers = scope.customers
    payment = next(t for t in customers.history(customer_id) if t.id == payment_id)
    view = customers.view(customer_id)
    return AccountReceipt(Letterhead.of(scope.organization), scope.organization.currency, payment,
                          view.entity_name, view.account_balance)


def receipt_html(r: AccountReceipt) -> str:
    money = lambda v: fmt(v, "")  # noqa: E731 - a local shorthand
    method = receipts.METHOD_NAMES.get(r.payment.business_context.get("payment_method"), "Payment")
    rows = [("Paid by", escape(method))]
    rows += [("Reference", escape(r.payment.reference))] if r.payment.reference else []
    table = "".join(f"<tr><td>{k}</td><td align='right'>{v}</td></tr>" for k, v in rows)
    return (f"<div align='center'><p style='font-size: 13pt; font-weight: bold;'>{escape(r.business.name)}</p>"
            f"{r.business.details_html()}"
            f"<p style='font-size: 12pt; font-weight: bold;'>Payment on account</p>"
            f"<p>Receipt {escape(r.code)}<br>{receipts.local_time(r.payment.created_at)}<br>"
            f"Customer {escape(r.customer)}</p></div><hr>"
            f"<table width='100%'><tr><td><b>RECEIVED {escape(r.currency)}</b></td>"
            f"<td align='right'><b>{money(r.payment.total_amount)}</b></td></tr>{table}</table><hr>"
            f"<table width='100%'><tr><td>Still owed on account</td>"
            f"<td align='right'>{money(r.still_owed)}</td></tr></table>"
            f"{r.business.footer_html() or receipts.THANKS}")


def write_pdf(r: AccountReceipt, folder: Path) -> Path:
    stem = receipts.safe_stem(f"{r.code}-account-payment")
    return receipts.write_pdf(receipt_html(r), receipts.free_path(folder, stem), f"Receipt {r.code}")


class AccountReceiptDialog(QDialog):
    """The receipt on screen, saved as PDF, printable; Done closes it."""

    def __init__(self, receipt: AccountReceipt, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accountReceipt")
        self.setStyleSheet(style.till())
        self.receipt = receipt
        self.setWindowTitle(f"Receipt — payment on account {receipt.code}")
        self.html = receipt_html(receipt)
        view = QTextBrowser(objectName="accountReceiptPage")
        view.setDocument(receipts.document(self.html))
        self.headline = plain_label(f"Received {fmt(receipt.payment.total_amount, receipt.currency)} from "
                                    f"{receipt.customer}", objectName="receiptHeadline", wordWrap=True)
        self.saved = plain_label(objectName="receiptSaved", wordWrap=True)
        self.file: Path | None = None
        try:
            self.file = write_pdf(receipt, folder)
            self.saved.setText(f"Saved as PDF in {folder}")
        except OSError as exc:  # the payment is recorded either way; only the file is missing
            self.saved.setText(f"The PDF could not be saved in {folder} ({exc.strerror or exc}). Print it instead.")
            self.saved.setProperty("error", True)
        buttons = QDialogButtonBox()
        self.print_button = QPushButton("Print…  Ctrl+P", objectName="printAccountReceipt", shortcut="Ctrl+P")
        self.print_button.clicked.connect(self.print_current)
        done = QPushButton("Done  Esc", objectName="closeAccountReceipt", default=True, autoDefault=True)
        done.clicked.connect(self.accept)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(done, QDialogButtonBox.ButtonRole.AcceptRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(view, 1)
        layout.addWidget(self.saved)
        layout.addWidget(buttons)
        self.resize(460, 520)

    def text(self) -> str:
        return receipts.document(self.html).toPlainText()

    def print_current(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self).exec() == QPrintDialog.DialogCode.Accepted:
            receipts.render(receipts.document(self.html), printer)
