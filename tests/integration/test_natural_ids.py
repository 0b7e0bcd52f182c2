"""Records an organization knows by a natural key get the same id on every terminal that makes them.

Two terminals of one organization, each working offline, both make the "Active Status"
workflow entity, the default chart of accounts, fields of the same entity and the next
status of the same customer. Sync will merge those records instead of keeping two: that
holds only if both terminals gave them the same ids, which is what is checked here.
The second terminal's books start with the organization's own record from the first
terminal's change feed, as sync brings it.
"""
from __future__ import annotations

import uuid
from typing import Any

import pytest

import hera_desktop
from hera_desktop.domain.errors import ValidationError
from hera_desktop.domain.ids import natural_id, new_id
from hera_desktop.services.setup import install_defaults
from hera_desktop.storage.scoped import OrgStore
from hera_desktop.universal import feed
from hera_desktop.universal.replay import apply

NOTE_SC = "HERA.CRM.CUST.DYN.NOTE.V1"


@pytest.fixture
def other_books(backend: str, tmp_path: Any, request: Any) -> Any:
    """Where a second terminal keeps its books (an SQLite file, or another PostgreSQL database)."""
    if backend == "sqlite":
        return tmp_path / "second-terminal.db"
    return request.getfixturevalue("pg_database")(request.getfixturevalue("pg_empty_template"))


def second_terminal(first: hera_desktop.Hera, org_id: str, where: Any, everything: bool = False) -> hera_desktop.Hera:
    """Books of another terminal holding the organization's record (or ``everything`` the first one wrote)."""
    with first.db.read():
        events = feed.events(OrgStore(first.db, org_id))
    if not everything:
        events = [e for e in events if e.record_table == "core_organizations"][:1]
    books = hera_desktop.open(where)
    with books.db.write():
        apply(OrgStore(books.db, org_id), events)
    return books


def chart(s: Any) -> dict[str, str]:
    return {a.entity_code: a.id for a in s.universal.query_entities(entity_type="gl_account", limit=1000).entities}


def status_link(s: Any, customer_id: str) -> Any:
    return s.universal.query_relationships(from_entity_id=customer_id, relationship_type="has_status").relationships[0]


def test_two_terminals_make_the_same_status_entity_default_chart_and_fields(hera, other_books):
    org = hera.create_organization("Mario's Trattoria", currency="EUR")
    here = hera.scope(org.id)
    second = second_terminal(hera, org.id, other_books)
    try:
        there = second.scope(org.id)
        assert chart(there) == {}  # nothing but the organization's record yet
        install_defaults(there)  # what creating the organization installs, made on the second terminal
        ada = here.customers.onboard(name="Ada Lovelace", email="ada@example.com").customer
        bea = there.customers.onboard(name="Bea Rossi", email="bea@example.com").customer

        assert len(chart(here)) > 10 and chart(here) == chart(there)
        active = status_link(here, ada.id).to_entity_id
        assert status_link(there, bea.id).to_entity_id == active
        assert here.universal.get_entity(active).entity_name == there.universal.get_entity(active).entity_name \
            == "active Status"
        cash = chart(here)["1000"]
        assert (here.universal.get_dynamic_field(cash, "account_type").id
                == there.universal.get_dynamic_field(cash, "account_type").id)
        noted = [s.universal.set_dynamic_field(active, "note", "regular customers", NOTE_SC) for s in (here, there)]
        assert noted[0].id == noted[1].id
    finally:
        second.close()


def test_a_new_organization_still_gets_ids_of_its_own(hera):
    first = hera.create_organization("Mario's Trattoria")
    other = hera.create_organization("Luigi's Pizzeria")
    mine, theirs = chart(hera.scope(first.id)), chart(hera.scope(other.id))
    assert mine.keys() == theirs.keys() and not set(mine.values()) & set(theirs.values())


def test_the_same_status_change_on_two_terminals_writes_the_same_relationship(hera, other_books):
    org = hera.create_organization("Mario's Trattoria")
    here = hera.scope(org.id)
    ada = here.customers.onboard(name="Ada Lovelace").customer
    second = second_terminal(hera, org.id, other_books, everything=True)
    try:
        there = second.scope(org.id)
        here.customers.transition_status(ada.id, "suspended", "Cheque bounced")
        there.customers.transition_status(ada.id, "inactive", "Moved away")  # a different choice, offline
        mine = here.universal.query_relationships(from_entity_id=ada.id, include_inactive=True).relationships
        theirs = there.universal.query_relationships(from_entity_id=ada.id, include_inactive=True).relationships
        # the first status, ended on both; the second, one row that sync keeps once (last writer wins)
        assert [r.id for r in mine] == [r.id for r in theirs] and len(mine) == 2
        assert [r.is_active for r in mine] == [r.is_active for r in theirs] == [False, True]
        assert (here.customers.current_status(ada.id), there.customers.current_status(ada.id)) == \
            ("suspended", "inactive")
    finally:
        second.close()


def test_each_status_change_of_a_customer_has_an_id_of_its_own(s):
    ada = s.customers.onboard(name="Ada Lovelace").customer
    for status, reason in (("suspended", "Cheque bounced"), ("active", "Paid"), ("inactive", "Moved away")):
        s.customers.transition_status(ada.id, status, reason)
    links = s.universal.query_relationships(from_entity_id=ada.id, include_inactive=True).relationships
    assert len({r.id for r in links}) == 4
    assert [r.is_active for r in links] == [False, False, False, True]
    assert s.customers.current_status(ada.id) == "inactive"


def test_a_natural_id_is_the_uuid5_of_its_key_under_the_organization():
    org = new_id()
    made = natural_id(org, "workflow_status", "active Status")
    assert made == str(uuid.uuid5(uuid.UUID(org), "workflow_status\x1factive Status"))
    assert uuid.UUID(made).version == 5
    assert natural_id(org, "relationship", "x", "has_status", 2) != natural_id(org, "relationship", "x", "has_status", 3)
    assert natural_id(new_id(), "workflow_status", "active Status") != made
    with pytest.raises(ValidationError, match="unit separator"):
        natural_id(org, "a\x1fb")
    with pytest.raises(ValidationError, match="organization_id"):
        natural_id("not an id", "workflow_status")
