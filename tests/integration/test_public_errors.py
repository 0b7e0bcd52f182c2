"""Every public method reachable from a Scope (and the Hera facade) fails only with a HeraError, writing nothing.

The methods are found by walking the scope, not listed by hand, so a service
added later is covered the day it appears. Each call gets hypothesis-made
arguments: plausible values (our records' ids, amounts, dates, lists of
mappings) mixed with junk (wrong types, None, NaN decimals, huge and deeply
nested values, long strings), and sometimes an unknown or camelCase keyword, a
missing argument or one too many. Anything but a ``hera_desktop.HeraError``
fails the test, and so does any change to the file after a call that failed.
"""
from __future__ import annotations

import inspect
import contextlib
import re
import reprlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any, Iterator

import pytest
from pydantic import BaseModel
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import factories as f
import hera_desktop
from hera_desktop import HeraError
from hera_desktop.domain.errors import AuthenticationError
from hera_desktop.domain.ids import new_id
from test_universal_fuzz import JUNK, KILLERS, NASTY_TEXT, NUMBERS, DATES, Ref


def _deep(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    return value


DEEP = [_deep(2000), {"a": _deep(2000)}, [{"entity_id": _deep(1500)}]]


@dataclass(frozen=True)
class Deep:
    """One of the DEEP values, drawn by its index: hypothesis could not print the value itself."""

    index: int


SHORT = reprlib.Repr()
SHORT.maxlevel, SHORT.maxstring, SHORT.maxother = 3, 60, 60
# Hooks the transaction client calls with what it has just written, inside its own unit of work: not
# entry points for callers (their argument is the client's own record of the write).
HOOKS = {"on_recorded"}
# A wrong PIN is a failure that is written down on purpose: the attempts count towards the lockout.
COUNTED_FAILURES = {"s.users.authenticate"}
FACADE = ("create_organization", "organization", "list_organizations", "update_settings", "scope", "verify")


def public_methods(scope: Any) -> dict[str, Any]:
    """{"s.restaurant.menu.add_item": bound method, ...}: every public method of every service on a scope.

    A method reached twice (the universal API is also a service's ``uni``) is kept under its first path.
    """
    found: dict[str, Any] = {}
    methods: set[str] = set()
    visited: set[int] = set()

    def walk(obj: Any, path: str) -> None:
        visited.add(id(obj))
        nested = []
        for name in dir(obj):
            if name.startswith("_") or name in HOOKS or name in ("scope", "db", "store", "hera"):
                continue
            value = getattr(obj, name, None)
            if inspect.ismethod(value) and not isinstance(value.__self__, (hera_desktop.Hera, hera_desktop.Scope)):
                if value.__func__.__qualname__ not in methods:
                    methods.add(value.__func__.__qualname__)
                    found[f"{path}.{name}"] = value
            elif type(value).__module__.startswith("hera_desktop.") and not isinstance(value, (type, BaseModel)) \
                    and not callable(value) and hasattr(value, "__dict__") and id(value) not in visited:
                nested.append((value, f"{path}.{name}"))
        for value, where in nested:
            walk(value, where)

    for name, value in vars(type(scope)).items():
        if isinstance(value, cached_property):
            walk(getattr(scope, name), f"s.{name}")
    return found


IDS = st.one_of(st.sampled_from([Ref(n) for n in ("customer", "product", "menu_item", "sale", "journal", "cash",
                                                  "location", "user", "gone", "foreign", "org", "status")]),
                st.builds(new_id), JUNK, st.builds(Deep, st.integers(0, len(DEEP) - 1)))


def _mapping_of(keys: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(st.sampled_from(keys), st.one_of(IDS, NUMBERS, NASTY_TEXT, JUNK), max_size=5)


ROW_KEYS = ["menu_item_id", "quantity", "unit_price", "method", "amount", "gl_account_id", "dr_cr", "line_type",
            "entity_id", "smart_code", "type", "operation", "data", "name", "email", "date", "lines", "code"]
ROWS = st.lists(st.one_of(_mapping_of(ROW_KEYS), JUNK), max_size=3)


def plausible(name: str) -> st.SearchStrategy[Any]:
    """Values that fit what the argument's name says it is, mixed with junk."""
    if name.endswith(("_id", "_ids")) or name in ("rec", "id"):
        base = IDS if name.endswith("_id") or name == "id" else st.lists(IDS, max_size=3)
    elif name in ("items", "lines", "payments", "operations", "entries", "customers", "payloads", "rows"):
        base = ROWS
    elif name in ("amount", "quantity", "price", "unit_cost", "counted", "counted_cash", "credit_limit", "limit",
                  "reorder_level", "table_number", "version"):
        base = NUMBERS
    elif "date" in name or name in ("day", "as_of", "date_from", "date_to"):
        base = DATES
    elif name in ("fields", "changes", "payload", "data", "settings", "draft", "preview", "ticket"):
        base = st.one_of(_mapping_of(ROW_KEYS + ["tax_rate", "entity_name", "entity_type"]), JUNK)
    else:
        base = st.one_of(NASTY_TEXT, st.text(max_size=12))
    return st.one_of(base, JUNK, st.builds(Deep, st.integers(0, len(DEEP) - 1)))


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


@st.composite
def calls(draw: Any, method: Any) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """Arguments for one call of ``method``, some of them spoiled."""
    params = [p for p in inspect.signature(method).parameters.values()
              if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    kwargs: dict[str, Any] = {}
    for p in params:
        if p.default is not p.empty and draw(st.integers(0, 2)) == 0:
            continue  # left at its default
        if p.default is p.empty and draw(st.integers(0, 9)) == 0:
            continue  # a required argument missing
        kwargs[p.name] = draw(plausible(p.name), label=p.name)
    extra = draw(st.integers(0, 5))
    if extra == 0 and params:
        victim = draw(st.sampled_from(params)).name
        kwargs[_camel(victim) if "_" in victim else victim.title()] = kwargs.pop(victim, "x")  # camelCase
    elif extra == 1:
        kwargs[draw(st.sampled_from(["colour", "organizationId", "force", "__class__"]))] = draw(JUNK)
    args: tuple[Any, ...] = ()
    if draw(st.integers(0, 3)) == 0:  # positionally, maybe with one too many
        names = [p.name for p in params if p.kind != p.KEYWORD_ONLY]
        taken = [n for n in names if n in kwargs]
        args = tuple(kwargs.pop(n) for n in taken[:len(taken)])
        if draw(st.booleans()):
            args += (draw(JUNK),)
        kwargs = {k: v for k, v in kwargs.items() if k not in names}
    return args, kwargs


class Books:
    """A restaurant's books (menu, stock, a customer, a sale, a journal, a user) and another organization."""

    def __init__(self, path: Any) -> None:
        self.path = path
        self.hera = hera_desktop.open(path)
        org = self.hera.create_organization("Mario's Trattoria")
        s = self.s = self.hera.scope(org.id)
        kitchen = s.universal.create_entity(entity_type="location", entity_name="Kitchen",
                                            smart_code="HERA.INVENTORY.LOCATION.ENT.V1")
        flour = s.inventory.add_product("Flour 00")
        pizza = s.restaurant.menu.add_item("Margherita", "12.50", category="Pizza")
        s.inventory.adjust(product_id=flour.id, adjustment_type="receipt", quantity=10, unit_cost="2.00",
                           reason="Opening stock", location_id=kitchen.id)
        customer = s.customers.onboard(name="Acme Catering", credit_limit="100").customer
        sale = s.restaurant.process_order(items=[{"menu_item_id": pizza.id, "quantity": 1}], payment_method="cash")
        cash, sales = f.gl_account(s, "1000"), f.gl_account(s, "4000")
        journal = s.journals.create_entry(date="2024-03-01", reference="J-1", description="Opening", lines=[
            {"gl_account_id": cash.id, "amount": "5", "dr_cr": "DR"},
            {"gl_account_id": sales.id, "amount": "5", "dr_cr": "CR"}])
        user = s.users.create(name="Carla", role="cashier", pin="4711")
        gone = f.customer(s, "Deleted Dario")
        s.universal.delete_entity(gone.id, "test")
        other = self.hera.scope(self.hera.create_organization("Luigi's", with_defaults=False).id)
        foreign = f.customer(other, "Luigi")
        self.refs = {"customer": customer.id, "product": flour.id, "menu_item": pizza.id,
                     "sale": sale.sales_transaction.transaction_id,
                     "journal": journal.journal_entry.transaction_id, "cash": cash.id, "location": kitchen.id, "user": user.id,
                     "gone": gone.id, "foreign": foreign.id, "org": org.id,
                     "status": s.customers.find_or_create_status("active").id}
        self.methods = public_methods(s)
        self.methods.update({f"hera.{name}": getattr(self.hera, name) for name in FACADE})
        self.conn = f.raw(path)
        self.seen: tuple[int, dict[str, list[tuple[Any, ...]]]] | None = None

    def resolve(self, value: Any, depth: int = 0) -> Any:
        """``value`` with our records' ids and the deep values in place of their markers."""
        if isinstance(value, Ref):
            return self.refs[value.name]
        if isinstance(value, Deep):
            return DEEP[value.index]
        if depth < 4 and type(value) is dict and len(value) < 20:
            return {k: self.resolve(v, depth + 1) for k, v in value.items()}
        if depth < 4 and type(value) is list and len(value) < 20:
            return [self.resolve(v, depth + 1) for v in value]
        return value

    def version(self) -> int:
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def before(self) -> tuple[int, dict[str, list[tuple[Any, ...]]]]:
        """The file's version and every row in it, read again only when something was written since."""
        version = self.version()
        if self.seen is None or self.seen[0] != version:
            self.seen = (version, f.snapshot(self.conn))
        return self.seen

    def attempt(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        args, kwargs = self.resolve(list(args)), self.resolve(kwargs)
        before_version, before = self.before()
        try:
            self.methods[name](*args, **kwargs)
        except HeraError as exc:
            assert exc.code and str(exc)
            counted = name in COUNTED_FAILURES and isinstance(exc, AuthenticationError)
            after = f.snapshot(self.conn) if self.version() != before_version else before
            changed = [t for t in after if after[t] != before.get(t)]
            if (changed or after is not before) and not counted:
                pytest.fail(f"{name} failed ({SHORT.repr(exc)}) but changed {changed}")
        except Exception as exc:  # noqa: BLE001 - anything else is what this test exists to catch
            pytest.fail(f"{name}(*{SHORT.repr(args)}, **{SHORT.repr(kwargs)}) raised {type(exc).__name__}: "
                        f"{SHORT.repr(exc)}")


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Books]:
    folder = tmp_path_factory.mktemp("public")
    made = Books(folder / "books.db")
    # A fuzzed folder name (a backup's destination) is a folder relative to where the calls run: here, never
    # the checkout the tests were started in.
    with contextlib.chdir(folder):
        try:
            yield made
        finally:
            made.conn.close()
            made.hera.close()


def _method_names() -> list[str]:
    hera = hera_desktop.open(":memory:")
    try:
        names = sorted(public_methods(hera.scope(hera.create_organization("Probe", with_defaults=False).id)))
    finally:
        hera.close()
    return names + [f"hera.{n}" for n in FACADE]


METHODS = _method_names()


def test_the_walk_finds_every_service():
    services = {re.match(r"s\.(\w+)", n).group(1) for n in METHODS if n.startswith("s.")}
    assert {"universal", "txn", "customers", "restaurant", "journals", "inventory", "batch", "reports", "users",
            "day_close", "imports", "org_settings", "chart_of_accounts", "journal_list"} <= services
    assert "s.restaurant.menu.add_item" in METHODS and any(n.endswith(".ledger.level") for n in METHODS)
    assert len(METHODS) > 100


# A few examples per method, the same ones every run (CI must not flake), none kept between runs; the known
# killers below try the values that broke something before on every argument.
FUZZ = settings(max_examples=30, deadline=None, derandomize=True, database=None, phases=[Phase.explicit, Phase.generate],
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.mark.parametrize("name", METHODS)
@FUZZ
@given(data=st.data())
def test_garbage_arguments_fail_with_a_hera_error_and_write_nothing(books, name, data):
    method = books.methods[name]
    args, kwargs = data.draw(calls(method))
    books.attempt(name, args, kwargs)


@pytest.mark.parametrize("name", METHODS)
def test_known_killers_on_every_argument(books, name):
    method = books.methods[name]
    params = [p.name for p in inspect.signature(method).parameters.values()
              if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    for value in [*KILLERS, Decimal("sNaN"), [1], {"a": 1}, *DEEP, date.max]:
        books.attempt(name, (), {param: value for param in params})
