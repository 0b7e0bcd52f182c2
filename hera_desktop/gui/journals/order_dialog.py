"""A till order seen from the books: what was sold, how it was paid, and every journal it posted."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel, QTableView,
                               QVBoxLayout)

from ..labels import plain_label
from ..sizes import heading
from .table_model import ROW_ROLE, Column, RowsModel, money

ITEM_COLUMNS = [
    Column("Item", lambda i: i.description),
    Column("Qty", lambda i: "" if i.quantity is None else f"{i.quantity.normalize():f}", amount=True),
    Column("Price", lambda i: money(i.unit_price), amount=True),
    Column("Amount", lambda i: money(i.amount), amount=True),
]
TRACE_COLUMNS = [
    Column("Date", lambda t: t.transaction_date[:10]),
    Column("Code", lambda t: t.transaction_code),
    Column("What", lambda t: t.description or t.kind),
    Column("Amount", lambda t: money(t.total_amount), amount=True),
]


def _table(model: RowsModel, name: str, stretch: int) -> QTableView:
    view = QTableView(objectName=name)
    view.setModel(model)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(24)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(False)
    view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return view


class OrderDialog(QDialog):
    open_entry = Signal(str)

    def __init__(self, order: Any, parent: Any = None) -> None:
        super().__init__(parent)
        self.order = order
        self.setObjectName("orderDialog")
        self.setWindowTitle(f"Order {order.transaction_code}")
        self.resize(640, 560)
        title = plain_label(f"Order {order.transaction_code}", objectName="orderTitle")
        title.setStyleSheet(heading(15))
        facts = [order.transaction_date[:16].replace("T", " ")]
        if order.table_number not in (None, ""):
            facts.append(f"table {order.table_number}")
        facts.append(order.customer or "walk-in customer")
        if order.server:
            facts.append(f"served by {order.server}")
        if order.refunded_by:
            facts.append(f"refunded by {order.refunded_by}")
        self.facts = plain_label("   ·   ".join(facts), objectName="orderFacts", wordWrap=True)
        self.items = RowsModel(ITEM_COLUMNS, self)
        self.items.set_rows(order.items)
        total = plain_label(f"Tax {money(order.tax)}     Total {money(order.total_amount)} {order.currency}",
                       objectName="orderTotal", alignment=Qt.AlignmentFlag.AlignRight)
        total.setStyleSheet("font-weight: 600;")
        self.related = RowsModel(TRACE_COLUMNS, self)
        self.related.set_rows(order.related)
        self.postings = RowsModel(TRACE_COLUMNS, self)
        self.postings.set_rows(order.postings)
        self.postings_view = _table(self.postings, "orderPostings", 2)
        self.postings_view.doubleClicked.connect(
            lambda index: self.open_entry.emit(index.data(ROW_ROLE).id))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.facts)
        layout.addWidget(_table(self.items, "orderItems", 0), 3)
        layout.addWidget(total)
        layout.addWidget(QLabel("Payments and stock"))
        layout.addWidget(_table(self.related, "orderRelated", 2), 2)
        layout.addWidget(QLabel("Journals it posted (double-click to open)"))
        layout.addWidget(self.postings_view, 2)
        layout.addWidget(buttons)
