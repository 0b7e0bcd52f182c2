"""Replaying a feed leaves no gap: document numbers go on, the clock moves past what was received, and an
event is applied once.

Books rebuilt from their own terminal's feed (a restore) number the next sale after the
last one and the next change after the last change; books that receive another terminal's
changes order their own next change after them, even once restarted with the computer's
clock set back; the same events applied twice change nothing, and a transaction that
arrives again is kept if it is the same and refused, by name, if it is not.
"""
from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

import factories as f
import hera_desktop
from hera_desktop.demo import create_demo
from hera_desktop.domain.contracts.events import ChangeEvent
from hera_desktop.domain.errors import DuplicateError, ImmutableTransactionError
from hera_desktop.domain.ids import new_id
from hera_desktop.storage.schema import hera_applied_events, hera_feed_clocks
from hera_desktop.storage.scoped import OrgStore
from hera_desktop.universal import feed
from hera_desktop.universal.replay import apply, recompute
from raw_books import RawBooks
from test_change_feed import checksum, six_tables

LOCATION = "HERA.INVENTORY.LOCATION.ENT.V1"


@pytest.fixture
def elsewhere(backend: str, tmp_path: Path, request: Any) -> Any:
    """Where other, empty books go (an SQLite file, or a PostgreSQL database cloned from the empty one)."""
    if backend == "sqlite":
        return tmp_path / "elsewhere.db"
    return request.getfixturevalue("pg_database")(request.getfixturevalue("pg_empty_template"))


def empty_books(where: Any, terminal_id: str) -> hera_desktop.Hera:
    """Empty books on the terminal with this id (a restore keeps its terminal; another computer has its own)."""
    hera_desktop.open(where).close()
    raw = RawBooks(where)
    try:
        raw.execute("UPDATE hera_settings SET value = ? WHERE key = 'terminal_id'", (terminal_id,))
    finally:
        raw.close()
    books = hera_desktop.open(where)
    assert books.terminal_id == terminal_id
    return books


def all_events(books: hera_desktop.Hera, org_id: str) -> list[ChangeEvent]:
    with books.db.read():
        return feed.events(OrgStore(books.db, org_id))


def replay(books: hera_desktop.Hera, org_id: str, events: list[ChangeEvent]) -> int:
    with books.db.write():
        return apply(OrgStore(books.db, org_id), events)


def sell(books: hera_desktop.Hera, book: Any) -> Any:
    s = books.scope(book.organization_id, actor_id=book.users["cashier"])
    return s.restaurant.process_order(items=[{"menu_item_id": book.menu["Margherita Pizza"]}], payment_method="card")


# ------------------------------------------------------------------ document numbers

def test_books_restored_from_their_feed_go_on_numbering_documents_and_changes(hera, elsewhere):
    book = create_demo(hera)
    sold = [sell(hera, book) for _ in range(3)]
    manager = hera.scope(book.organization_id, actor_id=book.users["manager"])
    manager.restaurant.refund(sold[0].sales_transaction.transaction_id, "Cold pizza")
    hera.scope(book.organization_id).txn.emit(f.sale([f.item()], transaction_code="ORDER-2024-001"))
    events = all_events(hera, book.organization_id)
    terminal = hera.terminal_id[-4:].upper()
    assert sold[-1].sales_transaction.transaction_code == f"SALE-{terminal}-000003"

    restored = empty_books(elsewhere, hera.terminal_id)
    try:
        replay(restored, book.organization_id, events)
        recompute(restored.scope(book.organization_id))
        again = sell(restored, book)
        refund = restored.scope(book.organization_id, actor_id=book.users["manager"]).restaurant.refund(
            sold[1].sales_transaction.transaction_id, "Cold pizza")
        later = all_events(restored, book.organization_id)
    finally:
        restored.close()
    assert again.sales_transaction.transaction_code == f"SALE-{terminal}-000004"  # not 000001 again
    assert again.payment_transaction.transaction_code == f"PAY-{terminal}-000004"
    assert refund.transaction_code == f"REF-{terminal}-000002"
    # The restored terminal's next change is numbered after its last one, so no change number is given twice.
    assert later and later[0].change_seq == events[-1].change_seq + 1
    assert [e.change_seq for e in later] == list(range(later[0].change_seq, later[0].change_seq + len(later)))
    assert later[0].clock.order_key() > events[-1].clock.order_key()


# ------------------------------------------------------------------ the clock

