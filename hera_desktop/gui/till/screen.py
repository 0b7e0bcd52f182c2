"""The till: take a table's order, send it to the kitchen in rounds, keep it open, take payment, print tickets.

Keyboard first. The search box has the focus; typing narrows the menu and Enter
adds the best match. With the search box empty, ↑/↓ choose a ticket line, +/−
change its quantity and Delete voids it. F3 customer, F4 table, F5 the line's
special instructions, F6 No sale (opens the drawer, with a reason), F7 send to the
kitchen (what is new since the last round), F8 keep as an open order, F9 open orders,
F10 recent sales, F11 payment on account, F12 (or Ctrl+P) pay; Escape comes back to
the search box. A line the kitchen has is marked sent and changes only by a void
(Delete), with a reason and, where the settings say so, a manager's PIN.
After Pay the receipt and kitchen tickets go to their ESC/POS printers (at once with ``auto_print_on_pay``,
else when the receipt is closed) and a cash payment opens the drawer.

Nothing is lost when something fails: the ticket stays on screen as it was,
and a kept order stays in the books until it is paid or cancelled.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QVBoxLayout, QWidget

from ...domain.money import fmt
from ..labels import message_box, plain_label
from ..screen import Screen
from . import style
from .menu_panel import MenuPanel
from .open_orders import OpenOrdersBar
from .ticket import TicketModel
from .ticket_panel import TicketPanel

if TYPE_CHECKING:  # the kitchen, paying, receipts (PDF, printing) and recent sales load when first used
    from .no_sale import NoSaleDialog
    from .pay_dialog import PayDialog
    from .receipt_dialog import KitchenDialog, ReceiptDialog
    from .recent_sales import RecentSalesDialog
    from .void_dialog import VoidDialog

KEYS = ("F2 search · Enter add · ↑↓ line · +/− quantity · Del void · F5 note · F4 table · F3 customer · "
        "F6 no sale · F7 send to kitchen · F8 keep open · F9 open orders · F10 recent sales · F11 payment on account · "
        "F12 pay")


class TillScreen(Screen):
    title = "Till"
    permission = "orders.take"
    refresh_on = frozenset({"menu_item", "order_draft", "sale", "organization", "kitchen_send", "kitchen_void"})

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.setObjectName("till")
        self.currency = session.organization.currency
        self.receipts_dir: Path | None = None  # where receipts are saved as PDF; None: next to the books
        self.model = TicketModel(self.currency, self)
        self.menu = MenuPanel()
        self.panel = TicketPanel(session, self.model)
        self.orders = OpenOrdersBar(self.panel.rate(), self.currency)
        self.setStyleSheet(style.till())
        self.message = plain_label(objectName="tillMessage")
        hints = QLabel(KEYS, objectName="keyHints", wordWrap=True)
        left = QVBoxLayout()
        left.addWidget(self.orders)
        left.addWidget(self.menu, 1)
        body = QHBoxLayout()
        body.addLayout(left, 4)
        body.addWidget(self.panel, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.message)
        layout.addWidget(hints)
        self.pay_dialog: PayDialog | None = None
        self.receipt_dialog: ReceiptDialog | None = None
        self.kitchen_dialog: KitchenDialog | None = None
        self.void_dialog: VoidDialog | None = None
        self.users: list[dict[str, Any]] = []
        self.recent_dialog: RecentSalesDialog | None = None
        self.account_payment_dialog: Any = None
        self.cancel_box: QMessageBox | None = None
        self.no_sale_dialog: NoSaleDialog | None = None
        self.last_order: Any = None
        self._wire()
        self._say_if_read_only()

    def _wire(self) -> None:
        p = self.panel
        self.menu.chosen.connect(self.add)
        self.orders.opened.connect(self.open_draft)
        p.hold.clicked.connect(self.hold)
        p.cancel.clicked.connect(self.cancel)
        p.pay.clicked.connect(self.pay)
        p.send.clicked.connect(self.send_to_kitchen)
        p.void_sent.connect(self.void_sent_line)
        p.table.textChanged.connect(lambda _t: self.show_title())
        for field in (p.table, p.note):
            field.returnPressed.connect(self.focus_search)
        p.customer.chosen.connect(lambda c: self.focus_search() if c is not None else None)
        for watched in (self.menu.search, p.view):
            watched.installEventFilter(self)
        keys = {"F2": self.focus_search, "Ctrl+F": self.focus_search, "F3": p.customer.edit.setFocus,
                "F4": self._focus_table, "F5": self._focus_note, "F6": self.no_sale, "F7": self.send_to_kitchen,
                "F8": self.hold, "F9": self.orders.focus_first, "F10": self.show_recent, "F11": self.receive_on_account,
                "F12": self.pay, "Ctrl+P": self.pay}
        for key, action in keys.items():
            QShortcut(QKeySequence(key), self, activated=action, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.session.user_changed.connect(self._user_changed)

    def _say_if_read_only(self) -> None:
        """Read-only books are said up front, not discovered at Pay."""
        reason = self.session.hera.read_only
        if reason:
            self.panel.pay.setEnabled(False)
            self.panel.hold.setEnabled(False)
            self.panel.send.setEnabled(False)
            self.message.setText(f"These books are read-only ({reason}): the menu and recent sales can be looked "
                                 "at, but nothing can be sold.")

    # ------------------------------------------------------------------ loading

    def _user_changed(self) -> None:
        if self.isVisible():  # a hidden till loads when it is shown (built ahead of sign-in, or another screen is up)
            self.refresh()

    def refresh(self) -> None:
        if self.session.user is None:
            return
        scope = self.session.scope
        self.read(lambda: (scope.restaurant.menu.items(), scope.order_drafts.list(), scope.users.list(),
                           scope.kitchen.statuses()), self._loaded)

    def _loaded(self, answer: tuple[dict[str, Any], list[Any], list[dict[str, Any]], dict[str, Any]]) -> None:
        items, drafts, users, kitchen = answer
        self.users = users
        self.menu.set_items(items)
        self.panel.set_menu(items)
        self._show_drafts((drafts, kitchen))
        current = self.panel.server.currentData() or (self.session.user.id if self.session.user else None)
        self.panel.set_servers(users, current)

    def _show_drafts(self, answer: tuple[list[Any], dict[str, Any]]) -> None:
        drafts, kitchen = answer
        self.orders.rate = self.panel.rate()
        self.orders.set_drafts(drafts, self.model.draft_id, kitchen)
        status = kitchen.get(self.model.draft_id or "")
        if status is not None and len(status.lines) == len(self.model.lines):  # another till may have sent it
            self.model.mark_sent(s.sent for s in status.lines)

    def reload_drafts(self) -> None:
        scope = self.session.scope
        self.read(lambda: (scope.order_drafts.list(), scope.kitchen.statuses()), self._show_drafts)

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.focus_search()

    # ------------------------------------------------------------------ the keyboard

    def focus_search(self) -> None:
        self.menu.search.setFocus()

    def _focus_table(self) -> None:
        self.panel.table.setFocus()
        self.panel.table.selectAll()

    def _focus_note(self) -> None:
        if self.panel.selected_row() >= 0:
            self.panel.note.setFocus()
            self.panel.note.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.KeyPress:
            key = event.key()  # type: ignore[attr-defined]
            typing = watched is self.menu.search and bool(self.menu.search.text())
            if key in (Qt.Key.Key_Plus, Qt.Key.Key_Minus) and not typing:
                self.model.change_quantity(self.panel.selected_row(), 1 if key == Qt.Key.Key_Plus else -1)
                return True
            if key == Qt.Key.Key_Delete and not typing:
                self.panel.void_selected()
                return True
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and watched is self.menu.search:
                self.panel.move_selection(-1 if key == Qt.Key.Key_Up else 1)
                return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        if event.key() == Qt.Key.Key_Escape:
            self.focus_search()
        else:
            super().keyPressEvent(event)

    # ------------------------------------------------------------------ building the ticket

    def add(self, item: Any) -> None:
        if not item.available:  # the books would refuse it at Pay; say so now, where it was pressed
            self.message.setText(f"{item.entity_name} is sold out today")
            return
        row = self.model.add(item.id, item.entity_name, item.price)
        self.panel.select_row(row)
        self.message.setText(f"Added {item.entity_name}")

    def new_ticket(self) -> None:
        self.model.load(None)
        self.panel.table.clear()
        self.panel.customer.set_customer(None)
        index = self.panel.server.findData(self.session.user.id if self.session.user else None)
        self.panel.server.setCurrentIndex(max(index, 0))
        self.show_title()
        self.focus_search()

    def show_title(self) -> None:
        table = self.panel.table.text().strip()
        kept = " — open order" if self.model.draft_id else ""
        self.panel.title.setText((f"Table {table}" if table else "New order") + kept)

    def hold(self) -> None:
        """F8: keep the ticket as the table's open order and start a new one."""
        if not self.model.lines or self.session.hera.read_only:
            return
        scope, ticket, draft_id = self.session.scope, self.panel.ticket(), self.model.draft_id
        self.change(lambda: scope.order_drafts.save(ticket, draft_id), self._held)

    def _held(self, draft: Any) -> None:
        self.new_ticket()
        self.message.setText(f"{draft.entity_name} is kept as an open order (F9 to open it again).")

    def open_draft(self, draft: Any) -> None:
        """Put a kept order on the ticket; the one on the ticket now is kept first, so nothing is lost."""
        if draft.id == self.model.draft_id:
            self.focus_search()
            return
        if self.model.lines:
            scope, ticket, draft_id = self.session.scope, self.panel.ticket(), self.model.draft_id
            self.change(lambda: scope.order_drafts.save(ticket, draft_id), lambda _d: self._put(draft))
        else:
            self._put(draft)

    def _put(self, draft: Any) -> None:
        t = draft.ticket
        self.model.load(t, draft.id)
        self.panel.table.setText(t.table_number or "")
        self.panel.customer.set_customer(None)
        if t.customer_id:
            scope = self.session.scope
            self.read(lambda: scope.customers.view(t.customer_id), self.panel.customer.set_customer)
        index = self.panel.server.findData(t.server_id)
        if index >= 0:
            self.panel.server.setCurrentIndex(index)
        self.show_title()
        self.panel.select_row(0)
        self.reload_drafts()  # with the order's kitchen status, which marks its sent lines
        self.message.setText(f"{draft.entity_name} is on the ticket.")
        self.focus_search()

    # ------------------------------------------------------------------ the kitchen (see ``kitchen_actions``)

    def send_to_kitchen(self) -> None:
        from .kitchen_actions import send_to_kitchen

        send_to_kitchen(self)

    def void_sent_line(self, row: int) -> None:
        from .kitchen_actions import void_sent_line

        void_sent_line(self, row)

    def cancel(self) -> None:
        if not self.model.lines:
            return
        box = message_box(QMessageBox.Icon.Question, "Cancel order",
                          "Cancel this order? Its lines are dropped and nothing is charged.",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("confirmCancel")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.finished.connect(lambda answer: self._cancelled() if answer == QMessageBox.StandardButton.Yes else None)
        self.open_dialog("cancel_box", box)

    def _cancelled(self) -> None:
        draft_id = self.model.draft_id
        if draft_id is None:
            self.new_ticket()
            return
        scope = self.session.scope
        self.change(lambda: scope.order_drafts.discard(draft_id, "cancelled"), lambda _r: self.new_ticket())

    # ------------------------------------------------------------------ paying

    def pay(self) -> None:
        """F12: take payment. While a payment is being recorded, Pay does nothing."""
        if not self.model.lines or self.session.hera.read_only:
            return
        if self.pay_dialog is not None and self.pay_dialog.isVisible():
            return
        from .pay_dialog import PayDialog

        total = self.model.totals(self.panel.rate()).total
        dialog = self.pay_dialog = PayDialog(total, self.currency, self.panel.customer.customer, self)
        ticket, draft_id = self.panel.ticket(), self.model.draft_id  # what this dialog charges, retries included
        dialog.submitted.connect(lambda payments: self._charge(dialog, ticket, draft_id, payments))
        self.open_dialog("pay_dialog", dialog)

    def _charge(self, dialog: PayDialog, ticket: Any, draft_id: str | None, payments: list[dict[str, Any]]) -> None:
        scope = self.session.scope
        self.change(lambda: scope.order_drafts.pay(ticket, payments, draft_id),
                    lambda result: self._paid(dialog, result), dialog.failed)

    def _paid(self, dialog: PayDialog, result: Any) -> None:
        dialog.succeeded()
        self.last_order = result
        self.new_ticket()
        summary = result.order_summary
        change = f" — change {fmt(summary.change_due, self.currency)}" if summary.change_due else ""
        self.message.setText(f"Paid {fmt(summary.total_amount, self.currency)}, order "
                             f"{result.sales_transaction.transaction_code}{change}")
        self._show_receipt(result.sales_transaction.transaction_id, copy=False, change_due=summary.change_due)

    def receive_on_account(self) -> None:
        """F11: a customer pays what they owe on account (see ``account_payment``)."""
        from .account_payment import receive_on_account

        receive_on_account(self)

    # ------------------------------------------------------------------ receipts, the drawer, recent sales

    def _show_receipt(self, sale_id: str, copy: bool, change_due: Any = None) -> None:
        from .receipt_actions import show_receipt

        show_receipt(self, sale_id, copy, change_due)

    def no_sale(self) -> None:
        """F6: open the drawer without a sale (see ``receipt_actions``)."""
        from .receipt_actions import no_sale

        no_sale(self)

    def show_recent(self) -> RecentSalesDialog:
        from .recent_sales import RecentSalesDialog

        dialog = RecentSalesDialog(self.session, self)
        dialog.reprint.connect(lambda sale_id: self._show_receipt(sale_id, copy=True))
        self.open_dialog("recent_dialog", dialog)
        return dialog

    def open_dialog(self, name: str, dialog: Any) -> None:
        """Open a dialog without blocking; it is deleted when closed (a till runs all day) and forgotten."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        setattr(self, name, dialog)
        dialog.finished.connect(lambda _r: setattr(self, name, None) if getattr(self, name) is dialog else None)
        dialog.open()
