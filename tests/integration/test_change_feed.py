"""The change feed: every change to the six tables writes one event, and the feed rebuilds the books.

Busy books (the demo's menu, stock, customers, staff and opening journal, the usage
guide's orders, payments, a transfer and status changes, then a reversal, edits and
deletions) are replayed from their feed into empty books: the six tables come out
row for row the same, and after recomputing derived values the trial balance and
stock are the same too.
"""
from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

import hera_desktop
from hera_desktop.demo import create_demo, run_guide_flows
from hera_desktop.domain.contracts.events import ChangeEvent, json_safe
from hera_desktop.domain.errors import ValidationError
from hera_desktop.storage.schema import (core_dynamic_data, core_entities, core_organizations, core_relationships,
                                         hera_change_feed, hera_feed_clocks, universal_transaction_lines,
                                         universal_transactions)
from hera_desktop.storage.scoped import OrgStore
from hera_desktop.universal import feed
from hera_desktop.universal.replay import apply, recompute

SIX = (core_organizations, core_entities, core_dynamic_data, core_relationships, universal_transactions,
       universal_transaction_lines)
DERIVED_FIELDS = {"current_inventory", "average_cost"}


def six_tables(hera: Any, org_id: str) -> dict[str, list[dict[str, Any]]]:
    """The six tables' rows of one organization, JSON-safe and sorted; derived fields and secrets left out."""
    out = {}
    with hera.db.read() as conn:
        for t in SIX:
            mine = t.c.id == org_id if t is core_organizations else t.c.organization_id == org_id
            rows = [json_safe(dict(r._mapping)) for r in conn.execute(select(t).where(mine))]
            if t is core_dynamic_data:
                rows = [r for r in rows if r["field_name"] not in DERIVED_FIELDS]
                for r in rows:
                    if r["field_name"] == "pin_hash":
                        r["field_value_text"] = "(secret)"
            out[t.name] = sorted(rows, key=lambda r: r["id"])
    return out


def checksum(tables: dict[str, list[dict[str, Any]]]) -> str:
    return hashlib.sha256(json.dumps(tables, sort_keys=True).encode()).hexdigest()


def stock(s: Any) -> dict[str, tuple[Any, ...]]:
    products = s.universal.query_entities(entity_type="product", limit=1000).entities
    values = s.universal.field_values([p.id for p in products], tuple(DERIVED_FIELDS))
    with s.db.read():
        return {p.entity_name: (s.internal.inventory.ledger.levels(p.id), values[p.id].get("current_inventory"),
                                values[p.id].get("average_cost"))
                for p in products}


def trial_balance(s: Any) -> dict[str, tuple[Decimal, Decimal]]:
    tb = s.reports.trial_balance()
    return {row.account_code: (row.balance, tb.total_debits) for row in tb.rows}


def busy_books(hera: Any) -> str:
    book = create_demo(hera)
    run_guide_flows(hera, book)
    s = hera.scope(book.organization_id)
    cash, rent = s.journals.account_by_code("1000"), s.journals.account_by_code("6000")
    entry = s.journals.create_entry(reference="RENT-1", description="Rent", lines=[
        {"gl_account_id": rent.id, "amount": "1200.00", "dr_cr": "DR"},
        {"gl_account_id": cash.id, "amount": "1200.00", "dr_cr": "CR"}])
    s.journals.reverse(entry.journal_entry.transaction_id, "Paid twice by mistake")
    s.journals.import_entries([{"date": "2025-02-0%d" % d, "reference": f"IMP-{d}", "description": "Imported",
                                "lines": [{"gl_account_id": rent.id, "amount": f"{d}0.05", "dr_cr": "DR"},
                                          {"gl_account_id": cash.id, "amount": f"{d}0.05", "dr_cr": "CR"}]}
                               for d in range(1, 6)])
    acme = book.customers["Acme Corporation"]
    s.universal.update_entity(acme, entity_name="Acme Corporation Ltd", metadata={"vip": True})
    s.universal.set_dynamic_fields(acme, {"payment_terms": ("NET15", "HERA.CRM.CUST.DYN.TERMS.V1"),
                                          "fax": ("+39 06 555", "HERA.CRM.CUST.DYN.FAX.V1")})
    s.universal.delete_dynamic_field(acme, "fax")  # replayed as a removal: the field is gone there too
    extra = s.universal.create_entity(entity_type="location", entity_name="Patio",
                                      smart_code="HERA.INVENTORY.LOCATION.ENT.V1")
    link = s.universal.create_relationship(from_entity_id=extra.id, to_entity_id=book.locations["Store front"],
                                           relationship_type="part_of", smart_code="HERA.INVENTORY.LOCATION.REL.V1")
    s.universal.delete_relationship(link.id, "Patio closed")
    s.universal.delete_entity(extra.id, "Patio closed")
    hera.update_settings(book.organization_id, tax_rate="0.08")
    return book.organization_id


def assert_replays_the_same(hera: Any, org_id: str, events: list[Any], where: Any) -> None:
    """The events applied to empty books at ``where`` give the same six tables (row for row and by checksum)
    as ``hera``'s, and after recomputing, the same trial balance and stock; the chains verify."""
    source = hera.scope(org_id)
    replayed = hera_desktop.open(where)
    try:
        with replayed.db.write():
            assert apply(OrgStore(replayed.db, org_id), events) == len(events)
        target = replayed.scope(org_id)
        recompute(target)
        mine, theirs = six_tables(hera, org_id), six_tables(replayed, org_id)
        for name in mine:
            assert mine[name] == theirs[name], name
        assert checksum(mine) == checksum(theirs)
        assert trial_balance(target) == trial_balance(source)
        assert stock(target) == stock(source) and any(levels for levels, _, _ in stock(source).values())
        assert replayed.verify(org_id).intact
    finally:
        replayed.close()


