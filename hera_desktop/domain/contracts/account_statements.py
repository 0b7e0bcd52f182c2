"""A customer's statement of account: what they owed at the start, what they bought on account and paid
between two business days, and what they owe at the end."""
from __future__ import annotations

from decimal import Decimal
from typing import Literal, Optional

from . import Result


class StatementEntry(Result):
    day: str                      # the business day it belongs to (YYYY-MM-DD)
    transaction_id: str
    transaction_code: Optional[str]
    kind: Literal["sale", "payment"]  # bought on account, or paid off the account
    description: str
    reference: Optional[str]      # the order's number for a sale, the payer's reference for a payment
    amount: Decimal               # what it moved, on its own column: a refunded sale is a negative sale
    balance: Decimal              # what the customer owed after it


class AccountStatement(Result):
    customer_id: str
    customer_name: str
    customer_code: Optional[str]
    currency: str
    date_from: Optional[str]      # None: since the account was opened
    date_to: str
    opening_balance: Decimal      # owed at the start of ``date_from``
    sales: Decimal                # bought on account in the period, refunds taken off
    payments: Decimal             # paid off the account in the period
    closing_balance: Decimal      # owed at the end of ``date_to``: opening + sales - payments
    entries: list[StatementEntry]
