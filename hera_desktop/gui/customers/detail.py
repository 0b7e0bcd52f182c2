"""One customer: details to edit, the account against the credit limit, status, and history.

Edits carry the version that was read; if someone else changed the customer in
the meantime the books refuse the edit, the panel says so and shows the latest
details. Someone who may not manage customers sees everything read-only.
"""
from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton,
                               QScrollArea, QStackedWidget, QTableView, QVBoxLayout, QWidget)

from .. import theme
from ...domain.contracts.customers import CustomerView
from ...domain.errors import ConcurrencyError, ValidationError
from ...domain.money import fmt
from ...services.customers import check_email, check_phone, check_terms
from ..errors import describe
from ..labels import plain_label, rich_label
from ..numbers import editable
from ..sizes import heading
from .account import AccountBox
from .fields import ValidatedField, add_row, banner_style, check_name, credit_limit_check, note_style, plain
from .history_model import HistoryModel
from .payment import AccountPaymentDialog, open_account_payment
from .statement import StatementDialog
from .status import StatusBox

CHECKS = {"name": check_name, "email": check_email, "phone": check_phone, "payment_terms": check_terms}
LABELS = {"name": "Name", "email": "Email", "phone": "Phone", "credit_limit": "Credit limit",
          "payment_terms": "Payment terms"}


def _texts(view: CustomerView, currency: str) -> dict[str, str]:
    return {"name": view.entity_name, "email": view.email or "", "phone": view.phone or "",
            "credit_limit": editable(view.credit_limit, currency), "payment_terms": view.payment_terms or ""}


