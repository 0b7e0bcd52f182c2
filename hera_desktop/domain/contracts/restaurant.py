"""The restaurant as results: a menu item, an open order's ticket, and a paid order with its summary."""
from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Optional

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from ..ids import new_id
from ..money import ZERO
from . import Amount, Emitted


class MenuItem(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)
    id: str
    entity_name: str
    entity_code: str
    classification: Optional[str] = None
    price: Decimal
    category: str
    kitchen_station: str
    available: bool = True  # False: sold out ("86") for the current business day
    sold_out_day: Optional[str] = None  # the business day it was marked sold out, while that day lasts
    retired: bool = False  # off the menu for good (only listed when retired items are asked for)
    tax_rate: Optional[str] = None  # the name of the tax rate set on the item itself (else its category's)


class PriceChange(BaseModel):
    """One price a menu item was given (its first, or a change), by whom and when: never edited."""
    model_config = ConfigDict(frozen=True, defer_build=True)
    menu_item_id: str
    price: Decimal
    previous_price: Optional[Decimal] = None  # None for the item's first price
    changed_at: str  # UTC, as the books record times
    changed_by: Optional[str] = None  # the user's id
    changed_by_name: Optional[str] = None
    transaction_id: str


# ---------------------------------------------------------------- open orders

def new_key() -> str:
    """The idempotency key of a new order, made when its ticket is started."""
    return f"order-{new_id()}"


Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
Label = Annotated[str, StringConstraints(strip_whitespace=True, max_length=40)]


# The models build their validators when first used (defer_build), not on import: the till imports them
# to start, and needs them only once an order is kept or paid.
class DraftLine(BaseModel):
    """One line of an open order; the price is the menu's when it was added (the sale takes the menu's)."""
    model_config = ConfigDict(frozen=True, extra="ignore", defer_build=True)
    menu_item_id: str
    name: str = ""
    quantity: Amount
    unit_price: Amount = None
    special_instructions: Note = ""

    @field_validator("quantity")
    @classmethod
    def _positive(cls, v: Optional[Decimal]) -> Decimal:
        if v is None or v <= 0:
            raise ValueError("must be more than zero")
        return v


class Ticket(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", defer_build=True)
    lines: list[DraftLine] = Field(default_factory=list, max_length=500)
    table_number: Optional[Label] = None
    customer_id: Optional[str] = None
    customer_name: Optional[str] = None
    server_id: Optional[str] = None
    idempotency_key: Annotated[str, StringConstraints(min_length=1, max_length=180)] = Field(default_factory=new_key)

    @property
    def label(self) -> str:
        return f"Table {self.table_number}" if self.table_number else "Counter order"

    def order(self) -> dict[str, Any]:
        """The keyword arguments of ``restaurant.process_order`` for this ticket (prices from the menu)."""
        table: Any = self.table_number
        if table and table.isdigit():
            table = int(table)
        items = [{"menu_item_id": ln.menu_item_id, "quantity": ln.quantity,
                  **({"special_instructions": ln.special_instructions} if ln.special_instructions else {})}
                 for ln in self.lines]
        return {"items": items, "customer_id": self.customer_id or None, "table_number": table or None,
                "server_id": self.server_id or None, "idempotency_key": self.idempotency_key}


class OrderDraft(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)
    id: str
    entity_name: str
    ticket: Ticket
    created_at: str
    updated_at: str
    created_by: Optional[str] = None


# ---------------------------------------------------------------- paid orders

class OrderSummary(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)
    subtotal: Decimal
    tax_amount: Decimal
    total_amount: Decimal
    item_count: int
    amount_paid: Decimal
    balance_due: Decimal
    change_due: Decimal = ZERO


class OrderResult(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)
    sales_transaction: Emitted
    payment_transaction: Optional[Emitted] = None
    payment_transactions: list[Emitted] = []
    order_summary: OrderSummary
    replayed: bool = False


class SalePeople(BaseModel):
    model_config = ConfigDict(frozen=True)
    server: Optional[str] = None
    customer: Optional[str] = None
