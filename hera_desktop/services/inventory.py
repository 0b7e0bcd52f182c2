"""Stock movements (``s.inventory``): receipt, issue, transfer and count adjustment, per location.

Each adjustment is one transaction whose INVENTORY lines carry the location;
the stock ledger rule updates levels and average cost from those lines, and the
posting rules put receipts on the books and issues into cost of goods sold.

A manager's issue or transfer is refused when it would take more than is on
hand. A sale is not: what its items consumed is issued in one transaction (a
line per product) even past zero, and ``negative_stock`` lists what went
negative so the manager can receive or count it.
"""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..domain import contracts as c
from ..domain.contracts.inventory import AdjustmentResult, InventoryMovement, NegativeStock, Product
from ..domain.errors import InsufficientInventoryError, PermissionDeniedError, ValidationError
from ..domain.ids import checked_id, checked_ids
from ..domain.money import D, ZERO, non_negative, round_money
from ..storage.schema import core_entities
from .stock import StockLedger, sale_taking_stock

if TYPE_CHECKING:
    from ..app import Scope

ADJUSTMENT_TYPES = ("receipt", "issue", "transfer", "adjustment")
PRODUCT_SC = "HERA.INVENTORY.PRODUCT.ENT.V1"
PRODUCT_FIELD_SC = {"reorder_level": "HERA.INVENTORY.PRODUCT.DYN.REORDER.V1",
                    "unit": "HERA.INVENTORY.PRODUCT.DYN.UNIT.V1"}


def _reorder_level(value: Any) -> Decimal:
    return non_negative(value, "reorder_level")


