"""The business rules that run inside every emit, in the same unit of work."""
from __future__ import annotations

from typing import Any

from ..universal.transactions import Rule


def business_rules(scope: Any) -> list[Rule]:
    # Stock first: a movement that would take stock below zero stops the whole transaction
    # before anything is posted.
    return [scope.inventory.ledger.on_recorded, scope.customers.on_recorded, scope.posting.on_recorded]
