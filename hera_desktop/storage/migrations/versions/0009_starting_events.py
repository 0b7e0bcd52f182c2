"""Records made before the change feed get a starting event; applied events are remembered.

Revision ID: 0009
Revises: 0008

Books from before 0007 hold records that no event describes, so their feed could
not rebuild them elsewhere (a terminal that joins a server later sends its whole
history). Each such record gets one event now, carrying its current state, in an
order a replay can apply: the organization, its entities, their dynamic fields,
relationships, then transactions (with their lines) in chain order per terminal.
The events are this terminal's, numbered and clocked after any it already wrote,
sealed as the feed's writer seals them (``domain.sealed_events``: secrets left
out). A record that already has an event is left alone: that event carries its
state.

``hera_applied_events`` remembers each event applied here from a feed (another
terminal's, or this one's into new books), so applying it again changes nothing.
"""
import time
from typing import Any, Iterator

import sqlalchemy as sa
from alembic import op

from hera_desktop.domain.contracts.events import TABLE_OF
from hera_desktop.domain.hlc import ORIGIN, Reading, ticks
from hera_desktop.domain.ids import new_id, new_ids, now_text
from hera_desktop.domain.sealed_events import seal
from hera_desktop.storage.prepared import StoredRows
from hera_desktop.storage.schema import (core_dynamic_data, core_entities, core_organizations, core_relationships,
                                         hera_change_feed, hera_feed_clocks, hera_settings,
                                         universal_transaction_lines, universal_transactions)

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

PAGE = 2000
FEED = StoredRows(hera_change_feed, ("id", "terminal_id", "change_seq", "kind", "record_table", "record_id", "record",
                                     "hlc_ms", "hlc_counter", "actor_id", "payload_hash", "created_at", "attempts"))
F, K, O, L = hera_change_feed, hera_feed_clocks, core_organizations, universal_transaction_lines
# Each table's starting kind of event and the order its records are written in.
STARTS = ((core_entities, "entity.created", ("created_at", "id")),
          (core_dynamic_data, "dynamic_field.set", ("created_at", "id")),
          (core_relationships, "relationship.created", ("created_at", "id")),
          (universal_transactions, "transaction.recorded", ("terminal_id", "chain_seq")))


def upgrade() -> None:
    op.create_table(
        "hera_applied_events",
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("terminal_id", sa.String(length=36), nullable=False),
        sa.Column("change_seq", sa.Integer(), nullable=False),
        sa.Column("payload_hash", sa.String(length=64), nullable=False),
        sa.Column("applied_at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("organization_id", "event_id", name=op.f("pk_hera_applied_events")),
    )
    with op.batch_alter_table("hera_applied_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hera_applied_events_organization_id_terminal_id_change_seq"),
                              ["organization_id", "terminal_id", "change_seq"], unique=True)
    conn = op.get_bind()
    terminal = _terminal(conn)
    for (org_id,) in conn.execute(sa.select(O.c.id).order_by(O.c.created_at, O.c.id)).all():
        _start(conn, org_id, terminal)


def downgrade() -> None:
    op.drop_table("hera_applied_events")  # the starting events stay: they describe the records truly


def _terminal(conn: sa.Connection) -> str:
    """This computer's terminal id, given now if the books were never opened by the app."""
    found = conn.execute(sa.select(hera_settings.c.value).where(hera_settings.c.key == "terminal_id")).scalar()
    if found:
        return str(found)
    terminal = new_id()
    conn.execute(hera_settings.insert().values(key="terminal_id", value=terminal))
    return terminal


def _columns(conn: sa.Connection, table: sa.Table) -> list[sa.Column[Any]]:
    """The table's columns as this revision has them, typed as the code reads them (amounts, JSON)."""
    present = {c["name"] for c in sa.inspect(conn).get_columns(table.name)}
    return [c for c in table.columns if c.name in present]


def _without_event(table: sa.Table, org_id: str) -> sa.ColumnElement[bool]:
    owner = table.c.id if table is O else table.c.organization_id
    described = sa.exists().where(F.c.organization_id == org_id, F.c.record_id == table.c.id)
    return sa.and_(owner == org_id, ~described)


def _records(conn: sa.Connection, org_id: str) -> Iterator[list[tuple[str, dict[str, Any]]]]:
    """Pages of (kind, record) for this organization's records no event describes, in replay order."""
    org = conn.execute(sa.select(*_columns(conn, O)).where(_without_event(O, org_id))).first()
    if org is not None:
        yield [("organization.settings_changed", dict(org._mapping))]
    line_columns = _columns(conn, L)
    for table, kind, order in STARTS:
        columns, keys = _columns(conn, table), [table.c[name] for name in order]
        after: tuple[Any, ...] | None = None
        while True:
            query = sa.select(*columns).where(_without_event(table, org_id))
            if after is not None:
                query = query.where(sa.tuple_(*keys) > sa.tuple_(*after))
            page = [dict(r._mapping) for r in conn.execute(query.order_by(*keys).limit(PAGE))]
            if not page:
                break
            after = tuple(page[-1][name] for name in order)
            if table is universal_transactions:
                yield [("transaction.reversed" if r["reversal_of"] else kind, r) for r in _with_lines(
                    conn, org_id, page, line_columns)]
            else:
                yield [(kind, r) for r in page]


def _with_lines(conn: sa.Connection, org_id: str, headers: list[dict[str, Any]],
                columns: list[sa.Column[Any]]) -> list[dict[str, Any]]:
    lines: dict[str, list[dict[str, Any]]] = {h["id"]: [] for h in headers}
    for r in conn.execute(sa.select(*columns).where(L.c.organization_id == org_id,
                                                    L.c.transaction_id.in_(list(lines)))
                          .order_by(L.c.transaction_id, L.c.line_number)):
        lines[r.transaction_id].append(dict(r._mapping))
    return [{**h, "lines": lines[h["id"]]} for h in headers]


def _start(conn: sa.Connection, org_id: str, terminal: str) -> None:
    """The starting events of one organization's records, after the events its terminal already wrote."""
    clock = conn.execute(sa.select(K.c.last_seq, K.c.hlc_ms, K.c.hlc_counter).where(
        K.c.organization_id == org_id, K.c.terminal_id == terminal)).first()
    seq, last = (clock[0], Reading(clock[1], clock[2])) if clock else (0, ORIGIN)
    wrote = False
    for changes in _records(conn, org_id):
        readings = ticks(last, time.time_ns() // 1_000_000, len(changes))
        created = now_text()
        rows = []
        for (kind, record), event_id, reading in zip(changes, new_ids(len(changes)), readings):
            seq += 1
            sealed = seal(event_id=event_id, organization_id=org_id, kind=kind, record=record, change_seq=seq,
                          clock=reading, terminal_id=terminal, actor_id=None)
            rows.append((event_id, terminal, seq, kind, TABLE_OF[kind], record["id"], sealed.record_text,
                         reading.physical_ms, reading.counter, None, sealed.payload_hash, created, 0))
        FEED.execute(conn, org_id, rows)
        last, wrote = readings[-1], True
    if not wrote:
        return
    values = {"last_seq": seq, "hlc_ms": last.physical_ms, "hlc_counter": last.counter}
    if clock is None:
        conn.execute(K.insert().values(organization_id=org_id, terminal_id=terminal, **values))
    else:
        conn.execute(K.update().where(K.c.organization_id == org_id, K.c.terminal_id == terminal).values(**values))

