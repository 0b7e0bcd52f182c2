"""Records keep the ids their callers chose: a transaction made offline, or sent by another terminal, is known
by the same id everywhere. An id must be a UUIDv7 in lowercase text, and one no record already has, in this
organization or any other; the refusal says the same either way."""
from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

import factories as f
from hera_desktop import DuplicateError, IdempotencyConflictError, ValidationError
from hera_desktop.domain.ids import natural_id, new_id
from hera_desktop.universal.relationships import single_valued_id

BAD_IDS = {
    "not an id": "order-42",
    "capitals": new_id().upper(),
    "a UUIDv4": str(uuid.uuid4()),
    "a natural id": natural_id(new_id(), "workflow_status", "Active Status"),
    "the nil UUID": "00000000-0000-0000-0000-000000000000",
    "no hyphens": new_id().replace("-", ""),
    "in braces": "{" + new_id() + "}",
    "a number": 12345,
    "a list": [new_id()],
}


def relationship(from_id, to_id, kind="consumes", **extra):
    return {"from_entity_id": from_id, "to_entity_id": to_id, "relationship_type": kind,
            "smart_code": "HERA.RESTAURANT.MENU.REL.CONSUMES.V1", **extra}


@pytest.fixture
def other(hera):
    return hera.scope(hera.create_organization("Luigi's Pizzeria", currency="USD").id)


# ------------------------------------------------------------------ transactions

def test_an_emitted_sale_keeps_its_id_and_its_lines_ids_and_the_chain_holds(hera, s):
    sale_id, line_id = new_id(), new_id()
    emitted = s.txn.emit(f.sale([f.item(quantity=2, unit_price="4.50", id=line_id), f.item()], id=sale_id))
    assert emitted.transaction_id == sale_id
    txn = s.txn.read(sale_id)
    assert txn.id == sale_id and txn.total_amount == Decimal("19.00")
    assert txn.lines[0].id == line_id and txn.lines[1].id not in (line_id, sale_id)
    report = hera.verify(s.organization_id)
    assert report.intact and report.transactions == 1


def test_a_journal_with_its_own_id_posts_to_the_trial_balance(hera, s):
    cash, sales = f.gl_account(s, "1000"), f.gl_account(s, "4000")
    entry_id = new_id()
    s.txn.emit(f.journal([(cash.id, "DR", "12.30"), (sales.id, "CR", "12.30")], id=entry_id))
    tb = s.reports.trial_balance()
    assert tb.total_debits == tb.total_credits == Decimal("12.30")
    assert {r.account_code: r.balance for r in tb.rows}["1000"] == Decimal("12.30")
    assert s.txn.read(entry_id).transaction_type == "journal_entry"
    assert hera.verify().intact


@pytest.mark.parametrize("bad", BAD_IDS.values(), ids=BAD_IDS.keys())
def test_an_id_that_is_not_a_lowercase_uuidv7_is_refused_naming_it(s, db_path, bad):
    with pytest.raises(ValidationError, match="must be a UUIDv7 in lowercase text") as refused:
        s.txn.emit(f.sale([f.item()], id=bad))
    assert refused.value.field == "id"
    with pytest.raises(ValidationError) as refused:
        s.txn.emit(f.sale([f.item(id=bad)]))
    assert refused.value.field == "lines.0.id"
    with pytest.raises(ValidationError) as refused:
        s.txn.emit_many([f.sale([f.item()], id=new_id()), f.sale([f.item()], id=bad)])
    assert refused.value.field == "[1].id"
    assert f.count(db_path, "universal_transactions") == 0


def test_an_id_already_used_here_or_in_another_organization_is_refused_alike(s, other, db_path):
    taken = s.txn.emit(f.sale([f.item()], id=new_id())).transaction_id
    before = f.snapshot(db_path)
    with pytest.raises(DuplicateError) as here:
        s.txn.emit(f.sale([f.item()], id=taken))
    with pytest.raises(DuplicateError) as there:
        other.txn.emit(f.sale([f.item()], id=taken))
    assert here.value.code == there.value.code == "duplicate"
    assert here.value.to_dict() == there.value.to_dict()
    assert here.value.details["field"] == "id"
    assert f"{taken} is already the id of another record" in here.value.message
    assert "organization" not in here.value.message
    assert f.snapshot(db_path) == before


