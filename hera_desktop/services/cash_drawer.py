"""The cash drawer opened without a sale ("No sale", ``s.cash_drawer.no_sale``): always with a reason, and
always recorded, as an immutable ``no_sale`` transaction of no amount that says who opened it, when and
why. A cash payment opens the drawer as part of its sale; that needs no record of its own.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..domain import contracts as c
from ..domain import text
from ..domain.errors import ValidationError

if TYPE_CHECKING:
    from ..app import Scope

NO_SALE_SC = "HERA.RESTAURANT.DRAWER.NO_SALE.V1"
NO_SALE_LINE_SC = "HERA.RESTAURANT.DRAWER.NO_SALE.LINE.V1"
LONGEST_REASON = 200


class CashDrawer:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope

    def no_sale(self, reason: str, idempotency_key: str | None = None) -> c.Transaction:
        """Record that the drawer is opened without a sale; the till then kicks it open."""
        self.scope.require("orders.take", "open the cash drawer")
        why = checked_reason(reason)
        with self.scope.db.write():
            emitted = self.scope.internal.txn.emit(c.TxnEmit(
                transaction_type="no_sale", smart_code=NO_SALE_SC, total_amount=0,
                description=f"No sale: {why}", idempotency_key=idempotency_key,
                business_context={"reason": why, "opened_by": self.scope.actor_id},
                lines=[c.TxnLineIn(line_number=1, line_type="NO_SALE", line_amount=0, smart_code=NO_SALE_LINE_SC,
                                   description=f"Drawer opened: {why}")]))
            return self.scope.internal.txn.read(emitted.transaction_id, include_lines=False)


def checked_reason(reason: Any) -> str:
    if not isinstance(reason, str) or not reason.strip():
        raise ValidationError("reason", "a reason is required to open the drawer without a sale")
    why = " ".join(reason.split())
    if len(why) > LONGEST_REASON:
        raise ValidationError("reason", f"must be at most {LONGEST_REASON} characters (this is {len(why)})")
    return text.plain("reason", why)
