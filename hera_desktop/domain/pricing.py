"""What an order costs: each line's amount and the tax, worked out once for the till and the books.

The till shows the total a cashier reads out before anything is recorded, and the
restaurant service records the sale; both price through these functions, so the
two agree to the cent. Each line is its quantity times its unit price, rounded
half-up to the currency's minor unit; the tax is the rate times the subtotal,
rounded half-up once for the order.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Iterable, NamedTuple

from .money import ZERO, round_money


class OrderPrice(NamedTuple):
    subtotal: Decimal
    tax: Decimal
    total: Decimal
    rate: Decimal


def line_amount(quantity: Decimal | int, unit_price: Decimal, currency: str) -> Decimal:
    """A line's amount: quantity times unit price, half-up to the currency's minor unit."""
    return round_money(quantity * unit_price, currency)


def order_tax(subtotal: Decimal, rate: Decimal, currency: str) -> Decimal:
    """The tax of an order: the rate times its subtotal, half-up to the currency's minor unit."""
    return round_money(subtotal * rate, currency)


def price_order(lines: Iterable[tuple[Decimal | int, Decimal]], rate: Decimal, currency: str) -> OrderPrice:
    """The order's subtotal, tax and total from its lines' (quantity, unit price)."""
    subtotal = sum((line_amount(quantity, price, currency) for quantity, price in lines), ZERO)
    tax = order_tax(subtotal, rate, currency)
    return OrderPrice(subtotal, tax, subtotal + tax, rate)
