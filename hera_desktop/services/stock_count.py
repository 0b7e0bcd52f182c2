"""Stock counts (``s.stock_count``): a person counts what is on the shelf, the books follow.

The count adjustment is the difference between what was counted and what the
books say is at that location, read in the same database transaction as the
adjustment is written, so a sale recorded meanwhile cannot skew it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..domain.errors import ValidationError
from ..domain.money import D

if TYPE_CHECKING:
    from ..app import Scope


class StockCount:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope

    def record(self, product_id: str, location_id: str | None, counted: Any, reason: str,
               reference: str | None = None, idempotency_key: str | None = None) -> Any:
        """Adjust the product's stock at the location to ``counted``; returns the AdjustmentResult."""
        self.scope.require("inventory.adjust", "record stock counts")
        quantity = D(counted, "counted")
        if quantity < 0:
            raise ValidationError("counted", "a count cannot be negative")
        inventory = self.scope.internal.inventory
        with self.scope.db.write():
            books = inventory.level(product_id, location_id or "")
            if quantity == books:
                raise ValidationError("counted", f"the count matches the books ({books}): there is nothing to adjust")
            return inventory.adjust(product_id=product_id, adjustment_type="adjustment", quantity=quantity - books,
                                    reason=reason, reference=reference, location_id=location_id,
                                    idempotency_key=idempotency_key)


__all__ = ["StockCount"]
