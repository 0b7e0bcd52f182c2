"""Taking payment for a ticket: cash (tendered and change), card, on account, or several of them.

The dialog only collects the payments; the till records them. While the till
is recording, Pay is disabled, so a double click cannot send a second charge;
after a refusal (credit limit, a lost connection) the payments stay as entered
and Pay can be pressed again, with the same order key.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QButtonGroup, QDialog, QFormLayout, QGridLayout, QHBoxLayout, QLabel, QLineEdit,
                               QListWidget, QPushButton, QVBoxLayout, QWidget)

from ...domain.errors import CreditLimitExceededError, HeraError
from ...domain.money import ZERO, fmt
from ..errors import describe
from ..labels import plain_label
from ..numbers import editable, parse_money
from . import style

METHODS = (("cash", "Cash  F5", "F5"), ("card", "Card  F6", "F6"), ("on_account", "On account  F7", "F7"))
SPOKEN = {"cash": "Pay in cash", "card": "Pay by card", "on_account": "Put on account"}  # for screen readers
NAMES = {"cash": "Cash", "card": "Card", "on_account": "On account"}


def _plain(exc: Exception) -> str:
    return exc.message if isinstance(exc, HeraError) else str(exc)


class PayDialog(QDialog):
    submitted = Signal(list)  # [{method, amount, tendered?}] for restaurant.process_order

    def __init__(self, total: Decimal, currency: str, customer: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("payDialog")
        self.setWindowTitle("Pay")
        self.total, self.currency, self.customer = total, currency, customer
        self.payments: list[dict[str, Any]] = []
        self.busy = self.done_ = False
        self.setStyleSheet(style.till())
        self.due = plain_label(objectName="payDue")
        self.change = plain_label(objectName="changeDue")
        self.methods = QButtonGroup(self)
        row = QHBoxLayout()
        for key, text, shortcut in METHODS:
            b = QPushButton(text, objectName=f"method:{key}", checkable=True)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.setProperty("method", key)
            b.setAccessibleName(SPOKEN[key])
            b.setAccessibleDescription(f"Shortcut {shortcut}")
            self.methods.addButton(b)
            row.addWidget(b)
            QShortcut(QKeySequence(shortcut), self, activated=lambda k=key: self.choose(k))
        self.methods.buttonClicked.connect(lambda b: self.choose(b.property("method")))
        # Amounts are read in the cashier's locale when paying; a slip (a third decimal) is said, not dropped.
        self.amount = QLineEdit(objectName="payAmount", maxLength=20)
        self.tendered = QLineEdit(objectName="tendered", maxLength=20, placeholderText="exact")
        for field in (self.amount, self.tendered):
            field.textChanged.connect(self._show_change)
        self.quick = QHBoxLayout()
        for value in ("20", "50", "100"):
            b = QPushButton(value, objectName=f"tender:{value}")
            b.setAccessibleName(f"Cash tendered {value}")
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.clicked.connect(lambda _=False, v=value: self.tendered.setText(v))
            self.quick.addWidget(b)
        form = QFormLayout()
        form.addRow("Amount", self.amount)
        self.tendered_caption = QLabel("Cash tendered")
        self.tendered.setAccessibleName("Cash tendered")
        form.addRow(self.tendered_caption, self.tendered)
        form.addRow("", self.quick)
        self.list = QListWidget(objectName="paymentsEntered", maximumHeight=110)
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.message = plain_label(objectName="payMessage", wordWrap=True)
        self.split = QPushButton("Part payment  Ctrl+Enter", objectName="addPayment")
        self.split.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.split.clicked.connect(self.add_part)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.add_part)
        self.pay_button = QPushButton(objectName="confirmPay", default=True)
        self.pay_button.clicked.connect(self.pay)
        cancel = QPushButton("Cancel  Esc", objectName="cancelPay")
        cancel.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        cancel.clicked.connect(self.reject)
        buttons = QGridLayout()
        buttons.addWidget(self.split, 0, 0)
        buttons.addWidget(cancel, 0, 1)
        buttons.addWidget(self.pay_button, 1, 0, 1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Total {fmt(total, currency)}", objectName="payTotal"))
        layout.addWidget(self.due)
        layout.addLayout(row)
        layout.addLayout(form)
        layout.addWidget(self.list)
        layout.addWidget(self.change)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.resize(520, 560)
        self.choose("cash")
        self._refresh()

    # ------------------------------------------------------------------ entering payments

    def remaining(self) -> Decimal:
        return self.total - sum((p["amount"] for p in self.payments), ZERO)

    def method(self) -> str:
        checked = self.methods.checkedButton()
        return checked.property("method") if checked else "cash"

    def choose(self, method: str) -> None:
        for b in self.methods.buttons():
            b.setChecked(b.property("method") == method)
        cash = method == "cash"
        for w in (self.tendered, self.tendered_caption, *self._quick_buttons()):
            w.setVisible(cash)
        self.message.clear()
        if method == "on_account" and self.customer is None:
            self.message.setText("To put this on account, close this and choose the customer on the ticket (F3).")
        (self.tendered if cash else self.amount).setFocus()
        self._show_change()

    def _quick_buttons(self) -> list[QWidget]:
        return [self.quick.itemAt(i).widget() for i in range(self.quick.count())]

    def entry(self) -> dict[str, Any]:
        """The payment being typed, as the service takes it; ValueError says what is wrong in plain words."""
        due = self.remaining()
        typed = parse_money(self.amount.text(), "amount", self.currency)
        amount = due if typed is None else typed
        if amount <= 0:
            raise ValueError("Enter the amount to pay.")
        if amount > due:
            raise ValueError(f"{fmt(amount, self.currency)} is more than the {fmt(due, self.currency)} still to pay.")
        method = self.method()
        if method == "on_account" and self.customer is None:
            raise ValueError("Paying on account needs a customer: choose one on the ticket (F3).")
        entry: dict[str, Any] = {"method": method, "amount": amount}
        tendered = parse_money(self.tendered.text(), "tendered", self.currency) if method == "cash" else None
        if tendered is not None:
            entry.update(amount=min(amount, tendered), tendered=tendered)
        return entry

    def add_part(self) -> None:
        """Keep the payment typed so far and take another one for the rest (split bill)."""
        if self.busy or self.done_:
            return
        try:
            entry = self.entry()
        except (ValueError, HeraError) as exc:
            self._error(True)
            self.message.setText(_plain(exc))
            return
        self.payments.append(entry)
        self.amount.clear()
        self.tendered.clear()
        self.message.clear()
        self._refresh()

    def plan(self) -> list[dict[str, Any]]:
        plan = list(self.payments)
        if self.remaining() > 0:
            plan.append(self.entry())
        paid = sum((p["amount"] for p in plan), ZERO)
        if paid < self.total:
            raise ValueError(f"{fmt(self.total - paid, self.currency)} is still to pay: take another payment "
                             f"for the rest (Ctrl+Enter keeps this one).")
        return plan

    # ------------------------------------------------------------------ paying

    def pay(self) -> None:
        if self.busy or self.done_:
            return
        try:
            plan = self.plan()
        except (ValueError, HeraError) as exc:
            self._error(True)
            self.message.setText(_plain(exc))
            return
        self.busy = True
        self.pay_button.setEnabled(False)
        self._error(False)
        self.message.setText("Recording the payment…")
        self.submitted.emit([{k: str(v) if isinstance(v, Decimal) else v for k, v in p.items()} for p in plan])

    def failed(self, exc: Exception) -> None:
        """The till could not record the payment: say why in plain words; everything stays as entered."""
        self.busy = False
        self.pay_button.setEnabled(True)
        self._error(True)
        if isinstance(exc, CreditLimitExceededError):
            who = self.customer.entity_name if self.customer is not None else "The customer"
            self.message.setText(
                f"Credit limit reached. {who} owes {fmt(exc.balance, self.currency)}; this would add "
                f"{fmt(exc.amount, self.currency)}, making {fmt(exc.balance + exc.amount, self.currency)} — over "
                f"the credit limit of {fmt(exc.credit_limit, self.currency)}. Take another payment method.")
        else:
            title, text = describe(exc)
            self.message.setText(f"{title}. {text}")

    def succeeded(self) -> None:
        self.busy = False
        self.done_ = True
        self.accept()

    def reject(self) -> None:
        if not self.busy:  # a payment being recorded cannot be walked away from
            super().reject()

    def _error(self, on: bool) -> None:
        self.message.setProperty("error", on)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)

    def _refresh(self) -> None:
        self.list.clear()
        for p in self.payments:
            extra = f" (tendered {fmt(p['tendered'], self.currency)})" if "tendered" in p else ""
            self.list.addItem(f"{NAMES[p['method']]}  {fmt(p['amount'], self.currency)}{extra}")
        self.list.setVisible(bool(self.payments))
        self.due.setText(f"Still to pay {fmt(self.remaining(), self.currency)}")
        self.amount.setPlaceholderText(editable(self.remaining(), self.currency))
        self.pay_button.setText(f"Pay {fmt(self.remaining(), self.currency)}  Enter" if self.payments
                                else f"Pay {fmt(self.total, self.currency)}  Enter")
        self._show_change()

    def _show_change(self, *_: Any) -> None:
        change = sum((p["tendered"] - p["amount"] for p in self.payments if "tendered" in p), ZERO)
        try:
            entry = self.entry()
            if "tendered" in entry:
                change += entry["tendered"] - entry["amount"]
        except (ValueError, HeraError):  # half-typed amounts: show the change so far
            pass
        self.change.setText(f"Change {fmt(change, self.currency)}" if change > 0 else "")
