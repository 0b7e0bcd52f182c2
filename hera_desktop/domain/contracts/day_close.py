"""Closing the business day as results: the X report (the day's figures so far) and the Z report (the closing)."""
from __future__ import annotations

from decimal import Decimal

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


class DayClosing(BaseModel):
    """The Z report: the figures, the count, and the closing record written to the books."""
    model_config = ConfigDict(frozen=True, defer_build=True)
    figures: DayFigures
    counted_cash: Decimal
    difference: Decimal        # counted - expected: positive is over, negative is short
    closing: Emitted
