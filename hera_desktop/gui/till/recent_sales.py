"""Recent sales at the till: reprint a receipt (marked COPY), and, for managers only, refund an order.

A refund reverses the sale and its payments in the books, with the reason the
manager gives; the original stays, marked as refunded.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHBoxLayout, QLineEdit, QListWidget,
                               QListWidgetItem, QPushButton, QVBoxLayout, QWidget)

from ...domain.money import fmt
from ..labels import plain_label
from . import style
from .receipts import local_time

SHOWN = 40


def recent_sales(scope: Any, limit: int = SHOWN) -> list[Any]:
    """The latest orders (since yesterday), newest first; refunds show as their refunded original."""
    since = (datetime.now(timezone.utc) - timedelta(days=1)).date().isoformat()
    return scope.restaurant.recent_sales(since, limit)


class RefundDialog(QDialog):
    def __init__(self, sale: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("refundDialog")
        self.setWindowTitle(f"Refund order {sale.transaction_code}")
        self.reason = QLineEdit(objectName="refundReason", placeholderText="Why is this order refunded?")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.addButton(f"Refund {fmt(sale.total_amount, sale.currency)}",
                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("confirmRefund")
        self.ok.setEnabled(False)
        self.reason.textChanged.connect(lambda t: self.ok.setEnabled(bool(t.strip())))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(plain_label(f"Refund order {sale.transaction_code} ({fmt(sale.total_amount, sale.currency)})? "
                                "The sale and its payments are reversed in the books.", wordWrap=True))
        layout.addWidget(self.reason)
        layout.addWidget(buttons)


class RecentSalesDialog(QDialog):
    reprint = Signal(str)  # sale id

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("recentSales")
        self.setStyleSheet(style.till())
        self.setWindowTitle("Recent sales")
        self.list = QListWidget(objectName="recentSalesList")
        self.list.itemActivated.connect(lambda _: self._reprint())
        self.message = plain_label(objectName="recentSalesMessage", wordWrap=True)
        self.reprint_button = QPushButton("Reprint receipt  Enter", objectName="reprint")
        self.reprint_button.clicked.connect(self._reprint)
        row = QHBoxLayout()
        row.addWidget(self.reprint_button)
        self.refund_button: QPushButton | None = None
        if session.allows("orders.refund"):  # not offered to anyone the books would refuse anyway
            self.refund_button = QPushButton("Refund…", objectName="refund")
            self.refund_button.clicked.connect(self.ask_refund)
            row.addWidget(self.refund_button)
        close = QPushButton("Close  Esc")
        close.clicked.connect(self.reject)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.message)
        layout.addLayout(row)
        self.refund_dialog: RefundDialog | None = None
        self.resize(560, 520)
        self.load()

    def load(self) -> None:
        scope = self.session.scope
        self.session.runner.read(lambda: recent_sales(scope), self._show, self._fail)

    def _show(self, sales: list[Any]) -> None:
        self.list.clear()
        for t in sales:
            when = local_time(t.created_at, "%H:%M")
            table = t.business_context.get("table_number")
            where = f"Table {table}" if table not in (None, "") else "Counter"
            flag = "   REFUNDED" if t.is_reversed else ""
            item = QListWidgetItem(f"{t.transaction_code}   {when}   {where}   {fmt(t.total_amount, t.currency)}{flag}")
            item.setData(Qt.ItemDataRole.UserRole, t)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        if not sales:
            self.message.setText("No sales yet today.")

    def _fail(self, exc: Exception) -> None:
        from ..errors import describe
        self.message.setText(" ".join(describe(exc)))

    def selected(self) -> Any:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _reprint(self) -> None:
        sale = self.selected()
        if sale is not None:
            self.reprint.emit(sale.id)

    def ask_refund(self) -> RefundDialog | None:
        sale = self.selected()
        if sale is None or sale.is_reversed:
            self.message.setText("That order was already refunded." if sale is not None else "Choose an order.")
            return None
        dialog = self.refund_dialog = RefundDialog(sale, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._refund(sale, dialog.reason.text().strip()))
        dialog.open()
        return dialog

    def _refund(self, sale: Any, reason: str) -> None:
        scope = self.session.scope
        self.session.runner.change(lambda: scope.restaurant.refund(sale.id, reason),
                                   lambda _reversal: self._refunded(sale), self._fail)

    def _refunded(self, sale: Any) -> None:
        self.message.setText(f"Order {sale.transaction_code} was refunded.")
        self.load()