def _unit(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("unit", "a product's unit is a word like kg, litre or bottle")
    if len(value.strip()) > 20:
        raise ValidationError("unit", "is longer than 20 characters")
    return value.strip()


class Inventory:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.store = scope.store
        self.ledger = StockLedger(scope)

    def adjust(self, product_id: str, adjustment_type: str, quantity: Any, unit_cost: Any = None,
               reason: str = "", reference: str | None = None, location_id: str | None = None,
               to_location_id: str | None = None, transaction_date: Any = None,
               idempotency_key: str | None = None) -> AdjustmentResult:
        self.scope.require("inventory.adjust", "adjust stock")
        return self._adjust(product_id, adjustment_type, quantity, unit_cost, reason, reference, location_id,
                            to_location_id, transaction_date, idempotency_key)

    def _adjust(self, product_id: str, adjustment_type: str, quantity: Any, unit_cost: Any, reason: str,
                reference: str | None, location_id: str | None, to_location_id: str | None,
                transaction_date: Any = None, idempotency_key: str | None = None,
                business_context: dict[str, Any] | None = None) -> AdjustmentResult:
        checked_id("product_id", product_id)
        if adjustment_type not in ADJUSTMENT_TYPES:
            raise ValidationError("adjustment_type", f"must be one of {', '.join(ADJUSTMENT_TYPES)}")
        qty = D(quantity, "quantity")
        if adjustment_type == "adjustment":
            if qty == 0:
                raise ValidationError("quantity", "a count adjustment must change the quantity")
        elif qty <= 0:
            raise ValidationError("quantity", "must be more than zero")
        if not isinstance(reason, str) or not reason.strip():
            raise ValidationError("reason", "a reason is required for every stock movement")
        cost = None if unit_cost is None else non_negative(unit_cost, "unit_cost")
        with self.scope.db.write():
            st = self.store
            types = st.entity_types([product_id], "product_id")
            if types[product_id] != "product":
                raise ValidationError("product_id", "is not a product")
            for field, loc in (("location_id", location_id), ("to_location_id", to_location_id)):
                if loc is not None and st.entity_types([loc], field)[loc] != "location":
                    raise ValidationError(field, "is not a location")
            if adjustment_type == "transfer":
                if location_id is None or to_location_id is None:
                    raise ValidationError("to_location_id", "a transfer needs a location to take from and one to move to")
                if location_id == to_location_id:
                    raise ValidationError("to_location_id", "must be a different location")
            product = st.get(core_entities, product_id, "product")
            average = self.ledger.average_cost(product_id)
            levels = self.ledger.levels(product_id)
            here = levels.get(location_id or "", ZERO)
            previous = sum(levels.values(), ZERO)
            change = -qty if adjustment_type in ("issue", "transfer") else qty
            if change < 0 and here + change < 0:
                where = self.ledger._name(location_id) if location_id else ""
                raise InsufficientInventoryError(product.entity_name, here, -change, where)
            price = cost if cost is not None and adjustment_type == "receipt" else average
            kind = adjustment_type.upper()
            lines = [self._line(1, product_id, change, price, kind, location_id,
                                f"{adjustment_type} - {product.entity_name}", previous, previous + change)]
            if adjustment_type == "transfer":
                lines.append(self._line(2, product_id, qty, price, kind, to_location_id,
                                        f"transfer in - {product.entity_name}", previous + change, previous))
            new_level = previous + (0 if adjustment_type == "transfer" else change)
            emitted = self.scope.internal.txn.emit(c.TxnEmit(
                transaction_type="inventory_adjustment", smart_code=f"HERA.INVENTORY.ADJUSTMENT.{kind}.V1",
                transaction_date=transaction_date, source_entity_id=product_id,
                target_entity_id=to_location_id or location_id, reference=reference,
                description=f"{adjustment_type}: {product.entity_name}", idempotency_key=idempotency_key,
                business_context={"adjustment_type": adjustment_type, "reason": reason.strip()[:500],
                                  "previous_level": str(previous), "new_level": str(new_level),
                                  "location_id": location_id, "to_location_id": to_location_id,
                                  **(business_context or {})},
                lines=lines))
            return AdjustmentResult(transaction=emitted, inventory_movement=InventoryMovement(
                product=product.entity_name, adjustment_type=adjustment_type, quantity_change=change,
                previous_level=previous, new_level=new_level, unit_cost=price, location_id=location_id,
                to_location_id=to_location_id))

    def issue_for_sale(self, sale: c.Emitted, need: dict[tuple[str, str], Decimal],
                        shortfalls: list[Any]) -> c.Emitted:
        """One issue for what a sale consumed: a line per (product, location), allowed below zero.

        ``shortfalls`` (what the books were short of) is recorded in the issue's business context.
        """
        names = self.ledger.names({p for p, _ in need})
        on_hand: dict[str, Decimal] = {}  # as a manager's issue records it: the product's level everywhere
        lines = []
        for number, ((product_id, location), qty) in enumerate(sorted(need.items()), start=1):
            before = on_hand.setdefault(product_id, self.ledger.level(product_id))
            on_hand[product_id] = before - qty
            lines.append(self._line(number, product_id, -qty, self.ledger.average_cost(product_id), "ISSUE",
                                    location or None, f"issue - {names.get(product_id, product_id)}",
                                    before, before - qty))
        short = [{"product_id": s.product_id, "location_id": s.location_id or None, "on_hand": str(s.on_hand),
                  "needed": str(s.needed)} for s in shortfalls]
        with sale_taking_stock():
            return self.scope.internal.txn.emit(c.TxnEmit(
                transaction_type="inventory_adjustment", smart_code="HERA.INVENTORY.ADJUSTMENT.ISSUE.V1",
                reference=sale.transaction_code, description=f"Stock for Order {sale.transaction_code}",
                business_context={"adjustment_type": "issue", "reason": f"Sale - Order {sale.transaction_code}",
                                  "related_sale": sale.transaction_id, "shortfalls": short},
                lines=lines))

    def _line(self, number: int, product_id: str, qty: Decimal, price: Decimal, kind: str, location: str | None,
              description: str, before: Decimal, after: Decimal) -> c.TxnLineIn:
        return c.TxnLineIn(line_number=number, line_type="INVENTORY", entity_id=product_id, quantity=qty,
                           unit_price=price, line_amount=round_money(qty * price, self.scope.organization.currency),
                           smart_code=f"HERA.INVENTORY.LINE.{kind}.V1", description=description,
                           metadata={"location_id": location, "previous_quantity": str(before),
                                     "adjustment_quantity": str(qty), "new_quantity": str(after)})

    # ------------------------------------------------------------------ the catalogue of products

    def add_product(self, name: str, code: str | None = None, reorder_level: Any = None,
                    unit: str | None = None) -> c.Entity:
        """A stock item; its levels and average cost come from its movements."""
        self.scope.require("inventory.adjust", "add products")
        level = _reorder_level(reorder_level) if reorder_level is not None else None
        counted_in = _unit(unit) if unit is not None else None
        with self.scope.db.write():
            uni = self.scope.internal.universal
            product = uni.create_entity(entity_type="product", entity_name=name, entity_code=code,
                                        smart_code=PRODUCT_SC)
            fields: dict[str, tuple[Any, str]] = {}
            if level is not None:
                fields["reorder_level"] = (level, PRODUCT_FIELD_SC["reorder_level"])
            if counted_in is not None:
                fields["unit"] = (counted_in, PRODUCT_FIELD_SC["unit"])
            if fields:
                uni.set_dynamic_fields(product.id, fields)
            return product

    def update_product(self, product_id: str, name: str | None = None, unit: str | None = None,
                       reorder_level: Any = None) -> Product:
        """Change what is given of a product (its name, the unit it is counted in, its reorder level), in one
        unit of work; the rest stays as it is. Its stock and movements are untouched."""
        self.scope.require("inventory.adjust", "change products")
        product_id = checked_id("product_id", product_id)
        entity: dict[str, Any] = {}
        if name is not None:
            if not isinstance(name, str) or not name.strip():
                raise ValidationError("name", "a product needs a name")
            if len(name.strip()) > 255:
                raise ValidationError("name", "is longer than 255 characters")
            entity["entity_name"] = name.strip()
        fields: dict[str, tuple[Any, str]] = {}
        if unit is not None:
            fields["unit"] = (_unit(unit), PRODUCT_FIELD_SC["unit"])
        if reorder_level is not None:
            fields["reorder_level"] = (_reorder_level(reorder_level), PRODUCT_FIELD_SC["reorder_level"])
        with self.scope.db.write():
            self._stocked(product_id)
            uni = self.scope.internal.universal
            if entity:
                uni.update_entity(product_id, **entity)
            if fields:
                uni.set_dynamic_fields(product_id, fields)
            return self.products([product_id])[0]

    def retire_product(self, product_id: str, reason: str) -> Product:
        """Stop stocking a product: it leaves the stock lists, and its movements stay in the books.

        Refused while any of it is on hand (count it to zero first: its value would vanish from the
        stock valuation) and while an item on the menu still takes it (selling that item would issue a
        product nobody stocks); both refusals say what to do."""
        self.scope.require("inventory.adjust", "retire products")
        product_id = checked_id("product_id", product_id)
        if not isinstance(reason, str) or not reason.strip():
            raise ValidationError("reason", "a reason is needed to stop stocking a product")
        with self.scope.db.write():
            product = self._stocked(product_id)
            on_hand = self.ledger.level(product_id)
            if on_hand != 0:
                raise ValidationError("product_id", f"{product.entity_name} has {on_hand} on hand: count it "
                                                    "to zero before retiring it")
            uni = self.scope.internal.universal
            takers = {r.from_entity_id for r in uni.query_relationships(
                to_entity_id=product_id, relationship_type="consumes").relationships}
            on_menu = self.scope.internal.restaurant.menu.items(sorted(takers)) if takers else {}
            if on_menu:
                names = ", ".join(sorted(i.entity_name for i in on_menu.values()))
                raise ValidationError("product_id", f"{product.entity_name} is in the recipe of {names}: take "
                                                    "it out of those recipes before retiring it")
            uni.delete_entity(product_id, reason.strip())
            return self.products([product_id], include_retired=True)[0]

    def products(self, ids: list[str] | None = None, include_retired: bool = False) -> list[Product]:
        """Products by name (those given by id, or all that are stocked), with their unit and reorder
        level; retired ones only with ``include_retired``."""
        if not isinstance(include_retired, bool):
            raise ValidationError("include_retired", "must be true or false")
        e = core_entities
        where = [e.c.entity_type == "product",
                 e.c.status.in_(("active", "deleted")) if include_retired else e.c.status == "active"]
        if ids is not None:
            where.append(e.c.id.in_(checked_ids("ids", ids)))
        with self.scope.db.read():
            st = self.store
            rows = st.rows(st.select(e, *where, columns=[e.c.id, e.c.entity_name, e.c.entity_code, e.c.status])
                           .order_by(e.c.entity_name))
            values = self.scope.internal.universal.field_values([r.id for r in rows], ("unit", "reorder_level"))
        return [Product(product_id=r.id, product_name=r.entity_name, product_code=r.entity_code,
                        unit=values[r.id].get("unit") or None, reorder_level=values[r.id].get("reorder_level"),
                        retired=r.status == "deleted") for r in rows]

    def _stocked(self, product_id: str) -> Any:
        """The product to change: one still stocked."""
        if self.store.entity_types([product_id], "product_id", allow_deleted=True)[product_id] != "product":
            raise ValidationError("product_id", "is not a product")
        product = self.store.get(core_entities, product_id, "product")
        if product.status == "deleted":
            raise ValidationError("product_id", f"{product.entity_name} is no longer stocked (it was retired)")
        return product

    # ------------------------------------------------------------------ reading

    def level(self, product_id: str, location_id: str | None = None) -> Decimal:
        if location_id not in (None, ""):  # "": the stock kept without a location
            checked_id("location_id", location_id)
        with self.scope.db.read():
            self.store.get(core_entities, product_id, "product")
            return self.ledger.level(product_id, location_id)

    def average_cost(self, product_id: str) -> Decimal:
        with self.scope.db.read():
            self.store.get(core_entities, product_id, "product")
            return self.ledger.average_cost(product_id)

    def negative_stock(self) -> list[NegativeStock]:
        """Every product below zero at a location, by product then location name."""
        if not (self.scope.allows("inventory.adjust") or self.scope.allows("reports.view")):
            raise PermissionDeniedError(f"A {self.scope.role} may not see stock", permission="inventory.adjust")
        with self.scope.db.read():
            rows = self.ledger.negative()
            names = self.ledger.names({r.product_id for r in rows} |
                                                      {r.location_id for r in rows if r.location_id})
        out = [NegativeStock(product_id=r.product_id, product_name=names.get(r.product_id, r.product_id),
                             location_id=r.location_id or "",
                             location_name=names.get(r.location_id, r.location_id) if r.location_id
                             else "(no location)", quantity=r.quantity) for r in rows]
        return sorted(out, key=lambda n: (n.product_name, n.location_name))

    def rebuild(self, product_id: str | None = None) -> int:
        self.scope.require("inventory.adjust", "rebuild stock levels")
        return self.ledger.rebuild(product_id)


__all__ = ["ADJUSTMENT_TYPES", "Inventory", "ZERO"]
