"""Applying change-feed events to books: each event's record state, as it was stored where it was made.

What another terminal's feed (or this terminal's own, into new books) becomes
here. Entities, fields, relationships and the organization take the state an
event carries; a transaction and its lines are inserted once (they never
change). Each event is applied once: one applied before (or written here) is
skipped, and a transaction already in the books is kept if it is the same and
refused if it is not. This terminal's clock moves past what was applied, so its
next change orders after it. Derived values are not in the feed: ``recompute``
rebuilds them afterwards (ledger totals, stock levels and average costs, the
search index, document numbers, chain counters).
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any, Iterable

from sqlalchemy import Table, select

from ..domain.contracts.events import ChangeEvent
from ..domain.errors import DuplicateError, ImmutableTransactionError, OrganizationMismatchError
from ..domain.ids import now_text
from ..domain.money import ZERO
from ..storage import caches, search
from ..storage.chain_counters import continue_chains
from ..storage.document_numbers import continue_numbers, highest_numbers
from ..storage.schema import (core_dynamic_data, core_entities, core_organizations, core_relationships,
                              hera_applied_events, hera_change_feed, universal_transaction_lines,
                              universal_transactions)
from ..storage.scoped import OrgStore
from ..storage.types import ExactDecimal
from .chain import newest_links
from .feed import received

TABLES: dict[str, Table] = {t.name: t for t in (core_organizations, core_entities, core_dynamic_data,
                                                core_relationships, universal_transactions)}
_CHUNK = 500


def _stored(table: Table, record: dict[str, Any]) -> dict[str, Any]:
    """A record's JSON state as the table's columns take it (amounts back to Decimals)."""
    row = {}
    for column in table.columns:
        value = record.get(column.name)
        if value is not None and isinstance(column.type, ExactDecimal):
            value = Decimal(value)
        row[column.name] = value
    return row


def _apply_rank(event: ChangeEvent) -> int:
    return _APPLY_ORDER.index(event.record_table)


_APPLY_ORDER = ("core_organizations", "core_entities", "core_dynamic_data", "core_relationships",
                "universal_transactions")


def apply(store: OrgStore, events: Iterable[ChangeEvent]) -> int:
    """Apply these events inside the caller's unit of work, each record's in order (organizations, entities,
    fields and relationships before the transactions, which may name any of them); returns how many were
    applied.

    An event already applied here, or written here, is skipped. An event of another organization is refused
    (OrganizationMismatchError), as any record of one is; so is a transaction already in the books with
    other content (ImmutableTransactionError), and an event that takes the change number of another already
    applied from its terminal (DuplicateError).
    """
    # Records before the transactions that name them, each record's events in their order: a feed begun on
    # books older than it numbers their records' starting events after the changes made since.
    events = sorted(events, key=_apply_rank)
    for event in events:
        if event.organization_id != store.organization_id:
            raise OrganizationMismatchError(f"event {event.event_id} belongs to another organization")
    if not events:
        return 0
    done, numbered = _applied_before(store, events)
    present: dict[str, Any] = {t.id: t for t in store.by_ids(universal_transactions, [
        e.record_id for e in events if e.record_table == universal_transactions.name])}
    applied: list[dict[str, Any]] = []
    count = 0
    for event in events:
        before = done.get(event.event_id)
        if before is not None:
            if before != event.payload_hash:
                raise DuplicateError(f"event {event.event_id} was applied here before with other content",
                                     event_id=event.event_id)
            continue
        where = (event.clock.terminal_id, event.change_seq)
        if numbered.get(where, event.event_id) != event.event_id:
            raise DuplicateError(f"change {event.change_seq} of terminal {event.clock.terminal_id} was applied "
                                 f"here before as event {numbered[where]}; event {event.event_id} cannot take "
                                 "its place", event_id=event.event_id)
        table = TABLES[event.record_table]
        if table is universal_transactions:
            if _new_transaction(event, present.get(event.record_id)):
                _insert_transaction(store.conn, event)
                present[event.record_id] = event.record
                count += 1
        elif event.kind == "dynamic_field.removed":
            store.conn.execute(table.delete().where(table.c.id == event.record_id))
            count += 1
        else:
            _put_record(store, table, event)
            count += 1
        done[event.event_id], numbered[where] = event.payload_hash, event.event_id
        applied.append({"event_id": event.event_id, "terminal_id": event.clock.terminal_id,
                        "change_seq": event.change_seq, "payload_hash": event.payload_hash})
    if applied:
        when = now_text()
        store.insert(hera_applied_events, [{**a, "applied_at": when} for a in applied])
    own = [e.change_seq for e in events if e.clock.terminal_id == store.db.terminal_id]
    received(store, max(e.clock.reading for e in events), max(own, default=0))
    return count


def _insert_transaction(conn: Any, event: ChangeEvent) -> None:
    table = universal_transactions
    conn.execute(table.insert(), _stored(table, event.record))
    lines = [_stored(universal_transaction_lines, ln) for ln in event.record.get("lines", [])]
    if lines:
        conn.execute(universal_transaction_lines.insert(), lines)


def _put_record(store: OrgStore, table: Table, event: ChangeEvent) -> None:
    """The record takes the event's state, made if it is not here yet."""
    conn = store.conn
    row = _stored(table, event.record)
    exists = conn.execute(select(table.c.id).where(table.c.id == event.record_id)).first()
    if exists is None:
        conn.execute(table.insert(), row)
    else:
        conn.execute(table.update().where(table.c.id == event.record_id).values(
            {k: v for k, v in row.items() if k != "id"}))
    if table is core_entities:
        store.forget_entity(event.record_id)


