"""The menu: items with price, category and kitchen station, and what each takes from stock.

A menu item changes through ``update_item`` and leaves the menu through ``retire_item`` (the entity is
kept, deleted with the reason, so past sales still read with its name). Each price it is given, the
first one too, is also recorded as a ``menu_price_change`` transaction with no money moved: immutable,
carried by the change feed to every terminal with the rest of the books, and read back as the item's
price history. A sale's lines keep the price they were sold at, so a new price applies to new tickets
only. An item marked sold out ("86") carries the business day it ran out on; on the next business day
it is available again by itself.
"""
from __future__ import annotations

from collections import Counter
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Iterator, NamedTuple, Optional

from sqlalchemy import select

from ..domain import contracts as c
from ..domain.contracts.restaurant import MenuItem, PriceChange
from ..domain.errors import ValidationError
from ..domain.ids import checked_id, checked_ids
from ..domain.money import D, ZERO, check_minor_unit, non_negative
from ..domain.rules import kitchen_station
from ..storage.scoped import OrgInList
from ..storage.schema import core_entities
from ..storage.schema import core_relationships as R
from ..storage.schema import universal_transactions as T
from .business_calendar import BusinessCalendar

if TYPE_CHECKING:
    from ..app import Scope

MENU_SC = "HERA.RESTAURANT.MENU.ITEM.ENT.V1"
FIELD_SC = {"price": "HERA.RESTAURANT.MENU.DYN.PRICE.V1", "category": "HERA.RESTAURANT.MENU.DYN.CATEGORY.V1",
            "kitchen_station": "HERA.RESTAURANT.MENU.DYN.STATION.V1",
            "sold_out_day": "HERA.RESTAURANT.MENU.DYN.SOLDOUT.V1"}
CONSUMES_SC = "HERA.RESTAURANT.MENU.REL.CONSUMES.V1"
PRICE_CHANGE = "menu_price_change"
PRICE_CHANGE_SC = "HERA.RESTAURANT.MENU.PRICE.CHANGE.V1"
PRICE_LINE_SC = "HERA.RESTAURANT.MENU.PRICE.LINE.V1"
_FIELDS = ("price", "category", "kitchen_station", "sold_out_day", "tax_rate")
# Lines an open order already held when it was kept: the table ordered them before the item ran out (or left
# the menu), so saving the order again or paying it keeps them; only lines added since are refused.
_HELD: ContextVar[Counter[str] | None] = ContextVar("held_lines", default=None)


@contextmanager
def holding(menu_item_ids: list[str]) -> Iterator[None]:
    """Inside: ``orderable`` accepts, though sold out or retired, as many lines of each item as ``menu_item_ids``
    holds (the lines of the open order as it was kept)."""
    token = _HELD.set(Counter(menu_item_ids))
    try:
        yield
    finally:
        _HELD.reset(token)


_E = core_entities
_ITEM_COLUMNS = (_E.c.id, _E.c.entity_name, _E.c.entity_code, _E.c.classification)


class _ItemRow(NamedTuple):
    id: str
    entity_name: str
    entity_code: str
    classification: Optional[str]
    status: str


def _text(field: str, value: Any, what: str, limit: int = 100) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(field, f"a menu item needs {what}")
    if len(value.strip()) > limit:
        raise ValidationError(field, f"is longer than {limit} characters")
    return value.strip()