def test_replaying_the_feed_into_empty_books_gives_the_same_books(hera, backend, tmp_path, request):
    org_id = busy_books(hera)
    with hera.db.read():
        events = feed.events(OrgStore(hera.db, org_id))
    assert [e.change_seq for e in events] == list(range(1, len(events) + 1))  # gap-free, in order
    assert all(a.clock.order_key() < b.clock.order_key() for a, b in zip(events, events[1:]))

    where = tmp_path / "replayed.db" if backend == "sqlite" else \
        request.getfixturevalue("pg_database")(request.getfixturevalue("pg_empty_template"))
    assert_replays_the_same(hera, org_id, events, where)


def test_every_kind_of_change_writes_exactly_one_event_with_the_record_as_stored(hera, org, s):
    kinds = []

    def last_events(n: int) -> list[ChangeEvent]:
        with hera.db.read():
            return feed.events(s.store)[-n:]

    customer = s.customers.onboard(name="Dana", email="dana@example.com", credit_limit="50").customer
    after = last_events(6)
    assert [e.kind for e in after][0] == "entity.created" and after[0].record_id == customer.id
    kinds += [e.kind for e in after]
    field = s.universal.set_dynamic_field(customer.id, "credit_limit", Decimal("75.50"), "HERA.CRM.CUST.DYN.CREDIT.V1")
    (event,) = last_events(1)
    assert event.kind == "dynamic_field.set" and event.record_id == field.id
    assert event.record["field_value_number"] == "75.5" and event.record["entity_id"] == customer.id
    s.universal.delete_entity(customer.id, "Moved away")
    (event,) = last_events(1)
    assert (event.kind, event.record["status"], event.record["metadata"]["deleted_reason"]) == \
        ("entity.deleted", "deleted", "Moved away")
    hera.update_settings(org.id, tax_rate="0.1")
    (event,) = last_events(1)
    assert event.kind == "organization.settings_changed" and event.record["settings"]["tax_rate"] == "0.1"
    assert event.actor_id is None and event.record_table == "core_organizations"


def test_a_failed_change_writes_no_event_and_uses_no_change_number(hera, org, s):
    with hera.db.read():
        before = len(feed.events(s.store))
    with pytest.raises(hera_desktop.HeraError):
        with s.db.write():
            s.universal.create_entity(entity_type="location", entity_name="Cellar",
                                      smart_code="HERA.INVENTORY.LOCATION.ENT.V1")
            raise ValidationError("test", "the whole change is refused")
    s.universal.create_entity(entity_type="location", entity_name="Attic", smart_code="HERA.INVENTORY.LOCATION.ENT.V1")
    with hera.db.read():
        events = feed.events(s.store)
    assert len(events) == before + 1 and events[-1].change_seq == before + 1
    assert events[-1].record["entity_name"] == "Attic"


def test_the_clock_and_numbers_go_on_after_a_restart_with_the_computers_clock_set_back(db_path, monkeypatch):
    books = hera_desktop.open(db_path)
    org = books.create_organization("Clock Cafe", currency="USD", with_defaults=False)
    s = books.scope(org.id)
    s.universal.create_entity(entity_type="location", entity_name="Front", smart_code="HERA.INVENTORY.LOCATION.ENT.V1")
    with books.db.read():
        first = feed.events(s.store)[-1]
    books.close()
    monkeypatch.setattr(feed, "now_ms", lambda: first.clock.physical_ms - 3_600_000)  # an hour back
    books = hera_desktop.open(db_path)
    try:
        s = books.scope(org.id)
        s.universal.create_entity(entity_type="location", entity_name="Back", smart_code="HERA.INVENTORY.LOCATION.ENT.V1")
        with books.db.read():
            later = feed.events(s.store)[-1]
            clock = books.db.current.execute(select(hera_feed_clocks)).one()
    finally:
        books.close()
    assert later.change_seq == first.change_seq + 1
    assert later.clock.physical_ms == first.clock.physical_ms and later.clock.counter == first.clock.counter + 1
    assert (clock.last_seq, clock.hlc_ms, clock.hlc_counter) == (later.change_seq, later.clock.physical_ms,
                                                                later.clock.counter)


def test_an_event_altered_in_the_file_is_refused_when_read(hera, org, s):
    s.universal.create_entity(entity_type="location", entity_name="Bar", smart_code="HERA.INVENTORY.LOCATION.ENT.V1")
    with hera.db.write() as conn:
        row = conn.execute(select(hera_change_feed).order_by(hera_change_feed.c.change_seq.desc())).first()
        conn.execute(hera_change_feed.update().where(hera_change_feed.c.id == row.id)
                     .values(record={**row.record, "entity_name": "Bat"}))
    with pytest.raises(ValidationError, match=f"event {row.change_seq} .* is damaged: .*altered after it was written"):
        with hera.db.read():
            feed.events(s.store)


def test_a_pin_hash_never_leaves_in_the_feed(hera, org, s):
    s.users.create("Ada", "cashier", "4821")
    with hera.db.read():
        pins = [e for e in feed.events(s.store) if e.record.get("field_name") == "pin_hash"]
    assert pins and all(e.record["field_value_text"] is None for e in pins)
