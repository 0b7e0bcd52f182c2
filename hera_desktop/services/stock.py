"""Stock on hand and average cost: derived from INVENTORY movement lines, cached for fast reads.

The cache (a machinery table per product and location, plus the usage guide's
``current_inventory`` and ``average_cost`` dynamic fields) is updated by the
same rule whether a movement comes from a stock adjustment, a sale, a transfer
or a reversal, and ``rebuild`` recomputes it from the movements alone.

Stock never goes below zero, except by a sale at the till: the food was served,
so the sale takes what its recipe consumed and the level goes negative, which
the manager sees (``negative``) and corrects with a receipt or a count.
"""
from __future__ import annotations

from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, Iterator

from sqlalchemy import bindparam, select

from ..domain.errors import InsufficientInventoryError
from ..domain.ids import checked_id, checked_ids
from ..domain.money import ZERO
from ..storage.caches import set_stock_levels
from ..storage.scoped import OrgInList, OrgPrepared
from ..storage.schema import core_dynamic_data as DD
from ..storage.schema import core_entities, hera_stock_levels as S
from ..storage.schema import universal_transaction_lines as L
from ..storage.schema import universal_transactions as T
from ..universal import dynamic_fields
from ..universal.transactions import Recorded

if TYPE_CHECKING:
    from ..app import Scope

COST_PLACES = Decimal("0.000001")
CURRENT_SC = "HERA.INVENTORY.PRODUCT.DYN.CURRENT.V1"
AVGCOST_SC = "HERA.INVENTORY.PRODUCT.DYN.AVGCOST.V1"


_SALE_MAY_GO_SHORT: ContextVar[bool] = ContextVar("sale_may_go_short", default=False)


@contextmanager
def sale_taking_stock() -> Iterator[None]:
    """While a sale records what it consumed, a level may go below zero (the books were short, not the kitchen)."""
    token = _SALE_MAY_GO_SHORT.set(True)
    try:
        yield
    finally:
        _SALE_MAY_GO_SHORT.reset(token)


_NAMES = OrgInList(lambda ids: select(core_entities.c.id, core_entities.c.entity_name).where(
    core_entities.c.id.in_(ids)))
_LEVELS = OrgPrepared(select(S.c.location_id, S.c.quantity).where(S.c.product_id == bindparam("product")))


def weighted_average(on_hand: Decimal, average: Decimal, quantity: Decimal, unit_cost: Decimal) -> Decimal:
    """The usage guide's weighted average, exact, kept to six decimal places."""
    total = on_hand + quantity
    if total <= 0:
        return average
    return ((on_hand * average + quantity * unit_cost) / total).quantize(COST_PLACES, rounding=ROUND_HALF_UP)


