"""What a customer owes on account, against the credit limit they were given; receiving a payment and the
statement start here."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from .. import theme
from ..sizes import heading, px
from .presentation import money

BAR_STYLE = ("QProgressBar {{ border: 1px solid {border}; border-radius: 4px; background: {background}; color: {text};"
             " text-align: center; height: {height}px; font-size: {font}px; }}"
             " QProgressBar::chunk {{ background: {colour}; border-radius: 3px; }}")


class AccountBox(QWidget):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.balance = QLabel(objectName="accountBalance")
        self.limit = QLabel(objectName="accountLimit")
        self.available = QLabel(objectName="accountAvailable")
        self.balance.setStyleSheet(heading(18))
        self.usage = QProgressBar(objectName="creditUsage", textVisible=True)
        self.usage.setRange(0, 100)
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Balance on account", self.balance)
        form.addRow("Credit limit", self.limit)
        form.addRow("Available", self.available)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.usage)
        self.receive = QPushButton("Receive payment…", objectName="receivePayment")
        self.statement = QPushButton("Statement…", objectName="customerStatement")
        buttons = QHBoxLayout()
        buttons.addWidget(self.receive)
        buttons.addWidget(self.statement)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def show_account(self, balance: Decimal, limit: Decimal, currency: str) -> None:
        self.receive.setEnabled(balance > 0)
        self.receive.setToolTip("" if balance > 0 else "Nothing is owed on this account")
        self.balance.setText(money(balance, currency))
        self.limit.setText(money(limit, currency))
        if limit <= 0:
            self.limit.setText(f"{money(limit, currency)} (pays at the till)")
        room = limit - balance
        if room >= 0:
            self.available.setText(money(room, currency))
            self.available.setStyleSheet("")
        else:
            self.available.setText(f"Over the limit by {money(-room, currency)}")
            self.available.setStyleSheet(theme.tone_style("warning", "font-weight: 600;"))
        used = 100 if limit <= 0 and balance > 0 else 0 if limit <= 0 else int(max(min(balance / limit, 1), 0) * 100)
        background, text = theme.surface("bar")
        self.usage.setStyleSheet(BAR_STYLE.format(colour=theme.tone("bar" if used < 80 else "warning"),
                                                  border=theme.tone("border"), background=background, text=text,
                                                  height=px(16), font=px(12)))
        self.usage.setValue(used)
        self.usage.setFormat(f"{used}% of the credit limit used")
        self.usage.setVisible(limit > 0 or balance > 0)
