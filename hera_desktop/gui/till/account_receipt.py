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

from PySide6.QtWidgets import QWidget

from ...domain.money import fmt
from ..letterhead import Letterhead
from . import receipts
from .printed_pages import PrintedPages


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


class AccountReceiptDialog(PrintedPages):
    """The receipt on screen, saved as PDF, printable; Done closes it."""

    def __init__(self, receipt: AccountReceipt, folder: Path, parent: QWidget | None = None) -> None:
        self.receipt = receipt
        super().__init__("accountReceipt", f"Receipt — payment on account {receipt.code}",
                         f"Received {fmt(receipt.payment.total_amount, receipt.currency)} from {receipt.customer}",
                         [("Receipt", receipt_html(receipt))], folder, lambda: [write_pdf(receipt, folder)],
                         ("receiptHeadline", "accountReceiptPages", "receiptSaved", "printAccountReceipt",
                          "closeAccountReceipt"), 520, parent)

    @property
    def file(self) -> Path | None:
        """The receipt's PDF, or None when it could not be written."""
        return self.files[0] if self.files else None
