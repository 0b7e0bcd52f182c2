"""The customer list as a table model: a page at a time, or the matches for what was typed.

The model never holds every customer: it starts with one page and asks for the
next one when the view scrolls near the end (canFetchMore/fetchMore). Reads go
through ``read`` (a Runner's: off the GUI thread in the app); an answer that
arrives after the person has typed something else is dropped, and a failure is
announced through ``failed`` for the screen to show.
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QModelIndex, Qt, Signal

from ...domain.contracts.customers import CustomerPage, CustomerView
from ...services.customer_directory import PAGE_SIZE
from .presentation import money, status_colour, status_text
from .table import RIGHT, ColumnsModel, Index

Read = Callable[[Callable[[], Any], Callable[[Any], None], Callable[[Exception], None]], None]

COLUMNS = ("Name", "Code", "Status", "Balance")
MONEY_COLUMNS = (3,)
MAX_RELOAD = 1000  # a refresh reloads what was shown, up to this many rows, so the list keeps its place
SEARCH_SIZE = 50  # matches shown while typing: a keystroke must answer within a frame or three


class CustomerListModel(ColumnsModel):
    columns = COLUMNS
    money_columns = MONEY_COLUMNS

    loaded = Signal()  # a new list (not a further page) is in place
    failed = Signal(object)  # the exception, for the screen to show in plain words

    def __init__(self, directory: Callable[[], Any], read: Read, parent: Any = None) -> None:
        super().__init__(parent)
        self.directory = directory  # -> the signed-in user's CustomerDirectory
        self.read = read
        self.rows: list[CustomerView] = []
        self.query = ""
        self.next_cursor: str | None = None
        self._generation = 0
        self._fetching = False

    # ------------------------------------------------------------------ what the view asks

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, col = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.entity_name, row.entity_code, status_text(row.status), money(row.account_balance))[col]
        if role == Qt.ItemDataRole.TextAlignmentRole and col in MONEY_COLUMNS:
            return RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and col == 2:
            return status_colour(row.status)
        if role == Qt.ItemDataRole.ForegroundRole and col == 3 and row.account_balance > row.credit_limit:
            return status_colour("suspended")
        if role == Qt.ItemDataRole.ToolTipRole and col == 3:
            return f"Balance {money(row.account_balance)} of credit limit {money(row.credit_limit)}"
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def canFetchMore(self, parent: Index) -> bool:  # noqa: N802
        return not parent.isValid() and self.next_cursor is not None and not self._fetching

    def fetchMore(self, parent: Index) -> None:  # noqa: N802
        if not self.canFetchMore(parent):
            return
        self._fetching = True
        cursor, generation = self.next_cursor, self._generation
        self.read(lambda: self.directory().page(cursor, PAGE_SIZE), lambda page: self._more(generation, page),
                  self._failed)

    # ------------------------------------------------------------------ what the screen asks

    def search(self, text: str, keep_rows: int = PAGE_SIZE) -> None:
        """Show the customers matching ``text`` (all of them, a page at a time, when it is empty)."""
        self.query = text.strip()
        self._generation += 1
        generation, query = self._generation, self.query
        if query:
            self.read(lambda: self.directory().find(query, SEARCH_SIZE), lambda page: self._replace(generation, page),
                      self._failed)
        else:
            size = min(max(keep_rows, PAGE_SIZE), MAX_RELOAD)
            self.read(lambda: self.directory().page(None, size), lambda page: self._replace(generation, page),
                      self._failed)

    def reload(self) -> None:
        """Read again what is shown (after a change), keeping as many rows as were loaded."""
        self.search(self.query, keep_rows=len(self.rows))

    def customer(self, row: int) -> CustomerView:
        return self.rows[row]

    def row_of(self, customer_id: str) -> int:
        return next((i for i, r in enumerate(self.rows) if r.id == customer_id), -1)

    def update_customer(self, view: CustomerView) -> None:
        """Show a customer's new details in place (after an edit or a status change)."""
        row = self.row_of(view.id)
        if row >= 0:
            self.rows[row] = view
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    # ------------------------------------------------------------------ answers

    def _replace(self, generation: int, page: CustomerPage) -> None:
        if generation != self._generation:
            return  # the person typed on; this answer is for an old search
        self.beginResetModel()
        self.rows = list(page.rows)
        self.next_cursor = page.next_cursor
        self._fetching = False
        self.endResetModel()
        self.loaded.emit()

    def _more(self, generation: int, page: CustomerPage) -> None:
        if generation != self._generation:
            return
        self._fetching = False
        if page.rows:
            first = len(self.rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
            self.rows.extend(page.rows)
            self.next_cursor = page.next_cursor
            self.endInsertRows()
        else:
            self.next_cursor = None

    def _failed(self, exc: Exception) -> None:
        self._fetching = False
        self.failed.emit(exc)
