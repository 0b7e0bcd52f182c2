"""The chart of accounts as a screen shows it: GL accounts with their balances, grouped by account type."""
from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from ..money import ZERO


class AccountRow(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)
    id: str
    code: str
    name: str
    account_type: str
    active: bool
    has_postings: bool
    balance: Decimal  # in the account's normal direction: a bank account's money, a payable's debt


class AccountGroup(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)
    account_type: str
    label: str
    accounts: list[AccountRow]

    @property
    def balance(self) -> Decimal:
        return sum((a.balance for a in self.accounts), ZERO)
