"""The kitchen as results: the tickets a station gets (a round of an open order, a VOID, or what a payment
brings that was never sent) and where an open order stands with the kitchen."""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

from pydantic import BaseModel, ConfigDict


class KitchenLine(BaseModel):
    model_config = ConfigDict(frozen=True)
    menu_item_id: Optional[str] = None
    name: str
    quantity: Decimal
    note: str = ""  # the guest's special instructions, printed in bold


class KitchenTicket(BaseModel):
    """What one station is handed: the lines of one round, or the lines taken back (``void``)."""
    model_config = ConfigDict(frozen=True)
    station: str
    lines: list[KitchenLine]
    order: str                      # "Table 5" or "Counter order", as the order is named
    code: str                       # the order's document code, to match tickets to the order
    at: str                         # when it was sent (UTC, as the books record times)
    round: Optional[int] = None     # 1, 2, ... for sends; None for what a payment sends
    void: bool = False
    reason: Optional[str] = None    # why the lines of a VOID ticket were taken back
    server: Optional[str] = None
    reprint: bool = False  # printed again from a paid order: says COPY


class KitchenSend(BaseModel):
    """One press of "Send to kitchen": the round's tickets, one per station (none when nothing was new)."""
    model_config = ConfigDict(frozen=True)
    draft_id: str
    round: Optional[int] = None
    transaction_id: Optional[str] = None
    tickets: list[KitchenTicket] = []


class LineStatus(BaseModel):
    model_config = ConfigDict(frozen=True)
    sent: Decimal       # how many of the line the kitchen has (sent and not voided)
    waiting: Decimal    # how many are not sent yet


class KitchenStatus(BaseModel):
    """Where an open order stands with the kitchen; ``lines`` follow the order's ticket line by line."""
    model_config = ConfigDict(frozen=True)
    draft_id: str
    rounds: int = 0
    last_sent_at: Optional[str] = None
    waiting: Decimal = Decimal(0)
    lines: list[LineStatus] = []
