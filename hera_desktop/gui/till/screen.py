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
from ...printing.queue import queue_of
from ..labels import message_box, plain_label
from ..screen import Screen
from . import style
from .menu_panel import MenuPanel
from .open_orders import OpenOrdersBar
from .ticket import TicketModel
from .ticket_panel import TicketPanel

if TYPE_CHECKING:  # paying, receipts (PDF, printing) and recent sales load when first used, not with the till
    from .no_sale import NoSaleDialog
    from .pay_dialog import PayDialog
    from .receipt_dialog import KitchenDialog, ReceiptDialog
    from .receipts import Receipt
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
        p.table.textChanged.connect(lambda _t: self._show_title())
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

    def _reload_drafts(self) -> None:
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
        row = self.model.add(item.id, item.entity_name, item.price)
        self.panel.select_row(row)
        self.message.setText(f"Added {item.entity_name}")

    def new_ticket(self) -> None:
        self.model.load(None)
        self.panel.table.clear()
        self.panel.customer.set_customer(None)
        index = self.panel.server.findData(self.session.user.id if self.session.user else None)
        self.panel.server.setCurrentIndex(max(index, 0))
        self._show_title()
        self.focus_search()

    def _show_title(self) -> None:
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
        self._show_title()
        self.panel.select_row(0)
        self._reload_drafts()  # with the order's kitchen status, which marks its sent lines
        self.message.setText(f"{draft.entity_name} is on the ticket.")
        self.focus_search()

    # ------------------------------------------------------------------ the kitchen

    def send_to_kitchen(self) -> None:
        """F7: keep the order (saving what is on the ticket) and send the kitchen what is new since the last round."""
        if not self.model.lines or self.session.hera.read_only:
            return
        scope, ticket, draft_id = self.session.scope, self.panel.ticket(), self.model.draft_id

        def send() -> tuple[Any, Any, Any]:
            draft = scope.order_drafts.save(ticket, draft_id)
            return draft, scope.kitchen.send(draft.id), scope.kitchen.status(draft.id)

        self.change(send, self._sent)

    def _sent(self, answer: tuple[Any, Any, Any]) -> None:
        from .receipts import station_name

        draft, sent, status = answer
        self._show_kept(draft, status)
        if not sent.tickets:
            self.message.setText(f"Nothing new to send for {draft.entity_name}: the kitchen has all of it.")
            return
        stations = ", ".join(station_name(t.station) for t in sent.tickets)
        self.message.setText(f"Round {sent.round} of {draft.entity_name} sent to the kitchen: {stations}.")
        self._open_kitchen(sent.tickets)

    def _show_kept(self, draft: Any, status: Any) -> None:
        """The kept order on the ticket as the books hold it, with the lines the kitchen has marked."""
        row = self.panel.selected_row()
        self.model.load(draft.ticket, draft.id)
        self.model.mark_sent(s.sent for s in status.lines)
        self._show_title()
        self.panel.select_row(min(max(row, 0), self.model.rowCount() - 1))
        self._reload_drafts()

    def void_sent_line(self, row: int) -> None:
        """Delete on a line the kitchen has: ask why (and a manager's PIN where needed), then void it."""
        from .void_dialog import VoidDialog

        scope = self.session.scope
        needs = scope.settings.get("void_needs_manager", True) and not scope.allows("orders.void")
        me = self.session.user.id if self.session.user else None
        managers = [u for u in self.users if u.get("role") in ("manager", "admin") and not u.get("locked")
                    and u["id"] != me] if needs else None
        dialog = VoidDialog(self.model.lines[row].name, managers, self)
        ticket, draft_id = self.panel.ticket(), self.model.draft_id

        def void(reason: str, approved_by: Any, pin: Any) -> tuple[Any, Any]:
            kept = scope.order_drafts.save(ticket, draft_id)
            voided = scope.kitchen.void_line(kept.id, row, reason, approved_by=approved_by, pin=pin)
            still = [d for d in scope.order_drafts.list() if d.id == kept.id]
            return voided, (still[0], scope.kitchen.status(kept.id)) if still else None

        dialog.submitted.connect(lambda reason, who, pin: self.change(
            lambda: void(reason, who, pin), lambda answer: self._voided(dialog, answer), dialog.failed))
        self._open("void_dialog", dialog)

    def _voided(self, dialog: Any, answer: tuple[Any, Any]) -> None:
        from .receipts import station_name

        voided, kept = answer
        dialog.accept()
        if kept is None:  # that was the last line: the order is cancelled
            self.new_ticket()
        else:
            self._show_kept(*kept)
        self.message.setText(f"Voided {voided.lines[0].name}; {station_name(voided.station)} gets a VOID ticket.")
        self._open_kitchen([voided])

    def _open_kitchen(self, tickets: list[Any]) -> None:
        """The round's tickets on screen and as PDFs, and each on its station's printer at once: the kitchen
        cooks from it now, not when the order is paid."""
        from ...printing.settings import Printers
        from ..printouts import kitchen_jobs
        from .receipt_dialog import KitchenDialog
        from .receipts import receipts_dir

        queue = queue_of(self.session)
        for job in kitchen_jobs(tickets, Printers.of(self.session.scope.settings)):
            queue.submit(job)
        dialog = KitchenDialog(tickets, self.receipts_dir or receipts_dir(self.session.hera), self)
        dialog.finished.connect(lambda _r: self.focus_search())
        self._open("kitchen_dialog", dialog)

    def cancel(self) -> None:
        if not self.model.lines:
            return
        box = message_box(QMessageBox.Icon.Question, "Cancel order",
                          "Cancel this order? Its lines are dropped and nothing is charged.",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("confirmCancel")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.finished.connect(lambda answer: self._cancelled() if answer == QMessageBox.StandardButton.Yes else None)
        self._open("cancel_box", box)

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
        self._open("pay_dialog", dialog)

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

    # ------------------------------------------------------------------ receipts and recent sales

    def _show_receipt(self, sale_id: str, copy: bool, change_due: Any = None) -> None:
        from .receipts import fetch

        scope = self.session.scope
        self.read(lambda: fetch(scope, sale_id, copy), lambda r: self._open_receipt(r, change_due))

    def _open_receipt(self, receipt: Receipt, change_due: Any) -> None:
        from .receipt_dialog import ReceiptDialog
        from .receipts import receipts_dir

        parent = self.recent_dialog if receipt.copy and self.recent_dialog is not None else self
        folder = self.receipts_dir or receipts_dir(self.session.hera)
        dialog = ReceiptDialog(receipt, folder, parent, change_due)
        dialog.finished.connect(lambda _r: self.focus_search())
        self._to_printers(receipt, dialog)
        self._open("receipt_dialog", dialog)

    def _to_printers(self, receipt: Receipt, dialog: ReceiptDialog) -> None:
        from ..printouts import for_receipt

        queue = queue_of(self.session)
        now, on_done = for_receipt(receipt, self.session.scope.settings)
        for job in now:
            queue.submit(job)
        if on_done:
            dialog.finished.connect(lambda _r: [queue.submit(job) for job in on_done])  # Done, or its Esc

    def no_sale(self) -> None:
        """F6: open the drawer without a sale; the reason is recorded first."""
        if self.session.hera.read_only or (self.no_sale_dialog is not None and self.no_sale_dialog.isVisible()):
            return
        from .no_sale import NoSaleDialog

        dialog = NoSaleDialog(self)
        scope = self.session.scope
        dialog.submitted.connect(lambda reason, key: self.change(
            lambda: scope.cash_drawer.no_sale(reason, idempotency_key=key),
            lambda record: self._drawer_opened(dialog, record), dialog.failed))
        self._open("no_sale_dialog", dialog)

    def _drawer_opened(self, dialog: NoSaleDialog, record: Any) -> None:
        from ...printing.settings import Printers
        from ..printouts import drawer_job

        dialog.accept()
        kick = drawer_job(Printers.of(self.session.scope.settings), record.business_context["reason"])
        if kick is not None:
            queue_of(self.session).submit(kick)
        self.message.setText("No sale recorded" + ("; the drawer opens." if kick is not None else
                                                   " (no drawer is set up in Settings: open it by its key)."))

    def show_recent(self) -> RecentSalesDialog:
        from .recent_sales import RecentSalesDialog

        dialog = RecentSalesDialog(self.session, self)
        dialog.reprint.connect(lambda sale_id: self._show_receipt(sale_id, copy=True))
        self._open("recent_dialog", dialog)
        return dialog

    def _open(self, name: str, dialog: Any) -> None:
        """Open a dialog without blocking; it is deleted when closed (a till runs all day) and forgotten."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        setattr(self, name, dialog)
        dialog.finished.connect(lambda _r: setattr(self, name, None) if getattr(self, name) is dialog else None)
        dialog.open()