def test_a_line_id_already_used_is_refused(s, other, db_path):
    line_id = new_id()
    s.txn.emit(f.sale([f.item(id=line_id)]))
    before = f.count(db_path, "universal_transaction_lines")
    for scope in (s, other):
        with pytest.raises(DuplicateError) as refused:
            scope.txn.emit(f.sale([f.item(), f.item(id=line_id)]))
        assert refused.value.details["field"] == "lines.id"
    with pytest.raises(DuplicateError, match="given to two new records"):
        s.txn.emit(f.sale([f.item(id=(twice := new_id())), f.item(id=twice)]))
    assert f.count(db_path, "universal_transaction_lines") == before
    assert f.count(db_path, "universal_transactions") == 1


def test_emit_many_with_one_used_id_writes_none(s, other, db_path):
    taken = other.txn.emit(f.sale([f.item()], id=new_id())).transaction_id
    before = f.snapshot(db_path)
    with pytest.raises(DuplicateError, match="already the id of another record"):
        s.txn.emit_many([f.sale([f.item()], id=new_id()), f.sale([f.item()]), f.sale([f.item()], id=taken)])
    with pytest.raises(DuplicateError, match="given to two new records"):
        s.txn.emit_many([f.sale([f.item()], id=(twice := new_id())), f.sale([f.item(quantity=2)], id=twice)])
    assert f.snapshot(db_path) == before
    ids = [new_id(), new_id()]
    done = s.txn.emit_many([f.sale([f.item()], id=ids[0]), f.sale([f.item()]), f.sale([f.item()], id=ids[1])])
    assert [done[0].transaction_id, done[2].transaction_id] == ids
    assert f.count(db_path, "universal_transactions") == 4


def test_a_retry_with_the_same_key_and_id_replays_the_first_result(s, db_path):
    payload = f.sale([f.item(id=new_id())], id=new_id(), idempotency_key="draft-7")
    first = s.txn.emit(payload)
    before = f.snapshot(db_path)
    again = s.txn.emit(payload)
    assert again.replayed and again.transaction_id == first.transaction_id == payload["id"]
    assert s.txn.emit_many([payload])[0].replayed
    assert f.snapshot(db_path) == before
    for changed in ({**payload, "id": new_id()}, {k: v for k, v in payload.items() if k != "id"},
                    {**payload, "lines": [f.item(id=new_id())]}, {**payload, "lines": [f.item()]}):
        with pytest.raises(IdempotencyConflictError):
            s.txn.emit(changed)
    assert f.snapshot(db_path) == before


def test_a_key_used_without_an_id_is_not_replayed_by_a_payload_with_one(s):
    s.txn.emit(f.sale([f.item()], idempotency_key="draft-8"))
    assert s.txn.emit(f.sale([f.item()], idempotency_key="draft-8")).replayed
    with pytest.raises(IdempotencyConflictError):
        s.txn.emit(f.sale([f.item()], idempotency_key="draft-8", id=new_id()))


def test_a_reversal_can_be_given_its_id(hera, s, db_path):
    sale = s.txn.emit(f.sale([f.item(quantity=2, unit_price="4.50")], id=new_id()))
    with pytest.raises(ValidationError) as refused:
        s.txn.reverse(sale.transaction_id, "HERA.TEST.SALES.REVERSAL.V1", "refund", reversal_id=str(uuid.uuid4()))
    assert refused.value.field == "reversal_id"
    with pytest.raises(DuplicateError, match="already the id of another record"):
        s.txn.reverse(sale.transaction_id, "HERA.TEST.SALES.REVERSAL.V1", "refund", reversal_id=sale.transaction_id)
    assert f.count(db_path, "universal_transactions") == 1
    chosen = new_id()
    refund = s.txn.reverse(sale.transaction_id, "HERA.TEST.SALES.REVERSAL.V1", "refund", reversal_id=chosen)
    assert refund.transaction_id == chosen and refund.total_amount == Decimal("-9.00")
    assert s.txn.read(sale.transaction_id).reversed_by == chosen
    assert hera.verify().intact


# ------------------------------------------------------------------ entities

def test_an_entity_keeps_its_id(s):
    chosen = new_id()
    anna = f.customer(s, "Anna", id=chosen)
    assert anna.id == chosen and s.universal.get_entity(chosen).entity_name == "Anna"
    assert [e.id for e in s.universal.search("customer", "Anna")] == [chosen]


