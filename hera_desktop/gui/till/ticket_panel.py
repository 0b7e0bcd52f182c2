"""The right-hand side of the till: who and where (table, customer, server), the lines, the totals, Pay.

Totals are redrawn from the ticket model on every change, so they are never
stale; each tax rate the ticket uses has its own line ("incl." when the prices hold the tax). The widgets are exposed as attributes; the till screen wires the actions.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QRegularExpressionValidator
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFormLayout, QGridLayout, QHBoxLayout, QHeaderView,
                               QLineEdit, QPushButton, QTableView, QVBoxLayout, QWidget)

from ...domain.errors import HeraError
from ...domain.money import fmt
from ...domain.pricing import tax_rules
from ..labels import plain_label
from . import style
from .customer_picker import CustomerPicker
from .ticket import TicketModel, TicketTax


# The widest text each figure column shows in full: a quantity of 9999 (the till allows 999), a price of
# 99,999.99 and a line of 999,999.99. Digits are as wide as each other in the till's fonts, so 8s stand for any.
WIDEST = {TicketModel.QTY: "8888", TicketModel.EACH: "88,888.88", TicketModel.AMOUNT: "888,888.88"}


def _button(text: str, name: str) -> QPushButton:
    return QPushButton(text, objectName=name)


class TicketPanel(QWidget):
    void_sent = Signal(int)  # the row of a line the kitchen has, to be voided through the kitchen

    def __init__(self, session: Any, model: TicketModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = model
        self.currency = session.organization.currency
        self.table = QLineEdit(objectName="tableNumber", placeholderText="Table  (F4)")
        self.table.setValidator(QRegularExpressionValidator(r"[A-Za-z0-9 -]{0,12}"))
        self.customer = CustomerPicker(session)
        self.server = QComboBox(objectName="server")
        head = QFormLayout()
        head.addRow("Table", self.table)
        head.addRow("Customer", self.customer)
        head.addRow("Server", self.server)

        self.view = QTableView(objectName="ticketLines")
        self.view.setModel(model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed)
        # Fixed sizes, not ResizeToContents: measuring every cell on every change would make adding an
        # item slower than a frame. Rows are tall enough for a name and its note (and a finger).
        rows = self.view.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(48)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setWordWrap(True)
        self.view.setColumnHidden(TicketModel.NOTE, True)  # shown under the item's name; edited below (F5)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(TicketModel.ITEM, QHeaderView.ResizeMode.Stretch)
        font = QFont(self.view.font())
        font.setPixelSize(style.px(16))  # as the till's style sheet sets it
        for column, widest in WIDEST.items():
            self.view.setColumnWidth(column, QFontMetrics(font).horizontalAdvance(widest) + 14)
        self.view.setMinimumHeight(220)

        # What the books say the ticket's items are short of, as the items are added (the sale still goes through).
        self.stock_warning = plain_label(objectName="stockWarning", wordWrap=True)
        self.stock_warning.hide()
        self.note = QLineEdit(objectName="lineNote", placeholderText="Special instructions for the selected line  (F5)")
        self.minus, self.plus = _button("−", "quantityDown"), _button("+", "quantityUp")
        self.void = _button("Void line  Del", "voidLine")
        for b in (self.minus, self.plus, self.void):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.minus.setAccessibleName("Decrease quantity")  # a screen reader reads "−" and "+" as nothing useful
        self.plus.setAccessibleName("Increase quantity")
        self.note.setAccessibleName("Special instructions for the selected line")
        self.customer.edit.setAccessibleName("Customer")
        line_row = QHBoxLayout()
        line_row.addWidget(self.minus)
        line_row.addWidget(self.plus)
        line_row.addWidget(self.void, 1)

        self.subtotal, self.tax, self.total = (plain_label(objectName=n) for n in ("subtotal", "tax", "total"))
        totals = QGridLayout()
        self.tax_label = plain_label("Tax", objectName="caption")
        for row, (caption, value) in enumerate(((plain_label("Subtotal", objectName="caption"), self.subtotal),
                                                (self.tax_label, self.tax),
                                                (plain_label("TOTAL", objectName="totalCaption"), self.total))):
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            totals.addWidget(caption, row, 0)
            totals.addWidget(value, row, 1)

        self.hold = _button("Keep open  F8", "holdOrder")
        self.cancel = _button("Cancel order", "cancelOrder")
        self.pay = _button("Pay  F12", "pay")
        self.send = _button("Send to kitchen  F7", "sendToKitchen")
        actions = QHBoxLayout()
        actions.addWidget(self.send)
        actions.addWidget(self.hold)
        actions.addWidget(self.cancel)
        actions.addWidget(self.pay, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 0, 0)
        self.title = plain_label("New order", objectName="ticketTitle")
        layout.addWidget(self.title)
        layout.addLayout(head)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.stock_warning)
        layout.addWidget(self.note)
        layout.addLayout(line_row)
        layout.addLayout(totals)
        layout.addLayout(actions)
        self.setTabOrder(self.table, self.customer.edit)
        self.setTabOrder(self.customer.edit, self.server)
        self.setTabOrder(self.server, self.view)
        self.setTabOrder(self.view, self.note)
        self.setTabOrder(self.note, self.pay)

        model.changed.connect(self.show_totals)
        model.changed.connect(self._check_stock)
        self._menu: dict[str, Any] = {}  # the menu items on sale (by id), for each line's tax rate
        self._checked: list[tuple[str, int]] = []  # the items the shown shortfalls are for
        self._checks = 0  # a later check's answer wins over an earlier one's that arrives after it
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._show_note())
        self.note.returnPressed.connect(self._apply_note)
        self.minus.clicked.connect(lambda: self.model.change_quantity(self.selected_row(), -1))
        self.plus.clicked.connect(lambda: self.model.change_quantity(self.selected_row(), +1))
        self.void.clicked.connect(self.void_selected)
        self.show_totals()

    # ------------------------------------------------------------------ selection and lines

    def selected_row(self) -> int:
        return self.view.currentIndex().row() if self.view.currentIndex().isValid() else -1

    def select_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.view.selectionModel().setCurrentIndex(
                self.model.index(row, TicketModel.ITEM),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self._show_note()

    def move_selection(self, step: int) -> None:
        count = self.model.rowCount()
        if count:
            self.select_row(max(0, min(count - 1, self.selected_row() + step)))

    def void_selected(self) -> None:
        row = self.selected_row()
        if 0 <= row < len(self.model.lines) and self.model.lines[row].sent:
            self.void_sent.emit(row)
        elif self.model.void(row):
            self.select_row(min(row, self.model.rowCount() - 1))

    def _show_note(self) -> None:
        row = self.selected_row()
        self.note.setEnabled(row >= 0 and not self.model.lines[row].sent)  # the kitchen has it as it was
        self.note.setText(self.model.lines[row].note if row >= 0 else "")

    def _apply_note(self) -> None:
        row = self.selected_row()
        if row >= 0:
            self.model.set_note(row, self.note.text())

    # ------------------------------------------------------------------ totals and who

    def set_menu(self, items: dict[str, Any]) -> None:
        """The menu items on sale (``MenuItem`` by id): their categories and own rates say how lines are taxed."""
        self._menu = items
        self.show_totals()

    def rate(self) -> TicketTax:
        """How the ticket is taxed now: the business's tax settings and the menu's items."""
        return TicketTax.of(tax_rules(self.session.scope.settings), self._menu)

    def show_totals(self) -> None:
        tax = self.rate()
        t = self.model.totals(tax)
        incl = "incl. " if t.prices_include_tax else ""
        shown = t.taxes or ((tax.rules.standard, None, None),)  # an empty ticket names the standard rate
        self.tax_label.setText("\n".join(f"{incl}{r.label} {r.percent}%" for r, *_ in shown))
        self.tax.setText("\n".join(fmt(x.tax, self.currency) for x in t.taxes) or fmt(t.tax, self.currency))
        self.subtotal.setText(fmt(t.subtotal, self.currency))
        self.total.setText(fmt(t.total, self.currency))
        for caption, value in (("Subtotal", self.subtotal), (self.tax_label.text(), self.tax), ("Total", self.total)):
            value.setAccessibleName(f"{caption} {value.text()}")  # read out alone, an amount says not of what
        has_lines = bool(self.model.lines)
        for w in (self.pay, self.hold, self.send, self.cancel, self.minus, self.plus, self.void):
            w.setEnabled(has_lines)
        self._show_note()

    def _check_stock(self) -> None:
        """Ask the books, off the GUI thread, what the ticket's items are short of (when its items changed)."""
        items = [(ln.menu_item_id, ln.quantity) for ln in self.model.lines]
        if items == self._checked:
            return
        self._checked = items
        self._checks += 1
        if not items:
            self.show_shortfalls([])
            return
        scope, check = self.session.scope, self._checks
        order = [{"menu_item_id": i, "quantity": q} for i, q in items]
        self.session.runner.read(lambda: scope.restaurant.shortfalls(order),
                                 lambda found: self.show_shortfalls(found) if check == self._checks else None,
                                 lambda exc: self._stock_unknown(exc) if check == self._checks else None)

    def _stock_unknown(self, exc: Exception) -> None:
        why = exc.message if isinstance(exc, HeraError) else "the books did not answer"
        self.stock_warning.setText(f"Stock could not be checked: {why}")
        self.stock_warning.show()

    def show_shortfalls(self, shortfalls: list[Any]) -> None:
        """The books' shortfalls for the ticket's items, one a line; hidden when there are none."""
        self.stock_warning.setText("\n".join(s.message for s in shortfalls))
        self.stock_warning.setVisible(bool(shortfalls))

    def set_servers(self, users: list[dict[str, Any]], current: str | None) -> None:
        self.server.clear()
        for u in users:
            if u.get("role") in ("cashier", "manager") and not u.get("locked"):
                self.server.addItem(u["name"], u["id"])
        index = self.server.findData(current)
        if index < 0 and current is not None and self.session.user is not None:
            self.server.addItem(self.session.user.entity_name, current)
            index = self.server.count() - 1
        self.server.setCurrentIndex(max(index, 0))

    def ticket(self) -> Any:
        c = self.customer.customer
        return self.model.ticket(self.table.text(), c.id if c else None, c.entity_name if c else None,
                                 self.server.currentData())
