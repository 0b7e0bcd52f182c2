"""No sale: the cash drawer opened without a sale. The reason is asked first and recorded
(``cash_drawer.no_sale``); the drawer is kicked open only once the books hold the record."""
from __future__ import annotations

import uuid


from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLineEdit, QVBoxLayout, QWidget

from ...services.cash_drawer import LONGEST_REASON
from ..errors import describe
from ..labels import plain_label
from . import style


class NoSaleDialog(QDialog):
    submitted = Signal(str, str)  # the reason, the key that records it once however often OK is pressed

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noSaleDialog")
        self.setWindowTitle("No sale — open the drawer")
        self.setStyleSheet(style.till())
        self.key = f"no-sale-{uuid.uuid4()}"
        self.reason = QLineEdit(objectName="noSaleReason", maxLength=LONGEST_REASON,
                                placeholderText="Why the drawer opens: change for a customer, float check…")
        self.reason.setAccessibleName("Reason for opening the drawer")
        self.error = plain_label(objectName="noSaleError", wordWrap=True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Open drawer")
        self.ok.setObjectName("noSaleOpen")
        self.ok.setEnabled(False)
        self.reason.textChanged.connect(lambda text: self.ok.setEnabled(bool(text.strip())))
        self.reason.returnPressed.connect(self._submit)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label("Opening the drawer without a sale is recorded with your name and the reason."))
        layout.addWidget(self.reason)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _submit(self) -> None:
        if self.reason.text().strip() and self.ok.isEnabled():
            self.ok.setEnabled(False)
            self.submitted.emit(self.reason.text(), self.key)

    def failed(self, exc: Exception) -> None:
        self.error.setText(describe(exc)[1])
        self.ok.setEnabled(bool(self.reason.text().strip()))
