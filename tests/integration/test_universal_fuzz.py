"""Whatever a caller sends, only HeraErrors come out, and a failed call leaves the books exactly as they were.

Every call of the universal API starts from arguments that would succeed; one
test per argument spoils that argument with hypothesis-made junk (wrong types,
empty and huge strings, negative, NaN and infinite amounts, unknown ids, another
organization's ids, SQL metacharacters, odd unicode), and one test per call
spoils several at once. Any exception that is not a ``hera_desktop.HeraError``
fails, and so does any change to any table (compared row by row) after a call
that failed.
"""
from __future__ import annotations

import contextlib

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Callable, Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import factories as f
import hera_desktop
from hera_desktop import HeraError
from hera_desktop.domain.ids import new_id

NASTY_TEXT = st.sampled_from([
    "", " ", "\t\n", "x" * 100_000, "'; DROP TABLE core_entities; --", '" OR 1=1 --', "%", "_", "\\", "*",
    "NULL", "0", "-1", "1e309", "NaN", "\x00", "nul\x00byte", "𝕳𝖊𝖗𝖆 ☕", "e\u0301", "\u202eRTL", "中文客户",
    "HERA.CRM.CUST.ENT.PROF.V1", "hera.crm.cust.ent.prof.v1", "DR", "dr", "customer", "2024-02-30",
    "01a2104e-3348-71e8-be62-3a7b310b2025", "MARIO*", '"mar', "NEAR(a b)", "\ud800", "a\udfffb", "CUST-²",
])
NASTY_NUMBERS = st.sampled_from([
    0, -0.0, -1, 0.1, 10**15, -(10**15), 2**63, 10**400, float("nan"), float("inf"), float("-inf"), Decimal("NaN"),
    Decimal("-0"), Decimal("sNaN"), Decimal("-Infinity"), Decimal("1E-1000000"), Decimal("1E+1000000"),
    Decimal("0.1") ** 40, "12.50", "1,234.50", "-5", "abc", "Infinity", "1e1000000", "١٢٣",
])
NUMBERS = st.one_of(NASTY_NUMBERS, st.integers(), st.floats(), st.decimals())
NASTY_DATES = st.sampled_from([
    date.min, date.max, datetime.min, datetime.max, datetime.max.replace(tzinfo=timezone(timedelta(hours=-12))),
    datetime.min.replace(tzinfo=timezone(timedelta(hours=14))), "0001-01-01", "9999-12-31T23:59:59+14:00",
    "9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00", "0999-12-31", "2024-13-01", "yesterday",
    "2024-03-01",
])
DATES = st.one_of(NASTY_DATES, st.dates(), st.datetimes(timezones=st.sampled_from(
    [None, timezone.utc, timezone(timedelta(hours=14)), timezone(timedelta(hours=-12))])))
STRUCTURES = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=5)),
                          lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                  st.dictionaries(st.text(max_size=5), inner, max_size=3)),
                          max_leaves=6)
ODD_OBJECTS = st.sampled_from([object(), {1, 2}, b"bytes", bytearray(b"x"), (1, 2), frozenset(), type, print,
                               {"a": {1}}, {1: "a"}, {("t",): 1}, [float("nan")], {"x": float("inf")}, range(3),
                               {"k": "\ud800"}, {"when": datetime.min}])
JUNK = st.one_of(NASTY_NUMBERS, ODD_OBJECTS, NASTY_TEXT, NASTY_DATES, st.none(), st.booleans(), STRUCTURES, NUMBERS,
                 DATES, st.text(max_size=30), st.builds(new_id))
BAD_MAPPINGS = st.sampled_from([{"a": {1}}, {"x": float("inf")}, {"n": [float("nan")]}, {"k": "\ud800"},
                                {"b": b"x"}, {"o": object()}, {1: "int key"}, {"when": datetime.min}])
JSONISH = st.one_of(BAD_MAPPINGS, ODD_OBJECTS, STRUCTURES, JUNK)
# Values that have broken something before, tried on every argument of every call, every run.
KILLERS = ["\ud800", "x" * 100_000, "", 2**63, 10**400, -1, float("nan"), float("inf"), Decimal("1E+1000000"),
           "1e1000000", {"a": {1}}, {"x": float("nan")}, {"k": "\ud800"}, object(), [], None, True,
           datetime.max.replace(tzinfo=timezone(timedelta(hours=-12))), "0001-01-01T00:00:00+14:00", "0999-12-31",
           "'; DROP TABLE universal_transactions; --"]


