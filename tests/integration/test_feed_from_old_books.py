"""Books older than the change feed: upgrading gives each of their records a starting event, so their feed
rebuilds them elsewhere (a terminal that joins a server later sends its whole history).

The old books are made at schema 0006, the last before the feed, holding the rows of busy
books (the demo, the usage guide's flows, a reversal, an import, edits and deletions) and no
events. Opened by this version, they get one event per record, numbered and clocked in an
order a replay can apply; replayed into empty books they come out row for row the same,
with the same trial balance and stock.
"""
from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, inspect, select

import hera_desktop
from hera_desktop.domain.contracts.events import TABLE_OF
from hera_desktop.domain.hlc import Reading
from hera_desktop.domain.ids import new_id, now_text
from hera_desktop.domain.sealed_events import seal
from hera_desktop.storage.database import HEAD_REVISION, MIGRATIONS
from hera_desktop.storage.schema import (core_dynamic_data, core_entities, core_organizations, core_relationships,
                                         hera_change_feed, hera_document_numbers, hera_feed_clocks,
                                         hera_gl_account_balances, hera_gl_daily_balances, hera_settings,
                                         hera_stock_levels, universal_transaction_lines, universal_transactions)
from hera_desktop.storage.scoped import OrgStore
from hera_desktop.universal import feed
from raw_books import RawBooks
from test_change_feed import assert_replays_the_same, busy_books, six_tables

# The rows old books hold, in an order their references allow.
COPIED = (hera_settings, core_organizations, core_entities, core_dynamic_data, core_relationships,
          universal_transactions, universal_transaction_lines, hera_gl_daily_balances, hera_gl_account_balances,
          hera_stock_levels, hera_document_numbers)
RECORDS = (core_organizations, core_entities, core_dynamic_data, core_relationships, universal_transactions)


@pytest.fixture
def old_where(backend: str, tmp_path: Path, request: Any) -> Iterator[Any]:
    """Where the old books go: an SQLite file, or an empty PostgreSQL database dropped afterwards."""
    if backend == "sqlite":
        yield tmp_path / "old.db"
        return
    server = request.getfixturevalue("pg_server")
    name = server.new_database()
    try:
        yield server.url(name)
    finally:
        server.drop_database(name)


@pytest.fixture
def empty_where(backend: str, tmp_path: Path, request: Any) -> Any:
    if backend == "sqlite":
        return tmp_path / "replayed.db"
    return request.getfixturevalue("pg_database")(request.getfixturevalue("pg_empty_template"))


def engine_of(where: Any) -> Engine:
    return create_engine(where if isinstance(where, str) else f"sqlite:///{where}")


def migrate(where: Any, revision: str) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    engine = engine_of(where)
    with engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        conn.commit()
    engine.dispose()


def books_at_0006(where: Any, source: hera_desktop.Hera) -> None:
    """Books at schema 0006 holding the rows of ``source`` (its terminal's id among them), and no events."""
    migrate(where, "0006")
    engine = engine_of(where)
    try:
        with source.db.read() as read, engine.begin() as write:
            for table in COPIED:
                present = {c["name"] for c in inspect(write).get_columns(table.name)}
                columns = [c for c in table.columns if c.name in present]
                order = [table.c.chain_seq] if table is universal_transactions else []
                rows = [dict(r._mapping) for r in read.execute(select(*columns).order_by(*order))]
                if rows:
                    write.execute(table.insert(), rows)
            assert not inspect(write).has_table(hera_change_feed.name)
    finally:
        engine.dispose()


def first_event(conn: Any, org_id: str, terminal_id: str, kind: str, record: dict[str, Any], clock: Reading) -> str:
    """A terminal's first event, written by hand as the feed's writer would have (books used at 0007-0008);
    its id."""
    event_id = new_id()
    sealed = seal(event_id=event_id, organization_id=org_id, kind=kind, record=record, change_seq=1, clock=clock,
                  terminal_id=terminal_id, actor_id=None)
    conn.execute(hera_change_feed.insert().values(
        id=event_id, organization_id=org_id, terminal_id=terminal_id, change_seq=1, kind=kind,
        record_table=TABLE_OF[kind], record_id=record["id"], record=json.loads(sealed.record_text),
        hlc_ms=clock.physical_ms, hlc_counter=clock.counter, payload_hash=sealed.payload_hash, created_at=now_text()))
    conn.execute(hera_feed_clocks.insert().values(organization_id=org_id, terminal_id=terminal_id, last_seq=1,
                                                  hlc_ms=clock.physical_ms, hlc_counter=clock.counter))
    return event_id


