"""Whatever a caller sends, only HeraErrors come out, and a failed call leaves the books exactly as they were.

Each test starts from a call that would succeed and spoils some of its arguments
with hypothesis-made junk: wrong types, empty and huge strings, negative, NaN and
infinite amounts, unknown ids, another organization's ids, SQL metacharacters and
odd unicode. Any exception that is not a ``hera_desktop.HeraError`` fails the
test, and so does any change to any table (compared row by row) after a call
that failed.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Callable, Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import factories as f
from hera_desktop import HeraError
from hera_desktop.domain.ids import new_id

FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

NASTY_TEXT = st.sampled_from([
    "", " ", "\t\n", "x" * 100_000, "'; DROP TABLE core_entities; --", '" OR 1=1 --', "%", "_", "\\", "*",
    "NULL", "0", "-1", "1e309", "NaN", "\x00", "nul\x00byte", "𝕳𝖊𝖗𝖆 ☕", "e\u0301", "\u202eRTL", "中文客户",
    "HERA.CRM.CUST.ENT.PROF.V1", "hera.crm.cust.ent.prof.v1", "DR", "dr", "customer", "2024-02-30",
    "01a2104e-3348-71e8-be62-3a7b310b2025", "MARIO*", '"mar', "NEAR(a b)", "\ud800", "a\udfffb", "CUST-²",
])
NASTY_NUMBERS = st.sampled_from([
    0, -0.0, -1, 0.1, 10**15, -(10**15), 10**400, float("nan"), float("inf"), float("-inf"), Decimal("NaN"),
    Decimal("-0"), Decimal("sNaN"), Decimal("-Infinity"), Decimal("1E-1000000"), Decimal("1E+1000000"),
    Decimal("0.1") ** 40, "12.50", "1,234.50", "-5", "abc", "Infinity", "١٢٣",
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
                               {"k": "\ud800"}])
JUNK = st.one_of(NASTY_NUMBERS, ODD_OBJECTS, NASTY_TEXT, NASTY_DATES, st.none(), st.booleans(), STRUCTURES, NUMBERS,
                 DATES, st.text(max_size=30), st.builds(new_id))
JSONISH = st.one_of(ODD_OBJECTS, STRUCTURES, JUNK)


@dataclass(frozen=True)
class Ref:
    """A record of the books under test, named before the books exist."""

    name: str


REFS = st.sampled_from([Ref(n) for n in ("customer", "product", "gone", "foreign", "foreign_txn", "sale", "journal",
                                         "relationship", "cash")])
IDS = st.one_of(REFS, st.builds(new_id), JUNK)  # ours, a deleted one, another organization's, unknown, junk


def spoiled(good: dict[str, Any], junk: dict[str, st.SearchStrategy[Any]],
            payload: bool = True) -> st.SearchStrategy[dict[str, Any]]:
    """Arguments with some replaced by junk; a payload may also lose a field or gain one it does not know."""
    names = sorted(junk)

    @st.composite
    def build(draw: Any) -> dict[str, Any]:
        args = dict(good)
        for name in draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True)):
            if payload and draw(st.integers(0, 9)) == 0:
                args.pop(name, None)
            else:
                args[name] = draw(junk[name])
        if payload and draw(st.integers(0, 19)) == 0:
            args[draw(st.sampled_from(["colour", "id", "is_active", "lines_"]))] = draw(JUNK)
        return args

    return build()


def junk_for(names: list[str], **special: st.SearchStrategy[Any]) -> dict[str, st.SearchStrategy[Any]]:
    return {name: special.get(name, JUNK) for name in names}


class Books:
    """The organization under test, some of its records, and one record of another organization."""

    def __init__(self, hera: Any, s: Any, db_path: Any) -> None:
        self.s = s
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
        other = hera.scope(hera.create_organization("Luigi's Pizzeria", with_defaults=False).id)
        foreign = f.customer(other, "Luigi")
        foreign_txn = other.txn.emit(f.sale([f.item(foreign.id)]))
        self.refs = {"customer": customer.id, "product": product.id, "gone": gone.id, "cash": cash.id,
                     "sales": sales.id, "relationship": relationship.id, "sale": sale.transaction_id,
                     "journal": journal.transaction_id, "foreign": foreign.id,
                     "foreign_txn": foreign_txn.transaction_id, "org": s.organization_id,
                     "foreign_org": other.organization_id}
        self.conn = f.raw(db_path)  # kept open: a snapshot per call must be cheap
        self.before: dict[str, Any] | None = None

    def resolve(self, value: Any) -> Any:
        if isinstance(value, Ref):
            return self.refs[value.name]
        if isinstance(value, dict):
            return {k: self.resolve(v) for k, v in value.items()}
        if isinstance(value, list) and all(isinstance(v, dict) for v in value):
            return [self.resolve(v) for v in value]
        return value

    def attempt(self, call: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Make the call; a failure must be a HeraError and must leave every table as it was."""
        args, kwargs = [self.resolve(a) for a in args], self.resolve(kwargs)
        if self.before is None:
            self.before = f.snapshot(self.conn)
        try:
            call(*args, **kwargs)
        except HeraError as exc:
            assert isinstance(exc.code, str) and exc.code
            assert str(exc)
            after = f.snapshot(self.conn)
            changed = [t for t in after if after[t] != self.before.get(t)]
            assert not changed, f"a failed call ({exc!r:.200}) changed {changed}"
        except Exception as exc:  # noqa: BLE001 - anything else is what this test exists to catch
            pytest.fail(f"{type(exc).__name__} escaped instead of a HeraError: {exc!r:.300}")
        else:
            self.before = None  # it worked and may have written: take a fresh snapshot next time


