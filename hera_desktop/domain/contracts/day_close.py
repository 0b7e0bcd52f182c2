"""Closing the business day as results: the X report (the day's figures so far) and the Z report (the closing)."""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Optional

from pydantic import BaseModel, ConfigDict

from . import Emitted
from .inventory import NegativeStock
from .reports import TaxAtRate


class DayFigures(BaseModel):
    """The X report: one business day's takings, as they stand."""
    model_config = ConfigDict(frozen=True, defer_build=True)
    day: str
    currency: str
    orders: int
    refunds: int
    payments: int
    subtotal: Decimal          # net of refunds, before tax
    tax: Decimal
    total: Decimal             # subtotal + tax
    refunds_total: Decimal     # what the day's refunds gave back (tax included), as a positive amount
    by_method: dict[str, Decimal]   # money in by payment method, net of refunds
    cash_payments: Decimal
    cash_refunds: Decimal
    cash_expected: Decimal     # cash payments - cash refunds
    negative_stock: list[NegativeStock] = []  # products sold below zero at a location, when read or closed
    taxes: list[TaxAtRate] = []  # the tax by rate, adding up to tax (closings recorded before it have none)


SHORT_HASH = 16  # the hex digits of a hash a printed report shows


class ChainHead(BaseModel):
    """One chain's newest link as a closing found it."""
    model_config = ConfigDict(frozen=True)
    terminal_id: str
    chain_seq: int
    content_hash: str


class PreviousClosing(BaseModel):
    """The closing before, as the next one refers to it: which it was and its own link."""
    model_config = ConfigDict(frozen=True)
    transaction_id: str
    transaction_code: str
    chain_seq: int
    content_hash: str


class ClosingAnchor(BaseModel):
    """What a Z report anchors: the closing's own link in its terminal's chain (``chain_seq``,
    ``content_hash``: printed, it is evidence that everything before it stood as it was), and what the
    closing recorded, hashed with it: the head of each of the organization's chains just before it, the
    grand total of sales ever (net of refunds) and the closing before it."""
    model_config = ConfigDict(frozen=True, defer_build=True)
    terminal_id: str
    chain_seq: int
    content_hash: str
    heads: list[ChainHead]
    grand_total: Decimal
    previous: Optional[PreviousClosing] = None

    @property
    def short_hash(self) -> str:
        return self.content_hash[:SHORT_HASH]

    @classmethod
    def of_closing(cls, closing: Any) -> "ClosingAnchor | None":
        """The anchor of a closing transaction (None for a closing recorded before closings had anchors)."""
        recorded = (closing.business_context or {}).get("anchor")
        if not recorded:
            return None
        return cls.model_validate({**recorded, "terminal_id": closing.terminal_id, "chain_seq": closing.chain_seq,
                                   "content_hash": closing.content_hash})


class DayClosing(BaseModel):
    """The Z report: the figures, the count, the closing record written to the books and its anchor."""
    model_config = ConfigDict(frozen=True, defer_build=True)
    figures: DayFigures
    counted_cash: Decimal
    difference: Decimal        # counted - expected: positive is over, negative is short
    closing: Emitted
    anchor: ClosingAnchor
