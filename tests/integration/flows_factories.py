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
import sqlite3
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import hera_desktop

LOCATION_SC = "HERA.INVENTORY.LOCATION.ENT.V1"
PRODUCT_SC = "HERA.INVENTORY.PRODUCT.ENT.V1"
SALE_SC = "HERA.RESTAURANT.SALES.ORDER.CORE.V1"
PAYMENT_SC = "HERA.RESTAURANT.PAYMENT.CUSTOMER.V1"

# ------------------------------------------------------------------ fixtures
# The same books as tests/conftest.py's ``db_path``/``hera``/``org``/``s`` (a file in tmp_path holding one
# organization, Mario's Trattoria in USD, with the default chart of accounts and posting rules), but the
# new organization is made once per session and its file copied for each test: a fresh database with
# migrations and defaults costs ~0.3 s on this machine, a copy ~15 ms. Test modules opt in by importing
# ``db_path`` and ``org`` from here; ``hera`` and ``s`` come from conftest.py unchanged.

@pytest.fixture(scope="session")
def books_template(tmp_path_factory: Any) -> tuple[Path, str]:
    path = tmp_path_factory.mktemp("books-template") / "books.db"
    books = hera_desktop.open(path)
    try:
        organization = books.create_organization("Mario's Trattoria", currency="USD")
    finally:
        books.close()  # the last connection checkpoints the WAL into the file
    return path, organization.id


@pytest.fixture
def db_path(tmp_path: Path, books_template: tuple[Path, str]) -> Path:
    target = tmp_path / "books.db"
    shutil.copyfile(books_template[0], target)
    return target


@pytest.fixture
def org(hera: Any, books_template: tuple[Path, str]) -> Any:
    return hera.organization(books_template[1])


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


# ------------------------------------------------------------------ looking at the file itself

def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA busy_timeout=10000")
    return conn


def row_counts(path: Path) -> dict[str, int]:
    """Rows in every table of the file (the six tables, outbox, caches, search index...)."""
    conn = connect(path)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        conn.close()


def contents(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted: equal before and after means nothing at all changed."""
    conn = connect(path)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {n: sorted(conn.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr) for n in names}
    finally:
        conn.close()


def count(path: Path, table: str, where: str = "1=1", params: tuple[Any, ...] = ()) -> int:
    conn = connect(path)
    try:
        return conn.execute(f'SELECT count(*) FROM "{table}" WHERE {where}', params).fetchone()[0]
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
