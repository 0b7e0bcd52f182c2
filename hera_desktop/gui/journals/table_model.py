"""A read-only table of result rows, described by columns: what the journal lists and details share.

Amounts are shown with the currency's two decimals, grouped, right-aligned; a
zero in a debit or credit column is left blank, as on paper.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QFont

from .. import theme
from ...domain.money import fmt
from ..labels import plain_tooltip

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
ROW_ROLE = Qt.ItemDataRole.UserRole

Index = QModelIndex | QPersistentModelIndex


def money(amount: Decimal | None, blank_zero: bool = False) -> str:
    if amount is None or (blank_zero and amount == 0):
        return ""
    return fmt(amount)


@dataclass(frozen=True)
class Column:
    header: str
    text: Callable[[Any], str]
    amount: bool = False                        # right-aligned figures
    muted: Callable[[Any], bool] | None = None  # greyed rows (e.g. reversed entries)
    tooltip: Callable[[Any], str] | None = None


class RowsModel(QAbstractTableModel):
    def __init__(self, columns: Sequence[Column], parent: Any = None,
                 strong: Callable[[Any], bool] | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Any] = []
        self.strong = strong  # rows shown in bold, such as totals
        self._bold = QFont()
        self._bold.setBold(True)

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def append_rows(self, rows: Sequence[Any]) -> None:
        if not rows:
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(rows) - 1)
        self.rows.extend(rows)
        self.endInsertRows()

    def row(self, i: int) -> Any:
        return self.rows[i]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row, col = self.rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(RIGHT if col.amount else LEFT)
        if role == Qt.ItemDataRole.ForegroundRole and col.muted is not None and col.muted(row):
            return QBrush(theme.colour("muted"))
        if role == Qt.ItemDataRole.FontRole and self.strong is not None and self.strong(row):
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole and col.tooltip is not None:
            return plain_tooltip(col.tooltip(row)) or None
        if role == ROW_ROLE:
            return row
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.columns[section].header
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(RIGHT if self.columns[section].amount else LEFT)
        return None
