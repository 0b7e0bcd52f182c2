"""Receiving a payment on a customer's account: how much, cash or card, and the payer's reference.

Used from the customer screen and from the till. The dialog records the payment itself
(``customers.settle_account``) off the GUI thread; while it is recording, Receive is
disabled, and the payment carries a key made once per dialog, so a second press or a
retry after a lost connection can never take the money twice. A refusal (more than
is owed, nothing owed) is said beside the amount and everything stays as typed. Once
received, the payment's receipt opens (``till.account_receipt``): on screen, as a PDF
in the receipts folder, and on the receipt printer where one is set up.
"""
from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QButtonGroup, QDialog, QFormLayout, QHBoxLayout, QLineEdit, QPushButton,
                               QVBoxLayout, QWidget)

from ...domain.errors import HeraError, ValidationError
from ...domain.money import fmt
from ..errors import describe, show_error
from ..labels import plain_label
from ..numbers import editable, parse_money
from .fields import banner_style, plain

METHODS = (("cash", "Cash"), ("card", "Card"))


class AccountPaymentDialog(QDialog):
    received = Signal(object, object)  # the recorded payment (Emitted), the amount received (Decimal)

    def __init__(self, session: Any, customer: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accountPayment")
        self.setWindowTitle(f"Receive payment — {customer.entity_name}")
        self.session, self.customer = session, customer
        self.currency = session.organization.currency
        self.key = f"account-payment/{uuid.uuid4()}"  # one per dialog: a retry is the same payment
        self.busy = False
        owed = customer.account_balance
        self.owed = plain_label(f"{customer.entity_name} owes {fmt(owed, self.currency)} on account",
                                objectName="accountOwed")
        self.owed.setStyleSheet("font-weight: 600;")
        self.amount = QLineEdit(editable(owed, self.currency) if owed > 0 else "", objectName="accountPaymentAmount",
                                maxLength=20)
        self.amount.setAccessibleName("Amount received")
        self.methods = QButtonGroup(self)
        row = QHBoxLayout()
        for key, text in METHODS:
            b = QPushButton(text, objectName=f"accountMethod:{key}", checkable=True, checked=key == "cash")
            b.setProperty("method", key)
            b.setAccessibleName(f"Paid by {text.lower()}" if key == "card" else "Paid in cash")
            self.methods.addButton(b)
            row.addWidget(b)
        self.reference = QLineEdit(objectName="accountPaymentReference", maxLength=100,
                                   placeholderText="optional: a card slip or remittance number")
        self.reference.setAccessibleName("Reference")
        self.message = plain_label(objectName="accountPaymentMessage", wordWrap=True)
        self.message.hide()
        self.receive = QPushButton("Receive payment", objectName="confirmAccountPayment", default=True)
        self.receive.clicked.connect(self.submit)
        cancel = QPushButton("Cancel", objectName="cancelAccountPayment")
        cancel.clicked.connect(self.reject)
        form = QFormLayout()
        form.addRow("Amount", self.amount)
        form.addRow("Paid by", row)
        form.addRow("Reference", self.reference)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.receive)
        layout = QVBoxLayout(self)
        layout.addWidget(self.owed)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.amount.setFocus()
        self.amount.selectAll()

    def method(self) -> str:
        checked = self.methods.checkedButton()
        return checked.property("method") if checked else "cash"

    def choose(self, method: str) -> None:
        for b in self.methods.buttons():
            b.setChecked(b.property("method") == method)

    def submit(self) -> None:
        if self.busy:
            return
        try:
            amount = parse_money(self.amount.text(), "amount", self.currency)
        except ValidationError as exc:
            self.say(plain(exc))
            return
        if amount is None:
            self.say("Enter the amount received.")
            return
        self.busy = True
        self.receive.setEnabled(False)
        self.message.hide()
        customers, customer_id = self.session.scope.customers, self.customer.id
        method, reference, key = self.method(), self.reference.text(), self.key
        self.session.runner.change(
            lambda: customers.settle_account(customer_id, amount, payment_method=method, idempotency_key=key,
                                             reference=reference or None),
            lambda emitted: self._received(emitted, amount), self._refused)

    def _received(self, emitted: Any, amount: Decimal) -> None:
        self.busy = False
        self.received.emit(emitted, amount)
        self.accept()

    def _refused(self, exc: Exception) -> None:
        """Nothing was recorded: say why, keep what was typed, and let Receive be pressed again."""
        self.busy = False
        self.receive.setEnabled(True)
        if isinstance(exc, ValidationError):
            self.say(plain(exc))
        elif isinstance(exc, HeraError):
            self.say(exc.message)
        else:
            title, text = describe(exc)
            self.say(f"{title}. {text}")

    def say(self, text: str) -> None:
        self.message.setStyleSheet(banner_style())
        self.message.setText(text)
        self.message.show()

    def reject(self) -> None:
        if not self.busy:  # a payment being recorded cannot be walked away from
            super().reject()


def open_account_payment(session: Any, customer: Any, parent: QWidget,
                         folder: Path | None = None) -> AccountPaymentDialog:
    """Open the dialog window-modal (not blocking) and delete it once closed; once the payment is received its
    receipt opens over ``parent``, saved in ``folder`` (None: the receipts folder next to the books)."""
    dialog = AccountPaymentDialog(session, customer, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.received.connect(lambda emitted, _amount: show_receipt(session, customer.id, emitted.transaction_id,
                                                                  parent, folder))
    dialog.open()
    return dialog


def show_receipt(session: Any, customer_id: str, payment_id: str, parent: QWidget, folder: Path | None) -> None:
    """The payment's receipt on screen, as a PDF, and to the receipt printer (see ``gui.printouts``)."""
    from ..till.account_receipt import fetch

    scope = session.scope
    session.runner.read(lambda: fetch(scope, customer_id, payment_id),
                        lambda receipt: _open_receipt(session, receipt, parent, folder),
                        lambda exc: show_error(parent, exc))


def _open_receipt(session: Any, receipt: Any, parent: QWidget, folder: Path | None) -> None:
    from ...printing.queue import queue_of
    from ..printouts import for_account_payment
    from ..till.account_receipt import AccountReceiptDialog
    from ..till.receipts import receipts_dir

    dialog = AccountReceiptDialog(receipt, folder or receipts_dir(session.hera), parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    queue = queue_of(session)
    now, on_done = for_account_payment(receipt, session.scope.settings)
    for job in now:
        queue.submit(job)
    if on_done:
        dialog.finished.connect(lambda _r: [queue.submit(job) for job in on_done])  # Done, or its Esc
    dialog.open()
