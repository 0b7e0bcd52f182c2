"""Asking for a reversal: the reason (required) and the date it takes effect."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QPlainTextEdit,
                               QVBoxLayout)

from .. import theme
from ..labels import plain_label


class ReverseDialog(QDialog):
    confirmed = Signal(str, str)  # reason, date (YYYY-MM-DD)

    def __init__(self, detail: Any, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("reverseDialog")
        self.setWindowTitle(f"Reverse {detail.transaction_code}")
        self.setMinimumWidth(460)
        about = plain_label(
            f"A reversal posts the lines of {detail.transaction_code} again with debits and credits swapped. "
            f"The original stays in the books, marked as reversed.", wordWrap=True)
        self.warning = plain_label(wordWrap=True, objectName="automaticWarning")
        self.warning.setStyleSheet(theme.tone_style("warning"))
        if detail.source is not None and detail.source.order_code:
            self.warning.setText(f"This entry was posted automatically from order {detail.source.order_code}. "
                                 f"To undo the sale itself, refund the order at the till instead.")
        self.warning.setVisible(bool(self.warning.text()))
        self.reason = QPlainTextEdit(objectName="reversalReason")
        self.reason.setPlaceholderText("Why is this entry reversed? (required)")
        self.reason.setFixedHeight(70)
        self.date = QDateEdit(QDate.currentDate(), objectName="reversalDate", calendarPopup=True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        form = QFormLayout()
        form.addRow("&Reason", self.reason)
        form.addRow("&Date", self.date)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.addButton("Reverse", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("confirmReversal")
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(lambda: self.ok.setEnabled(bool(self.reason.toPlainText().strip())))
        self.ok.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addWidget(self.warning)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def _accept(self) -> None:
        reason = self.reason.toPlainText().strip()
        if not reason:
            return
        self.confirmed.emit(reason, self.date.date().toString("yyyy-MM-dd"))
        self.accept()
