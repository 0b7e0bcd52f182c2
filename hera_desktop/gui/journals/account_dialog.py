"""Adding an account (number, name, type) or renaming one (the name only: its number and type stay)."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRegularExpression, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit

TYPES = (("Asset", "asset"), ("Liability", "liability"), ("Equity", "equity"), ("Revenue", "revenue"),
         ("Expense", "expense"))


class AccountDialog(QDialog):
    submitted = Signal(str, str, str)  # code, name, account type

    def __init__(self, parent: Any = None, account: Any = None, account_type: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accountDialog")
        self.setWindowTitle(f"Rename {account.code}" if account else "Add an account")
        self.setMinimumWidth(380)
        self.code = QLineEdit(objectName="accountCode", placeholderText="e.g. 6300", maxLength=20)
        self.code.setValidator(QRegularExpressionValidator(QRegularExpression(r"[A-Za-z0-9]{0,20}"), self.code))
        self.name = QLineEdit(objectName="accountName", placeholderText="e.g. Utilities", maxLength=255)
        self.kind = QComboBox(objectName="accountType")
        for label, value in TYPES:
            self.kind.addItem(label, value)
        if account is not None:
            self.code.setText(account.code)
            self.name.setText(account.name)
            self.kind.setCurrentIndex(self.kind.findData(account.account_type))
            self.code.setEnabled(False)
            self.kind.setEnabled(False)
        elif account_type:
            self.kind.setCurrentIndex(max(0, self.kind.findData(account_type)))
        form = QFormLayout(self)
        form.addRow("&Number", self.code)
        form.addRow("&Name", self.name)
        form.addRow("&Type", self.kind)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Rename" if account else "Add")
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        for edit in (self.code, self.name):
            edit.textChanged.connect(self._check)
        self._check()
        (self.name if account else self.code).setFocus()

    def _check(self) -> None:
        self.ok.setEnabled(bool(self.code.text().strip() and self.name.text().strip()))

    def _submit(self) -> None:
        if self.ok.isEnabled():
            self.submitted.emit(self.code.text().strip(), self.name.text().strip(), self.kind.currentData())
            self.accept()
