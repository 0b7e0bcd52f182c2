"""The posted journals table: newest first, the next page fetched as the list is scrolled."""
from __future__ import annotations

from typing import Any, Callable

from .table_model import Column, Index, RowsModel, money


def _source(row: Any) -> str:
    return row.order_code or row.source_code or ""


def _status(row: Any) -> str:
    return "Reversed" if row.reversed_by_code else ("Reversal" if row.reversal_of_code else "")


def _status_tip(row: Any) -> str:
    if row.reversed_by_code:
        return f"Reversed by {row.reversed_by_code}"
    return f"Reversal of {row.reversal_of_code}" if row.reversal_of_code else ""


def _reversed(row: Any) -> bool:
    return bool(row.reversed_by_code or row.reversal_of_code)


COLUMNS = [
    Column("Date", lambda r: r.transaction_date[:10], muted=_reversed),
    Column("Entry", lambda r: r.transaction_code, muted=_reversed),
    Column("Reference", lambda r: r.reference or "", muted=_reversed),
    Column("Description", lambda r: r.description or "", muted=_reversed, tooltip=lambda r: r.description or ""),
    Column("Order / source", _source, muted=_reversed,
           tooltip=lambda r: (f"Posted automatically from {r.source_code}" if r.automatic else "Entered by hand")),
    Column("Amount", lambda r: money(r.total_amount), amount=True, muted=_reversed),
    Column("Status", _status, muted=_reversed, tooltip=_status_tip),
]
# What each column must fit; the description (None) takes what is left.
WIDEST = ("0000-00-00", "JE-XXXX-000000", "SALE-XXXX-000000", None, "SALE-XXXX-000000", "000,000.00", "Reversal")


class PostedModel(RowsModel):
    def __init__(self, fetch_more: Callable[[], None], parent: Any = None) -> None:
        super().__init__(COLUMNS, parent)
        self.next_cursor: str | None = None
        self.loading = False
        self._fetch_more = fetch_more

    def set_page(self, rows: list[Any], next_cursor: str | None) -> None:
        self.next_cursor = next_cursor
        self.loading = False
        self.set_rows(rows)

    def add_page(self, rows: list[Any], next_cursor: str | None) -> None:
        self.next_cursor = next_cursor
        self.loading = False
        self.append_rows(rows)

    def row_of(self, entry_id: str) -> int:
        return next((i for i, r in enumerate(self.rows) if r.id == entry_id), -1)

    def canFetchMore(self, parent: Index) -> bool:  # noqa: N802 - Qt's name
        return not parent.isValid() and self.next_cursor is not None and not self.loading

    def fetchMore(self, parent: Index) -> None:  # noqa: N802
        if self.canFetchMore(parent):
            self.loading = True
            self._fetch_more()
