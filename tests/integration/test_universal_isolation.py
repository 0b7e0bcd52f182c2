"""Two organizations in one set of books: nothing done in A ever returns, changes or references B's records.

A hypothesis state machine drives random sequences of calls in organization A,
many of them aimed at B's ids, and checks after every step that B's rows are
byte-for-byte unchanged and that no row anywhere references another
organization's record.
"""
from __future__ import annotations

import atexit
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, multiple, rule

import factories as f
import hera_desktop
from hera_desktop import IdempotencyConflictError, NotFoundError, OrganizationMismatchError, PermissionDeniedError
from hera_desktop.domain.ids import new_id

NAMES = st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=20)
QUANTITIES = st.decimals(min_value=-1000, max_value=1000, places=2)

# Every column that points at another organization-owned row: (table, column, referenced table).
REFERENCES = [
    ("core_dynamic_data", "entity_id", "core_entities"),
    ("core_relationships", "from_entity_id", "core_entities"),
    ("core_relationships", "to_entity_id", "core_entities"),
    ("universal_transactions", "source_entity_id", "core_entities"),
    ("universal_transactions", "target_entity_id", "core_entities"),
    ("universal_transactions", "reversal_of", "universal_transactions"),
    ("universal_transaction_lines", "transaction_id", "universal_transactions"),
    ("universal_transaction_lines", "entity_id", "core_entities"),
    ("hera_gl_daily_balances", "account_id", "core_entities"),
    ("hera_gl_account_balances", "account_id", "core_entities"),
    ("hera_stock_levels", "product_id", "core_entities"),
    ("hera_search", "entity_id", "core_entities"),
]


def cross_organization_references(conn: sqlite3.Connection) -> list[tuple[str, str, int]]:
    found = []
    for table, column, target in REFERENCES:
        n = conn.execute(f"SELECT count(*) FROM {table} r JOIN {target} t ON t.id = r.{column} "
                         f"WHERE t.organization_id != r.organization_id").fetchone()[0]
        if n:
            found.append((table, column, n))
    return found


class Books:
    """Organizations A and B, with B's records, built once and copied for every run of the machine."""

    _template: "Books | None" = None

    @classmethod
    def template(cls) -> "Books":
        if cls._template is None:
            folder = Path(tempfile.mkdtemp(prefix="hera-isolation-template-"))
            atexit.register(shutil.rmtree, folder, ignore_errors=True)
            cls._template = cls(folder / "books.db")
        return cls._template

    def __init__(self, path: Path) -> None:
        self.path = path
        hera = hera_desktop.open(path)
        try:
            b = hera.scope(hera.create_organization("Luigi's Pizzeria").id)
            self.a_id = hera.create_organization("Mario's Trattoria").id
            self.b_id = b.organization_id
            customers = [f.customer(b, name) for name in ("Mario Rossi", "Maria Bianchi", "Marco Neri")]
            flour = f.product(b, "Flour")
            b.universal.set_dynamic_field(customers[0].id, "email", "mario@example.com",
                                          "HERA.CRM.CUST.DYN.EMAIL.V1")
            active = f.status(b, "active")
            rel = b.universal.create_relationship(from_entity_id=customers[0].id, to_entity_id=active.id,
                                                  relationship_type="has_status", smart_code=f.HAS_STATUS)
            sale = b.txn.emit(f.sale([f.item(flour.id, 2, "3.50")], source_entity_id=customers[0].id,
                                     idempotency_key="shared-key"))
            other = b.txn.emit(f.sale([f.item(flour.id, 1, "1.00")], source_entity_id=customers[1].id))
            cash, sales = f.gl_account(b, "1000"), f.gl_account(b, "4000")
            journal = b.txn.emit(f.journal([(cash.id, "DR", "10"), (sales.id, "CR", "10")]))
            reversal = b.txn.reverse(other.transaction_id, "HERA.TEST.SALES.REVERSAL.V1", "test")
            self.entity_ids = [e.id for e in b.universal.query_entities(limit=1000, include_deleted=True).entities]
            self.relationship_ids = [rel.id]
            self.transaction_ids = [sale.transaction_id, other.transaction_id, journal.transaction_id,
                                    reversal.transaction_id]
        finally:
            hera.close()
        self.snapshot = f.snapshot(path, self.b_id)


