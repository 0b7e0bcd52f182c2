"""A table model of rows under typed columns (``cells`` kinds): each cell shown, exported and aligned by its
column's kind, the same in every screen's table. A subclass says each cell's value and what to emphasise."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from .cells import ALIGN, DISPLAY, alignment, display, exact
from .export import EXPORT_ROLE

Index = QModelIndex | QPersistentModelIndex


class TypedTable(QAbstractTableModel):
    columns: Any = ()  # (title, kind) of each column; a subclass sets them, for the class or for each model

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[Any] = []
        self.currency = "USD"

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt's name
                   role: int = DISPLAY) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        if role == DISPLAY:
            return self.columns[section][0]
        if role == ALIGN:
            return alignment(self.columns[section][1])
        return None

    def value(self, row: Any, column: int) -> Any:
        raise NotImplementedError

    def style(self, row: Any, column: int, role: int) -> Any:
        return None

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, column = self.rows[index.row()], index.column()
        kind = self.columns[column][1]
        if role == DISPLAY:
            return display(self.value(row, column), kind, self.currency)
        if role == EXPORT_ROLE:
            return exact(self.value(row, column), kind, self.currency)
        if role == ALIGN:
            return alignment(kind)
        return self.style(row, column, role)
