"""Open orders (``s.order_drafts``): a table's ticket kept in the books until it is paid or cancelled.

A draft is an ``order_draft`` entity named for its table ("Table 5"), with the
ticket (lines, table, customer, server and the order's idempotency key) as JSON
in its ``ticket`` dynamic field, so an open order survives a restart and can be
picked up on another terminal. The idempotency key is made once, when the
ticket is started, and travels with the draft: paying it twice, or retrying a
Pay whose answer was lost, records one sale. Paying or cancelling discards the
draft: it is marked deleted with the reason ("paid" or "cancelled"), never removed.
What the kitchen was sent (``services/kitchen.py``) stays on the order: a save, a payment or a
cancellation that would drop it is refused until the line is voided.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..domain import contracts as c
from ..domain.contracts.restaurant import OrderDraft, Ticket
from ..domain.errors import NotFoundError, ValidationError
from ..domain.ids import new_id
from .menu import holding
from .kitchen import kitchen_events, refuse_dropping_sent, with_the_kitchen

if TYPE_CHECKING:
    from ..app import Scope

DRAFT_SC = "HERA.RESTAURANT.ORDER.DRAFT.V1"
TICKET_SC = "HERA.RESTAURANT.ORDER.DYN.TICKET.V1"
REASONS = ("paid", "cancelled")


def _table_order(draft: OrderDraft) -> tuple[int, int, str, str]:
    """Tables in natural order (2 before 10), counter orders last, oldest first within a table."""
    table = draft.ticket.table_number or ""
    digits = re.match(r"\d+", table)
    return (0 if table else 1, int(digits.group()) if digits else 0, table, draft.created_at)


class OrderDrafts:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.uni = scope.internal.universal

    def save(self, ticket: Any, draft_id: str | None = None) -> OrderDraft:
        """Keep the ticket as an open order: a new draft, or the same draft updated."""
        self.scope.require("orders.take", "keep open orders")
        data = c.parse(Ticket, ticket)
        if not data.lines:
            raise ValidationError("lines", "an open order needs at least one item")
        with self.scope.db.write():
            kept = self.load(draft_id).ticket if draft_id is not None else None
            with holding(_items_of(kept)):
                self.scope.internal.restaurant.menu.orderable([ln.menu_item_id for ln in data.lines], "lines")
            if draft_id is None or kept is None:
                entity = self.uni.create_entity(entity_type="order_draft", entity_name=data.label,
                                                entity_code=f"DRAFT-{new_id()[-12:].upper()}", smart_code=DRAFT_SC)
                draft_id = entity.id
            else:
                entity = self._draft(draft_id)
                data = self._keeping_the_kitchen(kept, data)
                if entity.entity_name != data.label:
                    self.uni.update_entity(draft_id, entity_name=data.label)
            self.uni.set_dynamic_field(draft_id, "ticket", data.model_dump(mode="json"), TICKET_SC)
            return self.load(draft_id)

    def list(self) -> list[OrderDraft]:
        """Every open order, by table."""
        with self.scope.db.read():
            entities = self.uni.query_entities(entity_type="order_draft", limit=1000).entities
            tickets = self.uni.field_values([e.id for e in entities], ("ticket",))
        drafts = [self._view(e, tickets[e.id].get("ticket")) for e in entities]
        return sorted(drafts, key=_table_order)

    def load(self, draft_id: str) -> OrderDraft:
        with self.scope.db.read():
            entity = self._draft(draft_id)
            field = self.uni.get_dynamic_field(draft_id, "ticket")
        return self._view(entity, field.value if field is not None else None)

    def discard(self, draft_id: str, reason: str) -> None:
        """Close an open order that was paid or cancelled; the record stays, marked with the reason."""
        self.scope.require("orders.take", "close open orders")
        if reason not in REASONS:
            raise ValidationError("reason", f"must be one of {', '.join(REASONS)}")
        with self.scope.db.write():
            self._draft(draft_id)
            if reason == "cancelled":
                self._keeping_the_kitchen(self.load(draft_id).ticket, Ticket())
            self.uni.delete_entity(draft_id, reason)

    def pay(self, ticket: Any, payments: list[dict[str, Any]], draft_id: str | None = None) -> Any:
        """Record the ticket as a paid order and close its draft, in one database transaction.

        Paying again with the same ticket (a double click, a retry after a lost answer) returns the
        first order, replayed, and writes nothing.
        """
        data = c.parse(Ticket, ticket)
        with self.scope.db.write():
            kept = None
            if draft_id is not None and self.uni.get_entity(draft_id).status != "deleted":
                kept = self.load(draft_id).ticket
                data = self._keeping_the_kitchen(kept, data)
            with holding(_items_of(kept)):
                result = self.scope.internal.restaurant.process_order(**data.order(), payments=payments)
            if draft_id is not None and self.uni.get_entity(draft_id).status != "deleted":
                self.discard(draft_id, "paid")
            return result

    def _keeping_the_kitchen(self, kept: Ticket, data: Ticket) -> Ticket:
        """The ticket, with the order's own idempotency key (made once, when the order was started; ``kept`` is
        the order as it was kept), once it is checked to hold everything the kitchen was sent."""
        has = with_the_kitchen(kitchen_events(self.scope, kept.idempotency_key))
        if has:
            names = {ln.menu_item_id: ln.name for ln in kept.lines}
            refuse_dropping_sent(data, has, names)
        return data if data.idempotency_key == kept.idempotency_key or not has else \
            data.model_copy(update={"idempotency_key": kept.idempotency_key})

    def _draft(self, draft_id: str) -> c.Entity:
        entity = self.uni.get_entity(draft_id)
        if entity.entity_type != "order_draft":
            raise NotFoundError(f"No open order with id {draft_id}")
        if entity.status == "deleted":
            why = entity.metadata.get("deleted_reason", "closed")
            raise ValidationError("draft_id", f"the open order {entity.entity_name} was already {why}")
        return entity

    @staticmethod
    def _view(entity: c.Entity, ticket: Any) -> OrderDraft:
        return OrderDraft(id=entity.id, entity_name=entity.entity_name, ticket=c.parse(Ticket, ticket or {}),
                          created_at=entity.created_at, updated_at=entity.updated_at, created_by=entity.created_by)


def _items_of(kept: Ticket | None) -> list[str]:
    """The menu items of an open order's lines as it was kept (none for a new order)."""
    return [ln.menu_item_id for ln in kept.lines] if kept is not None else []