class TwoOrganizations(RuleBasedStateMachine):
    a_entities = Bundle("a_entities")
    a_transactions = Bundle("a_transactions")

    def __init__(self) -> None:
        super().__init__()
        books = Books.template()
        self.dir = Path(tempfile.mkdtemp(prefix="hera-isolation-"))
        self.path = self.dir / "books.db"
        shutil.copyfile(books.path, self.path)
        self.hera = hera_desktop.open(self.path)
        self.conn = f.raw(self.path)
        self.a = self.hera.scope(books.a_id)
        self.b = self.hera.scope(books.b_id)
        self.b_entity_ids = books.entity_ids
        self.b_relationship_ids = books.relationship_ids
        self.b_transaction_ids = books.transaction_ids
        self.b_ids = set(self.b_entity_ids) | set(self.b_relationship_ids) | set(self.b_transaction_ids)
        self.b_before = books.snapshot
        self.a_keys: dict[str, tuple[dict, str]] = {}

    def teardown(self) -> None:
        self.conn.close()
        self.hera.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    # -------------------------------------------------------------- A's own work

    @initialize(target=a_entities)
    def a_customer(self):
        return f.customer(self.a, "Mario Verdi").id

    @rule(target=a_entities, name=NAMES, kind=st.sampled_from(["customer", "product"]))
    def create_in_a(self, name, kind):
        made = self.a.universal.create_entity(entity_type=kind, entity_name=name,
                                              smart_code=f.CUSTOMER if kind == "customer" else f.PRODUCT)
        assert made.organization_id == self.a.organization_id
        return made.id

    @rule(target=a_transactions, entity=a_entities, quantity=QUANTITIES, key=st.sampled_from([None, "shared-key"]))
    def emit_in_a(self, entity, quantity, key):
        payload = f.sale([{"line_type": "ITEM_NOTE", "entity_id": entity, "quantity": quantity, "unit_price": "2",
                           "smart_code": f.ITEM_LINE}], source_entity_id=entity, idempotency_key=key)
        earlier = self.a_keys.get(key)
        if earlier is not None and earlier[0] != payload:
            with pytest.raises(IdempotencyConflictError):
                self.a.txn.emit(payload)
            return multiple()
        emitted = self.a.txn.emit(payload)
        assert emitted.transaction_id not in self.b_ids  # B's "shared-key" is not A's
        if earlier is not None:
            assert emitted.replayed and emitted.transaction_id == earlier[1]
        elif key:
            self.a_keys[key] = (payload, emitted.transaction_id)
        return emitted.transaction_id

    @rule(txn=a_transactions)
    def read_in_a(self, txn):
        read = self.a.txn.read(txn)
        assert read.organization_id == self.a.organization_id
        assert not {read.source_entity_id, *(ln.entity_id for ln in read.lines)} & self.b_ids

    # -------------------------------------------------------------- reaching for B

    @rule(b_id=st.sampled_from(["entity", "relationship", "transaction"]), data=st.data())
    def read_b_records(self, b_id, data):
        a = self.a
        if b_id == "entity":
            target = data.draw(st.sampled_from(self.b_entity_ids))
            calls = [lambda: a.universal.get_entity(target),
                     lambda: a.universal.get_dynamic_field(target, "email"),
                     lambda: a.universal.get_dynamic_fields(target)]
        elif b_id == "relationship":
            target = data.draw(st.sampled_from(self.b_relationship_ids))
            calls = [lambda: a.universal.delete_relationship(target, "not yours")]
        else:
            target = data.draw(st.sampled_from(self.b_transaction_ids))
            calls = [lambda: a.txn.read(target),
                     lambda: a.txn.reverse(target, "HERA.TEST.SALES.REVERSAL.V1", "not yours")]
        for call in calls:
            with pytest.raises(NotFoundError):
                call()

    @rule(target_id=st.runner().map(lambda m: m.b_entity_ids).flatmap(st.sampled_from),
          name=NAMES, data=st.data())
    def change_b_entity(self, target_id, name, data):
        a = self.a
        action = data.draw(st.sampled_from(["update", "delete", "field"]))
        with pytest.raises(NotFoundError):
            if action == "update":
                a.universal.update_entity(target_id, entity_name=name, version=1)
            elif action == "delete":
                a.universal.delete_entity(target_id, "not yours")
            else:
                a.universal.set_dynamic_field(target_id, "email", "x@example.com", "HERA.CRM.CUST.DYN.EMAIL.V1")

    @rule(mine=a_entities, data=st.data())
    def relate_to_b(self, mine, data):
        theirs = data.draw(st.sampled_from(self.b_entity_ids))
        ends = data.draw(st.sampled_from([(mine, theirs), (theirs, mine), (theirs, theirs)]))
        with pytest.raises(OrganizationMismatchError):
            self.a.universal.create_relationship(from_entity_id=ends[0], to_entity_id=ends[1],
                                                 relationship_type="knows", smart_code="HERA.CRM.CUST.REL.KNOWS.V1")

    @rule(mine=a_entities, data=st.data())
    def emit_referencing_b(self, mine, data):
        theirs = data.draw(st.sampled_from(self.b_entity_ids))
        where = data.draw(st.sampled_from(["source", "target", "line", "second line"]))
        payload = f.sale([f.item(theirs if where == "line" else mine)], source_entity_id=mine)
        if where == "source":
            payload["source_entity_id"] = theirs
        elif where == "target":
            payload["target_entity_id"] = theirs
        elif where == "second line":
            payload["lines"].append(f.item(theirs))
        with pytest.raises(OrganizationMismatchError):
            self.a.txn.emit(payload)

    @rule(mine=a_entities, name=NAMES)
    def payloads_naming_b(self, mine, name):
        b_org = self.b.organization_id
        calls = [
            lambda: self.a.universal.create_entity(organization_id=b_org, entity_type="customer",
                                                   entity_name=name, smart_code=f.CUSTOMER),
            lambda: self.a.universal.update_entity(mine, organization_id=b_org, entity_name=name),
            lambda: self.a.universal.create_relationship(organization_id=b_org, from_entity_id=mine,
                                                         to_entity_id=mine, relationship_type="self",
                                                         smart_code="HERA.CRM.CUST.REL.SELF.V1"),
            lambda: self.a.txn.emit(f.sale([f.item(mine)], organization_id=b_org)),
            lambda: self.a.universal.query_entities(organization_id=b_org),
            lambda: self.a.universal.query_relationships(organization_id=b_org),
            lambda: self.a.txn.query(organization_id=b_org),
        ]
        for call in calls:
            with pytest.raises(OrganizationMismatchError):
                call()

    @rule(kind=st.sampled_from([None, "customer", "product", "gl_account", "workflow_status", "posting_rule"]),
          include_deleted=st.booleans())
    def query_entities_in_a(self, kind, include_deleted):
        cursor, seen = None, []
        while True:
            page = self.a.universal.query_entities(entity_type=kind, include_deleted=include_deleted,
                                                   limit=7, cursor=cursor)
            seen += [e.id for e in page.entities]
            assert all(e.organization_id == self.a.organization_id for e in page.entities)
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
        assert not set(seen) & self.b_ids

    @rule(query=st.sampled_from(["mar", "mario", "ma", "flour", "mario@example", "CUST"]))
    def search_in_a(self, query):
        found = {e.id for e in self.a.universal.search("customer", query)}
        found |= {e.id for e in self.a.universal.search("product", query)}
        assert not found & self.b_ids

    @rule(data=st.data())
    def query_relationships_and_transactions_in_a(self, data):
        theirs = data.draw(st.sampled_from(self.b_entity_ids))
        rels = self.a.universal.query_relationships(from_entity_id=theirs, include_inactive=True).relationships
        rels += self.a.universal.query_relationships(to_entity_id=theirs, include_inactive=True).relationships
        assert rels == []
        assert self.a.txn.query(source_entity_id=theirs).transactions == []
        page = self.a.txn.query(include_lines=True, limit=1000)
        assert not {t.id for t in page.transactions} & self.b_ids
        assert all(ln.entity_id not in self.b_ids for t in page.transactions for ln in t.lines)
        assert not {r.id for r in self.a.universal.query_relationships(include_inactive=True).relationships} & self.b_ids

    # -------------------------------------------------------------- what must always hold

    @invariant()
    def b_is_untouched(self):
        assert f.snapshot(self.conn, self.b.organization_id) == self.b_before

    @invariant()
    def nothing_references_another_organization(self):
        assert cross_organization_references(self.conn) == []