class CustomerDetail(QWidget):
    customer_loaded = Signal(object)  # the CustomerView just read, for the list to show in place

    def __init__(self, session: Any, parent: Any = None) -> None:
        super().__init__(parent)
        self.session = session
        self.customer: CustomerView | None = None
        self._wanted: str | None = None
        self.manage = False
        self.name_label = plain_label(objectName="customerName")
        self.name_label.setStyleSheet(heading(20))
        self.code_label = plain_label(objectName="customerCode")
        self.code_label.setStyleSheet(theme.tone_style("muted"))
        self.banner = rich_label(objectName="detailMessage", wordWrap=True)
        self.banner.hide()
        self.account = AccountBox()
        self.account.receive.clicked.connect(self.receive_payment)
        self.account.statement.clicked.connect(self.open_statement)
        self.payment_dialog: AccountPaymentDialog | None = None
        self.statement_dialog: StatementDialog | None = None
        self.status = StatusBox()
        self.status.change_requested.connect(self.change_status)
        self.currency = session.organization.currency
        checks = {**CHECKS, "credit_limit": credit_limit_check(self.currency)}  # read in the books' currency
        self.fields = {k: ValidatedField(k, QLineEdit(objectName=f"detail_{k}"), checks[k], reserve=False, parent=self)
                       for k in LABELS}
        self.save = QPushButton("Save changes", objectName="saveDetails")
        self.undo = QPushButton("Undo changes", objectName="undoDetails")
        self.save.clicked.connect(self.save_details)
        self.undo.clicked.connect(self.undo_changes)
        self.history = HistoryModel(self)
        self.history_view = QTableView(objectName="historyTable")
        self.history_view.setModel(self.history)
        self._build()

    def _build(self) -> None:
        details = QFormLayout()
        for key, field in self.fields.items():
            add_row(details, LABELS[key], field)
            field.changed.connect(self._update_buttons)
            field.changed.connect(self.banner.hide)  # the last outcome no longer describes what is on screen
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.undo)
        buttons.addWidget(self.save)
        details.addRow(buttons)
        top = QHBoxLayout()
        top.addWidget(_group("Account", self.account), 1)
        top.addWidget(_group("Status", self.status), 1)
        hv = self.history_view
        hv.verticalHeader().hide()
        hv.setAlternatingRowColors(True)
        hv.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        hv.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        hv.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        hv.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        hv.setMinimumHeight(140)
        body = QWidget()
        column = QVBoxLayout(body)
        column.addWidget(self.name_label)
        column.addWidget(self.code_label)
        column.addWidget(self.banner)
        column.addLayout(top)
        column.addWidget(_group("Details", details))
        column.addWidget(_group("History", hv), 1)
        scroll = QScrollArea(widgetResizable=True, frameShape=QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        empty = QLabel("Choose a customer to see their account, status and history.", objectName="detailEmpty")
        empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        empty.setStyleSheet(theme.tone_style("muted"))
        self.pages = QStackedWidget()
        self.pages.addWidget(empty)
        self.pages.addWidget(scroll)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.pages)
        # Read-only details (for those who may not edit) read as text, not as boxes waiting for input.
        self.setStyleSheet('QLineEdit[readOnly="true"] { background: transparent; border: none; }')

    # ------------------------------------------------------------------ loading

    @property
    def customer_id(self) -> str | None:
        """The customer shown (or being read)."""
        return self._wanted

    def show_customer(self, customer_id: str | None) -> None:
        if customer_id is None:
            self.customer = self._wanted = None
            self.pages.setCurrentIndex(0)
            return
        if customer_id != self._wanted:
            self.banner.hide()
            self.load(customer_id, keep_edits=False)

    def reload(self) -> None:
        """Read the customer again (something changed), keeping any edits in progress."""
        if self._wanted:
            self.load(self._wanted, keep_edits=True)

    def load(self, customer_id: str, keep_edits: bool) -> None:
        self._wanted = customer_id
        customers = self.session.scope.customers

        def read() -> tuple[CustomerView, tuple[str, ...], list[Any]]:
            return (customers.view(customer_id), customers.allowed_transitions(customer_id),
                    customers.history(customer_id))

        self.session.runner.read(read, lambda got: self._loaded(customer_id, keep_edits, *got), self._failed)

    def _loaded(self, customer_id: str, keep_edits: bool, view: CustomerView, allowed: tuple[str, ...],
                history: list[Any]) -> None:
        if customer_id != self._wanted:
            return  # another customer was chosen meanwhile
        dirty = self.changes() if keep_edits and self.customer is not None else {}
        self.customer = view
        self.manage = self.session.allows("customers.manage")
        self.name_label.setText(view.entity_name)
        self.code_label.setText(f"Customer {view.entity_code}")
        self.account.show_account(view.account_balance, view.credit_limit, self.session.organization.currency)
        self.status.set_state(view.status, allowed, self.manage)
        for key, text in _texts(view, self.currency).items():
            field = self.fields[key]
            field.required = bool(text)  # a detail on file can be changed, not blanked
            field.line.setReadOnly(not self.manage)
            if key not in dirty:
                field.set_text(text)
        self.save.setVisible(self.manage)
        self.account.receive.setVisible(self.session.allows("orders.take") and not self.session.hera.read_only)
        self.undo.setVisible(self.manage)
        self._update_buttons()
        self.history.set_history(history)
        self.pages.setCurrentIndex(1)
        self.customer_loaded.emit(view)

    def _failed(self, exc: Exception) -> None:
        self.say(exc)

    # ------------------------------------------------------------------ editing

    def changes(self) -> dict[str, str]:
        if self.customer is None:
            return {}
        was = _texts(self.customer, self.currency)
        return {k: f.text() for k, f in self.fields.items() if f.text() != was[k]}

    def _update_buttons(self) -> None:
        dirty = bool(self.changes())
        self.undo.setEnabled(dirty)
        self.save.setEnabled(dirty and all(f.valid for f in self.fields.values()))

    def undo_changes(self) -> None:
        if self.customer is not None:
            for key, text in _texts(self.customer, self.currency).items():
                self.fields[key].set_text(text)
        self._update_buttons()

    def save_details(self) -> None:
        changes, view = self.changes(), self.customer
        if view is None or not changes or not self.save.isEnabled():
            return
        self.save.setEnabled(False)
        values: dict[str, Any] = dict(changes)
        if "credit_limit" in values:
            values["credit_limit"] = self.fields["credit_limit"].check(values["credit_limit"])
        customers = self.session.scope.customers
        self.session.runner.change(lambda: customers.update_details(view.id, version=view.version, **values),
                                   lambda _updated: self._after_change(view.id, "Changes saved."),
                                   lambda exc: self._refused(view.id, exc))

    def change_status(self, new_status: str, reason: str) -> None:
        view = self.customer
        if view is None:
            return
        self.status.busy(True)
        customers = self.session.scope.customers
        self.session.runner.change(
            lambda: customers.transition_status(view.id, new_status, reason),
            lambda _result: self._after_change(view.id, f"Status changed to {new_status}."),
            lambda exc: self._refused(view.id, exc))

    def receive_payment(self) -> AccountPaymentDialog | None:
        """Receive a payment on the shown customer's account; the account shows the new balance once paid."""
        view = self.customer
        if view is None or not self.account.receive.isVisible():
            return None
        dialog = self.payment_dialog = open_account_payment(self.session, view, self)
        currency = self.currency
        dialog.received.connect(lambda _emitted, amount: self._after_change(
            view.id, f"Received {fmt(amount, currency)} from {view.entity_name} on account."))
        return dialog

    def open_statement(self) -> StatementDialog | None:
        if self.customer is None:
            return None
        dialog = self.statement_dialog = StatementDialog(self.session, self.customer, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _after_change(self, customer_id: str, note: str) -> None:
        self.status.busy(False)
        self.note(note)
        if customer_id == self._wanted:
            self.load(customer_id, keep_edits=False)

    def _refused(self, customer_id: str, exc: Exception) -> None:
        """Nothing was saved. A stale edit reloads the latest details; anything else keeps the edits."""
        self.status.busy(False)
        if isinstance(exc, ValidationError) and exc.field in self.fields:
            self.fields[exc.field].refuse(plain(exc))
            self._update_buttons()
            return
        self.say(exc)
        if customer_id == self._wanted:
            self.load(customer_id, keep_edits=not isinstance(exc, ConcurrencyError))

    def say(self, exc: Exception) -> None:
        title, message = describe(exc)
        if isinstance(exc, ConcurrencyError):
            message = ("This customer was updated elsewhere while you were editing, so your change was not "
                       "saved. The latest details are shown; please make your change again.")
        self.banner.setStyleSheet(banner_style())
        self.banner.setText(f"<b>{escape(title)}.</b> {escape(message)}")
        self.banner.show()

    def note(self, text: str) -> None:
        self.banner.setStyleSheet(note_style())
        self.banner.setText(escape(text))
        self.banner.show()


def _group(title: str, content: Any) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    if isinstance(content, QWidget):
        layout.addWidget(content)
    else:
        layout.addLayout(content)
    return box
