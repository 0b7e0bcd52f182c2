"""The strip of open orders above the menu: one chip per table's kept ticket, tap or Enter to open it.

Each chip says where the order stands with the kitchen ("sent 12:41, 2 waiting": the last round's time and
the items not sent yet); a paid order leaves the strip."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListView, QListWidget, QListWidgetItem, QWidget

from ...domain.money import ZERO, fmt
from ..labels import plain_tooltip
from .ticket import Line, order_totals


class OpenOrdersBar(QWidget):
    opened = Signal(object)  # the OrderDraft to put on the ticket

    def __init__(self, rate: Any, currency: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rate, self.currency = rate, currency
        self.drafts: list[Any] = []
        self.caption = QLabel("Open orders  F9", objectName="openOrdersCaption")
        self.list = QListWidget(objectName="openOrders")
        self.list.setFlow(QListView.Flow.LeftToRight)
        self.list.setWrapping(False)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setFixedHeight(84)
        self.list.setSpacing(4)
        self.list.itemActivated.connect(self._open)
        self.list.itemClicked.connect(self._open)
        font = QFont(self.list.font())
        font.setPixelSize(15)  # as the style sheet sets it
        self._metrics = QFontMetrics(font)
        self.empty = QLabel("none — F8 keeps the ticket as an open order", objectName="noOpenOrders")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty, 1)

    def set_drafts(self, drafts: list[Any], current_id: str | None = None,
                   kitchen: dict[str, Any] | None = None) -> None:
        """``kitchen``: each order's KitchenStatus by its id, when the books were asked."""
        self.drafts = drafts
        kitchen = kitchen or {}
        self.list.clear()
        for d in drafts:
            lines = [Line(ln.menu_item_id, ln.name, ln.unit_price or ZERO, int(ln.quantity)) for ln in d.ticket.lines]
            total = order_totals(lines, self.rate, self.currency).total
            on_screen = "  (on the ticket)" if d.id == current_id else ""
            who = f" · {d.ticket.customer_name}" if d.ticket.customer_name else ""
            first = f"{d.entity_name}{who}{on_screen}"
            status = kitchen_status(kitchen.get(d.id))
            second = fmt(total, self.currency) + (f" · {status}" if status else "")
            item = QListWidgetItem(f"{first}\n{second}")
            item.setData(Qt.ItemDataRole.UserRole, d)
            widest = max(self._metrics.horizontalAdvance(first), self._metrics.horizontalAdvance(second))
            item.setSizeHint(QSize(max(140, widest + 32), 56))
            lines_text = ", ".join(f"{ln.quantity.normalize():f} × {ln.name}" for ln in d.ticket.lines)
            item.setToolTip(plain_tooltip(lines_text))
            self.list.addItem(item)
        self.list.setVisible(bool(drafts))
        self.empty.setVisible(not drafts)

    def statuses(self) -> list[str]:
        """Each chip's kitchen status as shown ("" for an order never sent)."""
        return [self.list.item(i).text().split("\n")[1].partition(" · ")[2] for i in range(self.list.count())]

    def names(self) -> list[str]:
        return [d.entity_name for d in self.drafts]

    def focus_first(self) -> None:
        if self.list.count():
            self.list.setFocus()
            if self.list.currentRow() < 0:
                self.list.setCurrentRow(0)

    def _open(self, item: QListWidgetItem) -> None:
        self.opened.emit(item.data(Qt.ItemDataRole.UserRole))


def kitchen_status(status: Any) -> str:
    """ "sent 12:41, 2 waiting", "sent 12:41", or "" for an order never sent."""
    if status is None or not status.rounds:
        return ""
    from .receipts import local_time  # receipts (PDF, printing) load when first needed, not with the till

    waiting = f", {status.waiting.normalize():f} waiting" if status.waiting else ""
    return f"sent {local_time(status.last_sent_at, '%H:%M')}{waiting}"
