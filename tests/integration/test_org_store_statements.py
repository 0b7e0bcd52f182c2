"""Statements declared without the organization and run through an organization's store.

Two organizations in one set of books hold look-alike records (same names, same
codes); a statement run through A's store sees, changes and joins only A's.
"""
from __future__ import annotations

import pytest
from sqlalchemy import bindparam, select, update

import factories as f
from hera_desktop.domain.ids import new_id, now_text
from hera_desktop.storage import search
from hera_desktop.storage.schema import core_entities as E
from hera_desktop.storage.schema import core_organizations
from hera_desktop.storage.schema import core_relationships as R
from hera_desktop.storage.scoped import OrgInList, OrgPrepared

NAMES = OrgPrepared(select(E.c.entity_name).where(E.c.entity_type == bindparam("type")).order_by(E.c.entity_name))
NAMES_BY_ID = OrgInList(lambda ids: select(E.c.entity_name).where(E.c.id.in_(ids)))
RECLASSIFY = OrgPrepared(update(E).where(E.c.entity_code == bindparam("code")).values(classification=bindparam("to")))
LINKED_NAMES = OrgPrepared(select(E.c.entity_name).join(R, R.c.to_entity_id == E.c.id)
                           .where(R.c.relationship_type == "has_status"))


@pytest.fixture
def two(hera, s):
    """Scope A (the fixture's) and scope B, each with a customer named Maria Rossi coded CUST-1."""
    b = hera.scope(hera.create_organization("Luigi's Pizzeria", currency="USD").id)
    a_customer = f.customer(s, "Maria Rossi", entity_code="CUST-1")
    b_customer = f.customer(b, "Maria Rossi", entity_code="CUST-1")
    f.customer(b, "Bruno Bianchi", entity_code="CUST-2")
    return s, b, a_customer, b_customer


def test_a_statement_declared_without_the_organization_reads_only_the_stores(two):
    a, b, a_customer, b_customer = two
    with a.db.read():
        assert a.store.run(NAMES, {"type": "customer"}) == [("Maria Rossi",)]
        assert a.store.run_in(NAMES_BY_ID, [a_customer.id, b_customer.id]) == [("Maria Rossi",)]
    with b.db.read():
        assert b.store.run(NAMES, {"type": "customer"}) == [("Bruno Bianchi",), ("Maria Rossi",)]
        assert b.store.run_in(NAMES_BY_ID, [a_customer.id]) == []


def test_a_parameter_named_like_the_organization_cannot_point_it_elsewhere(two):
    a, b, _, _ = two
    with a.db.read():
        assert a.store.run(NAMES, {"type": "customer", "org": b.organization_id}) == [("Maria Rossi",)]


def test_a_change_touches_only_the_stores_organization(two):
    a, b, a_customer, b_customer = two
    with a.db.write():
        assert a.store.change(RECLASSIFY, {"code": "CUST-1", "to": "VIP"}) == 1
    assert a.universal.get_entity(a_customer.id).classification == "VIP"
    assert b.universal.get_entity(b_customer.id).classification is None


def test_a_join_is_kept_to_the_organization_on_both_sides(two):
    a, b, a_customer, b_customer = two
    # Damaged books: a relationship of A that points at B's customer (no call can write one).
    with a.db.write() as conn:
        now = now_text()
        conn.execute(R.insert(), {"id": new_id(), "organization_id": a.organization_id,
                                  "from_entity_id": a_customer.id, "to_entity_id": b_customer.id,
                                  "relationship_type": "has_status", "smart_code": f.CUSTOMER, "metadata": {},
                                  "is_active": True, "created_at": now, "updated_at": now, "version": 1})
    with a.db.read():
        assert a.store.run(LINKED_NAMES) == []


def test_a_table_that_holds_no_organizations_records_is_refused_when_declared():
    with pytest.raises(TypeError, match="core_organizations holds no organization's records"):
        OrgPrepared(select(core_organizations.c.organization_name))


def test_search_through_a_store_finds_only_its_organizations_entities(two):
    a, b, a_customer, b_customer = two
    with a.db.read():
        assert search.find(a.store, "customer", "mar ros") == [a_customer.id]
    with b.db.read():
        assert search.find(b.store, "customer", "mar ros") == [b_customer.id]
    with a.db.write():
        search.remove(a.store, b_customer.id)  # another organization's entity: left findable there
    with b.db.read():
        assert search.find(b.store, "customer", "maria") == [b_customer.id]
