"""The menu: items with price, category and kitchen station, and what each takes from stock."""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple, Optional

from sqlalchemy import select

from ..domain import contracts as c
from ..domain.contracts.restaurant import MenuItem
from ..domain.errors import ValidationError
from ..domain.ids import checked_ids
from ..domain.money import D, ZERO
from ..domain.rules import kitchen_station
from ..storage.scoped import OrgInList
from ..storage.schema import core_entities
from ..storage.schema import core_relationships as R

if TYPE_CHECKING:
    from ..app import Scope

MENU_SC = "HERA.RESTAURANT.MENU.ITEM.ENT.V1"
FIELD_SC = {"price": "HERA.RESTAURANT.MENU.DYN.PRICE.V1", "category": "HERA.RESTAURANT.MENU.DYN.CATEGORY.V1",
            "kitchen_station": "HERA.RESTAURANT.MENU.DYN.STATION.V1"}
CONSUMES_SC = "HERA.RESTAURANT.MENU.REL.CONSUMES.V1"


_E = core_entities
_ITEM_COLUMNS = (_E.c.id, _E.c.entity_name, _E.c.entity_code, _E.c.classification)


class _ItemRow(NamedTuple):
    id: str
    entity_name: str
    entity_code: str
    classification: Optional[str]


_ITEMS_BY_ID = OrgInList(lambda ids: select(*_ITEM_COLUMNS).where(
    _E.c.entity_type == "menu_item", _E.c.status == "active",
    _E.c.id.in_(ids)).order_by(_E.c.entity_name))
_CONSUMES = OrgInList(lambda ids: select(R.c.from_entity_id, R.c.to_entity_id, R.c.metadata).where(
    R.c.from_entity_id.in_(ids), R.c.relationship_type == "consumes",
    R.c.is_active.is_(True)))


class Menu:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.uni = scope.internal.universal
        self.store = scope.store

    def add_item(self, name: str, price: Any, category: str = "Other", kitchen_station: str | None = None,
                 classification: str | None = None, entity_code: str | None = None) -> MenuItem:
        self.scope.require("menu.manage", "change the menu")
        amount = D(price, "price")
        if amount < 0:
            raise ValidationError("price", "cannot be negative")
        if not isinstance(category, str) or not category.strip():
            raise ValidationError("category", "a menu item needs a category")
        with self.scope.db.write():
            item = self.uni.create_entity(entity_type="menu_item", entity_name=name, entity_code=entity_code,
                                          smart_code=MENU_SC, classification=classification)
            self.uni.set_dynamic_field(item.id, "price", amount, FIELD_SC["price"])
            self.uni.set_dynamic_field(item.id, "category", category.strip(), FIELD_SC["category"])
            if kitchen_station:
                self.uni.set_dynamic_field(item.id, "kitchen_station", kitchen_station.strip().upper(),
                                           FIELD_SC["kitchen_station"])
            return self.items([item.id])[item.id]

    def set_consumption(self, menu_item_id: str, product_id: str, quantity: Any) -> c.Relationship:
        """Selling one of this menu item takes ``quantity`` of the product from the till's stock."""
        qty = D(quantity, "quantity")
        if qty <= 0:
            raise ValidationError("quantity", "must be more than zero")
        with self.scope.db.write():
            types = self.store.entity_types([menu_item_id], "menu_item_id")
            types.update(self.store.entity_types([product_id], "product_id"))
            if types[menu_item_id] != "menu_item":
                raise ValidationError("menu_item_id", "is not a menu item")
            if types[product_id] != "product":
                raise ValidationError("product_id", "is not a product")
            for rel in self.uni.query_relationships(from_entity_id=menu_item_id, to_entity_id=product_id,
                                                    relationship_type="consumes").relationships:
                self.uni.delete_relationship(rel.id, "Consumption changed")
            return self.uni.create_relationship(from_entity_id=menu_item_id, to_entity_id=product_id,
                                                relationship_type="consumes", smart_code=CONSUMES_SC,
                                                metadata={"quantity": str(qty)})

    def items(self, ids: list[str] | None = None) -> dict[str, MenuItem]:
        """Menu items by id (all active ones when ids is None), with price and station resolved."""
        st = self.store
        e = core_entities
        with self.scope.db.read():
            if ids is not None:  # an order's items: the hot path
                ids = checked_ids("ids", ids)
                rows = [_ItemRow(*r) for r in st.run_in(_ITEMS_BY_ID, ids)]
            else:
                rows = st.rows(st.select(e, e.c.entity_type == "menu_item", e.c.status == "active",
                                         columns=list(_ITEM_COLUMNS)).order_by(e.c.entity_name))
            values = self.uni.field_values([r.id for r in rows], ("price", "category", "kitchen_station"))
        out = {}
        for r in rows:
            v = values[r.id]
            out[r.id] = MenuItem(id=r.id, entity_name=r.entity_name, entity_code=r.entity_code,
                                 classification=r.classification,
                                 price=v.get("price") if v.get("price") is not None else ZERO,
                                 category=v.get("category") or "Other",
                                 kitchen_station=v.get("kitchen_station")
                                 or kitchen_station(r.entity_name, r.classification))
        return out

    def consumption(self, menu_item_ids: list[str]) -> dict[str, list[tuple[str, Decimal]]]:
        """{menu_item_id: [(product_id, quantity per item sold)]}"""
        menu_item_ids = checked_ids("menu_item_ids", menu_item_ids)
        st = self.store
        out: dict[str, list[tuple[str, Decimal]]] = {}
        with self.scope.db.read():
            rows = st.run_in(_CONSUMES, menu_item_ids)
        for from_id, to_id, metadata in rows:
            out.setdefault(from_id, []).append((to_id, Decimal(str(metadata.get("quantity", "1")))))
        return out
