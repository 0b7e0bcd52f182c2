"""Entities, dynamic fields and relationships through ``s.universal``, on a real SQLite file."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

import factories as f
from hera_desktop import ConcurrencyError, DuplicateError, InvalidSmartCodeError, NotFoundError, ValidationError
from hera_desktop.domain.ids import is_uuid, new_id

# ------------------------------------------------------------------ create & get


def test_created_entity_reads_back_with_the_guides_field_names(s, org):
    created = s.universal.create_entity({
        "organization_id": org.id, "entity_type": "customer", "entity_name": "Maria Rossi",
        "entity_code": "CUST-MAR-1234", "smart_code": f.CUSTOMER, "classification": "vip",
        "metadata": {"source": "walk-in", "tags": ["regular"]}})
    got = s.universal.get_entity(created.id)
    assert got == created
    assert is_uuid(got.id) and got.organization_id == org.id
    assert (got.entity_type, got.entity_name, got.entity_code) == ("customer", "Maria Rossi", "CUST-MAR-1234")
    assert got.classification == "vip" and got.status == "active" and got.version == 1
    assert got.metadata == {"source": "walk-in", "tags": ["regular"]}
    assert got.created_by is None  # the system actor


def test_entity_code_is_generated_when_absent_and_counts_up_per_type(s):
    first, second = f.customer(s, "Anna"), f.customer(s, "Bruno")
    item = f.product(s)
    assert first.entity_code == "CUST-000001"
    assert second.entity_code == "CUST-000002"
    assert item.entity_code == "PROD-000001"


def test_generated_codes_skip_hand_made_codes_with_the_same_prefix(s):
    f.customer(s, "Anna")                                      # CUST-000001
    f.customer(s, "Vip Table", entity_code="CUST-VIP")         # a code typed by a person
    f.customer(s, "Guide style", entity_code="CUST-MAR-1234")  # the guide's generateCustomerCode shape
    third = f.customer(s, "Carla")
    fourth = f.customer(s, "Dario")
    codes = {e.entity_code for e in s.universal.query_entities(entity_type="customer").entities}
    assert len(codes) == 5
    assert third.entity_code != fourth.entity_code
    assert third.entity_code.startswith("CUST-")


def test_entity_code_is_unique_per_organization_and_type(s):
    f.customer(s, "Anna", entity_code="C-1")
    with pytest.raises(DuplicateError, match="C-1") as err:
        f.customer(s, "Another Anna", entity_code="C-1")
    assert err.value.code == "duplicate"
    assert f.product(s, entity_code="C-1").entity_code == "C-1"  # another type may use it
    assert len(s.universal.query_entities(entity_type="customer").entities) == 1


def test_the_same_code_in_another_organization_is_fine(hera, s):
    other = hera.scope(hera.create_organization("Luigi's Pizzeria").id)
    f.customer(s, "Anna", entity_code="C-1")
    assert f.customer(other, "Anna", entity_code="C-1").entity_code == "C-1"


def test_an_unknown_id_is_not_found(s):
    with pytest.raises(NotFoundError):
        s.universal.get_entity(new_id())


def test_a_malformed_id_is_a_validation_error(s, subtests):
    for bad in ["", "42", "not-an-id", None, 42]:
        with subtests.test(entity_id=bad), pytest.raises(ValidationError, match="entity_id"):
            s.universal.get_entity(bad)


def test_create_refuses_a_bad_smart_code_naming_the_field(s):
    with pytest.raises(InvalidSmartCodeError) as err:
        s.universal.create_entity(entity_type="customer", entity_name="Anna", smart_code="CUSTOMER")
    assert err.value.field == "smart_code"


def test_create_accepts_keyword_arguments(s):
    made = s.universal.create_entity(entity_type="location", entity_name="Main kitchen",
                                     smart_code="HERA.INVENTORY.LOCATION.ENT.V1")
    assert made.entity_code == "LOC-000001"


# ------------------------------------------------------------------ update


def test_update_changes_fields_merges_metadata_and_bumps_the_version(s):
    anna = f.customer(s, "Anna", metadata={"source": "walk-in", "table": 4})
    updated = s.universal.update_entity(anna.id, {"entity_name": "Anna Bianchi", "metadata": {"table": 7},
                                                  "version": 1})
    assert updated.entity_name == "Anna Bianchi"
    assert updated.metadata == {"source": "walk-in", "table": 7}
    assert updated.version == 2
    assert updated.updated_at >= anna.updated_at
    assert s.universal.get_entity(anna.id) == updated


def test_update_with_a_stale_version_is_refused_and_changes_nothing(s):
    anna = f.customer(s, "Anna")
    s.universal.update_entity(anna.id, entity_name="Anna B", version=anna.version)      # someone else saved first
    with pytest.raises(ConcurrencyError) as err:
        s.universal.update_entity(anna.id, entity_name="Anna C", version=anna.version)  # our stale copy
    assert err.value.code == "version_conflict"
    current = s.universal.get_entity(anna.id)
    assert (current.entity_name, current.version) == ("Anna B", 2)


def test_update_to_a_code_already_used_is_a_duplicate(s):
    f.customer(s, "Anna", entity_code="C-1")
    bruno = f.customer(s, "Bruno", entity_code="C-2")
    with pytest.raises(DuplicateError):
        s.universal.update_entity(bruno.id, entity_code="C-1")
    assert s.universal.get_entity(bruno.id).entity_code == "C-2"


def test_update_of_an_unknown_entity_is_not_found(s):
    with pytest.raises(NotFoundError):
        s.universal.update_entity(new_id(), entity_name="Ghost")


def test_update_refuses_unknown_fields(s):
    anna = f.customer(s)
    with pytest.raises(ValidationError) as err:
        s.universal.update_entity(anna.id, {"entity_nmae": "typo"})
    assert err.value.field == "entity_nmae"


# ------------------------------------------------------------------ delete


def test_soft_delete_keeps_the_record_readable_with_its_reason(s):
    anna = f.customer(s, "Anna")
    deleted = s.universal.delete_entity(anna.id, "asked to be forgotten")
    assert deleted.status == "deleted"
    again = s.universal.get_entity(anna.id)
    assert again.status == "deleted"
    assert again.metadata["deleted_reason"] == "asked to be forgotten"
    assert again.version == 2


def test_deleted_entities_are_left_out_of_queries_unless_asked_for(s):
    anna, bruno = f.customer(s, "Anna"), f.customer(s, "Bruno")
    s.universal.delete_entity(anna.id, "duplicate record")
    listed = s.universal.query_entities(entity_type="customer").entities
    assert [e.id for e in listed] == [bruno.id]
    everything = s.universal.query_entities(entity_type="customer", include_deleted=True).entities
    assert {e.id for e in everything} == {anna.id, bruno.id}
    only_deleted = s.universal.query_entities(entity_type="customer", status="deleted").entities
    assert [e.id for e in only_deleted] == [anna.id]


def test_delete_needs_a_reason(s, subtests):
    anna = f.customer(s)
    for reason in ["", "   ", None, 7]:
        with subtests.test(reason=reason), pytest.raises(ValidationError, match="reason"):
            s.universal.delete_entity(anna.id, reason)
    assert s.universal.get_entity(anna.id).status == "active"


def test_a_deleted_entity_cannot_be_changed_or_deleted_again(s):
    anna = f.customer(s)
    s.universal.delete_entity(anna.id, "closed account")
    with pytest.raises(ValidationError):
        s.universal.update_entity(anna.id, entity_name="Back again")
    with pytest.raises(ValidationError):
        s.universal.delete_entity(anna.id, "again")


# ------------------------------------------------------------------ query & cursor


def test_query_filters_by_type_name_code_and_classification(s):
    f.customer(s, "Anna", classification="vip")
    bruno = f.customer(s, "Bruno", entity_code="B-7")
    f.product(s, "Anna")  # same name, other type
    uni = s.universal
    assert [e.entity_name for e in uni.query_entities(entity_type="customer", classification="vip").entities] == ["Anna"]
    assert [e.id for e in uni.query_entities(entity_type="customer", entity_code="B-7").entities] == [bruno.id]
    assert {e.entity_type for e in uni.query_entities(entity_name="Anna").entities} == {"customer", "product"}
    assert uni.query_entities(entity_type="customer", entity_name="Nobody").entities == []


def test_a_query_that_fits_one_page_has_no_next_cursor(s):
    f.customer(s)
    assert s.universal.query_entities(entity_type="customer").next_cursor is None


def many_customers(s, count: int) -> list[str]:
    with s.db.write():  # one unit of work: one commit for the lot
        return [f.customer(s, f"Customer {n:03d}").id for n in range(count)]


def test_paging_through_250_entities_returns_each_exactly_once(s):
    made = many_customers(s, 250)
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        page = s.universal.query_entities(entity_type="customer", limit=100, cursor=cursor)
        pages += 1
        seen += [e.id for e in page.entities]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert pages == 3
    assert seen == made  # creation order, no duplicates, nothing missed


def test_paging_is_stable_while_customers_are_added_between_pages(s):
    made = many_customers(s, 250)
    seen: list[str] = []
    cursor = None
    added: list[str] = []
    while True:
        page = s.universal.query_entities(entity_type="customer", limit=100, cursor=cursor)
        seen += [e.id for e in page.entities]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
        added += [f.customer(s, f"Walk-in {len(added) + n}").id for n in range(3)]
    assert len(seen) == len(set(seen))
    assert seen[:250] == made
    assert seen[250:] == added  # new rows come after, none lost, none repeated


def test_a_cursor_that_was_not_issued_is_refused(s):
    with pytest.raises(ValidationError) as err:
        s.universal.query_entities(entity_type="customer", cursor="definitely not a cursor")
    assert err.value.field == "cursor"


def test_limit_must_be_a_positive_whole_number(s, subtests):
    for limit in [0, -1, "100", 1.5, True]:
        with subtests.test(limit=limit), pytest.raises(ValidationError) as err:
            s.universal.query_entities(entity_type="customer", limit=limit)
        assert err.value.field == "limit"


def test_limit_is_capped(s):
    for n in range(3):
        f.customer(s, f"C{n}")
    page = s.universal.query_entities(entity_type="customer", limit=10**9)
    assert len(page.entities) == 3


# ------------------------------------------------------------------ search


def test_search_finds_customers_by_the_start_of_any_word(s):
    maria = f.customer(s, "Maria Rossi")
    mario = f.customer(s, "Mario Bianchi")
    f.customer(s, "Anna Marchetti")
    f.customer(s, "Tamara Neri")  # 'mar' inside a word is not a prefix
    found = {e.entity_name for e in s.universal.search("customer", "mar")}
    assert found == {"Maria Rossi", "Mario Bianchi", "Anna Marchetti"}
    assert [e.id for e in s.universal.search("customer", "mari ros")] == [maria.id]
    assert [e.id for e in s.universal.search("customer", "bianchi")] == [mario.id]


def test_search_is_by_type_and_ignores_case_and_accents(s):
    f.customer(s, "José Müller")
    f.product(s, "Mozzarella")
    assert [e.entity_name for e in s.universal.search("customer", "jose MULL")] == ["José Müller"]
    assert s.universal.search("customer", "mozz") == []
    assert [e.entity_name for e in s.universal.search("product", "mozz")] == ["Mozzarella"]


def test_search_finds_by_code_email_and_phone(s):
    anna = f.customer(s, "Anna", entity_code="CUST-VIP-7")
    s.universal.set_dynamic_field(anna.id, "email", "anna.b@example.com", "HERA.CRM.CUST.DYN.EMAIL.V1")
    s.universal.set_dynamic_field(anna.id, "phone", "+39 055 123456", "HERA.CRM.CUST.DYN.PHONE.V1")
    assert [e.id for e in s.universal.search("customer", "vip")] == [anna.id]
    assert [e.id for e in s.universal.search("customer", "anna.b")] == [anna.id]
    assert [e.id for e in s.universal.search("customer", "055")] == [anna.id]


def test_search_follows_renames_and_deletes(s):
    anna = f.customer(s, "Anna")
    s.universal.update_entity(anna.id, entity_name="Marta")
    assert s.universal.search("customer", "anna") == []
    assert [e.id for e in s.universal.search("customer", "mar")] == [anna.id]
    s.universal.delete_entity(anna.id, "left town")
    assert s.universal.search("customer", "mar") == []


def test_search_treats_operators_and_quotes_as_plain_text(s, subtests):
    maria = f.customer(s, "Maria")
    for query in ['"', "*", "mar*", '"mar', "NEAR(mar", "mar AND OR NOT", "'; DROP TABLE core_entities; --", "   ", ""]:
        with subtests.test(query=query):
            assert {e.id for e in s.universal.search("customer", query)} <= {maria.id}
    assert [e.id for e in s.universal.search("customer", "mar*")] == [maria.id]
    assert s.universal.get_entity(maria.id).entity_name == "Maria"


# ------------------------------------------------------------------ dynamic fields


DYNAMIC_VALUES = [
    ("anna@example.com", "field_value_text", "anna@example.com"),
    ("", "field_value_text", ""),
    (5000, "field_value_number", Decimal("5000")),
    (0.1, "field_value_number", Decimal("0.1")),
    (Decimal("1234.5678"), "field_value_number", Decimal("1234.5678")),
    (-3, "field_value_number", Decimal("-3")),
    (True, "field_value_boolean", True),
    (False, "field_value_boolean", False),
    (date(2024, 2, 29), "field_value_date", "2024-02-29"),
    (datetime(2024, 2, 29, 18, 30), "field_value_date", "2024-02-29T18:30:00"),
    ({"net": 30, "discount": "2%"}, "field_value_json", {"net": 30, "discount": "2%"}),
    (["a", 1, None], "field_value_json", ["a", 1, None]),
]
COLUMNS = {"field_value_text", "field_value_number", "field_value_boolean", "field_value_date", "field_value_json"}


def test_dynamic_values_go_to_the_column_of_their_type(s, subtests):
    anna = f.customer(s)
    for n, (value, column, stored) in enumerate(DYNAMIC_VALUES):
        with subtests.test(value=value):
            s.universal.set_dynamic_field(anna.id, f"field_{n}", value, "HERA.CRM.CUST.DYN.TEST.V1")
            got = s.universal.get_dynamic_field(anna.id, f"field_{n}")
            assert getattr(got, column) == stored
            assert type(getattr(got, column)) is type(stored)
            assert all(getattr(got, other) is None for other in COLUMNS - {column})
            assert got.value == stored


def test_a_float_is_stored_exactly(s, db_path):
    anna = f.customer(s)
    s.universal.set_dynamic_field(anna.id, "credit_limit", 0.1, "HERA.CRM.CUST.DYN.CREDIT.V1")
    got = s.universal.get_dynamic_field(anna.id, "credit_limit")
    assert got.field_value_number == Decimal("0.1")
    assert str(got.field_value_number) == "0.1"
    conn = f.raw(db_path)  # SQLite keeps the exact decimal text, PostgreSQL a NUMERIC: neither the float's binary value
    stored = conn.execute("SELECT field_value_number FROM core_dynamic_data WHERE entity_id = ?", (anna.id,)).fetchone()
    conn.close()
    assert [str(value) for value in stored] == ["0.1"]


def test_a_missing_field_reads_as_none(s):
    anna = f.customer(s)
    assert s.universal.get_dynamic_field(anna.id, "email") is None


def test_setting_a_field_again_replaces_the_value_and_its_type(s):
    anna = f.customer(s)
    first = s.universal.set_dynamic_field(anna.id, "credit_limit", 5000, "HERA.CRM.CUST.DYN.CREDIT.V1")
    second = s.universal.set_dynamic_field(anna.id, "credit_limit", "ask the manager", "HERA.CRM.CUST.DYN.CREDIT.V1")
    assert second.id == first.id and second.version == first.version + 1
    assert second.field_type == "text" and second.field_value_number is None
    assert list(s.universal.get_dynamic_fields(anna.id)) == ["credit_limit"]


def test_fields_of_an_unknown_entity_are_not_found(s):
    with pytest.raises(NotFoundError):
        s.universal.set_dynamic_field(new_id(), "email", "x@example.com", "HERA.CRM.CUST.DYN.EMAIL.V1")
    with pytest.raises(NotFoundError):
        s.universal.get_dynamic_field(new_id(), "email")


def test_field_names_are_lower_snake_case(s, subtests):
    anna = f.customer(s)
    for name in ["", "Email", "e-mail", "1st", "x" * 101, None, 7, "email; DROP TABLE x", "email\n"]:
        with subtests.test(name=name), pytest.raises(ValidationError) as err:
            s.universal.set_dynamic_field(anna.id, name, "x", "HERA.CRM.CUST.DYN.EMAIL.V1")
        assert err.value.field == "field_name"
    assert s.universal.get_dynamic_fields(anna.id) == {}


def test_values_that_cannot_be_stored_are_refused(s, subtests):
    anna = f.customer(s)
    for value in [float("nan"), float("inf"), Decimal("-Infinity"), 10**20, {"x": {1, 2}}, {"x": float("nan")},
                  [float("inf")], object(), b"bytes", {1, 2}, "x" * 10001]:
        with subtests.test(value=repr(value)[:30]), pytest.raises(ValidationError) as err:
            s.universal.set_dynamic_field(anna.id, "odd", value, "HERA.CRM.CUST.DYN.TEST.V1")
        assert err.value.field == "value"
    assert s.universal.get_dynamic_field(anna.id, "odd") is None


def test_a_field_needs_a_valid_smart_code(s):
    anna = f.customer(s)
    with pytest.raises(InvalidSmartCodeError) as err:
        s.universal.set_dynamic_field(anna.id, "email", "a@example.com", "EMAIL")
    assert err.value.field == "smart_code"


# ------------------------------------------------------------------ relationships


def test_relationships_are_created_and_queried_from_either_end(s):
    anna, bruno = f.customer(s, "Anna"), f.customer(s, "Bruno")
    active = f.status(s, "active")
    rel = s.universal.create_relationship({"from_entity_id": anna.id, "to_entity_id": active.id,
                                           "relationship_type": "has_status", "smart_code": f.HAS_STATUS,
                                           "metadata": {"changed_by": "system"}})
    s.universal.create_relationship(from_entity_id=bruno.id, to_entity_id=active.id,
                                    relationship_type="has_status", smart_code=f.HAS_STATUS)
    assert rel.is_active and rel.metadata == {"changed_by": "system"}
    from_anna = s.universal.query_relationships(from_entity_id=anna.id).relationships
    assert [r.id for r in from_anna] == [rel.id]
    to_status = s.universal.query_relationships(to_entity_id=active.id, relationship_type="has_status").relationships
    assert {r.from_entity_id for r in to_status} == {anna.id, bruno.id}
    assert s.universal.query_relationships(from_entity_id=anna.id, relationship_type="consumes").relationships == []


def test_ending_a_relationship_keeps_it_with_its_reason(s):
    anna, active = f.customer(s), f.status(s, "active")
    rel = s.universal.create_relationship(from_entity_id=anna.id, to_entity_id=active.id,
                                          relationship_type="has_status", smart_code=f.HAS_STATUS)
    ended = s.universal.delete_relationship(rel.id, "moved to inactive")
    assert ended.is_active is False
    assert ended.metadata["ended_reason"] == "moved to inactive"
    assert s.universal.query_relationships(from_entity_id=anna.id).relationships == []
    kept = s.universal.query_relationships(from_entity_id=anna.id, include_inactive=True).relationships
    assert [(r.id, r.is_active) for r in kept] == [(rel.id, False)]
    with pytest.raises(ValidationError):
        s.universal.delete_relationship(rel.id, "again")


def test_ending_a_relationship_needs_a_reason(s):
    anna, active = f.customer(s), f.status(s, "active")
    rel = s.universal.create_relationship(from_entity_id=anna.id, to_entity_id=active.id,
                                          relationship_type="has_status", smart_code=f.HAS_STATUS)
    with pytest.raises(ValidationError, match="reason"):
        s.universal.delete_relationship(rel.id, " ")
    assert s.universal.query_relationships(from_entity_id=anna.id).relationships[0].is_active


def test_a_relationship_to_an_unknown_or_deleted_entity_is_refused(s):
    anna, gone = f.customer(s, "Anna"), f.customer(s, "Gone")
    s.universal.delete_entity(gone.id, "closed")
    with pytest.raises(NotFoundError) as err:
        s.universal.create_relationship(from_entity_id=anna.id, to_entity_id=new_id(),
                                        relationship_type="knows", smart_code="HERA.CRM.CUST.REL.KNOWS.V1")
    assert "to_entity_id" in str(err.value)
    with pytest.raises(ValidationError) as err2:
        s.universal.create_relationship(from_entity_id=gone.id, to_entity_id=anna.id,
                                        relationship_type="knows", smart_code="HERA.CRM.CUST.REL.KNOWS.V1")
    assert err2.value.field == "from_entity_id"
    assert s.universal.query_relationships(include_inactive=True, relationship_type="knows").relationships == []
