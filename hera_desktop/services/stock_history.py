"""Stock on hand and its history (``s.stock_history``): what a manager looks at before moving stock.

``on_hand`` lists every active product, with or without stock, its quantity at
each location, average cost, value and reorder level. ``movements`` reads the
INVENTORY lines of one product (each carries its location), oldest first, with
the running balance a stock card shows.
"""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..domain.arguments import whole_number
from ..domain.contracts.inventory import Location, Movement, ProductStock, StockOverview
from ..domain.errors import PermissionDeniedError
from ..domain.ids import checked_id
from ..domain.money import ZERO, round_money
from ..storage.schema import core_entities as E
from ..storage.schema import universal_transaction_lines as L
from ..storage.schema import universal_transactions as T

if TYPE_CHECKING:
    from ..app import Scope

NO_LOCATION = ""  # stock recorded without a location


class StockHistory:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.store = scope.store

    def _require(self) -> None:
        if not (self.scope.allows("inventory.adjust") or self.scope.allows("reports.view")):
            raise PermissionDeniedError(f"A {self.scope.role} may not see stock", permission="inventory.adjust")

    def locations(self) -> list[Location]:
        self._require()
        with self.scope.db.read():
            st = self.store
            rows = st.rows(st.select(E, E.c.entity_type == "location", E.c.status == "active",
                                     columns=[E.c.id, E.c.entity_name]).order_by(E.c.entity_name))
        return [Location(location_id=r.id, name=r.entity_name) for r in rows]

    def on_hand(self) -> StockOverview:
        self._require()
        currency = self.scope.organization.currency
        with self.scope.db.read():
            st = self.store
            products = st.rows(st.select(E, E.c.entity_type == "product", E.c.status == "active",
                                         columns=[E.c.id, E.c.entity_name, E.c.entity_code])
                               .order_by(E.c.entity_name))
            levels: dict[str, dict[str, Decimal]] = {p.id: {} for p in products}
            for r in self.scope.internal.inventory.ledger.all_levels():
                if r.product_id in levels:
                    levels[r.product_id][r.location_id or NO_LOCATION] = r.quantity
            values = self.scope.internal.universal.field_values(list(levels), ("average_cost", "reorder_level"))
            locations = self.locations()
        if any(NO_LOCATION in by for by in levels.values()):
            locations.append(Location(location_id=NO_LOCATION, name="(no location)"))
        out = []
        for p in products:
            by = levels[p.id]
            on_hand = sum(by.values(), ZERO)
            average = values[p.id].get("average_cost") or ZERO
            out.append(ProductStock(product_id=p.id, product_name=p.entity_name, product_code=p.entity_code,
                                    by_location=by, on_hand=on_hand, average_cost=average,
                                    value=round_money(on_hand * average, currency),
                                    reorder_level=values[p.id].get("reorder_level")))
        return StockOverview(locations=locations, products=out, total_value=sum((p.value for p in out), ZERO))

    def movements(self, product_id: str, location_id: str | None = None, limit: int = 1000) -> list[Movement]:
        """The product's movements (at one location, or everywhere), oldest first; the last ``limit`` of them."""
        self._require()
        if location_id not in (None, NO_LOCATION):
            checked_id("location_id", location_id)
        whole_number("limit", limit, 1, 10**9)
        with self.scope.db.read():
            st = self.store
            st.get(E, product_id, "product")
            stmt = (st.select(L, L.c.entity_id == product_id, L.c.line_type == "INVENTORY",
                              columns=[T.c.id, T.c.transaction_code, T.c.transaction_date, T.c.reference,
                                       T.c.business_context, T.c.reversal_of, L.c.quantity, L.c.unit_price,
                                       L.c.metadata])
                    .join(T, T.c.id == L.c.transaction_id)
                    .order_by(T.c.created_at, T.c.id, L.c.line_number))
            rows = st.rows(stmt)
            names = {loc.location_id: loc.name for loc in self.locations()}
        balances: dict[str, Decimal] = {}
        out = []
        for r in rows:
            where = (r.metadata or {}).get("location_id") or NO_LOCATION
            qty = r.quantity or ZERO
            balances[where] = balances.get(where, ZERO) + qty
            if location_id is not None and where != location_id:
                continue
            context = r.business_context or {}
            out.append(Movement(
                transaction_id=r.id, transaction_code=r.transaction_code, transaction_date=r.transaction_date,
                kind=_kind(r, context), location_id=where, location_name=names.get(where, "(no location)"),
                quantity=qty, unit_cost=r.unit_price,
                balance=balances[where] if location_id is not None else sum(balances.values(), ZERO),
                reason=context.get("reversal_reason") or context.get("reason") or "", reference=r.reference))
        return out[-limit:]


def _kind(row: Any, context: dict[str, Any]) -> str:
    if row.reversal_of:
        return "reversal"
    if context.get("related_sale"):
        return "sale"
    return context.get("adjustment_type") or "movement"


__all__ = ["NO_LOCATION", "StockHistory"]
