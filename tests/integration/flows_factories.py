"""Arrange helpers for the business-flow tests: a small restaurant built through the public services.

``build_restaurant`` makes what a new restaurant sets up on its first day: two
locations (a main warehouse and the kitchen the till takes stock from),
products received at both, a menu whose items have prices and kitchen stations
(some by the usage guide's fallback) and consume products, and a customer on
account. Users are made separately (``make_users``): each PIN costs a slow hash.
"""
from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import hera_desktop
from raw_books import RawBooks

LOCATION_SC = "HERA.INVENTORY.LOCATION.ENT.V1"
PRODUCT_SC = "HERA.INVENTORY.PRODUCT.ENT.V1"
SALE_SC = "HERA.RESTAURANT.SALES.ORDER.CORE.V1"
PAYMENT_SC = "HERA.RESTAURANT.PAYMENT.CUSTOMER.V1"

# ------------------------------------------------------------------ fixtures
# The same books as tests/conftest.py's ``db_path``/``hera``/``org``/``s`` (one organization, Mario's
# Trattoria in USD, with the default chart of accounts and posting rules), but the new organization is made
# once per session and per database kind, and copied for each test: a fresh database with migrations and
# defaults costs ~0.3 s on this machine, a copy of an SQLite file ~15 ms, a PostgreSQL database cloned from a
# template ~70 ms. Test modules opt in by importing ``db_path`` and ``org`` from here; ``hera`` and ``s``
# come from conftest.py unchanged.

class BooksTemplates:
    """Books holding the new organization, made the first time each database kind asks: {kind: (where, org id)}."""

    def __init__(self, request: Any, tmp_path_factory: Any) -> None:
        self.request, self.tmp_path_factory = request, tmp_path_factory
        self.made: dict[str, tuple[Any, str]] = {}

    def __getitem__(self, backend: str) -> tuple[Any, str]:
        if backend not in self.made:
            self.made[backend] = self._sqlite() if backend == "sqlite" else self._postgresql()
        return self.made[backend]

    def _sqlite(self) -> tuple[Path, str]:
        path = self.tmp_path_factory.mktemp("books-template") / "books.db"
        return path, _with_organization(path)

    def _postgresql(self) -> tuple[str, str]:
        server = self.request.getfixturevalue("pg_server")
        name = server.new_database(self.request.getfixturevalue("pg_empty_template"))
        organization_id = _with_organization(server.url(name))
        server.make_template(name)
        return name, organization_id


def _with_organization(where: Any) -> str:
    books = hera_desktop.open(where)
    try:
        return books.create_organization("Mario's Trattoria", currency="USD").id
    finally:
        books.close()  # the last connection checkpoints the WAL into the file


@pytest.fixture(scope="session")
def books_template(request: Any, tmp_path_factory: Any) -> BooksTemplates:
    return BooksTemplates(request, tmp_path_factory)


@pytest.fixture
def db_path(request: Any, backend: str, tmp_path: Path, books_template: BooksTemplates) -> Any:
    where, _ = books_template[backend]
    if backend == "sqlite":
        target = tmp_path / "books.db"
        shutil.copyfile(where, target)
        return target
    return request.getfixturevalue("pg_database")(where)


@pytest.fixture
def org(hera: Any, backend: str, books_template: BooksTemplates) -> Any:
    return hera.organization(books_template[backend][1])


# Menu prices chosen so that order totals are easy to check by hand.
MENU = {
    "pizza": ("Margherita Pizza", "12.50", "Pizza", None, None),      # PIZZA_STATION by the guide's rule
    "pasta": ("Pasta Carbonara", "14.00", "Pasta", None, None),       # HOT_KITCHEN by the guide's rule
    "wine": ("House Red Wine", "6.00", "Drinks", None, "beverage"),  # BAR by the guide's rule
    "tiramisu": ("Tiramisu", "6.00", "Dessert", "pastry", None),      # its own station field wins
    "bread": ("Garlic Bread", "4.00", "Starters", None, None),        # GENERAL
}


@dataclass
class Restaurant:
    warehouse: Any
    kitchen: Any
    products: dict[str, Any]
    menu: dict[str, Any]
    customer: Any = None


def location(s: Any, name: str) -> Any:
    return s.universal.create_entity(entity_type="location", entity_name=name, smart_code=LOCATION_SC)


def product(s: Any, name: str) -> Any:
    return s.universal.create_entity(entity_type="product", entity_name=name, smart_code=PRODUCT_SC)


def menu_item(s: Any, name: str, price: str, category: str = "Other", station: str | None = None,
              classification: str | None = None) -> Any:
    return s.restaurant.menu.add_item(name, price, category=category, kitchen_station=station,
                                      classification=classification)