def _applied_before(store: OrgStore, events: list[ChangeEvent]) -> tuple[dict[str, str], dict[tuple[str, int], str]]:
    """Which of these events were applied or written here (event id -> payload hash), and which event took
    each of their terminals' change numbers here ((terminal, change number) -> event id)."""
    A, F = hera_applied_events, hera_change_feed
    ids = [e.event_id for e in events]
    done: dict[str, str] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start:start + _CHUNK]
        for row in store.rows(store.select(A, A.c.event_id.in_(chunk), columns=[A.c.event_id, A.c.payload_hash])):
            done[row[0]] = row[1]
        for row in store.rows(store.select(F, F.c.id.in_(chunk), columns=[F.c.id, F.c.payload_hash])):
            done[row[0]] = row[1]
    numbered: dict[tuple[str, int], str] = {}
    spans: dict[str, list[int]] = defaultdict(list)
    for e in events:
        spans[e.clock.terminal_id].append(e.change_seq)
    for terminal, seqs in spans.items():
        for row in store.rows(store.select(
                A, A.c.terminal_id == terminal, A.c.change_seq.between(min(seqs), max(seqs)),
                columns=[A.c.event_id, A.c.change_seq])):
            numbered[(terminal, row[1])] = row[0]
    return done, numbered


def _new_transaction(event: ChangeEvent, present: Any) -> bool:
    """Whether the event's transaction is still to be inserted: not if the books hold it already, the same
    (its content hash); one that differs is refused, since a transaction never changes."""
    if present is None:
        return True
    held = present["content_hash"] if isinstance(present, dict) else present.content_hash
    if held == event.record.get("content_hash"):
        return False
    code = event.record.get("transaction_code")
    raise ImmutableTransactionError(
        f"transaction {code} ({event.record_id}) is already in these books with other content; a transaction "
        f"never changes, so event {event.event_id} is refused", transaction_id=event.record_id)


def recompute(scope: Any) -> None:
    """Rebuild what the feed leaves out, from the records: ledger totals, stock, the search index, and each
    terminal's document numbers after the highest its documents carry (the next sale goes on from there)."""
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
        documents = st.rows(st.select(T, columns=[T.c.terminal_id, T.c.transaction_code]))
        continue_numbers(st.conn, st.organization_id, highest_numbers((d[0], d[1]) for d in documents))
        continue_chains(st.conn, st.organization_id, newest_links(st))
