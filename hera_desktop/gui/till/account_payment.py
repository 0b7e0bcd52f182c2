"""Payment on account at the till (F11): a customer comes in to pay what they owe, no order involved.

The cashier chooses the customer with the ticket's customer picker (F3), then F11
opens the same dialog the customer screen uses, with the balance read afresh; once
paid, the till says how much was received and what is still owed, and the payment's
receipt opens (saved beside the order receipts, printed where a receipt printer is set).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...domain.money import fmt
from ..customers.payment import AccountPaymentDialog, open_account_payment

if TYPE_CHECKING:
    from .screen import TillScreen

KEY = "F11"


def receive_on_account(till: TillScreen) -> None:
    """F11: receive a payment on the account of the customer chosen on the ticket."""
    if till.session.hera.read_only:
        return
    chosen = till.panel.customer.customer
    if chosen is None:
        till.message.setText(f"Payment on account: choose the customer first (F3), then press {KEY}.")
        till.panel.customer.edit.setFocus()
        return
    customers = till.session.scope.customers
    till.read(lambda: customers.view(chosen.id), lambda view: _open(till, view))


def _open(till: TillScreen, customer: Any) -> AccountPaymentDialog:
    dialog = open_account_payment(till.session, customer, till, till.receipts_dir)
    till.account_payment_dialog = dialog
    dialog.received.connect(lambda _emitted, amount: _received(till, customer, amount))
    dialog.finished.connect(lambda _r: till.focus_search())
    return dialog


def _received(till: TillScreen, customer: Any, amount: Any) -> None:
    customers, currency = till.session.scope.customers, till.currency

    def show(view: Any) -> None:
        if till.panel.customer.customer is not None and till.panel.customer.customer.id == view.id:
            till.panel.customer.set_customer(view)  # the picker shows what is owed now
        till.message.setText(f"Received {fmt(amount, currency)} on account from {view.entity_name}; "
                             f"{fmt(view.account_balance, currency)} still owed.")

    till.read(lambda: customers.view(customer.id), show)
