"""Table models of the Inventory screen: stock on hand per product and location, and a product's movements.

Low stock (on hand at or below the reorder level) is marked where the eye
goes first: the row gets an amber background and the on-hand figure turns red.
Stock below zero at a location (sold at the till past what the books had) is
marked more strongly still: a red row, and the location's figure in bold red.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from .. import theme
from ...domain.money import ZERO
from ..cells import BACKGROUND, COST, FONT, FOREGROUND, MONEY, QUANTITY, TEXT, TOOLTIP, bold_font, display
from ..labels import plain_tooltip
from ..typed_table import TypedTable

PRODUCT_ROLE = Qt.ItemDataRole.UserRole + 1  # the product id of a row


class _Table(TypedTable):
    """Rows of values under typed columns; subclasses say what the columns are and what to emphasise."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.columns: list[tuple[str, str]] = []  # (title, kind)


class StockModel(_Table):
    """One row per product: on hand at each location, in all, reorder level, average cost, value."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.locations: list[Any] = []

    def set_overview(self, overview: Any, currency: str) -> None:
        self.beginResetModel()
        self.locations, self.rows, self.currency = list(overview.locations), list(overview.products), currency
        self.columns = [("Product", TEXT), *((loc.name, QUANTITY) for loc in self.locations),
                        ("On hand", QUANTITY), ("Reorder level", QUANTITY), ("Average cost", COST), ("Value", MONEY)]
        self.endResetModel()

    @property
    def on_hand_column(self) -> int:
        return len(self.locations) + 1

    def value(self, row: Any, column: int) -> Any:
        if column == 0:
            return row.product_name
        if column <= len(self.locations):
            return row.by_location.get(self.locations[column - 1].location_id, ZERO)
        return (row.on_hand, row.reorder_level, row.average_cost, row.value)[column - self.on_hand_column]

    def below_zero(self, row: Any) -> list[tuple[str, Decimal]]:
        """(location name, quantity) of each location where the product is below zero."""
        return [(loc.name, row.by_location[loc.location_id]) for loc in self.locations
                if row.by_location.get(loc.location_id, ZERO) < 0]

    def negative_count(self) -> int:
        return sum(1 for r in self.rows if self.below_zero(r))

    def style(self, row: Any, column: int, role: int) -> Any:
        if role == PRODUCT_ROLE:
            return row.product_id
        short = self.below_zero(row)
        if short:
            return self._negative_style(row, column, role, short)
        if not row.low:
            return None
        if role == BACKGROUND:
            return QColor(theme.surface("low")[0])
        if role == FOREGROUND:  # every cell: the row's tint needs the text that reads on it
            return QColor(theme.surface("low")[1])
        if role == FONT and column == self.on_hand_column:
            return bold_font()
        if role == TOOLTIP:
            return plain_tooltip(f"Low stock: {display(row.on_hand, QUANTITY, '')} on hand, "
                                 f"reorder level {display(row.reorder_level, QUANTITY, '')}")
        return None

    def _negative_style(self, row: Any, column: int, role: int, short: list[tuple[str, Decimal]]) -> Any:
        if role == BACKGROUND:
            return QColor(theme.surface("negative")[0])
        at_location = 0 < column <= len(self.locations) and self.value(row, column) < 0
        if role == FOREGROUND:
            return QColor(theme.surface("negative")[1])
        if role == FONT and at_location:
            return bold_font()
        if role == TOOLTIP:
            where = ", ".join(f"{display(q, QUANTITY, '')} at {name}" for name, q in short)
            return plain_tooltip(f"Below zero: {where}. Sold past what the books had: receive or count it.")
        return None

    def row_of(self, product_id: str) -> int:
        return next((i for i, r in enumerate(self.rows) if r.product_id == product_id), -1)


KIND_NAMES = {"receipt": "Receipt", "issue": "Issue", "transfer": "Transfer", "adjustment": "Count",
              "sale": "Sale", "reversal": "Reversal"}


class MovementModel(_Table):
    """A product's movements, newest first, with the balance after each one."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = [("Date", TEXT), ("Movement", TEXT), ("Location", TEXT), ("Quantity", QUANTITY),
                        ("Unit cost", COST), ("Balance", QUANTITY), ("Reference", TEXT), ("Reason", TEXT)]

    def set_movements(self, movements: list[Any], currency: str) -> None:
        self.beginResetModel()
        self.rows, self.currency = list(reversed(movements)), currency
        self.endResetModel()

    def value(self, row: Any, column: int) -> Any:
        if column == 0:
            return row.transaction_date[:16].replace("T", " ")
        if column == 1:
            name = KIND_NAMES.get(row.kind, row.kind.title())
            return f"{name} {'in' if row.quantity > 0 else 'out'}" if row.kind == "transfer" else name
        return (row.location_name, row.quantity, row.unit_cost, row.balance, row.reference or "",
                row.reason)[column - 2]

    def style(self, row: Any, column: int, role: int) -> Any:
        if role == FOREGROUND and column == 3 and isinstance(row.quantity, Decimal):
            return theme.colour("ok" if row.quantity > 0 else "error")
        return None