def test_old_books_get_a_starting_event_per_record_and_their_feed_rebuilds_them(hera, old_where, empty_where):
    org_id = busy_books(hera)
    books_at_0006(old_where, hera)

    with hera_desktop.open(old_where) as old:
        assert old.db.revision() == HEAD_REVISION
        assert old.terminal_id == hera.terminal_id
        with old.db.read():
            events = feed.events(OrgStore(old.db, org_id))
        assert [e.change_seq for e in events] == list(range(1, len(events) + 1))
        assert all(a.clock.order_key() < b.clock.order_key() for a, b in zip(events, events[1:]))
        with old.db.read() as conn:  # one event per record; the lines travel in their transaction's
            records = sorted(r.id for t in RECORDS for r in conn.execute(
                select(t.c.id).where((t.c.id if t is core_organizations else t.c.organization_id) == org_id)))
        assert sorted(e.record_id for e in events) == records
        # In an order a replay can apply: the organization, entities, fields, relationships, transactions.
        order = ["core_organizations", "core_entities", "core_dynamic_data", "core_relationships",
                 "universal_transactions"]
        assert [e.record_table for e in events] == sorted((e.record_table for e in events), key=order.index)
        sales = [e for e in events if e.record_table == "universal_transactions"]
        assert [e.record["chain_seq"] for e in sales] == list(range(1, len(sales) + 1))
        assert any(e.kind == "transaction.reversed" for e in sales) and all(e.record["lines"] for e in sales)
        assert six_tables(old, org_id) == six_tables(hera, org_id)  # the upgrade changed no record

        # New work goes on numbering after the starting events.
        old.scope(org_id).universal.create_entity(entity_type="location", entity_name="Terrace",
                                                  smart_code="HERA.INVENTORY.LOCATION.ENT.V1")
        with old.db.read():
            later = feed.events(OrgStore(old.db, org_id), after_seq=len(events))
        assert [(e.change_seq, e.record["entity_name"]) for e in later] == [(len(events) + 1, "Terrace")]

    assert_replays_the_same(hera, org_id, events, empty_where)


def test_the_starting_events_carry_no_pin_hash(hera, old_where):
    org_id = busy_books(hera)
    books_at_0006(old_where, hera)
    raw = RawBooks(old_where)
    try:
        hashes = [r["field_value_text"] for r in raw.dicts(
            "SELECT field_value_text FROM core_dynamic_data WHERE field_name = 'pin_hash'")]
    finally:
        raw.close()
    assert hashes and all(hashes)
    with hera_desktop.open(old_where) as old:
        with old.db.read():
            pins = [e for e in feed.events(OrgStore(old.db, org_id)) if e.record.get("field_name") == "pin_hash"]
        raw = RawBooks(old_where)
        try:
            stored = " ".join(str(r["record"]) for r in raw.dicts("SELECT record FROM hera_change_feed"))
        finally:
            raw.close()
    assert len(pins) == len(hashes) and all(e.record["field_value_text"] is None for e in pins)
    assert not any(h in stored for h in hashes)


def test_a_record_with_an_event_keeps_it_and_starting_events_come_after_the_feeds_own(hera, old_where):
    """Books upgraded to the feed and used before this version: what has an event already gets no second one,
    and the starting events are numbered and clocked after what the terminal wrote."""
    org_id = busy_books(hera)
    books_at_0006(old_where, hera)
    migrate(old_where, "0008")
    ahead = Reading(time.time_ns() // 1_000_000 + 86_400_000, 5)  # a reading a day ahead of this clock
    engine = engine_of(old_where)
    try:
        with engine.begin() as conn:
            org = dict(conn.execute(select(core_organizations).where(core_organizations.c.id == org_id)).one()
                       ._mapping)
            event_id = first_event(conn, org_id, hera.terminal_id, "organization.settings_changed", org, ahead)
    finally:
        engine.dispose()

    with hera_desktop.open(old_where) as old:
        with old.db.read():
            events = feed.events(OrgStore(old.db, org_id))
    assert [e.change_seq for e in events] == list(range(1, len(events) + 1))
    assert [e.event_id for e in events if e.record_id == org_id] == [event_id]
    assert events[1].clock.reading == Reading(ahead.physical_ms, ahead.counter + 1)
    assert all(a.clock.order_key() < b.clock.order_key() for a, b in zip(events, events[1:]))


def test_a_feed_whose_first_events_name_records_started_later_still_replays(hera, old_where, empty_where):
    """Books used between the feed's arrival and the starting events: a sale made then has its event, while
    the menu items it names get theirs at the upgrade, numbered after it. A replay applies records before
    the transactions that name them, whatever their numbers, so the feed still rebuilds the books."""
    org_id = busy_books(hera)
    books_at_0006(old_where, hera)
    migrate(old_where, "0008")
    T, L = universal_transactions, universal_transaction_lines
    engine = engine_of(old_where)
    try:
        with engine.begin() as conn:
            sale = dict(conn.execute(select(T).where(T.c.organization_id == org_id, T.c.transaction_type == "sale")
                                     .order_by(T.c.chain_seq).limit(1)).one()._mapping)
            lines = [dict(r._mapping) for r in conn.execute(
                select(L).where(L.c.transaction_id == sale["id"]).order_by(L.c.line_number))]
            assert any(ln["entity_id"] for ln in lines)  # it names menu items
            first_event(conn, org_id, hera.terminal_id, "transaction.recorded", {**sale, "lines": lines},
                        Reading(time.time_ns() // 1_000_000, 0))
    finally:
        engine.dispose()

    with hera_desktop.open(old_where) as old:
        with old.db.read():
            events = feed.events(OrgStore(old.db, org_id))
    assert events[0].record_id == sale["id"]  # the sale comes first, the items it names after
    assert_replays_the_same(hera, org_id, events, empty_where)
