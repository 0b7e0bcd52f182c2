"""An order's price: lines half-up to the currency's minor unit, tax half-up once on the subtotal."""
from __future__ import annotations

from decimal import Decimal

from hera_desktop.domain.pricing import line_amount, order_tax, price_order


def test_each_line_is_rounded_half_up_to_the_cent():
    assert line_amount(3, Decimal("0.335"), "USD") == Decimal("1.01")  # 1.005 -> 1.01, never 1.00
    assert line_amount(Decimal("0.5"), Decimal("2.25"), "USD") == Decimal("1.13")  # 1.125 -> 1.13


def test_the_tax_is_rounded_once_on_the_subtotal_not_per_line():
    lines = [(1, Decimal("0.10")), (1, Decimal("0.10")), (1, Decimal("0.10"))]
    price = price_order(lines, Decimal("0.05"), "USD")
    # Per line the tax would be 0.01 three times (0.03); on the subtotal 0.30 it is 0.015 -> 0.02.
    assert (price.subtotal, price.tax, price.total) == (Decimal("0.30"), Decimal("0.02"), Decimal("0.32"))


def test_a_currency_without_minor_units_rounds_to_whole_units():
    price = price_order([(2, Decimal("250")), (1, Decimal("99"))], Decimal("0.10"), "JPY")
    assert (price.subtotal, price.tax, price.total) == (Decimal("599"), Decimal("60"), Decimal("659"))
    assert order_tax(Decimal("5"), Decimal("0.10"), "JPY") == Decimal("1")  # 0.5 -> 1, half-up
