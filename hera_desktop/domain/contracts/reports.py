"""Reports as results: the trial balance, an account's general ledger, stock on hand and its value,
and sales by day, by item, by hour and by server."""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

from . import Result


class TrialBalanceRow(Result):
    account_id: str
    account_code: str
    account_name: str
    account_type: str
    debit: Decimal
    credit: Decimal
    balance: Decimal


class TrialBalance(Result):
    as_of: Optional[str]
    currency: str
    rows: list[TrialBalanceRow]
    total_debits: Decimal
    total_credits: Decimal

    @property
    def balanced(self) -> bool:
        return self.total_debits == self.total_credits


class LedgerLine(Result):
    transaction_id: str
    transaction_code: str
    transaction_date: str
    reference: Optional[str]
    description: Optional[str]
    debit: Decimal
    credit: Decimal
    running_balance: Decimal


class GeneralLedger(Result):
    account_id: str
    account_code: str
    account_name: str
    opening_balance: Decimal
    lines: list[LedgerLine]
    closing_balance: Decimal


class StockRow(Result):
    product_id: str
    product_name: str
    product_code: str
    location_id: Optional[str]
    location_name: str
    quantity: Decimal
    average_cost: Decimal
    value: Decimal
    reorder_level: Optional[Decimal] = None


class StockValuation(Result):
    rows: list[StockRow]
    value_by_location: dict[str, Decimal]
    total_value: Decimal


# ---------------------------------------------------------------- sales

class TaxAtRate(Result):
    """The tax charged at one rate over a day, an hour, a server's sales or a period."""
    label: str  # as receipts print it: "Food"
    rate: Decimal  # a fraction: 0.07 for 7%
    tax: Decimal

    @property
    def percent(self) -> str:
        return f"{(self.rate * 100).normalize():f}"


class SalesDay(Result):
    day: str
    orders: int
    subtotal: Decimal
    tax: Decimal
    total: Decimal
    taxes: list[TaxAtRate] = []  # the tax by rate, adding up to tax


class ItemSales(Result):
    menu_item_id: Optional[str]
    item_name: str
    category: str
    quantity: Decimal
    orders: int
    sales: Decimal  # before tax


class HourSales(Result):
    hour: int  # 0-23, the business's wall-clock hour
    orders: int
    subtotal: Decimal
    tax: Decimal
    total: Decimal
    taxes: list[TaxAtRate] = []  # the tax by rate, adding up to tax


class ServerSales(Result):
    server_id: Optional[str]
    server_name: str
    orders: int
    subtotal: Decimal
    tax: Decimal
    total: Decimal
    taxes: list[TaxAtRate] = []  # the tax by rate, adding up to tax
