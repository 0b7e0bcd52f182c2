"""Derived caches kept by upsert: general-ledger totals per day and per account, stock per location.

They are machinery, rebuildable from transaction lines. Adding to a balance is
one ``INSERT ... ON CONFLICT DO UPDATE`` for all the cells an operation touches
(exact: SQLite adds the decimal text with ``hera_dec_add``, PostgreSQL adds
NUMERIC), instead of a read and a write per cell.
"""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import String, bindparam, text

from ..domain.money import to_text
from .prepared import Prepared, executemany
from .schema import hera_gl_account_balances, hera_gl_daily_balances, hera_stock_levels
from .scoped import OrgStore
from .types import ExactDecimal


def _add_sql(table: str, key: tuple[str, ...], sqlite: bool) -> str:
    """Add debit and credit to one cached cell, making it if new. On SQLite the parameters are positional
    (the key's columns, then debit and credit as exact text) and ``hera_dec_add`` adds the decimal text;
    elsewhere they are named and the database adds NUMERIC."""
    columns = (*key, "debit", "credit")
    marks = ["?"] * len(columns) if sqlite else [f":{c}" for c in columns]
    add = "hera_dec_add({t}.{c}, excluded.{c})" if sqlite else "{t}.{c} + excluded.{c}"
    return (f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(marks)}) "
            f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET "
            + ", ".join(f"{c} = {add.format(t=table, c=c)}" for c in ("debit", "credit")))


def _add_upsert(table: str, key: tuple[str, ...]) -> Prepared:
    return Prepared(text(_add_sql(table, key, sqlite=False)).bindparams(bindparam("debit", type_=ExactDecimal()),
                                                                       bindparam("credit", type_=ExactDecimal())))


_DAILY_KEY = ("organization_id", "account_id", "posting_date", "currency")
_TOTAL_KEY = ("organization_id", "account_id", "currency")
_ADD_DAILY = _add_sql(hera_gl_daily_balances.name, _DAILY_KEY, sqlite=True)
_ADD_TOTAL = _add_sql(hera_gl_account_balances.name, _TOTAL_KEY, sqlite=True)
_UPSERTS: dict[str, tuple[Prepared, Prepared]] = {}  # other databases: by dialect
_STOCK = Prepared(text(
    f"INSERT INTO {hera_stock_levels.name} (organization_id, product_id, location_id, quantity) "
    "VALUES (:organization_id, :product_id, :location_id, :quantity) "
    "ON CONFLICT (organization_id, product_id, location_id) DO UPDATE SET quantity = excluded.quantity"
).bindparams(bindparam("quantity", type_=ExactDecimal())))


def add_to_gl(store: OrgStore, sums: dict[tuple[str, str, str], list[Decimal]]) -> None:
    """Add DR/CR totals per (account, currency, day) to the daily and the per-account totals."""
    if not sums:
        return
    conn = store.conn
    dialect = conn.dialect.name
    org = store.organization_id
    totals: dict[tuple[str, str], list[Decimal]] = {}
    for (account_id, currency, _day), (dr, cr) in sums.items():
        cell = totals.get((account_id, currency))
        if cell is None:
            totals[(account_id, currency)] = [dr, cr]
        else:
            cell[0] += dr
            cell[1] += cr
    if dialect == "sqlite":  # the amounts as exact text, straight to the driver (an import adds thousands of cells)
        executemany(conn, _ADD_DAILY, [(org, a, day, c, to_text(dr), to_text(cr))
                                       for (a, c, day), (dr, cr) in sums.items()])
        executemany(conn, _ADD_TOTAL, [(org, a, c, to_text(dr), to_text(cr)) for (a, c), (dr, cr) in totals.items()])
        return
    upserts = _UPSERTS.get(dialect)
    if upserts is None:
        upserts = _UPSERTS[dialect] = (_add_upsert(hera_gl_daily_balances.name, _DAILY_KEY),
                                       _add_upsert(hera_gl_account_balances.name, _TOTAL_KEY))
    upserts[0].execute(conn, [{"organization_id": org, "account_id": a, "posting_date": day, "currency": c,
                               "debit": dr, "credit": cr} for (a, c, day), (dr, cr) in sums.items()])
    upserts[1].execute(conn, [{"organization_id": org, "account_id": a, "currency": c, "debit": dr, "credit": cr}
                              for (a, c), (dr, cr) in totals.items()])


def set_stock_levels(store: OrgStore, product_id: str, levels: dict[str, Decimal]) -> None:
    """Store the quantity on hand of a product at each location given ('' = no location)."""
    if levels:
        _STOCK.execute(store.conn, [{"organization_id": store.organization_id, "product_id": product_id,
                                     "location_id": location, "quantity": quantity}
                                    for location, quantity in levels.items()])


def _daily_totals(dialect: str) -> Prepared:
    total = "hera_dec_total" if dialect == "sqlite" else "sum"
    return Prepared(text(
        f"SELECT account_id, {total}(debit) AS debit, {total}(credit) AS credit FROM {hera_gl_daily_balances.name} "
        "WHERE organization_id = :org AND currency = :currency AND posting_date <= :day GROUP BY account_id"
    ).columns(account_id=String(), debit=ExactDecimal(), credit=ExactDecimal()))


_DAILY_TOTALS: dict[str, Prepared] = {}


def gl_totals_up_to(store: OrgStore, currency: str, day: str) -> list[tuple[str, Decimal, Decimal]]:
    """(account, debit, credit) summed over the days up to ``day``, exactly, in one query."""
    conn = store.conn
    query = _DAILY_TOTALS.get(conn.dialect.name)
    if query is None:
        query = _DAILY_TOTALS[conn.dialect.name] = _daily_totals(conn.dialect.name)
    return query.rows(conn, {"org": store.organization_id, "currency": currency, "day": day})
