"""Export any table a screen shows (a Qt item model) to CSV for spreadsheets or to PDF for printing.

CSV gets each cell's exact value (``EXPORT_ROLE``: ``1234.50``, not ``1,234.50``)
so a spreadsheet can add it up, and a cell that a spreadsheet would run as a formula
is written as text (see ``services.csv_files``); PDF gets what the screen shows, with the
screen's alignment and bold totals, on A4 pages whose header row repeats.
"""
from __future__ import annotations

import html
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QMarginsF, QModelIndex, QSizeF, Qt
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from ..services.csv_files import write_rows
from .letterhead import Letterhead

EXPORT_ROLE = Qt.ItemDataRole.UserRole + 100  # a cell's exact value as text, for CSV


def _cell(model: QAbstractItemModel, row: int, column: int, role: int) -> Any:
    return model.data(model.index(row, column, QModelIndex()), role)


def headers(model: QAbstractItemModel) -> list[str]:
    return [str(model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) or "")
            for c in range(model.columnCount())]


def export_csv(model: QAbstractItemModel, path: str | Path) -> Path:
    """Write the model's rows to ``path`` (UTF-8 with a byte-order mark, which spreadsheets expect)."""
    path = Path(path)
    with path.open("w", newline="", encoding="utf-8-sig") as f:
        write_rows(f, [headers(model), *([_exported(model, r, c) for c in range(model.columnCount())]
                                         for r in range(model.rowCount()))])
    return path


def _exported(model: QAbstractItemModel, row: int, column: int) -> Any:
    value = _cell(model, row, column, EXPORT_ROLE)
    return _cell(model, row, column, Qt.ItemDataRole.DisplayRole) if value is None else value


def table_html(model: QAbstractItemModel, title: str, subtitle: str = "", business: Letterhead | None = None) -> str:
    """The model as an HTML document: the same text, alignment and emphasis as on screen, under the business's
    name, address and tax id when given."""
    head = "".join(f"<th align='{_align(model, 0, c, header=True)}'>{html.escape(h)}</th>"
                   for c, h in enumerate(headers(model)))
    body = []
    for r in range(model.rowCount()):
        cells = []
        for c in range(model.columnCount()):
            text = html.escape(str(_cell(model, r, c, Qt.ItemDataRole.DisplayRole) or ""))
            font = _cell(model, r, c, Qt.ItemDataRole.FontRole)
            if isinstance(font, QFont) and font.bold():
                text = f"<b>{text}</b>"
            cells.append(f"<td align='{_align(model, r, c)}'>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    made = datetime.now().strftime("%Y-%m-%d %H:%M")
    top = f"<p><b>{html.escape(business.name)}</b></p>{business.details_html()}" if business else ""
    return (
        f"<html><body style='font-family: sans-serif; font-size: 9pt;'>{top}"
        f"<h2 style='margin-bottom: 0'>{html.escape(title)}</h2>"
        f"<p style='color: #555'>{html.escape(subtitle)}{' — ' if subtitle else ''}printed {made}</p>"
        "<table width='100%' cellspacing='0' cellpadding='3' border='0.5' style='border-color: #999'>"
        f"<thead><tr style='background-color: #e8ecf2'>{head}</tr></thead><tbody>{''.join(body)}</tbody>"
        "</table></body></html>")


def _align(model: QAbstractItemModel, row: int, column: int, header: bool = False) -> str:
    value = (model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.TextAlignmentRole) if header
             else _cell(model, row, column, Qt.ItemDataRole.TextAlignmentRole))
    if value is None and header and model.rowCount():
        value = _cell(model, 0, column, Qt.ItemDataRole.TextAlignmentRole)
    flags = Qt.AlignmentFlag(int(value)) if value is not None else Qt.AlignmentFlag.AlignLeft
    return "right" if flags & Qt.AlignmentFlag.AlignRight else "left"


def export_pdf(model: QAbstractItemModel, path: str | Path, title: str, subtitle: str = "",
               business: Letterhead | None = None) -> Path:
    """Write the model as a printable PDF; wide tables go landscape."""
    path = Path(path)
    with path.open("wb"):  # QPdfWriter fails silently; this says why a file cannot be written (OSError)
        pass
    writer = QPdfWriter(str(path))
    writer.setTitle(title)
    writer.setCreator("HERA Desktop")
    orientation = QPageLayout.Orientation.Landscape if model.columnCount() > 6 else QPageLayout.Orientation.Portrait
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), orientation,
                                     QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    doc = QTextDocument()
    # Lay the text out for the PDF's resolution, or it comes out tiny (QPdfWriter is 1200 dpi).
    doc.documentLayout().setPaintDevice(writer)
    doc.setHtml(table_html(model, title, subtitle, business))
    page = writer.pageLayout().paintRectPixels(writer.resolution())
    doc.setPageSize(QSizeF(page.width(), page.height()))
    doc.print_(writer)
    return path