_ITEM_COLUMNS_STATUS = (*_ITEM_COLUMNS, _E.c.status)
_ITEMS_BY_ID = OrgInList(lambda ids: select(*_ITEM_COLUMNS_STATUS).where(
    _E.c.entity_type == "menu_item", _E.c.id.in_(ids)).order_by(_E.c.entity_name))
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
        amount = self._price(price)
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
            self._record_price(item.id, item.entity_name, amount, None)
            return self.items([item.id])[item.id]

    def update_item(self, item_id: str, name: str | None = None, price: Any = None, category: str | None = None,
                    kitchen_station: str | None = None, classification: str | None = None,
                    available: bool | None = None) -> MenuItem:
        """Change what is given of a menu item, all in one unit of work; the rest stays as it is.

        A new price applies to tickets from now on (sales keep the price they were sold at) and is kept in
        the item's price history. ``available=False`` marks it sold out ("86") for the current business
        day; ``available=True`` puts it back on sale at once (the next business day does so by itself).
        """
        self.scope.require("menu.manage", "change the menu")
        item_id = checked_id("item_id", item_id)
        entity: dict[str, Any] = {}
        if name is not None:
            entity["entity_name"] = _text("name", name, "a name", 255)
        if classification is not None:
            entity["classification"] = _text("classification", classification, "a classification")
        amount = self._price(price) if price is not None else None
        fields: dict[str, tuple[Any, str]] = {}
        if category is not None:
            fields["category"] = (_text("category", category, "a category"), FIELD_SC["category"])
        if kitchen_station is not None:
            fields["kitchen_station"] = (_text("kitchen_station", kitchen_station, "a kitchen station").upper(),
                                         FIELD_SC["kitchen_station"])
        if available is not None and not isinstance(available, bool):
            raise ValidationError("available", "must be true or false")
        with self.scope.db.write():
            current = self._current(item_id)
            if available is not None:
                day = "" if available else BusinessCalendar(self.scope).today()
                if day != (current.sold_out_day or ""):
                    fields["sold_out_day"] = (day, FIELD_SC["sold_out_day"])
            if amount is not None and amount != current.price:
                fields["price"] = (amount, FIELD_SC["price"])
            if entity:
                self.uni.update_entity(item_id, **entity)
            if fields:
                self.uni.set_dynamic_fields(item_id, fields)
            if amount is not None and "price" in fields:
                self._record_price(item_id, entity.get("entity_name", current.entity_name), amount, current.price)
            return self.items([item_id])[item_id]

    def retire_item(self, item_id: str, reason: str) -> MenuItem:
        """Take an item off the menu for good: it can no longer be ordered, and past sales still read
        with its name. The item is kept, deleted with the reason."""
        self.scope.require("menu.manage", "change the menu")
        item_id = checked_id("item_id", item_id)
        if not isinstance(reason, str) or not reason.strip():
            raise ValidationError("reason", "a reason is needed to take an item off the menu")
        with self.scope.db.write():
            self._current(item_id)
            self.uni.delete_entity(item_id, reason)
            return self.items([item_id], include_retired=True)[item_id]

    def price_history(self, item_id: str) -> list[PriceChange]:
        """Every price the item was given, newest first, with who gave it and when."""
        item_id = checked_id("item_id", item_id)
        st = self.store
        with self.scope.db.read():
            if self.store.entity_types([item_id], "item_id", allow_deleted=True)[item_id] != "menu_item":
                raise ValidationError("item_id", "is not a menu item")
            rows = st.rows(st.select(T, T.c.transaction_type == PRICE_CHANGE, T.c.source_entity_id == item_id,
                                     columns=[T.c.id, T.c.business_context, T.c.created_at, T.c.created_by,
                                              T.c.chain_seq])
                           .order_by(T.c.created_at.desc(), T.c.chain_seq.desc()))
            people = {r.created_by for r in rows if r.created_by}
            names = {e.id: e.entity_name for e in st.by_ids(core_entities, sorted(people))} if people else {}
        out = []
        for r in rows:
            ctx = r.business_context or {}
            previous = ctx.get("previous_price")
            out.append(PriceChange(menu_item_id=item_id, price=Decimal(str(ctx["price"])),
                                   previous_price=Decimal(str(previous)) if previous is not None else None,
                                   changed_at=r.created_at, changed_by=r.created_by,
                                   changed_by_name=names.get(r.created_by) if r.created_by else None,
                                   transaction_id=r.id))
        return out

    def orderable(self, ids: list[str], field: str = "items") -> dict[str, MenuItem]:
        """The menu items of an order's lines (``ids`` in line order), each one that can be ordered now:
        a retired or sold-out item is refused by name, naming its line (``items.0.menu_item_id``)."""
        if not isinstance(field, str) or not field:
            raise ValidationError("field", "must be the name of the order's list of items")
        if not isinstance(ids, list) or not ids:
            raise ValidationError(field, "must be a list of menu item ids")
        with self.scope.db.read():
            types = self.store.entity_types(ids, f"{field}.menu_item_id", allow_deleted=True)
            menu = self.items(list(set(ids)), include_retired=True)
        held = Counter(_HELD.get() or ())
        for i, mid in enumerate(ids):
            where = f"{field}.{i}.menu_item_id"
            if types[mid] != "menu_item" or mid not in menu:
                raise ValidationError(where, "is not an item on the menu")
            entry = menu[mid]
            if held[mid] > 0:  # on the order before it ran out: the table keeps it
                held[mid] -= 1
                continue
            if entry.retired:
                raise ValidationError(where, f"{entry.entity_name} is no longer on the menu")
            if not entry.available:
                raise ValidationError(where, f"{entry.entity_name} is sold out today")
        return menu

    def _current(self, item_id: str) -> MenuItem:
        """The item to change: a menu item still on the menu."""
        if self.store.entity_types([item_id], "item_id", allow_deleted=True)[item_id] != "menu_item":
            raise ValidationError("item_id", "is not a menu item")
        item = self.items([item_id], include_retired=True)[item_id]
        if item.retired:
            raise ValidationError("item_id", f"{item.entity_name} is no longer on the menu (it was retired)")
        return item

    def _price(self, price: Any) -> Decimal:
        amount = non_negative(price, "price")
        return check_minor_unit(amount, self.scope.organization.currency, "price")

    def _record_price(self, item_id: str, name: str, price: Decimal, previous: Decimal | None) -> None:
        """The price history's record of this price: a transaction that moves no money."""
        self.scope.internal.txn.emit(c.TxnEmit(
            transaction_type=PRICE_CHANGE, smart_code=PRICE_CHANGE_SC, source_entity_id=item_id,
            description=(f"{name}: price {price}" if previous is None else f"{name}: price {previous} → {price}"),
            business_context={"price": str(price), "previous_price": None if previous is None else str(previous)},
            lines=[c.TxnLineIn(line_number=1, line_type="MENU_PRICE", entity_id=item_id, unit_price=price,
                               smart_code=PRICE_LINE_SC, description=f"Menu price of {name}")]))

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

    def remove_consumption(self, menu_item_id: str, product_id: str) -> None:
        """Selling this menu item no longer takes the product from stock (a line out of its recipe)."""
        menu_item_id = checked_id("menu_item_id", menu_item_id)
        product_id = checked_id("product_id", product_id)
        with self.scope.db.write():
            types = self.store.entity_types([menu_item_id], "menu_item_id")
            types.update(self.store.entity_types([product_id], "product_id", allow_deleted=True))
            if types[menu_item_id] != "menu_item":
                raise ValidationError("menu_item_id", "is not a menu item")
            lines = self.uni.query_relationships(from_entity_id=menu_item_id, to_entity_id=product_id,
                                                 relationship_type="consumes").relationships
            if not lines:
                raise ValidationError("product_id", "is not in this item's recipe")
            for rel in lines:
                self.uni.delete_relationship(rel.id, "Taken out of the recipe")

    def items(self, ids: list[str] | None = None, include_retired: bool = False) -> dict[str, MenuItem]:
        """Menu items by id (all on the menu when ids is None), with price, station and whether each can be
        ordered now resolved; retired items only with ``include_retired``."""
        if not isinstance(include_retired, bool):
            raise ValidationError("include_retired", "must be true or false")
        st = self.store
        e = core_entities
        with self.scope.db.read():
            if ids is not None:  # an order's items: the hot path
                ids = checked_ids("ids", ids)
                rows = [_ItemRow(*r) for r in st.run_in(_ITEMS_BY_ID, ids)
                        if include_retired or r[-1] == "active"]
            else:
                where = [e.c.entity_type == "menu_item",
                         e.c.status.in_(("active", "deleted")) if include_retired else e.c.status == "active"]
                rows = [_ItemRow(*r) for r in st.rows(st.select(e, *where, columns=list(_ITEM_COLUMNS_STATUS))
                                                      .order_by(e.c.entity_name))]
            values = self.uni.field_values([r.id for r in rows], _FIELDS)
            # Today's business day is looked up only when some item was marked sold out.
            today = BusinessCalendar(self.scope).today() if any(values[r.id].get("sold_out_day")
                                                                for r in rows) else None
        out = {}
        for r in rows:
            v = values[r.id]
            price: Decimal = v["price"] if v.get("price") is not None else ZERO
            sold_out = v.get("sold_out_day") or None
            if sold_out is not None and sold_out != today:
                sold_out = None  # marked on an earlier business day: back on sale
            out[r.id] = MenuItem(id=r.id, entity_name=r.entity_name, entity_code=r.entity_code,
                                 classification=r.classification,
                                 price=price, category=v.get("category") or "Other",
                                 kitchen_station=v.get("kitchen_station")
                                 or kitchen_station(r.entity_name, r.classification),
                                 available=sold_out is None and r.status == "active", sold_out_day=sold_out,
                                 retired=r.status == "deleted", tax_rate=v.get("tax_rate") or None)
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