@dataclass(frozen=True)
class Ref:
    """A record of the books under test, named before the books exist."""

    name: str


IDS = st.one_of(st.sampled_from([Ref(n) for n in ("customer", "product", "gone", "foreign", "foreign_txn", "sale",
                                                  "journal", "relationship", "cash")]),
                st.builds(new_id), JUNK)  # ours, a deleted one, another organization's, unknown, junk
REASONS = st.one_of(NASTY_TEXT, JUNK)


@dataclass
class Call:
    """One API call: arguments that succeed, how to spoil each, and how to make the call."""

    good: dict[str, Any]
    run: Callable[[Any, dict[str, Any]], Any]
    special: dict[str, st.SearchStrategy[Any]] = field(default_factory=dict)
    payload: bool = False  # a mapping payload: fields may also be missing or unknown

    def junk(self, name: str) -> st.SearchStrategy[Any]:
        return self.special.get(name, JUNK)


def _update(s: Any, a: dict[str, Any]) -> Any:
    return s.universal.update_entity(a["entity_id"], {k: v for k, v in a.items() if k != "entity_id"})


def _emit_line(s: Any, a: dict[str, Any]) -> Any:
    """The sale with its first line's fields taken from ``a``."""
    return s.txn.emit({**SALE, "lines": [a, *SALE["lines"][1:]]})


def _emit_journal_line(s: Any, a: dict[str, Any]) -> Any:
    return s.txn.emit({**JOURNAL, "lines": [a, *JOURNAL["lines"][1:]]})


SALE = f.sale([f.item(Ref("product"), 2, "3.50"), f.item(None, 1, "1")], source_entity_id=Ref("customer"),
              transaction_date="2024-03-01", idempotency_key="k-2")
JOURNAL = f.journal([(Ref("cash"), "DR", "5.10"), (Ref("sales"), "CR", "5.10")])
LINE_SPECIAL = {"entity_id": IDS, "quantity": NUMBERS, "unit_price": NUMBERS, "line_amount": NUMBERS,
                "metadata": JSONISH, "dr_cr": st.one_of(st.sampled_from(["DR", "CR", "dr", "cr"]), JUNK)}

