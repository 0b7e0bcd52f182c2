"""What a sale takes from stock: its items' recipes, at the till's location, and what the books are short of.

The food has been served by the time a guest pays, so by default a sale is never
refused for stock: what it consumed is issued even past zero, the shortfall is
recorded on the issue, and the level shows as negative for the manager. The
``refuse_sale_when_short`` setting makes the till refuse such a sale instead.

Where the stock is taken from: the location the order names, else the
organization's ``till_location_id``. With neither, each product is taken from
the location that holds the most of it; a product with no stock anywhere is
taken from the first location by name (or from no location when there is none),
where it shows as negative.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..domain import contracts as c
from ..domain.contracts.inventory import Shortfall
from ..domain.errors import InsufficientInventoryError, ValidationError
from ..domain.money import D, ZERO
from ..storage.schema import core_entities as E

if TYPE_CHECKING:
    from ..app import Scope
    from .menu import Menu

NO_LOCATION = ""  # stock kept without a location


class SaleStock:
    def __init__(self, scope: Scope, menu: Menu) -> None:
        self.scope = scope
        self.store = scope.store
        self.menu = menu

    @property
    def ledger(self) -> Any:
        return self.scope.internal.inventory.ledger

    def plan(self, items: list[dict[str, Any]], location_id: str | None = None) -> dict[tuple[str, str], Decimal]:
        """{(product_id, location_id): quantity} the items consume."""
        recipe = self.menu.consumption(list({i["menu_item_id"] for i in items}))
        if not recipe:
            return {}
        need: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for i, item in enumerate(items):
            for product_id, per_item in recipe.get(item["menu_item_id"], []):
                need[product_id] += per_item * D(item.get("quantity", 1), f"items.{i}.quantity")
        if location_id is not None and self.store.entity_types([location_id], "location_id")[location_id] != "location":
            raise ValidationError("location_id", "is not a location")
        location = location_id or self.scope.settings.get("till_location_id")
        if location:
            return {(p, location): q for p, q in need.items()}
        first = self._first_location()
        return {(p, self._where(p, first)): q for p, q in need.items()}

    def _where(self, product_id: str, first: str) -> str:
        stocked = [(q, loc) for loc, q in self.ledger.levels(product_id).items() if q > 0]
        if stocked:
            return min(stocked, key=lambda s: (-s[0], s[1]))[1]
        return first

    def _first_location(self) -> str:
        st = self.store
        row = st.first(st.select(E, E.c.entity_type == "location", E.c.status == "active", columns=[E.c.id])
                       .order_by(E.c.entity_name, E.c.id).limit(1))
        return row.id if row else NO_LOCATION

    def shortfalls(self, plan: dict[tuple[str, str], Decimal]) -> list[Shortfall]:
        short = []
        for (product_id, location), qty in sorted(plan.items()):
            have = self.ledger.levels(product_id).get(location, ZERO)
            if have < qty:
                short.append((product_id, location, have, qty))
        if not short:
            return []
        names = self.ledger.names({p for p, *_ in short} | {loc for _, loc, *_ in short if loc})
        out = [Shortfall(product_id=p, product_name=names.get(p, p), location_id=loc,
                         location_name=names.get(loc, loc) if loc else "(no location)", on_hand=have, needed=qty)
               for p, loc, have, qty in short]
        return sorted(out, key=lambda s: (s.product_name, s.location_name))

    def consume(self, sale: c.Emitted, items: list[dict[str, Any]], location_id: str | None) -> None:
        """Issue what the sale consumed, in one transaction; refused when short only if the setting says so."""
        plan = self.plan(items, location_id)
        if not plan:
            return
        short = self.shortfalls(plan)
        if short and self.scope.settings.get("refuse_sale_when_short", False):
            s = short[0]
            raise InsufficientInventoryError(s.product_name, s.on_hand, s.needed,
                                             s.location_name if s.location_id else "")
        self.scope.internal.inventory.issue_for_sale(sale, plan, short)
