"""The business rules that run inside every emit, in the same unit of work."""
from __future__ import annotations

from typing import Any

from ..universal.transactions import Rule


def business_rules(services: Any) -> list[Rule]:
    """The rules, from a scope's internal services (they act for whoever recorded the transaction)."""
    # Stock first: a movement that would take stock below zero stops the whole transaction
    # before anything is posted.
    return [services.inventory.ledger.on_recorded, services.customers.on_recorded, services.posting.on_recorded]
