"""Choosing the ticket's customer by typing: matches appear under the field as each letter is typed.

Down/Up move through the matches, Enter takes the highlighted one (the first by
default), Escape closes the list. Clearing the field takes the customer off the
ticket. Searches run off the GUI thread; an answer to an older search than the
text now in the field is dropped.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from ...domain.money import fmt
from ..labels import plain_label


class CustomerPicker(QWidget):
    chosen = Signal(object)  # the CustomerView, or None when the customer is taken off

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.customer: Any = None
        self.edit = QLineEdit(objectName="customerSearch", clearButtonEnabled=True,
                              placeholderText="Customer (optional) — type to search  (F3)")
        self.edit.textEdited.connect(self._search)
        self.edit.textChanged.connect(lambda text: self.clear() if not text and self.customer else None)
        self.edit.installEventFilter(self)
        self.matches = QListWidget(objectName="customerMatches")
        self.matches.setMaximumHeight(150)
        self.matches.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.matches.itemClicked.connect(lambda item: self._choose(item.data(Qt.ItemDataRole.UserRole)))
        self.matches.hide()
        self.detail = plain_label(objectName="customerDetail")
        self.detail.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit)
        layout.addWidget(self.matches)
        layout.addWidget(self.detail)

    def _search(self, text: str) -> None:
        text = text.strip()
        if not text:
            self.matches.hide()
            return
        scope = self.session.scope
        self.session.runner.read(lambda: scope.customers.search(text, limit=8),
                                 lambda found: self._show(text, found), self._failed)

    def _show(self, text: str, found: list[Any]) -> None:
        if text != self.edit.text().strip():
            return  # an answer to an earlier keystroke
        self.matches.clear()
        for c in found:
            status = "" if c.status == "active" else f" — {c.status}"
            item = QListWidgetItem(f"{c.entity_name}  ·  {c.entity_code}{status}")
            item.setData(Qt.ItemDataRole.UserRole, c)
            self.matches.addItem(item)
        if not found:
            self.matches.addItem(QListWidgetItem("No customer matches"))
        self.matches.setCurrentRow(0)
        self.matches.show()

    def _failed(self, exc: Exception) -> None:
        from ..errors import describe
        self.matches.clear()
        self.matches.addItem(describe(exc)[1])
        self.matches.show()

    def _choose(self, customer: Any) -> None:
        if customer is None:
            return
        self.set_customer(customer)
        self.chosen.emit(customer)

    def set_customer(self, customer: Any) -> None:
        """Show this customer as chosen (also used when a kept order is opened)."""
        self.customer = customer
        self.matches.hide()
        self.edit.blockSignals(True)
        self.edit.setText(customer.entity_name if customer else "")
        self.edit.blockSignals(False)
        if customer is not None and hasattr(customer, "credit_limit"):
            self.detail.setText(f"On account: owes {fmt(customer.account_balance)} of a "
                                f"{fmt(customer.credit_limit)} credit limit")
            self.detail.show()
        else:
            self.detail.hide()

    def clear(self) -> None:
        had = self.customer is not None
        self.set_customer(None)
        if had:
            self.chosen.emit(None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.edit and event.type() == QEvent.Type.KeyPress and self.matches.isVisible():
            key = event.key()  # type: ignore[attr-defined]
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                step = 1 if key == Qt.Key.Key_Down else -1
                self.matches.setCurrentRow(max(0, min(self.matches.count() - 1, self.matches.currentRow() + step)))
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                item = self.matches.currentItem()
                self._choose(item.data(Qt.ItemDataRole.UserRole) if item else None)
                return True
            if key == Qt.Key.Key_Escape:
                self.matches.hide()
                return True
        return super().eventFilter(watched, event)
