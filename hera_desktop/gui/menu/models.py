"""Table models of the Menu screen: the items, an item's recipe and price history, and the products.

Each is rows of results under typed columns, formatted through ``cells`` like every other table. An
item sold out today is amber, a retired one grey, so the list reads at a glance.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from .. import theme
from ..cells import BACKGROUND, DISPLAY, FOREGROUND, MONEY, QUANTITY, TEXT
from ..till.receipts import local_time
from ..typed_table import Index, TypedTable

ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the id of a row's record


class RowsModel(TypedTable):
    """Rows under (title, kind) columns; a subclass says each cell's value and the row's id."""

    columns: tuple[tuple[str, str], ...] = ()

    def set_rows(self, rows: list[Any], currency: str = "USD") -> None:
        self.beginResetModel()
        self.rows, self.currency = list(rows), currency
        self.endResetModel()

    def row_id(self, row: Any) -> str:
        raise NotImplementedError

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if role == ID_ROLE and index.isValid() and 0 <= index.row() < len(self.rows):
            return self.row_id(self.rows[index.row()])
        return super().data(index, role)

    def row_of(self, record_id: str | None) -> int:
        return next((i for i, r in enumerate(self.rows) if self.row_id(r) == record_id), -1)


def item_state(item: Any) -> str:
    if item.retired:
        return "Retired"
    return "Sold out today" if not item.available else "On sale"


class ItemsModel(RowsModel):
    """The menu's items: name, category, price, kitchen station, and whether each is on sale."""

    columns = (("Item", TEXT), ("Code", TEXT), ("Category", TEXT), ("Price", MONEY), ("Station", TEXT),
               ("Status", TEXT))

    def value(self, row: Any, column: int) -> Any:
        return (row.entity_name, row.entity_code, row.category, row.price, row.kitchen_station,
                item_state(row))[column]

    def row_id(self, row: Any) -> str:
        return str(row.id)

    def style(self, row: Any, column: int, role: int) -> Any:
        if role == FOREGROUND and row.retired:
            return theme.colour("muted")
        if role in (BACKGROUND, FOREGROUND) and not row.retired and not row.available:  # sold out today
            return QColor(theme.surface("low")[role == FOREGROUND])
        return None


class RecipeModel(RowsModel):
    """What one sold item takes from stock: (product id, product name, quantity, unit) rows."""

    columns = (("Product", TEXT), ("Quantity per item", QUANTITY), ("Unit", TEXT))

    def value(self, row: Any, column: int) -> Any:
        return (row[1], row[2], row[3])[column]

    def row_id(self, row: Any) -> str:
        return str(row[0])


class PriceHistoryModel(RowsModel):
    """Every price the item was given, newest first: when, by whom, from what to what."""

    columns = (("When", TEXT), ("By", TEXT), ("Old price", MONEY), ("New price", MONEY))

    def value(self, row: Any, column: int) -> Any:
        return (local_time(row.changed_at), row.changed_by_name or "System", row.previous_price, row.price)[column]

    def row_id(self, row: Any) -> str:
        return str(row.transaction_id)


class ProductsModel(RowsModel):
    """The products stocked: name, code, unit, reorder level."""

    columns = (("Product", TEXT), ("Code", TEXT), ("Unit", TEXT), ("Reorder level", QUANTITY))

    def value(self, row: Any, column: int) -> Any:
        return (row.product_name, row.product_code, row.unit or "", row.reorder_level)[column]

    def row_id(self, row: Any) -> str:
        return str(row.product_id)