class StockLedger:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.store = scope.store

    def level(self, product_id: str, location_id: str | None = None) -> Decimal:
        levels = self.levels(product_id)
        if location_id is not None:
            return levels.get(location_id, ZERO)
        return sum(levels.values(), ZERO)

    def levels(self, product_id: str) -> dict[str, Decimal]:
        st = self.store
        return dict(st.run(_LEVELS, {"product": product_id}))

    def average_cost(self, product_id: str) -> Decimal:
        value = dynamic_fields.field_value(self.store, product_id, "average_cost")
        return value if value is not None else ZERO

    def on_recorded(self, rec: Recorded) -> None:
        moves = [ln for ln in rec.lines
                 if ln["line_type"] == "INVENTORY" and rec.entity_types.get(ln["entity_id"]) == "product"
                 and ln["quantity"]]
        if not moves:
            return
        by_product: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for ln in moves:
            by_product[ln["entity_id"]].append(ln)
        for product_id, lines in by_product.items():
            self._apply(product_id, lines)

    def _apply(self, product_id: str, lines: list[dict[str, Any]]) -> None:
        st = self.store
        levels = self.levels(product_id)
        total = sum(levels.values(), ZERO)
        average = self.average_cost(product_id)
        for ln in lines:
            location = (ln["metadata"] or {}).get("location_id") or ""
            qty = ln["quantity"]
            if qty > 0:
                average = weighted_average(total, average, qty, ln["unit_price"] if ln["unit_price"] is not None else average)
            have = levels.get(location, ZERO)
            if have + qty < 0 and qty < 0 and not _SALE_MAY_GO_SHORT.get():
                raise InsufficientInventoryError(self._name(product_id), have, -qty, self._name(location) if location else "")
            levels[location] = have + qty
            total += qty
        set_stock_levels(st, product_id, levels)
        # Derived values, recomputed from the movements: never in the change feed.
        dynamic_fields.put_derived(st, product_id, {"current_inventory": (total, CURRENT_SC),
                                                    "average_cost": (average, AVGCOST_SC)})

    def _name(self, entity_id: str) -> str:
        st = self.store
        return st.scalar(st.select(core_entities, core_entities.c.id == entity_id,
                                   columns=[core_entities.c.entity_name])) or entity_id

    def names(self, ids: set[str]) -> dict[str, str]:
        """{entity id: name} of products and locations, for messages and lists."""
        ids = checked_ids("ids", ids)
        if not ids:
            return {}
        st = self.store
        return dict(st.run_in(_NAMES, sorted(ids)))

    def rebuild(self, product_id: str | None = None) -> int:
        """Recompute levels and average costs from the movement lines; returns products rebuilt."""
        if product_id is not None:
            checked_id("product_id", product_id)
        st = self.store
        with self.scope.db.write():
            where = [L.c.line_type == "INVENTORY"]
            if product_id:
                where.append(L.c.entity_id == product_id)
            stmt = (st.select(L, *where, columns=[L.c.entity_id, L.c.quantity, L.c.unit_price, L.c.metadata])
                    .join(T, T.c.id == L.c.transaction_id)
                    .order_by(T.c.created_at, T.c.id, L.c.line_number))
            state: dict[str, tuple[dict[str, Decimal], Decimal, Decimal]] = {}
            for r in st.rows(stmt):
                levels, total, average = state.get(r.entity_id, ({}, ZERO, ZERO))
                qty = r.quantity or ZERO
                if qty > 0:
                    average = weighted_average(total, average, qty, r.unit_price if r.unit_price is not None else average)
                loc = (r.metadata or {}).get("location_id") or ""
                levels[loc] = levels.get(loc, ZERO) + qty
                state[r.entity_id] = (levels, total + qty, average)
            delete = S.delete().where(st.mine(S))
            if product_id:
                delete = delete.where(S.c.product_id == product_id)
            st.conn.execute(delete)
            # A product whose cached fields say it has stock but that never moved has none.
            cached = [DD.c.field_name.in_(("current_inventory", "average_cost"))]
            if product_id:
                cached.append(DD.c.entity_id == product_id)
            for r in st.rows(st.select(DD, *cached, columns=[DD.c.entity_id]).distinct()):
                state.setdefault(r.entity_id, ({}, ZERO, ZERO))
            uni = self.scope.internal.universal
            for pid, (levels, total, average) in state.items():
                st.insert(S, [{"product_id": pid, "location_id": loc, "quantity": q} for loc, q in levels.items()])
                uni.set_dynamic_field(pid, "current_inventory", total, CURRENT_SC)
                uni.set_dynamic_field(pid, "average_cost", average, AVGCOST_SC)
            return len(state)

    def all_levels(self) -> list[Any]:
        st = self.store
        return st.rows(st.select(S, columns=[S.c.product_id, S.c.location_id, S.c.quantity]))

    def negative(self) -> list[Any]:
        """(product_id, location_id, quantity) of every level below zero."""
        # Filtered here, not in SQL: on SQLite quantities are exact text, which does not compare as numbers.
        return [r for r in self.all_levels() if r.quantity < 0]