def build_restaurant(hera: Any, org: Any, s: Any, stock: bool = True, customer: bool = True,
                     credit_limit: str = "100.00") -> Restaurant:
    """Two locations, four products, the menu above, and a customer who may buy on account.

    The till takes stock from the kitchen (the organization's ``till_location_id``).
    With ``stock`` (the default) menu items consume products and there is opening stock:
    flour 10 kg in the kitchen and 50 kg in the warehouse at 2.00, mozzarella 4 kg at 8.00
    and 30 eggs at 0.25 in the kitchen, and no wine bottles anywhere (a glass of the
    house wine takes 0.2 of a bottle). Without ``stock``, selling takes nothing from stock.
    """
    with s.db.write():  # one unit of work: one commit instead of twenty (each commit is an fsync)
        warehouse = location(s, "Main Warehouse")
        kitchen = location(s, "Kitchen")
        hera.update_settings(org.id, till_location_id=kitchen.id)
        products = {key: product(s, name) for key, name in
                    (("flour", "Flour 00"), ("mozzarella", "Mozzarella"), ("eggs", "Eggs"),
                     ("wine", "Red Wine Bottle"))}
        menu = {key: menu_item(s, name, price, category, station, cls)
                for key, (name, price, category, station, cls) in MENU.items()}
        if stock:
            m = s.restaurant.menu
            m.set_consumption(menu["pizza"].id, products["flour"].id, "0.25")
            m.set_consumption(menu["pizza"].id, products["mozzarella"].id, "0.125")
            m.set_consumption(menu["pasta"].id, products["eggs"].id, 2)
            m.set_consumption(menu["pasta"].id, products["flour"].id, "0.1")
            m.set_consumption(menu["wine"].id, products["wine"].id, "0.2")
            for key, qty, cost, where in (("flour", 10, "2.00", kitchen), ("flour", 50, "2.00", warehouse),
                                          ("mozzarella", 4, "8.00", kitchen), ("eggs", 30, "0.25", kitchen)):
                s.inventory.adjust(product_id=products[key].id, adjustment_type="receipt", quantity=qty,
                                   unit_cost=cost, reason="Opening stock", location_id=where.id)
        cust = _customer(s, credit_limit) if customer else None
    return Restaurant(warehouse=warehouse, kitchen=kitchen, products=products, menu=menu, customer=cust)


def _customer(s: Any, credit_limit: str) -> Any:
    return s.customers.onboard(name="Acme Catering", email="accounts@acme-catering.com", phone="+1 555 010 2030",
                               credit_limit=credit_limit, payment_terms="NET30").customer


def make_users(hera: Any, org: Any, s: Any, *roles: str) -> dict[str, tuple[Any, Any]]:
    """{role: (user entity, scope acting as that user)}; each PIN is 6 digits made from the role's index."""
    out = {}
    for i, role in enumerate(roles):
        user = s.users.create(name=f"{role.title()} {i + 1}", role=role, pin=pin_of(i))
        out[role] = (user, hera.scope(org.id, actor_id=user.id))
    return out


def pin_of(role_index: int) -> str:
    return f"{471100 + role_index:06d}"


def order_items(r: Restaurant, **quantities: Any) -> list[dict[str, Any]]:
    return [{"menu_item_id": r.menu[key].id, "quantity": qty} for key, qty in quantities.items()]


# ------------------------------------------------------------------ looking at the stored rows themselves
# Straight through the database's own driver, not the app: what is really stored. ``where`` is ``db_path``
# (an SQLite file or a PostgreSQL URL); SQL is written once, with ``?`` parameters, for both.

def connect(where: Any) -> RawBooks:
    return RawBooks(where)


def row_counts(where: Any) -> dict[str, int]:
    """Rows in every table of the books (the six tables, outbox, caches, search index...)."""
    conn = connect(where)
    try:
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in conn.tables()}
    finally:
        conn.close()


def contents(where: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted: equal before and after means nothing at all changed."""
    conn = connect(where)
    try:
        return {n: sorted(conn.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr) for n in conn.tables()}
    finally:
        conn.close()


def count(where: Any, table: str, condition: str = "1=1", params: tuple[Any, ...] = ()) -> int:
    conn = connect(where)
    try:
        return conn.execute(f'SELECT count(*) FROM "{table}" WHERE {condition}', params).fetchone()[0]
    finally:
        conn.close()


def numbers_in(message: str) -> set[Decimal]:
    """The numbers a person reads in a message, as exact values (81.9 and 81.90 are the same amount)."""
    return {Decimal(m).normalize() for m in re.findall(r"-?\d+(?:\.\d+)?", message.replace(",", ""))}


def balances(s: Any, as_of: Any = None) -> dict[str, Decimal]:
    """{account code: balance (debit positive)} from the trial balance."""
    tb = s.reports.trial_balance(as_of=as_of)
    return {row.account_code: row.balance for row in tb.rows}


def assert_books_balance(s: Any) -> Any:
    tb = s.reports.trial_balance()
    assert tb.total_debits == tb.total_credits, f"trial balance off: {tb.total_debits} vs {tb.total_credits}"
    assert sum((row.balance for row in tb.rows), Decimal(0)) == 0
    return tb
