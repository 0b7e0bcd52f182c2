"""The business rules that run inside every emit, in the same unit of work."""
from __future__ import annotations

from typing import Any, Callable

from ..universal.transactions import Recorded, Rule


def each(rule: Callable[[Recorded], None]) -> Rule:
    """A rule that looks at one recorded transaction at a time, run for each of a write's."""
    def run(recorded: list[Recorded]) -> None:
        for rec in recorded:
            rule(rec)
    return run


def business_rules(services: Any) -> list[Rule]:
    """The rules, from a scope's internal services (they act for whoever recorded the transaction)."""
    # Stock first: a movement that would take stock below zero stops the whole transaction
    # before anything is posted. Posting takes a write's transactions together: their journals are
    # recorded in one write of their own.
    return [each(services.inventory.ledger.on_recorded), each(services.customers.on_recorded),
            services.posting.on_recorded]