def test_changes_made_after_receiving_anothers_order_after_them_even_with_the_clock_set_back(
        hera, org, s, elsewhere, monkeypatch):
    ahead = time.time_ns() // 1_000_000 + 86_400_000  # the other terminal's clock runs a day ahead
    with monkeypatch.context() as m:
        m.setattr(feed, "now_ms", lambda: ahead)
        for name in ("Front", "Back", "Cellar"):
            s.universal.create_entity(entity_type="location", entity_name=name, smart_code=LOCATION)
    received = all_events(hera, org.id)
    latest = max(e.clock.order_key() for e in received)
    assert latest[0] == ahead

    here = empty_books(elsewhere, new_id())
    try:
        replay(here, org.id, received)
        here.scope(org.id).universal.create_entity(entity_type="location", entity_name="Patio", smart_code=LOCATION)
        (mine,) = all_events(here, org.id)
        with here.db.read() as conn:
            clock = conn.execute(select(hera_feed_clocks)).one()
    finally:
        here.close()
    assert mine.clock.terminal_id != received[0].clock.terminal_id
    assert mine.clock.order_key() > latest
    assert (clock.hlc_ms, clock.hlc_counter) == (mine.clock.physical_ms, mine.clock.counter)

    monkeypatch.setattr(feed, "now_ms", lambda: time.time_ns() // 1_000_000 - 3_600_000)  # an hour back
    here = hera_desktop.open(elsewhere)
    try:
        here.scope(org.id).universal.create_entity(entity_type="location", entity_name="Roof", smart_code=LOCATION)
        after = all_events(here, org.id)
    finally:
        here.close()
    assert [e.change_seq for e in after] == [1, 2]
    assert after[1].clock.order_key() > after[0].clock.order_key() > latest


# ------------------------------------------------------------------ applied once

def test_applying_the_same_events_again_applies_nothing(hera, org, s, elsewhere):
    customer = f.customer(s, "Dana")
    s.universal.update_entity(customer.id, entity_name="Dana Rossi")
    s.txn.emit(f.sale([f.item()], source_entity_id=customer.id))
    events = all_events(hera, org.id)

    other = empty_books(elsewhere, new_id())
    try:
        assert replay(other, org.id, events) == len(events)
        first = checksum(six_tables(other, org.id))
        assert replay(other, org.id, events) == 0
        assert replay(other, org.id, events[:1]) == 0  # an early event again does not undo a later change
        assert other.scope(org.id).universal.get_entity(customer.id).entity_name == "Dana Rossi"
        assert checksum(six_tables(other, org.id)) == first == checksum(six_tables(hera, org.id))
        with other.db.read() as conn:
            assert conn.execute(select(func.count()).select_from(hera_applied_events)).scalar() == len(events)
    finally:
        other.close()


def test_events_written_here_are_not_applied_again(hera, org, s):
    customer = f.customer(s, "Dana")
    events = all_events(hera, org.id)
    s.universal.update_entity(customer.id, entity_name="Dana Rossi")
    assert replay(hera, org.id, events) == 0
    assert s.universal.get_entity(customer.id).entity_name == "Dana Rossi"


def again(event: ChangeEvent, record: dict[str, Any] | None = None, event_id: str | None = None,
          change_seq: int | None = None, terminal_id: str | None = None) -> ChangeEvent:
    """The event as another feed might carry it: another id and place, or other content."""
    return ChangeEvent.sealed(event_id=event_id or new_id(), organization_id=event.organization_id,
                              kind=event.kind, record_id=event.record_id, record=record or event.record,
                              change_seq=change_seq or event.change_seq, clock=event.clock.reading,
                              terminal_id=terminal_id or new_id(), actor_id=event.actor_id)


def test_a_transaction_already_held_is_kept_if_the_same_and_refused_by_name_if_not(hera, org, s, elsewhere):
    front = s.universal.create_entity(entity_type="location", entity_name="Front", smart_code=LOCATION)
    sale = s.txn.emit(f.sale([f.item()]))
    events = all_events(hera, org.id)
    (recorded,) = [e for e in events if e.record_id == sale.transaction_id]
    (located,) = [e for e in events if e.record_id == front.id]

    other = empty_books(elsewhere, new_id())
    try:
        replay(other, org.id, events)
        assert replay(other, org.id, [again(recorded)]) == 0  # the same transaction from another feed

        renamed = again(located, {**located.record, "entity_name": "Terrace"})
        altered = again(recorded, {**recorded.record, "total_amount": "999", "content_hash": "f" * 64})
        before = checksum(six_tables(other, org.id))
        with pytest.raises(ImmutableTransactionError) as refused:
            replay(other, org.id, [renamed, altered])
        assert sale.transaction_code in str(refused.value) and sale.transaction_id in str(refused.value)
        assert checksum(six_tables(other, org.id)) == before  # nothing of the refused batch was kept
        assert other.scope(org.id).universal.get_entity(front.id).entity_name == "Front"
        assert other.scope(org.id).txn.read(sale.transaction_id).total_amount == Decimal(
            recorded.record["total_amount"])
    finally:
        other.close()


def test_an_event_id_or_change_number_already_applied_cannot_come_back_with_other_content(hera, org, s, elsewhere):
    s.universal.create_entity(entity_type="location", entity_name="Front", smart_code=LOCATION)
    (event,) = [e for e in all_events(hera, org.id) if e.record.get("entity_name") == "Front"]
    other = empty_books(elsewhere, new_id())
    try:
        replay(other, org.id, all_events(hera, org.id))
        renamed = {**event.record, "entity_name": "Back"}
        with pytest.raises(DuplicateError, match=f"event {event.event_id} was applied here before with other"):
            replay(other, org.id, [again(event, renamed, event_id=event.event_id,
                                         terminal_id=event.clock.terminal_id)])
        with pytest.raises(DuplicateError, match=f"change {event.change_seq} of terminal .* was applied here "
                                                 f"before as event {event.event_id}"):
            replay(other, org.id, [again(event, renamed, terminal_id=event.clock.terminal_id)])
        assert other.scope(org.id).universal.get_entity(event.record_id).entity_name == "Front"
    finally:
        other.close()
