"""Voiding a line the kitchen has: the reason, and (where the settings say so) the approving manager's PIN."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QPushButton, QVBoxLayout, \
    QWidget

from ..errors import describe
from ..labels import plain_label
from . import style


class VoidDialog(QDialog):
    submitted = Signal(str, object, object)  # reason, approving manager's id (or None), their PIN (or None)

    def __init__(self, item: str, managers: list[dict[str, Any]] | None, parent: QWidget | None = None) -> None:
        """``managers``: who may approve (None: the caller needs nobody's approval)."""
        super().__init__(parent)
        self.setObjectName("voidDialog")
        self.setStyleSheet(style.till())
        self.setWindowTitle(f"Void {item}")
        self.reason = QLineEdit(objectName="voidReason", placeholderText="Why (required)")
        self.reason.setMaxLength(200)
        self.approver = QComboBox(objectName="voidApprover")
        self.pin = QLineEdit(objectName="voidPin", echoMode=QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(plain_label(f"{item} was sent to the kitchen; it gets a VOID ticket.", wordWrap=True))
        form.addRow("Reason", self.reason)
        if managers is not None:
            for m in managers:
                self.approver.addItem(m["name"], m["id"])
            form.addRow("Manager", self.approver)
            form.addRow("Manager's PIN", self.pin)
        self.needs_approval = managers is not None
        self.message = plain_label(objectName="voidMessage", wordWrap=True)
        buttons = QDialogButtonBox()
        self.void_button = QPushButton("Void", objectName="confirmVoid", default=True, autoDefault=True)
        self.void_button.clicked.connect(self._submit)
        back = QPushButton("Back  Esc", objectName="cancelVoid")
        back.clicked.connect(self.reject)
        buttons.addButton(self.void_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(back, QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def _submit(self) -> None:
        if not self.reason.text().strip():
            self.message.setText("Say why the line is voided.")
            return
        self.void_button.setEnabled(False)
        approver = self.approver.currentData() if self.needs_approval else None
        self.submitted.emit(self.reason.text().strip(), approver, self.pin.text() if self.needs_approval else None)

    def failed(self, exc: Exception) -> None:
        """Refused (a wrong PIN, not a manager): say why; what was typed stays, the PIN is cleared."""
        self.void_button.setEnabled(True)
        self.pin.clear()
        self.message.setText(describe(exc)[1])
