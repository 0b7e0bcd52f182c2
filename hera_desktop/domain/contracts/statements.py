"""Financial statements as results: profit and loss between dates, the balance sheet as of a date."""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

from . import Result


class StatementLine(Result):
    account_id: str
    account_code: str
    account_name: str
    account_type: str
    amount: Decimal  # on the account's normal side: a positive expense, a positive liability


class ProfitAndLoss(Result):
    date_from: Optional[str]
    date_to: Optional[str]
    currency: str
    revenue: list[StatementLine]
    expenses: list[StatementLine]
    total_revenue: Decimal
    total_expenses: Decimal
    net_income: Decimal


class BalanceSheet(Result):
    as_of: Optional[str]
    currency: str
    assets: list[StatementLine]
    liabilities: list[StatementLine]
    equity: list[StatementLine]
    total_assets: Decimal
    total_liabilities: Decimal
    total_equity: Decimal
    current_earnings: Decimal

    @property
    def total_liabilities_and_equity(self) -> Decimal:
        return self.total_liabilities + self.total_equity + self.current_earnings

    @property
    def balanced(self) -> bool:
        return self.total_assets == self.total_liabilities_and_equity
