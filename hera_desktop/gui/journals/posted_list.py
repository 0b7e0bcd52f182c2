"""Posted journals: filter, scroll newest first, read an entry's lines, reverse it, trace it to its order."""
from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QHeaderView, QLabel, QSplitter, QTableView, QVBoxLayout,
                               QWidget)

from .. import theme
from ..errors import show_error
from .entry_detail import EntryDetailView
from .filters import FilterBar
from .order_dialog import OrderDialog
from .posted_model import WIDEST, PostedModel
from .reverse_dialog import ReverseDialog

PAGE = 200


class PostedList(QWidget):
    reversed = Signal(str)  # the reversal's transaction id

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = session.runner
        self._generation = 0          # results of an older filter are dropped
        self._wanted: str | None = None
        self.reverse_dialog: ReverseDialog | None = None
        self.order_dialog: OrderDialog | None = None
        self.filters = FilterBar(self)
        self.filters.changed.connect(self.reload)
        self.model = PostedModel(self._fetch_more, self)
        self.table = QTableView(objectName="postedJournals")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.ensurePolished()  # the application's font size, before measuring
        for col, sample in enumerate(WIDEST):
            if sample:
                header.resizeSection(col, self.table.fontMetrics().horizontalAdvance(sample) + 24)
            else:
                header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._selected)
        self.count = QLabel(objectName="postedCount")
        self.count.setStyleSheet(theme.tone_style("muted"))
        self.detail = EntryDetailView(self)
        self.detail.reverse_requested.connect(self.ask_reversal)
        self.detail.open_order.connect(self.open_order)
        self.detail.open_entry.connect(self.show_entry)
        split = QSplitter(Qt.Orientation.Vertical)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.table, 1)
        top_layout.addWidget(self.count)
        split.addWidget(top)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filters)
        layout.addWidget(split, 1)

    @property
    def scope(self) -> Any:
        return self.session.scope

    # ------------------------------------------------------------------ the list

    def refresh(self) -> None:
        scope = self.scope
        self.runner.read(scope.journals.accounts, self.filters.set_accounts, self._failed)
        self.reload()

    def reload(self) -> None:
        self._generation += 1
        generation, scope, filters = self._generation, self.scope, self.filters.values()
        self.model.loading = True
        self.runner.read(lambda: scope.journal_list.page(limit=PAGE, **filters),
                         lambda page: self._first_page(generation, page), self._failed)

    def _first_page(self, generation: int, page: Any) -> None:
        if generation != self._generation:
            return
        keep = self._wanted or (self.detail.detail.id if self.detail.detail else None)
        self.model.set_page(page.rows, page.next_cursor)
        self._counted()
        row = self.model.row_of(keep) if keep else -1
        if row >= 0:
            self._select(row)
        elif keep:
            self.load_detail(keep)  # not in this page or filter: still show what was asked for

    def _fetch_more(self) -> None:
        generation, scope, cursor = self._generation, self.scope, self.model.next_cursor
        filters = self.filters.values()
        self.runner.read(lambda: scope.journal_list.page(limit=PAGE, cursor=cursor, **filters),
                         lambda page: self._more(generation, page), self._failed)

    def _more(self, generation: int, page: Any) -> None:
        if generation == self._generation:
            self.model.add_page(page.rows, page.next_cursor)
            self._counted()

    def _counted(self) -> None:
        n = self.model.rowCount()
        more = ", more as you scroll" if self.model.next_cursor else ""
        self.count.setText(f"{n:,} {'entry' if n == 1 else 'entries'} shown{more}")

    def _select(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)

    # ------------------------------------------------------------------ one entry

    def focus_on(self, entry_id: str) -> None:
        """Select this entry the next time the list loads."""
        self._wanted = entry_id

    def show_entry(self, entry_id: str) -> None:
        """Select the entry if it is listed, and show its detail either way."""
        row = self.model.row_of(entry_id)
        if row >= 0:
            self._select(row)
        else:
            self.load_detail(entry_id)

    def _selected(self, current: Any, _previous: Any = None) -> None:
        if current.isValid():
            self.load_detail(self.model.row(current.row()).id)

    def load_detail(self, entry_id: str) -> None:
        self._wanted = entry_id
        scope = self.scope
        self.runner.read(lambda: scope.journal_list.detail(entry_id), self._show_detail, self._failed)

    def _show_detail(self, detail: Any) -> None:
        if detail.id == self._wanted:
            self._wanted = None
            self.detail.show_detail(detail, self.session.allows("journals.reverse"))

    # ------------------------------------------------------------------ reversal and tracing

    def ask_reversal(self, detail: Any) -> ReverseDialog:
        dialog = ReverseDialog(detail, self)
        dialog.confirmed.connect(lambda reason, day: self.reverse(detail.id, reason, day))
        self.reverse_dialog = dialog
        dialog.finished.connect(lambda _=0: setattr(self, "reverse_dialog", None))
        dialog.open()
        return dialog

    def reverse(self, entry_id: str, reason: str, day: str | None = None) -> None:
        scope = self.scope
        when = None if day in (None, date.today().isoformat()) else day  # today: at the time of reversing
        self.runner.change(lambda: scope.journals.reverse(entry_id, reason, date=when),
                           lambda emitted: self._reversed(entry_id, emitted), self._failed)

    def _reversed(self, entry_id: str, emitted: Any) -> None:
        self._wanted = entry_id
        self.reload()
        self.reversed.emit(emitted.transaction_id)

    def open_order(self, order_id: str) -> None:
        scope = self.scope
        self.runner.read(lambda: scope.journal_list.order(order_id), self._show_order, self._failed)

    def _show_order(self, order: Any) -> None:
        if self.order_dialog is not None:
            self.order_dialog.close()
        self.order_dialog = OrderDialog(order, self)
        self.order_dialog.open_entry.connect(self.show_entry)
        self.order_dialog.show()

    def _failed(self, exc: Exception) -> None:
        self.model.loading = False
        show_error(self, exc)

