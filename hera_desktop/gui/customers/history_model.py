"""A customer's history as a table model: status changes, orders and payments, newest first."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from ..labels import plain_tooltip
from .presentation import history_line, money, when
from .table import RIGHT, ColumnsModel, Index

COLUMNS = ("When", "What", "Details", "Amount")
AMOUNT = 3


class HistoryModel(ColumnsModel):
    columns = COLUMNS
    money_columns = (AMOUNT,)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[str, str, str, str]] = []
        self.codes: list[str] = []

    def set_history(self, transactions: list[Any]) -> None:
        self.beginResetModel()
        self.rows, self.codes = [], []
        for txn in sorted(transactions, key=lambda t: t.created_at, reverse=True):
            self.codes.append(txn.transaction_code)
            what, details = history_line(txn)
            amount = money(txn.total_amount) if txn.transaction_type != "status_change" else ""
            self.rows.append((when(txn.transaction_date), what, details, amount))
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(f"{self.rows[index.row()][2]}\n{self.codes[index.row()]}")
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == AMOUNT:
            return RIGHT
        return None
