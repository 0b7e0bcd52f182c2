"""Derived values checked against the records they come from, and the change feed against its hashes.

The ledger's daily and per-account totals, stock per location, a product's
``current_inventory`` and ``average_cost`` and a customer's ``account_balance``
are caches: each can be worked out again from the transaction lines. A cache
edited behind the books' back (a trial balance made to read 2,790.91 where the
lines say 1,790.91) breaks no hash, so ``verify`` recomputes each one here and
names every value that disagrees. Each change-feed event's hash is worked out
again from its record too, so an event altered in the outbox is named before it
leaves this computer. Sums are made by the database (GROUP BY); only what needs
the order of movements (average cost) or a hash is worked out row by row.

``newest_day`` is the quick part, for when the books are opened: the ledger's
cached totals of the newest day against that day's lines, and the per-account
totals against the daily ones.
"""
from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from decimal import Decimal
from typing import Any, Iterable

from sqlalchemy import Text, case, cast, func, select

from ..domain.contracts.books_check import CheckedValue, Disagreement
from ..domain.contracts.events import TABLE_OF, canonical_text, event_text
from ..domain.hlc import Reading
from ..domain.money import ZERO, places
from ..storage.schema import core_dynamic_data as DD
from ..storage.schema import core_entities as E
from ..storage.schema import hera_change_feed as F
from ..storage.schema import hera_gl_account_balances as GA
from ..storage.schema import hera_gl_daily_balances as GD
from ..storage.schema import hera_stock_levels as S
from ..storage.schema import universal_transaction_lines as L
from ..storage.schema import universal_transactions as T
from ..storage.scoped import OrgStore
from ..storage.types import ExactDecimal
from .stock import weighted_average

Sides = dict[tuple[str, str, str], tuple[Decimal, Decimal]]  # (account, currency, day) -> (debit, credit)


def disagreements(store: OrgStore) -> list[Disagreement]:
    """Every derived value of this organization that disagrees with its records, and every altered feed
    event; read inside the caller's unit of work."""
    return [*ledger(store), *stock(store), *customer_balances(store), *feed_events(store)]


def newest_day(store: OrgStore) -> list[Disagreement]:
    """The quick check: the cached ledger totals of the newest day that has transactions (today, on a
    working till) against its lines, and each account's cached total against its daily totals."""
    newest = store.scalar(store.select(T, columns=[func.max(T.c.transaction_date)]))
    if newest is None:
        return []
    day = str(newest)[:10]
    found = _compare_gl(store, _cached_daily(store, day), _line_sums_from(store, day))
    totals = {(a, c): (dr or ZERO, cr or ZERO) for a, c, dr, cr in store.rows(store.select(
        GD, columns=[GD.c.account_id, GD.c.currency, _total(store, GD.c.debit), _total(store, GD.c.credit)])
        .group_by(GD.c.account_id, GD.c.currency))}
    return found + _compare_totals(store, totals, "daily totals say")


# ------------------------------------------------------------------ the general ledger

def ledger(store: OrgStore) -> list[Disagreement]:
    """The cached daily and per-account totals against the ledger lines."""
    lines = _line_sums(store)
    found = _compare_gl(store, _cached_daily(store), lines)
    totals: dict[tuple[str, str], tuple[Decimal, Decimal]] = {}
    for (account, currency, _day), (dr, cr) in lines.items():
        was = totals.get((account, currency), (ZERO, ZERO))
        totals[(account, currency)] = (was[0] + dr, was[1] + cr)
    return found + _compare_totals(store, totals, "lines say")


def _total(store: OrgStore, column: Any) -> Any:
    """An exact SUM: SQLite keeps amounts as decimal text, which its own SUM would add as binary floats."""
    name = "hera_dec_total" if store.conn.dialect.name == "sqlite" else "sum"
    return getattr(func, name)(column, type_=ExactDecimal())