@pytest.fixture
def books(hera, s, db_path) -> Iterator[Books]:
    made = Books(hera, s, db_path)
    yield made
    made.conn.close()


# ------------------------------------------------------------------ entities

ENTITY_FIELDS = ["entity_type", "entity_name", "entity_code", "smart_code", "classification", "status", "metadata",
                 "organization_id"]
ENTITY = spoiled({"entity_type": "customer", "entity_name": "Anna", "smart_code": f.CUSTOMER, "metadata": {"a": 1}},
                 junk_for(ENTITY_FIELDS, metadata=JSONISH,
                          organization_id=st.one_of(st.just(Ref("foreign_org")), JUNK)))
ENTITY_CHANGE = spoiled({"entity_name": "Anna B"}, junk_for(ENTITY_FIELDS + ["version", "id"], metadata=JSONISH))
REASON = st.one_of(st.just("closed"), NASTY_TEXT, JUNK)


@FUZZ
@given(payload=st.one_of(ENTITY, JUNK))
def test_create_entity(books, payload):
    books.attempt(books.s.universal.create_entity, payload)


@FUZZ
@given(action=st.sampled_from(["update", "delete", "get"]), target=st.one_of(st.just(Ref("customer")), IDS),
       change=ENTITY_CHANGE, reason=REASON)
def test_update_delete_and_get_entity(books, action, target, change, reason):
    uni = books.s.universal
    if action == "update":
        books.attempt(uni.update_entity, target, change)
    elif action == "delete":
        books.attempt(uni.delete_entity, target, reason)
    else:
        books.attempt(uni.get_entity, target)


@FUZZ
@given(args=spoiled({"entity_id": Ref("customer"), "field_name": "email", "value": "anna@example.com",
                     "smart_code": "HERA.CRM.CUST.DYN.EMAIL.V1"},
                    junk_for(["entity_id", "field_name", "value", "smart_code"], entity_id=IDS, value=JSONISH),
                    payload=False),
       read=st.booleans())
def test_dynamic_fields(books, args, read):
    uni = books.s.universal
    if read:
        books.attempt(uni.get_dynamic_field, args["entity_id"], args["field_name"])
    else:
        books.attempt(uni.set_dynamic_field, **args)


@FUZZ
@given(action=st.sampled_from(["create", "create", "query", "delete"]),
       payload=spoiled({"from_entity_id": Ref("customer"), "to_entity_id": Ref("product"),
                        "relationship_type": "knows", "smart_code": "HERA.CRM.CUST.REL.KNOWS.V1"},
                       junk_for(["from_entity_id", "to_entity_id", "relationship_type", "smart_code", "metadata",
                                 "organization_id"], from_entity_id=IDS, to_entity_id=IDS, metadata=JSONISH)),
       filters=spoiled({}, junk_for(["from_entity_id", "to_entity_id", "relationship_type", "include_inactive",
                                     "organization_id"], from_entity_id=IDS), payload=False),
       target=st.one_of(st.just(Ref("relationship")), IDS), reason=REASON)
