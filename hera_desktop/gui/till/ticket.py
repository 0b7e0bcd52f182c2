"""The order ticket being built at the till: its lines as a table model, and its totals.

Totals are worked out by the same pricing function the restaurant service records
sales with (``domain/pricing.py``), with each line at its menu item's tax rate, so the
total a cashier reads out is the total that is charged, tax by tax. The ticket carries the
order's idempotency key from its first line to its payment; it changes only
when a new ticket is started.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Iterable, Mapping

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from ...domain.contracts.restaurant import DraftLine, Ticket, new_key
from ...domain.money import ZERO, fmt
from ...domain.pricing import STANDARD, STANDARD_ACCOUNT, RateTax, TaxRate, TaxRules, line_amount, price_order
from ..labels import plain_tooltip

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Line:
    menu_item_id: str
    name: str
    unit_price: Decimal
    quantity: int = 1
    note: str = ""
    sent: int = 0  # how many the kitchen has: a sent line changes only by a void

    def amount(self, currency: str) -> Decimal:
        return line_amount(self.quantity, self.unit_price, currency)


@dataclass(frozen=True)
class TicketTax:
    """How the ticket's lines are taxed: the business's tax rules and the rate of each menu item on sale."""
    rules: TaxRules
    item_rates: Mapping[str, TaxRate] = field(default_factory=dict)  # by menu item id

    @classmethod
    def of(cls, rules: TaxRules, menu: Mapping[str, Any]) -> TicketTax:
        """The rates of the menu's items (``MenuItem`` by id) under these rules."""
        return cls(rules, {i: rules.rate_for(m.tax_rate, m.category) for i, m in menu.items()})

    @classmethod
    def flat(cls, rate: Decimal, label: str = "Sales Tax") -> TicketTax:
        """Every line at one rate, added on top of the prices."""
        return cls(TaxRules({STANDARD: TaxRate(STANDARD, label, rate, STANDARD_ACCOUNT)}, {}))

    def rate_of(self, menu_item_id: str) -> TaxRate:
        return self.item_rates.get(menu_item_id) or self.rules.standard


@dataclass(frozen=True)
class Totals:
    subtotal: Decimal  # before tax
    tax: Decimal
    total: Decimal
    taxes: tuple[RateTax, ...]  # each rate's tax, as the receipt will print it
    items: int
    prices_include_tax: bool = False


def order_totals(lines: Iterable[Line], tax: TicketTax | Decimal, currency: str) -> Totals:
    """The order's totals as the restaurant service will record them (a bare rate: every line at it, on top)."""
    tax = tax if isinstance(tax, TicketTax) else TicketTax.flat(tax)
    lines = list(lines)
    price = price_order(((ln.quantity, ln.unit_price, tax.rate_of(ln.menu_item_id)) for ln in lines), tax.rules,
                        currency)
    return Totals(price.subtotal, price.tax, price.total, price.taxes, sum(ln.quantity for ln in lines),
                  tax.rules.prices_include_tax)


