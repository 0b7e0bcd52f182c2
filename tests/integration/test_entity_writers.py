"""One writer per kind of record: single calls and bulk imports leave the same rows and events.

Onboarding customers one at a time and all at once go through the same writers of
entities, dynamic fields and relationships, so their rows, search entries and
change-feed events are the same, row by row (ids and times aside, which are each
record's own). The writers set fields that exist and fields that do not in one call,
and keep a PIN hash out of every event.
"""
from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from hera_desktop.domain import contracts as c
from hera_desktop.domain.contracts.events import json_safe
from hera_desktop.domain.errors import DuplicateError
from hera_desktop.storage.schema import core_dynamic_data, core_entities, core_relationships, hera_change_feed
from hera_desktop.universal import feed
from hera_desktop.universal.dynamic_fields import FieldValue, field_id, write_fields
from hera_desktop.universal.entities import write_entities
from hera_desktop.universal.relationships import single_valued_id

PEOPLE = [
    {"name": "Ada Lovelace", "email": "ada@example.com", "phone": "+44 20 7946 0001", "credit_limit": "500",
     "payment_terms": "NET30"},
    {"name": "Adam Smith", "email": "adam@example.com"},
    {"name": "Bea Rossi", "phone": "+39 06 1234 5678", "status": "prospect"},
    {"name": "Carl Jung", "credit_limit": 0, "entity_code": "CUST-VIP"},
]
OWN = {"id", "organization_id", "created_at", "updated_at", "entity_id", "from_entity_id", "to_entity_id",
       "changed_at"}


def rows_of(hera: Any, org_id: str) -> dict[str, list[Any]]:
    """The organization's entities, fields, relationships, search entries and events, each told apart by
    its entity's code instead of its ids and times."""
    with hera.db.read() as conn:
        entities = {r.id: r for r in conn.execute(select(core_entities).where(core_entities.c.organization_id == org_id))}
        code = {i: r.entity_code for i, r in entities.items()}

        def plain(row: Any) -> dict[str, Any]:
            data = json_safe(dict(row))
            data = {k: plain(v) if isinstance(v, dict) else v for k, v in data.items() if k not in OWN}
            for name in ("entity_id", "from_entity_id", "to_entity_id"):
                if name in row:
                    data[name] = code[row[name]]
            return data

        out = {"core_entities": sorted((plain(r._mapping) for r in entities.values()), key=repr)}
        for t in (core_dynamic_data, core_relationships):
            out[t.name] = sorted((plain(r._mapping) for r in conn.execute(select(t).where(t.c.organization_id == org_id))),
                                 key=repr)
        feed_rows = conn.execute(select(hera_change_feed.c.kind, hera_change_feed.c.record).where(
            hera_change_feed.c.organization_id == org_id, hera_change_feed.c.kind != "organization.settings_changed"))
        out["events"] = sorted(((kind, plain(record if isinstance(record, dict) else json.loads(record)))
                                for kind, record in feed_rows), key=repr)
    return out


def test_onboarding_one_by_one_and_all_at_once_leave_the_same_rows_and_events(hera):
    one = hera.create_organization("One by one", with_defaults=False)
    many = hera.create_organization("All at once", with_defaults=False)
    single, bulk = hera.scope(one.id), hera.scope(many.id)
    made = [single.customers.onboard(**p).customer for p in PEOPLE]
    listed = [r.customer for r in bulk.customers.onboard_many(PEOPLE)]
    assert [c.entity_code for c in made] == [c.entity_code for c in listed] == \
        ["CUST-ADA-0001", "CUST-ADA-0002", "CUST-BEA-0001", "CUST-VIP"]
    assert rows_of(hera, one.id) == rows_of(hera, many.id)
    for s, customers in ((single, made), (bulk, listed)):
        assert [v.email for v in s.customers.search("ada")] == ["ada@example.com", "adam@example.com"]
        assert s.customers.search("5678")[0].entity_name == "Bea Rossi"
        for customer in customers:
            balance = s.universal.get_dynamic_field(customer.id, "account_balance")
            assert balance.id == field_id(s.organization_id, customer.id, "account_balance")
            link = s.universal.query_relationships(from_entity_id=customer.id).relationships[0]
            assert link.id == single_valued_id(s.organization_id, customer.id, "has_status", 1)


def test_the_field_writer_sets_new_and_existing_fields_in_one_call_each_with_one_event(hera, org, s):
    ada = s.customers.onboard(name="Ada Lovelace", email="ada@example.com").customer
    before = s.universal.get_dynamic_field(ada.id, "email")
    with hera.db.write():
        rows = write_fields(s.store, [FieldValue(ada.id, "email", "ada@lovelace.org", "HERA.CRM.CUST.DYN.EMAIL.V1"),
                                      FieldValue(ada.id, "nickname", "Countess", "HERA.CRM.CUST.DYN.NICK.V1")])
    assert [r["field_name"] for r in rows] == ["email", "nickname"]
    email = s.universal.get_dynamic_field(ada.id, "email")
    assert (email.id, email.version, email.field_value_text) == (before.id, before.version + 1, "ada@lovelace.org")
    assert s.universal.get_dynamic_field(ada.id, "nickname").id == field_id(org.id, ada.id, "nickname")
    with hera.db.read():
        last = feed.events(s.store)[-2:]
    assert [(e.kind, e.record["field_name"], e.record["version"]) for e in last] == \
        [("dynamic_field.set", "email", 2), ("dynamic_field.set", "nickname", 1)]


def test_a_pin_is_kept_by_the_field_writer_with_its_natural_id_and_never_in_an_event(hera, org, s):
    user = s.users.create("Ada", "cashier", "4821")
    s.users.change_pin(user.id, "9174")
    with hera.db.read() as conn:
        stored = conn.execute(select(core_dynamic_data).where(core_dynamic_data.c.entity_id == user.id,
                                                              core_dynamic_data.c.field_name == "pin_hash")).one()
        pins = [e for e in feed.events(s.store) if e.record.get("field_name") == "pin_hash"]
    assert stored.id == field_id(org.id, user.id, "pin_hash") and stored.version == 2
    assert stored.field_value_text.startswith("scrypt$")
    assert len(pins) == 2 and all(e.record["field_value_text"] is None and e.record_id == stored.id for e in pins)
    assert s.universal.get_dynamic_field(user.id, "pin_hash") is None
    assert s.users.authenticate(user.id, "9174").id == user.id


def test_the_entity_writer_numbers_many_new_entities_around_the_codes_given(hera, org, s):
    s.universal.create_entity(entity_type="product", entity_name="Flour", entity_code="PROD-000002",
                              smart_code="HERA.INV.PRODUCT.ENT.V1")
    payloads = [c.EntityCreate(entity_type="product", entity_name=name, smart_code="HERA.INV.PRODUCT.ENT.V1",
                               entity_code=code)
                for name, code in (("Sugar", None), ("Salt", "PROD-000004"), ("Yeast", None), ("Oil", None))]
    with hera.db.write():
        made = write_entities(s.store, payloads)
    assert [e.entity_code for e in made] == ["PROD-000003", "PROD-000004", "PROD-000005", "PROD-000006"]
    assert [e.entity_name for e in s.universal.search("product", "yea")] == ["Yeast"]
    with pytest.raises(DuplicateError, match="PROD-000004"):
        with hera.db.write():
            write_entities(s.store, [payloads[1]])
