"""Stock as results: a movement and its effect on the level, products below zero or short for a sale,
and stock on hand per location with its history."""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

from pydantic import BaseModel, ConfigDict

from . import Emitted, Result


class InventoryMovement(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)
    product: str
    adjustment_type: str
    quantity_change: Decimal
    previous_level: Decimal
    new_level: Decimal
    unit_cost: Decimal
    location_id: Optional[str] = None
    to_location_id: Optional[str] = None


class AdjustmentResult(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)
    transaction: Emitted
    inventory_movement: InventoryMovement


class NegativeStock(BaseModel):
    """A product whose level at a location is below zero: sold past what the books had."""
    model_config = ConfigDict(frozen=True, defer_build=True)
    product_id: str
    product_name: str
    location_id: str  # "" for stock kept without a location
    location_name: str
    quantity: Decimal


def _quantity(q: Decimal) -> str:
    return f"{q.normalize():f}"


class Shortfall(BaseModel):
    """A product an order needs more of than the books say is on hand where it is taken from."""
    model_config = ConfigDict(frozen=True, defer_build=True)
    product_id: str
    product_name: str
    location_id: str  # "" for stock kept without a location
    location_name: str
    on_hand: Decimal
    needed: Decimal

    @property
    def message(self) -> str:
        at = f" at {self.location_name}" if self.location_id else ""
        needs = f" (this order needs {_quantity(self.needed)})"
        if self.on_hand <= 0:
            return f"No {self.product_name} left{at}{needs}"
        return f"Only {_quantity(self.on_hand)} of {self.product_name} left{at}{needs}"


class Location(Result):
    location_id: str  # "" for stock recorded without a location
    name: str


class ProductStock(Result):
    product_id: str
    product_name: str
    product_code: str
    by_location: dict[str, Decimal]  # location_id -> quantity on hand
    on_hand: Decimal
    average_cost: Decimal
    value: Decimal
    reorder_level: Optional[Decimal] = None

    @property
    def low(self) -> bool:
        """At or below the reorder level: time to order more."""
        return self.reorder_level is not None and self.on_hand <= self.reorder_level


class Product(Result):
    """A stock item as the catalogue keeps it: what it is called, the unit it is counted in, when to reorder."""
    product_id: str
    product_name: str
    product_code: str
    unit: Optional[str] = None  # "kg", "bottle", ...; None when not given
    reorder_level: Optional[Decimal] = None
    retired: bool = False  # no longer stocked (listed only when retired products are asked for)


class StockOverview(Result):
    locations: list[Location]
    products: list[ProductStock]
    total_value: Decimal


class Movement(Result):
    transaction_id: str
    transaction_code: str
    transaction_date: str
    kind: str  # receipt, issue, transfer, adjustment, sale, reversal
    location_id: str
    location_name: str
    quantity: Decimal  # signed: + into the location, - out of it
    unit_cost: Optional[Decimal]
    balance: Decimal  # on hand after this movement, at its location (or in all, without a location filter)
    reason: str
    reference: Optional[str]