class TicketModel(QAbstractTableModel):
    """Qty | Item | Note | Each | Amount. Quantity and note can be edited in place.

    The Item cell shows the note under the name, as the kitchen will read it; the
    Note column is there for editing and may be hidden by the view.
    """

    HEADERS = ("Qty", "Item", "Note", "Each", "Amount")
    QTY, ITEM, NOTE, EACH, AMOUNT = range(5)
    changed = Signal()  # anything on the ticket changed: totals, lines

    def __init__(self, currency: str = "USD", parent: Any = None) -> None:
        super().__init__(parent)
        self.currency = currency
        self.lines: list[Line] = []
        self.draft_id: str | None = None
        self.key = new_key()
        self.dataChanged.connect(lambda *_: self.changed.emit())
        self.rowsInserted.connect(lambda *_: self.changed.emit())
        self.rowsRemoved.connect(lambda *_: self.changed.emit())
        self.modelReset.connect(self.changed.emit)

    # ------------------------------------------------------------------ Qt model

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.HEADERS):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.HEADERS[section]
            if role == Qt.ItemDataRole.TextAlignmentRole and section in (self.QTY, self.EACH, self.AMOUNT):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.lines):
            return None
        ln, col = self.lines[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            sent = "  ✓ sent" if ln.sent and role == Qt.ItemDataRole.DisplayRole else ""
            return {self.QTY: ln.quantity if role == Qt.ItemDataRole.EditRole else str(ln.quantity),
                    self.ITEM: f"{ln.name}{sent}\n» {ln.note}" if ln.note and role == Qt.ItemDataRole.DisplayRole
                    else ln.name + sent, self.NOTE: ln.note, self.EACH: fmt(ln.unit_price, ""),
                    self.AMOUNT: fmt(ln.amount(self.currency), "")}.get(col)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (self.QTY, self.EACH, self.AMOUNT):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(f"{ln.quantity} × {ln.name} at {fmt(ln.unit_price, self.currency)}" + (
                f" — {ln.note}" if ln.note else ""))
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in (self.QTY, self.NOTE) and not self.lines[index.row()].sent:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        ln = self.lines[index.row()]
        if ln.sent:
            return False
        if index.column() == self.QTY:
            try:
                qty = int(str(value).strip())
            except ValueError:
                return False
            if not 1 <= qty <= 999:
                return False
            self._replace(index.row(), replace(ln, quantity=qty))
            return True
        if index.column() == self.NOTE:
            self._replace(index.row(), replace(ln, note=str(value).strip()[:500]))
            return True
        return False

    def removeRows(self, row: int, count: int, parent: Index = QModelIndex()) -> bool:  # noqa: N802
        if parent.isValid() or count < 1 or row < 0 or row + count > len(self.lines):
            return False
        self.beginRemoveRows(QModelIndex(), row, row + count - 1)
        del self.lines[row:row + count]
        self.endRemoveRows()
        return True

    # ------------------------------------------------------------------ what the till does

    def add(self, menu_item_id: str, name: str, unit_price: Decimal) -> int:
        """Add one of a menu item: a line of the same item without a note gets one more. Returns the row."""
        for row, ln in enumerate(self.lines):
            if ln.menu_item_id == menu_item_id and not ln.note and not ln.sent:
                self._replace(row, replace(ln, quantity=ln.quantity + 1))
                return row
        row = len(self.lines)
        self.beginInsertRows(QModelIndex(), row, row)
        self.lines.append(Line(menu_item_id, name, unit_price))
        self.endInsertRows()
        return row

    def change_quantity(self, row: int, delta: int) -> None:
        """+1 / -1 on a line; a line never drops below one (voiding it is a separate, deliberate act)."""
        if 0 <= row < len(self.lines) and not self.lines[row].sent:
            ln = self.lines[row]
            self._replace(row, replace(ln, quantity=min(999, max(1, ln.quantity + delta))))

    def void(self, row: int) -> bool:
        """Drop a line the kitchen was not sent (a sent one is voided through the kitchen)."""
        return 0 <= row < len(self.lines) and not self.lines[row].sent and self.removeRows(row, 1)

    def mark_sent(self, sent: Iterable[Any]) -> None:
        """How many of each line the kitchen has, line by line, as the books say."""
        for row, n in enumerate(sent):
            if row < len(self.lines) and self.lines[row].sent != int(n):
                self._replace(row, replace(self.lines[row], sent=int(n)))

    def set_note(self, row: int, note: str) -> None:
        self.setData(self.index(row, self.NOTE), note)

    def totals(self, tax: TicketTax | Decimal) -> Totals:
        return order_totals(self.lines, tax, self.currency)

    def _replace(self, row: int, line: Line) -> None:
        self.lines[row] = line
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))

    # ------------------------------------------------------------------ to and from the books

    def ticket(self, table: str = "", customer_id: str | None = None, customer_name: str | None = None,
               server_id: str | None = None) -> Ticket:
        return Ticket(lines=[DraftLine(menu_item_id=ln.menu_item_id, name=ln.name, quantity=Decimal(ln.quantity),
                                       unit_price=ln.unit_price, special_instructions=ln.note)
                             for ln in self.lines],
                      table_number=table.strip() or None, customer_id=customer_id, customer_name=customer_name,
                      server_id=server_id, idempotency_key=self.key)

    def load(self, ticket: Ticket | None = None, draft_id: str | None = None) -> None:
        """Show a kept ticket (with its key and draft), or start a new one with a new key."""
        self.beginResetModel()
        self.lines = [Line(ln.menu_item_id, ln.name, ln.unit_price or ZERO, int(ln.quantity), ln.special_instructions)
                      for ln in (ticket.lines if ticket else [])]
        self.key = ticket.idempotency_key if ticket else new_key()
        self.draft_id = draft_id
        self.endResetModel()
