"""One posted entry in full: header, lines on named accounts with totals, reversal and source.

From here a bookkeeper reverses the entry (with a reason) or opens the till
order an automatic posting came from.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QPushButton, QTableView,
                               QVBoxLayout, QWidget)

from .. import theme
from ..labels import plain_label, rich_label
from ..sizes import heading
from .table_model import Column, RowsModel, money

@dataclass(frozen=True)
class Totals:
    debit: Decimal
    credit: Decimal
    line_number: str = ""
    account_code: str = ""
    account_name: str = "Total"
    description: str = ""


def _account(ln: Any) -> str:
    return f"{ln.account_code} · {ln.account_name}" if ln.account_code else ln.account_name


LINE_COLUMNS = [
    Column("#", lambda ln: str(ln.line_number)),
    Column("Account", _account),
    Column("Description", lambda ln: ln.description or ""),
    Column("Debit", lambda ln: money(ln.debit, blank_zero=True), amount=True),
    Column("Credit", lambda ln: money(ln.credit, blank_zero=True), amount=True),
]


class EntryDetailView(QWidget):
    reverse_requested = Signal(object)  # the EntryDetail
    open_order = Signal(str)
    open_entry = Signal(str)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.detail: Any = None
        self.title = plain_label(objectName="detailTitle")
        self.title.setStyleSheet(heading(15))
        self.facts = plain_label(objectName="detailFacts", wordWrap=True)
        self.facts.setStyleSheet(theme.tone_style("muted"))
        self.trace = rich_label(objectName="detailTrace", wordWrap=True)
        self.trace.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.trace.linkActivated.connect(self.open_entry)
        self.order_button = QPushButton(objectName="openOrder")
        self.order_button.clicked.connect(lambda: self.open_order.emit(self.detail.source.order_id))
        self.reverse_button = QPushButton("Reverse…", objectName="reverseEntry")
        self.reverse_button.clicked.connect(lambda: self.reverse_requested.emit(self.detail))
        self.lines = RowsModel(LINE_COLUMNS, self, strong=lambda row: isinstance(row, Totals))
        self.table = QTableView(objectName="detailLines")
        self.table.setModel(self.lines)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for col in (3, 4):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(col, 120)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.order_button)
        top.addWidget(self.reverse_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.facts)
        layout.addWidget(self.trace)
        layout.addWidget(self.table, 1)
        self.show_detail(None)

    def show_detail(self, detail: Any, can_reverse: bool = False) -> None:
        self.detail = detail
        if detail is None:
            self.title.setText("Select an entry to see its lines")
            for w in (self.facts, self.trace, self.order_button, self.reverse_button):
                w.hide()
            self.lines.set_rows([])
            return
        self.title.setText(f"{detail.transaction_code}  ·  {detail.description or 'No description'}")
        who = f"posted by {detail.posted_by}" if detail.posted_by else "posted by the system"
        kind = "automatic posting" if detail.automatic else "entered by hand"
        self.facts.setText(f"Date {detail.transaction_date[:10]}   ·   Reference {detail.reference or '—'}   ·   "
                           f"{kind}, {who}")
        self.facts.show()
        self.trace.setText(_trace(detail))
        self.trace.setVisible(bool(self.trace.text()))
        source = detail.source
        self.order_button.setVisible(bool(source and source.order_id))
        if source and source.order_id:
            self.order_button.setText(f"Open order {source.order_code}")
        self.reverse_button.show()
        self.reverse_button.setEnabled(can_reverse and detail.reversed_by is None and detail.reversal_of is None)
        self.lines.set_rows([*detail.lines, Totals(detail.total_debits, detail.total_credits)])


def _trace(detail: Any) -> str:
    parts = []
    if detail.source is not None:
        s = detail.source
        text = f"Posted automatically from {escape(s.kind.lower())} <b>{escape(s.code)}</b>"
        if s.order_code and s.order_code != s.code:
            text += f" of order <b>{escape(s.order_code)}</b>"
        parts.append(text + ".")
    if detail.reversed_by is not None:
        r = detail.reversed_by
        link = f"<a href='{escape(r.id)}'>{escape(r.transaction_code)}</a>"
        error = theme.tone("error")
        parts.append(f"<span style='color:{error}'>Reversed by {link} on {escape(r.transaction_date[:10])}</span>: "
                     f"{escape(r.reason or '')}")
    if detail.reversal_of is not None:
        r = detail.reversal_of
        parts.append(f"Reverses <a href='{escape(r.id)}'>{escape(r.transaction_code)}</a> "
                     f"of {escape(r.transaction_date[:10])}.")
    return "<br>".join(parts)