CALLS: dict[str, Call] = {
    "create_entity": Call(
        {"entity_type": "customer", "entity_name": "Anna", "entity_code": None, "smart_code": f.CUSTOMER,
         "classification": "vip", "status": "active", "metadata": {"a": 1}, "organization_id": Ref("org")},
        lambda s, a: s.universal.create_entity(a), payload=True,
        special={"metadata": JSONISH, "organization_id": st.one_of(st.just(Ref("foreign_org")), JUNK)}),
    "update_entity": Call(
        {"entity_id": Ref("customer"), "entity_name": "Anna B", "entity_code": "C-9", "smart_code": f.CUSTOMER,
         "classification": "vip", "status": "active", "metadata": {"b": 2}, "version": None, "id": None,
         "organization_id": None},
        _update, special={"entity_id": IDS, "metadata": JSONISH}),
    "delete_entity": Call({"entity_id": Ref("product"), "reason": "discontinued"},
                          lambda s, a: s.universal.delete_entity(**a), special={"entity_id": IDS, "reason": REASONS}),
    "get_entity": Call({"entity_id": Ref("customer")}, lambda s, a: s.universal.get_entity(**a),
                       special={"entity_id": IDS}),
    "set_dynamic_field": Call(
        {"entity_id": Ref("customer"), "field_name": "email", "value": "anna@example.com",
         "smart_code": "HERA.CRM.CUST.DYN.EMAIL.V1"},
        lambda s, a: s.universal.set_dynamic_field(**a), special={"entity_id": IDS, "value": JSONISH}),
    "get_dynamic_field": Call({"entity_id": Ref("customer"), "field_name": "email"},
                              lambda s, a: s.universal.get_dynamic_field(**a), special={"entity_id": IDS}),
    "create_relationship": Call(
        {"from_entity_id": Ref("customer"), "to_entity_id": Ref("product"), "relationship_type": "knows",
         "smart_code": "HERA.CRM.CUST.REL.KNOWS.V1", "metadata": {"since": "2024"}, "organization_id": Ref("org")},
        lambda s, a: s.universal.create_relationship(a), payload=True,
        special={"from_entity_id": IDS, "to_entity_id": IDS, "metadata": JSONISH}),
    "query_relationships": Call(
        {"from_entity_id": Ref("customer"), "to_entity_id": None, "relationship_type": "likes",
         "include_inactive": False, "organization_id": None},
        lambda s, a: s.universal.query_relationships(**a), special={"from_entity_id": IDS, "to_entity_id": IDS}),
    "delete_relationship": Call({"relationship_id": Ref("relationship"), "reason": "ended"},
                                lambda s, a: s.universal.delete_relationship(**a),
                                special={"relationship_id": IDS, "reason": REASONS}),
    "query_entities": Call(
        {"entity_type": "customer", "entity_name": None, "entity_code": None, "status": None, "classification": None,
         "search_text": None, "include_deleted": False, "limit": 10, "cursor": None, "organization_id": None},
        lambda s, a: s.universal.query_entities(**a)),
    "search": Call({"entity_type": "customer", "text": "mar", "limit": 50}, lambda s, a: s.universal.search(**a)),
    "emit": Call(SALE, lambda s, a: s.txn.emit(a), payload=True, special={
        "transaction_date": DATES, "total_amount": NUMBERS, "source_entity_id": IDS, "target_entity_id": IDS,
        "business_context": JSONISH, "metadata": JSONISH, "idempotency_key": st.one_of(st.just("k-1"), JUNK),
        "organization_id": st.one_of(st.just(Ref("foreign_org")), JUNK), "smart_code": st.one_of(
            st.sampled_from([f.JOURNAL, "HERA.FINANCE.GL.X.V1"]), JUNK)}),
    "emit_line": Call({**SALE["lines"][0], "line_number": 1, "line_amount": None, "dr_cr": None, "currency": "USD",
                       "description": "x", "metadata": {"n": 1}}, _emit_line, payload=True, special=LINE_SPECIAL),
    "emit_journal_line": Call({**JOURNAL["lines"][0], "currency": "USD"}, _emit_journal_line, payload=True,
                              special=LINE_SPECIAL),
    "reverse": Call(
        {"original_transaction_id": Ref("sale"), "smart_code": "HERA.TEST.SALES.REVERSAL.V1", "reason": "wrong table",
         "transaction_date": None},
        lambda s, a: s.txn.reverse(**a),
        special={"original_transaction_id": IDS, "reason": REASONS, "transaction_date": DATES}),
    "query_transactions": Call(
        {"transaction_type": "sale", "source_entity_id": None, "target_entity_id": None, "date_from": "2024-01-01",
         "date_to": None, "smart_code_like": "HERA.TEST", "reference": None, "include_lines": True, "limit": 5,
         "cursor": None, "organization_id": None},
        lambda s, a: s.txn.query(**a),
        special={"source_entity_id": IDS, "target_entity_id": IDS, "date_from": DATES, "date_to": DATES}),
    "read": Call({"transaction_id": Ref("sale"), "include_lines": True}, lambda s, a: s.txn.read(**a),
                 special={"transaction_id": IDS}),
}
CASES = [(name, argument) for name, call in CALLS.items() for argument in call.good]