@pytest.mark.parametrize("bad", BAD_IDS.values(), ids=BAD_IDS.keys())
def test_an_entity_id_that_is_not_a_lowercase_uuidv7_is_refused(s, db_path, bad):
    before = f.count(db_path, "core_entities")
    with pytest.raises(ValidationError, match="must be a UUIDv7") as refused:
        f.customer(s, "Anna", id=bad)
    assert refused.value.field == "id"
    assert f.count(db_path, "core_entities") == before


def test_an_entity_id_already_used_is_refused_alike_in_any_organization(s, other, db_path):
    taken = f.product(s, "Flour", id=new_id()).id
    before = f.snapshot(db_path)
    with pytest.raises(DuplicateError) as here:
        f.customer(s, "Anna", id=taken)
    with pytest.raises(DuplicateError) as there:
        f.customer(other, "Anna", id=taken)
    assert here.value.to_dict() == there.value.to_dict()
    assert here.value.details["field"] == "id" and "organization" not in here.value.message
    assert f.snapshot(db_path) == before


# ------------------------------------------------------------------ relationships

def test_a_relationship_keeps_its_id(s):
    pizza, flour = f.product(s, "Pizza"), f.product(s, "Flour")
    chosen = new_id()
    made = s.universal.create_relationship(relationship(pizza.id, flour.id, id=chosen))
    assert made.id == chosen
    assert [r.id for r in s.universal.query_relationships(from_entity_id=pizza.id).relationships] == [chosen]


@pytest.mark.parametrize("bad", [v for k, v in BAD_IDS.items() if k != "a natural id"],
                         ids=[k for k in BAD_IDS if k != "a natural id"])
def test_a_relationship_id_that_is_not_a_lowercase_uuid_is_refused(s, db_path, bad):
    pizza, flour = f.product(s, "Pizza"), f.product(s, "Flour")
    with pytest.raises(ValidationError, match="must be a UUIDv7") as refused:
        s.universal.create_relationship(relationship(pizza.id, flour.id, id=bad))
    assert refused.value.field == "id"
    assert f.count(db_path, "core_relationships") == 0


def test_a_natural_id_is_refused_for_a_relationship_that_has_none(s, db_path):
    pizza, flour = f.product(s, "Pizza"), f.product(s, "Flour")
    with pytest.raises(ValidationError, match="must be a UUIDv7") as refused:
        s.universal.create_relationship(relationship(pizza.id, flour.id, id=natural_id(s.organization_id, "x")))
    assert refused.value.field == "id"
    assert f.count(db_path, "core_relationships") == 0


def test_a_relationship_id_already_used_is_refused_alike_in_any_organization(s, other, db_path):
    pizza, flour = f.product(s, "Pizza"), f.product(s, "Flour")
    taken = s.universal.create_relationship(relationship(pizza.id, flour.id, id=new_id())).id
    calzone, yeast = f.product(other, "Calzone"), f.product(other, "Yeast")
    before = f.snapshot(db_path)
    with pytest.raises(DuplicateError) as here:
        s.universal.create_relationship(relationship(flour.id, pizza.id, id=taken))
    with pytest.raises(DuplicateError) as there:
        other.universal.create_relationship(relationship(calzone.id, yeast.id, id=taken))
    assert here.value.to_dict() == there.value.to_dict()
    assert f.snapshot(db_path) == before


def test_a_single_valued_relationship_takes_only_its_natural_id(s, db_path):
    anna, active = f.customer(s, "Anna"), f.status(s, "active")
    status = relationship(anna.id, active.id, "has_status", smart_code=f.HAS_STATUS)
    with pytest.raises(ValidationError, match="has_status relationship's id is natural") as refused:
        s.universal.create_relationship({**status, "id": new_id()})
    assert refused.value.field == "id"
    natural = single_valued_id(s.organization_id, anna.id, "has_status", 1)
    assert natural in refused.value.message
    assert f.count(db_path, "core_relationships") == 0
    assert s.universal.create_relationship({**status, "id": natural}).id == natural
    assert s.universal.create_relationship(status).id == single_valued_id(s.organization_id, anna.id,
                                                                          "has_status", 2)