def _line_sums(store: OrgStore) -> Sides:
    """DR and CR totals of the ledger lines per (account, currency, day), as the transaction writer adds them
    to the caches (a line's day is its transaction's date)."""
    posting_day = func.substr(T.c.transaction_date, 1, 10).label("day")
    stmt = (select(L.c.entity_id, L.c.currency, posting_day,
                   _total(store, case((L.c.dr_cr == "DR", L.c.line_amount))),
                   _total(store, case((L.c.dr_cr != "DR", L.c.line_amount))))
            .join(T, T.c.id == L.c.transaction_id).join(E, E.c.id == L.c.entity_id)
            .where(E.c.entity_type == "gl_account", L.c.dr_cr.is_not(None), L.c.dr_cr != "",
                   L.c.line_amount.is_not(None))
            .group_by(L.c.entity_id, L.c.currency, posting_day))
    return {(a, c, str(d)): (dr or ZERO, cr or ZERO) for a, c, d, dr, cr in store.query(stmt)}


def _line_sums_from(store: OrgStore, day: str) -> Sides:
    """The same totals from ``day`` on: that day's transactions found by their date's index, their lines by
    theirs, and added here (a day's lines are few; grouped in SQL, SQLite would walk every line instead)."""
    dates = dict(store.rows(store.select(T, T.c.transaction_date >= day, columns=[T.c.id, T.c.transaction_date])))
    if not dates:
        return {}
    accounts = {r[0] for r in store.rows(store.select(E, E.c.entity_type == "gl_account", columns=[E.c.id]))}
    day_ids = store.select(T, T.c.transaction_date >= day, columns=[T.c.id])
    sums: dict[tuple[str, str, str], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for txn, account, currency, side, amount in store.rows(store.select(
            L, L.c.transaction_id.in_(day_ids), L.c.dr_cr.is_not(None), L.c.line_amount.is_not(None),
            columns=[L.c.transaction_id, L.c.entity_id, L.c.currency, L.c.dr_cr, L.c.line_amount])):
        if side and account in accounts and txn in dates:
            sums[(account, currency, str(dates[txn])[:10])][0 if side == "DR" else 1] += amount
    return {k: (dr, cr) for k, (dr, cr) in sums.items()}


def _cached_daily(store: OrgStore, day: str | None = None) -> Sides:
    where = [] if day is None else [GD.c.posting_date >= day]
    rows = store.rows(store.select(GD, *where, columns=[GD.c.account_id, GD.c.currency, GD.c.posting_date,
                                                        GD.c.debit, GD.c.credit]))
    return {(a, c, d): (dr, cr) for a, c, d, dr, cr in rows}


def _compare_gl(store: OrgStore, cached: Sides, lines: Sides) -> list[Disagreement]:
    wrong = sorted(k for k in cached.keys() | lines.keys()
                   if cached.get(k, (ZERO, ZERO)) != lines.get(k, (ZERO, ZERO)))
    names = _account_names(store, {k[0] for k in wrong})
    found = []
    for account, currency, day in wrong:
        said = _sides(cached.get((account, currency, day), (ZERO, ZERO)),
                      lines.get((account, currency, day), (ZERO, ZERO)), currency, "lines say")
        found.append(_found(store, "gl_daily_balance", account,
                            f"GL account {names.get(account, account)} on {day}: {said}"))
    return found


def _compare_totals(store: OrgStore, expected: dict[tuple[str, str], tuple[Decimal, Decimal]],
                    source: str) -> list[Disagreement]:
    rows = store.rows(store.select(GA, columns=[GA.c.account_id, GA.c.currency, GA.c.debit, GA.c.credit]))
    cached = {(a, c): (dr, cr) for a, c, dr, cr in rows}
    wrong = sorted(k for k in cached.keys() | expected.keys()
                   if cached.get(k, (ZERO, ZERO)) != expected.get(k, (ZERO, ZERO)))
    names = _account_names(store, {k[0] for k in wrong})
    return [_found(store, "gl_account_balance", account, f"GL account {names.get(account, account)}: " + _sides(
        cached.get((account, currency), (ZERO, ZERO)), expected.get((account, currency), (ZERO, ZERO)), currency,
        source)) for account, currency in wrong]


def _sides(cached: tuple[Decimal, Decimal], worked: tuple[Decimal, Decimal], currency: str, source: str) -> str:
    said = [f"cached {side} {shown(c, currency)}, {source} {shown(w, currency)}"
            for side, c, w in (("debit", cached[0], worked[0]), ("credit", cached[1], worked[1])) if c != w]
    return "; ".join(said)


def _account_names(store: OrgStore, ids: set[str]) -> dict[str, str]:
    return {i: f"{code} {name}".strip() for i, code, name in _entities(store, ids)}


# ------------------------------------------------------------------ stock

def stock(store: OrgStore) -> list[Disagreement]:
    """Stock per location, each product's cached stock on hand and average cost, against its movements in the
    order they were recorded (as ``StockLedger.rebuild`` works them out)."""
    moves = (select(L.c.entity_id, L.c.quantity, L.c.unit_price, L.c.metadata)
             .join(T, T.c.id == L.c.transaction_id).join(E, E.c.id == L.c.entity_id)
             .where(L.c.line_type == "INVENTORY", E.c.entity_type == "product")
             .order_by(T.c.created_at, T.c.id, L.c.line_number))
    levels: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    state: dict[str, tuple[Decimal, Decimal]] = {}  # product -> (on hand, average cost)
    for product, qty, unit_price, metadata in store.query(moves):
        total, average = state.get(product, (ZERO, ZERO))
        qty = qty or ZERO
        if qty > 0:
            average = weighted_average(total, average, qty, unit_price if unit_price is not None else average)
        levels[(product, (metadata or {}).get("location_id") or "")] += qty
        state[product] = (total + qty, average)
    cached_levels = {(p, loc): q for p, loc, q in store.rows(store.select(
        S, columns=[S.c.product_id, S.c.location_id, S.c.quantity]))}
    fields: dict[tuple[str, str], Decimal] = {}
    for entity_id, name, value in store.query(
            select(DD.c.entity_id, DD.c.field_name, DD.c.field_value_number).join(E, E.c.id == DD.c.entity_id)
            .where(E.c.entity_type == "product", DD.c.field_name.in_(("current_inventory", "average_cost")))):
        fields[(entity_id, name)] = value if value is not None else ZERO
    wrong_levels = sorted(k for k in cached_levels.keys() | levels.keys()
                          if cached_levels.get(k, ZERO) != levels.get(k, ZERO))
    products = {p for p, _ in fields} | set(state)
    wrong_fields = []
    for product in sorted(products):
        on_hand, average = state.get(product, (ZERO, ZERO))
        for name, worked in (("current_inventory", on_hand), ("average_cost", average)):
            if fields.get((product, name), ZERO) != worked:
                wrong_fields.append((product, name, worked))
    names = {i: name for i, _code, name in _entities(
        store, {p for p, _ in wrong_levels} | {loc for _, loc in wrong_levels if loc} | {p for p, *_ in wrong_fields})}
    found = []
    for product, location in wrong_levels:
        where = f" at {names.get(location, location)}" if location else ""
        found.append(_found(store, "stock_level", product,
                            f"Product {names.get(product, product)}: cached stock{where} "
                            f"{_quantity(cached_levels.get((product, location), ZERO))}, movements say "
                            f"{_quantity(levels.get((product, location), ZERO))}"))
    words = {"current_inventory": "stock on hand", "average_cost": "average cost"}
    for product, name, worked in wrong_fields:
        value: CheckedValue = "current_inventory" if name == "current_inventory" else "average_cost"
        found.append(_found(store, value, product,
                            f"Product {names.get(product, product)}: cached {words[name]} "
                            f"{_quantity(fields.get((product, name), ZERO))}, movements say {_quantity(worked)}"))
    return found


def _quantity(value: Decimal) -> str:
    return f"{value.normalize():,f}" if value != value.to_integral_value() else f"{value:,.0f}"


# ------------------------------------------------------------------ customers

def customer_balances(store: OrgStore) -> list[Disagreement]:
    """Each customer's cached account balance against what was charged to the account less what was paid on
    it (as ``Customers.on_recorded`` keeps it: charges add their total, settlements take theirs off)."""
    effect = T.c.business_context["account_effect"].as_string().label("effect")
    sums = store.query(select(T.c.source_entity_id, effect, _total(store, T.c.total_amount))
                       .where(T.c.source_entity_id.is_not(None), effect.in_(("charge", "settle")))
                       .group_by(T.c.source_entity_id, effect))
    owed: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for customer, kind, total in sums:
        owed[customer] += (total or ZERO) if kind == "charge" else -(total or ZERO)
    cached = {entity_id: value if value is not None else ZERO for entity_id, value in store.query(
        select(DD.c.entity_id, DD.c.field_value_number).join(E, E.c.id == DD.c.entity_id)
        .where(E.c.entity_type == "customer", DD.c.field_name == "account_balance"))}
    wrong = sorted(c for c in cached.keys() | owed.keys() if cached.get(c, ZERO) != owed.get(c, ZERO))
    if not wrong:
        return []
    currency = _currency(store)
    names = {i: name for i, _code, name in _entities(store, set(wrong))}
    return [_found(store, "customer_balance", c,
                   f"Customer {names.get(c, c)}: cached account balance {shown(cached.get(c, ZERO), currency)}, "
                   f"sales on account and payments say {shown(owed.get(c, ZERO), currency)}") for c in wrong]


def _currency(store: OrgStore) -> str:
    from ..storage.schema import core_organizations as O

    return str(store.conn.execute(select(O.c.currency).where(O.c.id == store.organization_id)).scalar() or "")


# ------------------------------------------------------------------ the change feed

def feed_events(store: OrgStore) -> list[Disagreement]:
    """Every change-feed event whose hash, worked out again from what it holds, is not the one it carries."""
    rows = store.rows(store.select(F, columns=[
        F.c.id, F.c.terminal_id, F.c.change_seq, F.c.kind, F.c.record_table, F.c.record_id,
        cast(F.c.record, Text).label("record_text"), F.c.hlc_ms, F.c.hlc_counter, F.c.actor_id,
        F.c.payload_hash]).order_by(F.c.terminal_id, F.c.change_seq))
    return [_found(store, "change_feed_event", r.id, f"Change-feed event {r.change_seq} of terminal "
                   f"{r.terminal_id[-4:].upper()} ({r.kind} of record {r.record_id}): what it holds does not match "
                   "its hash; it was altered after it was written")
            for r in rows if not _event_intact(store.organization_id, r)]


def _event_intact(organization_id: str, r: Any) -> bool:
    """Whether the event's hash is that of what it holds: its record's text as stored (the writer stores the
    canonical text it hashed), or else that text made canonical again (a copy that only spaced it out)."""
    if TABLE_OF.get(r.kind) != r.record_table:
        return False
    if _hash(organization_id, r, r.record_text) == r.payload_hash:
        return True
    try:
        record = json.loads(r.record_text)
    except ValueError:
        return False
    return isinstance(record, dict) and _hash(organization_id, r, canonical_text(record)) == r.payload_hash


def _hash(organization_id: str, r: Any, record_text: str) -> str:
    text = event_text(event_id=r.id, organization_id=organization_id, kind=r.kind, record_id=r.record_id,
                      record_text=record_text, change_seq=r.change_seq, clock=Reading(r.hlc_ms, r.hlc_counter),
                      terminal_id=r.terminal_id, actor_id=r.actor_id)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ------------------------------------------------------------------ shared

def shown(amount: Decimal, currency: str) -> str:
    """An amount as people read it (grouped thousands, the currency's decimals), every digit kept when it has
    more (an edit of a fraction of a cent must not read as no change)."""
    decimals = places(currency or "USD")
    if amount == round(amount, decimals):
        return f"{amount:,.{decimals}f}"
    return f"{amount.normalize():,f}"


def _entities(store: OrgStore, ids: Iterable[str]) -> list[tuple[str, str, str]]:
    wanted = sorted(i for i in ids if i)
    out: list[tuple[str, str, str]] = []
    for start in range(0, len(wanted), 500):
        out.extend((r[0], r[1] or "", r[2]) for r in store.rows(store.select(
            E, E.c.id.in_(wanted[start:start + 500]), columns=[E.c.id, E.c.entity_code, E.c.entity_name])))
    return out


def _found(store: OrgStore, value: CheckedValue, record_id: str, problem: str) -> Disagreement:
    return Disagreement(organization_id=store.organization_id, value=value, record_id=record_id, problem=problem)
