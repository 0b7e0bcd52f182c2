"""Applying change-feed events to books: each event's record state, as it was stored where it was made.

What another terminal's feed (or this terminal's own, into new books) becomes
here. Entities, fields, relationships and the organization take the state an
event carries; a transaction and its lines are inserted once (they never
change). Derived values are not in the feed: ``recompute`` rebuilds them
afterwards (ledger totals, stock levels and average costs, the search index).
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any, Iterable

from sqlalchemy import Table, select

from ..domain.contracts.events import ChangeEvent
from ..domain.money import ZERO
from ..storage import caches, search
from ..storage.schema import (core_dynamic_data, core_entities, core_organizations, core_relationships,
                              universal_transaction_lines, universal_transactions)
from ..storage.scoped import OrgStore
from ..storage.types import ExactDecimal

TABLES: dict[str, Table] = {t.name: t for t in (core_organizations, core_entities, core_dynamic_data,
                                                core_relationships, universal_transactions)}


def _stored(table: Table, record: dict[str, Any]) -> dict[str, Any]:
    """A record's JSON state as the table's columns take it (amounts back to Decimals)."""
    row = {}
    for column in table.columns:
        value = record.get(column.name)
        if value is not None and isinstance(column.type, ExactDecimal):
            value = Decimal(value)
        row[column.name] = value
    return row


def apply(store: OrgStore, events: Iterable[ChangeEvent]) -> int:
    """Apply these events in order inside the caller's unit of work; returns how many were applied.

    An event of another organization is refused (OrganizationMismatchError), as any record of one is.
    """
    from ..domain.errors import OrganizationMismatchError

    conn = store.conn
    applied = 0
    for event in events:
        if event.organization_id != store.organization_id:
            raise OrganizationMismatchError(f"event {event.event_id} belongs to another organization")
        table = TABLES[event.record_table]
        if table is universal_transactions:
            conn.execute(table.insert(), _stored(table, event.record))
            lines = [_stored(universal_transaction_lines, ln) for ln in event.record.get("lines", [])]
            if lines:
                conn.execute(universal_transaction_lines.insert(), lines)
        else:
            row = _stored(table, event.record)
            exists = conn.execute(select(table.c.id).where(table.c.id == event.record_id)).first()
            if exists is None:
                conn.execute(table.insert(), row)
            else:
                conn.execute(table.update().where(table.c.id == event.record_id).values(
                    {k: v for k, v in row.items() if k != "id"}))
            if table is core_entities:
                store.forget_entity(event.record_id)
        applied += 1
    return applied


def recompute(scope: Any) -> None:
    """Rebuild what the feed leaves out, from the records: ledger totals, stock, the search index."""
    from .entities import SEARCH_FIELDS, SEARCHABLE

    st: OrgStore = scope.store
    with st.db.write():
        E, L, T, D = core_entities, universal_transaction_lines, universal_transactions, core_dynamic_data
        sums: dict[tuple[str, str, str], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
        rows = st.query(
            select(L.c.entity_id, L.c.currency, T.c.transaction_date, L.c.dr_cr, L.c.line_amount)
            .join(T, T.c.id == L.c.transaction_id).join(E, E.c.id == L.c.entity_id)
            .where(E.c.entity_type == "gl_account", L.c.dr_cr.is_not(None)))
        for account, currency, day, side, amount in rows:
            sums[(account, currency, day[:10])][0 if side == "DR" else 1] += amount
        caches.add_to_gl(st, sums)
        scope.internal.inventory.rebuild()
        extra: dict[str, list[str]] = defaultdict(list)
        for field in st.rows(st.select(D, D.c.field_name.in_(SEARCH_FIELDS),
                                       columns=[D.c.entity_id, D.c.field_value_text])):
            extra[field.entity_id].append(field.field_value_text or "")
        entities = st.rows(st.select(E, E.c.entity_type.in_(SEARCHABLE), E.c.status != "deleted"))
        for e in entities:
            search.index_entity(st, e.id, e.entity_type, " ".join([e.entity_name, e.entity_code, *extra.get(e.id, [])]))