def test_relationships(books, action, payload, filters, target, reason):
    uni = books.s.universal
    if action == "create":
        books.attempt(uni.create_relationship, payload)
    elif action == "query":
        books.attempt(uni.query_relationships, **filters)
    else:
        books.attempt(uni.delete_relationship, target, reason)


@FUZZ
@given(search=st.booleans(),
       filters=spoiled({"entity_type": "customer"}, junk_for(
           ["entity_type", "entity_name", "entity_code", "status", "classification", "search_text",
            "include_deleted", "limit", "cursor", "organization_id"]), payload=False),
       words=spoiled({"entity_type": "customer", "text": "mar", "limit": 50},
                     junk_for(["entity_type", "text", "limit"]), payload=False))
def test_queries_and_search(books, search, filters, words):
    if search:
        books.attempt(books.s.universal.search, **words)
    else:
        books.attempt(books.s.universal.query_entities, **filters)


# ------------------------------------------------------------------ transactions

LINE_JUNK = junk_for(["line_number", "line_type", "entity_id", "quantity", "unit_price", "line_amount", "dr_cr",
                      "currency", "smart_code", "description", "metadata"],
                     entity_id=IDS, quantity=NUMBERS, unit_price=NUMBERS, line_amount=NUMBERS, metadata=JSONISH,
                     dr_cr=st.one_of(st.sampled_from(["DR", "CR", "dr", "cr"]), JUNK))
HEADER_JUNK = junk_for(["transaction_type", "smart_code", "transaction_code", "transaction_date", "source_entity_id",
                        "target_entity_id", "total_amount", "currency", "reference", "description", "status",
                        "business_context", "metadata", "lines", "require_balance", "idempotency_key",
                        "organization_id"],
                       transaction_date=DATES, total_amount=NUMBERS, source_entity_id=IDS, target_entity_id=IDS,
                       business_context=JSONISH, metadata=JSONISH, idempotency_key=st.one_of(st.just("k-1"), JUNK),
                       organization_id=st.one_of(st.just(Ref("foreign_org")), JUNK))
SALE = f.sale([f.item(Ref("product"), 2, "3.50"), f.item(None, 1, "1")], source_entity_id=Ref("customer"),
              transaction_date="2024-03-01", idempotency_key="k-2")
JOURNAL = f.journal([(Ref("cash"), "DR", "5.10"), (Ref("sales"), "CR", "5.10")])


def with_spoiled_lines(good: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.tuples(*(spoiled(line, LINE_JUNK) for line in good["lines"])).map(
        lambda lines: {**good, "lines": list(lines)})


@FUZZ
@given(payload=st.one_of(spoiled(SALE, HEADER_JUNK), spoiled(JOURNAL, HEADER_JUNK), with_spoiled_lines(SALE),
                         with_spoiled_lines(JOURNAL)))
def test_emit(books, payload):
    books.attempt(books.s.txn.emit, payload)


@FUZZ
@given(args=spoiled({"original_transaction_id": Ref("sale"), "smart_code": "HERA.TEST.SALES.REVERSAL.V1",
                     "reason": "wrong table"},
                    junk_for(["original_transaction_id", "smart_code", "reason", "transaction_date"],
                             original_transaction_id=IDS, reason=REASON, transaction_date=st.one_of(DATES, JUNK)),
                    payload=False))
def test_reverse(books, args):
    books.attempt(books.s.txn.reverse, **args)


@FUZZ
@given(query=st.booleans(),
       filters=spoiled({"transaction_type": "sale"}, junk_for(
           ["transaction_type", "source_entity_id", "target_entity_id", "date_from", "date_to", "smart_code_like",
            "reference", "include_lines", "limit", "cursor", "organization_id"],
           source_entity_id=IDS, date_from=DATES, date_to=DATES), payload=False),
       target=st.one_of(st.just(Ref("sale")), IDS), with_lines=st.one_of(st.booleans(), JUNK))
def test_read_and_query_transactions(books, query, filters, target, with_lines):
    if query:
        books.attempt(books.s.txn.query, **filters)
    else:
        books.attempt(books.s.txn.read, target, include_lines=with_lines)
