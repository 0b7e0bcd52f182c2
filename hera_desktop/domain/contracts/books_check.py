"""What a check of the books found besides the hash chain: a derived value or a feed event that disagrees.

Balances, stock levels, average costs and customer balances are caches of the
transaction lines; each change-feed event carries the hash of its payload. A
cache that disagrees with the lines it is derived from, or an event whose record
no longer matches its hash, is named here in words a manager can act on.
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

# What was checked: the ledger's daily and per-account totals, stock per location, a product's cached stock
# and average cost, a customer's account balance, a change-feed event.
CheckedValue = Literal["gl_daily_balance", "gl_account_balance", "stock_level", "current_inventory",
                       "average_cost", "customer_balance", "change_feed_event"]


class Disagreement(BaseModel):
    """One derived value (or feed event) that does not agree with the records it comes from."""
    model_config = ConfigDict(frozen=True)
    organization_id: str
    value: CheckedValue
    record_id: str  # the account, product, customer or event it is about
    problem: str    # a whole sentence: what it is, what is cached, what the records say