class Books:
    """An organization with some records, and one record of another organization, in a file of their own."""

    def __init__(self, path: Any) -> None:
        self.hera = hera_desktop.open(path)
        s = self.s = self.hera.scope(self.hera.create_organization("Mario's Trattoria").id)
        customer = f.customer(s, "Maria Rossi")
        product = f.product(s, "Flour")
        gone = f.customer(s, "Deleted Dario")
        s.universal.delete_entity(gone.id, "test")
        cash, sales = f.gl_account(s, "1000"), f.gl_account(s, "4000")
        relationship = s.universal.create_relationship(from_entity_id=customer.id, to_entity_id=product.id,
                                                       relationship_type="likes",
                                                       smart_code="HERA.CRM.CUST.REL.LIKES.V1")
        sale = s.txn.emit(f.sale([f.item(product.id, 2, "3.50")], idempotency_key="k-1"))
        journal = s.txn.emit(f.journal([(cash.id, "DR", "5"), (sales.id, "CR", "5")]))
        other = self.hera.scope(self.hera.create_organization("Luigi's Pizzeria", with_defaults=False).id)
        foreign = f.customer(other, "Luigi")
        foreign_txn = other.txn.emit(f.sale([f.item(foreign.id)]))
        self.refs = {"customer": customer.id, "product": product.id, "gone": gone.id, "cash": cash.id,
                     "sales": sales.id, "relationship": relationship.id, "sale": sale.transaction_id,
                     "journal": journal.transaction_id, "foreign": foreign.id,
                     "foreign_txn": foreign_txn.transaction_id, "org": s.organization_id,
                     "foreign_org": other.organization_id}
        self.conn = f.raw(path)
        self.before: dict[str, Any] = {}
        self.before_version = -1

    def data_version(self) -> int:
        """Changes whenever another connection (the API's) commits anything to the file."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def resolve(self, value: Any) -> Any:
        if isinstance(value, Ref):
            return self.refs[value.name]
        if isinstance(value, dict):
            return {k: self.resolve(v) for k, v in value.items()}
        if isinstance(value, list) and all(isinstance(v, dict) for v in value):
            return [self.resolve(v) for v in value]
        return value

    def attempt(self, call: Call, args: Any) -> None:
        """Make the call; a failure must be a HeraError and must leave every table as it was."""
        args = self.resolve(args)
        version = self.data_version()
        if version != self.before_version:  # something was written since the last snapshot
            self.before, self.before_version = f.snapshot(self.conn), version
        try:
            call.run(self.s, args)
        except HeraError as exc:
            assert isinstance(exc.code, str) and exc.code
            assert str(exc)
            if self.data_version() != version:  # it committed something: show what
                after = f.snapshot(self.conn)
                changed = [t for t in after if after[t] != self.before.get(t)]
                pytest.fail(f"a failed call ({exc!r:.200}) committed a change; tables now different: {changed}")
        except Exception as exc:  # noqa: BLE001 - anything else is what this test exists to catch
            pytest.fail(f"{type(exc).__name__} escaped instead of a HeraError: {exc!r:.300}")


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Books]:
    folder = tmp_path_factory.mktemp("fuzz")
    made = Books(folder / "books.db")
    # A fuzzed folder name (a backup's destination) is a folder relative to where the calls run: here, never
    # the checkout the tests were started in.
    with contextlib.chdir(folder):
        try:
            yield made
        finally:
            made.conn.close()
            made.hera.close()


def test_the_check_sees_a_commit(books):
    version = books.data_version()
    f.customer(books.s, "Written")
    assert books.data_version() != version


@pytest.mark.parametrize("name", sorted(CALLS))
def test_known_killers_on_every_argument(books, name):
    call = CALLS[name]
    for argument in call.good:
        for value in KILLERS:
            books.attempt(call, {**call.good, argument: value})


@pytest.mark.parametrize("name, argument", CASES, ids=[f"{n}-{a}" for n, a in CASES])
@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_one_spoiled_argument(books, name, argument, data):
    call = CALLS[name]
    books.attempt(call, {**call.good, argument: data.draw(call.junk(argument), label=argument)})


@pytest.mark.parametrize("name", sorted(CALLS))
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_many_spoiled_arguments(books, name, data):
    call = CALLS[name]
    args = dict(call.good)
    names = sorted(args)
    for argument in data.draw(st.lists(st.sampled_from(names), min_size=min(2, len(names)), max_size=4, unique=True)):
        if call.payload and data.draw(st.integers(0, 5)) == 0:
            del args[argument]
        else:
            args[argument] = data.draw(call.junk(argument), label=argument)
    if call.payload and data.draw(st.booleans()):
        args[data.draw(st.sampled_from(["colour", "id", "is_active", "lines_"]))] = data.draw(JUNK)
    books.attempt(call, args)


@settings(max_examples=20, deadline=None)
@given(payload=JUNK.filter(lambda p: not isinstance(p, dict)))
def test_a_payload_that_is_not_a_mapping(books, payload):
    for name in ("create_entity", "create_relationship", "emit"):
        books.attempt(CALLS[name], payload)
