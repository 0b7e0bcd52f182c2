"""Journals as results: a posted entry and its balance check, the list of posted journals a page at a time,
and an entry traced to its accounts, its reversal and the till order behind it."""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Optional

from pydantic import BaseModel, ConfigDict

from ..money import ZERO
from . import Emitted, Result


class BalanceValidation(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)
    total_debits: Decimal
    total_credits: Decimal
    balanced: bool


class JournalResult(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)
    journal_entry: Emitted
    balance_validation: BalanceValidation


# ---------------------------------------------------------------- the list of posted journals

class JournalRow(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)
    id: str
    transaction_code: str
    transaction_date: str
    reference: Optional[str] = None
    description: Optional[str] = None
    total_amount: Decimal
    currency: str
    automatic: bool
    reversal_of_code: Optional[str] = None
    reversed_by_code: Optional[str] = None
    source_code: Optional[str] = None   # the till transaction an automatic posting posts
    order_id: Optional[str] = None      # ... and the order it belongs to
    order_code: Optional[str] = None


class JournalPage(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)
    rows: list[JournalRow]
    next_cursor: Optional[str] = None


class ReferenceUse(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)
    id: str
    transaction_code: str
    transaction_date: str


# ---------------------------------------------------------------- an entry traced

class SourceRef(Result):
    id: str
    code: str
    kind: str                      # "Order", "Payment", "Stock movement", ...
    order_id: Optional[str] = None
    order_code: Optional[str] = None


class DetailLine(Result):
    line_number: int
    account_id: Optional[str]
    account_code: str
    account_name: str
    debit: Decimal
    credit: Decimal
    description: Optional[str] = None


class RelatedEntry(Result):
    id: str
    transaction_code: str
    transaction_date: str
    description: Optional[str] = None
    total_amount: Decimal = ZERO
    kind: str = ""
    reason: Optional[str] = None   # of a reversal


class EntryDetail(Result):
    id: str
    transaction_code: str
    transaction_date: str
    reference: Optional[str]
    description: Optional[str]
    currency: str
    automatic: bool
    posted_by: Optional[str]
    lines: list[DetailLine]
    total_debits: Decimal
    total_credits: Decimal
    reversed_by: Optional[RelatedEntry] = None
    reversal_of: Optional[RelatedEntry] = None
    source: Optional[SourceRef] = None


class OrderItem(Result):
    description: str
    quantity: Optional[Decimal]
    unit_price: Optional[Decimal]
    amount: Decimal


class OrderTrace(Result):
    id: str
    transaction_code: str
    transaction_date: str
    currency: str
    customer: Optional[str]
    server: Optional[str]
    table_number: Any = None
    items: list[OrderItem]
    tax: Decimal
    total_amount: Decimal
    refunded_by: Optional[str] = None
    related: list[RelatedEntry]    # payments, stock movements, the refund
    postings: list[RelatedEntry]   # the journals all of them posted
