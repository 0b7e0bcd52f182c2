"""What a report shows: titled columns, lines (details, section headings, totals) and maybe a chart.

A report is built from a service's result on a worker thread as plain data
(no Qt objects), then handed to :class:`ReportModel` on the GUI thread. The
model formats cells for the screen and the PDF, and gives CSV the exact values.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from .. import theme
from ..cells import (ALIGN, BACKGROUND, COST, COUNT, DISPLAY, FONT, FOREGROUND, MONEY,
                     QUANTITY, TEXT, alignment, bold_font, display, exact)
from ..export import EXPORT_ROLE

DETAIL, SECTION, TOTAL = "", "section", "total"
__all__ = ["COST", "COUNT", "MONEY", "QUANTITY", "TEXT", "ChartSpec", "Column", "Line", "ReportModel", "ReportTable",
           "display", "exact"]
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = TEXT
    wide: bool = False  # takes the width the others leave (names, descriptions)


@dataclass(frozen=True)
class Line:
    values: tuple[Any, ...]
    style: str = DETAIL


@dataclass(frozen=True)
class ChartSpec:
    title: str
    labels: tuple[str, ...]
    values: tuple[Decimal, ...]
    mode: str = "bar"  # bar, hbar (ranked items) or line


@dataclass(frozen=True)
class ReportTable:
    title: str
    subtitle: str
    columns: tuple[Column, ...]
    lines: tuple[Line, ...] = ()
    currency: str = "USD"
    chart: ChartSpec | None = None
    note: str = ""  # a verdict worth a glance: "Balanced", "Does not balance by 0.01"


class ReportModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.table: ReportTable | None = None
        self._texts: list[list[tuple[str, str]] | None] = []  # per row, formatted on first look
        self._align: list[int] = []

    def set_table(self, table: ReportTable | None) -> None:
        self.beginResetModel()
        self.table = table
        self._texts = [None] * (len(table.lines) if table else 0)
        self._align = [alignment(c.kind) for c in table.columns] if table else []
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self._texts)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self._align)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt's name
                   role: int = DISPLAY) -> Any:
        if self.table is None or orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._align):
            return None
        if role == DISPLAY:
            return self.table.columns[section].title
        if role == ALIGN:
            return self._align[section]
        return None

    def _format(self, row: int) -> list[tuple[str, str]]:
        assert self.table is not None
        values, currency = self.table.lines[row].values, self.table.currency
        return [(display(v, c.kind, currency), exact(v, c.kind, currency))
                for v, c in zip((*values, *[None] * (len(self.table.columns) - len(values))), self.table.columns)]

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        # Called for every cell and role whenever the view measures or paints: kept to lookups.
        if self.table is None or not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == DISPLAY or role == EXPORT_ROLE:
            texts = self._texts[row]
            if texts is None:
                texts = self._texts[row] = self._format(row)
            return texts[column][0 if role == DISPLAY else 1]
        if role == ALIGN:
            return self._align[column]
        style = self.table.lines[row].style
        if role == FONT and style:
            return bold_font()
        if role == BACKGROUND and style == SECTION:
            return QColor(theme.surface("section")[0])
        if role == FOREGROUND:
            value = self.table.lines[row].values[column] if column < len(self.table.lines[row].values) else None
            if self.table.columns[column].kind == MONEY and isinstance(value, Decimal) and value < 0:
                return theme.colour("error") if style != SECTION else QColor(theme.surface("section")[1])
            return QColor(theme.surface("section")[1]) if style == SECTION else None
        return None