TwoOrganizations.TestCase.settings = settings(max_examples=15, stateful_step_count=20, deadline=None,
                                              suppress_health_check=[HealthCheck.too_slow])
test_two_organizations = TwoOrganizations.TestCase


def test_an_unknown_id_and_another_organizations_id_look_the_same(hera, s):
    other = hera.scope(hera.create_organization("Luigi's Pizzeria").id)
    theirs = f.customer(other, "Luigi")
    with pytest.raises(NotFoundError) as foreign:
        s.universal.get_entity(theirs.id)
    with pytest.raises(NotFoundError) as unknown:
        s.universal.get_entity(nobody := new_id())
    assert str(foreign.value).replace(theirs.id, "?") == str(unknown.value).replace(nobody, "?")


def test_a_user_of_another_organization_cannot_act_in_this_one(hera, s):
    other = hera.scope(hera.create_organization("Luigi's Pizzeria").id)
    luigi = other.users.create(name="Luigi", role="admin", pin="123400")
    with pytest.raises(PermissionDeniedError):
        hera.scope(s.organization_id, actor_id=luigi.id)


def test_verify_of_one_organization_sees_only_its_chain(hera, s):
    other = hera.scope(hera.create_organization("Luigi's Pizzeria").id)
    s.txn.emit(f.sale([f.item()]))
    for _ in range(3):
        other.txn.emit(f.sale([f.item()]))
    assert hera.verify(s.organization_id).transactions == 1
    assert hera.verify(other.organization_id).transactions == 3
