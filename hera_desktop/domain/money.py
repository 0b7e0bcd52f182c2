"""Money and quantities: exact Decimals, one policy for the whole product.

Floats never carry money. A float given by a caller is converted through
``str()`` (so ``0.1`` is ``Decimal("0.1")``, not its binary approximation).
Rounding to a currency's minor unit is half-up, and happens only where a rule
says so (tax, average cost presentation), never silently.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from .errors import ValidationError

ZERO = Decimal("0")
CENT = Decimal("0.01")
# Amounts beyond this are certainly a typing mistake, and would lose precision downstream.
MAX_ABS = Decimal("1e15")

_MINOR_UNITS = {"JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0, "BHD": 3, "KWD": 3, "OMR": 3, "JOD": 3, "TND": 3}


def D(value: Any, field: str = "amount") -> Decimal:
    """Convert a caller's value to an exact finite Decimal, or raise a ValidationError naming ``field``."""
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, bool) or value is None:
        raise ValidationError(field, f"must be a number, got {value!r}")
    elif isinstance(value, (int, float)):
        d = Decimal(str(value))
    elif isinstance(value, str):
        try:
            d = Decimal(value.strip().replace(",", "")) if value.strip() else None
        except InvalidOperation:
            d = None
        if d is None:
            raise ValidationError(field, f"must be a number, got {value[:40]!r}")
    else:
        raise ValidationError(field, f"must be a number, got {type(value).__name__}")
    if not d.is_finite():
        raise ValidationError(field, "must be a finite number")
    if d.adjusted() >= MAX_ABS.adjusted():  # abs(d) >= MAX_ABS without arithmetic, which overflows on 1E+999999
        raise ValidationError(field, f"is too large ({d:.3E})")
    if d == 0:
        return ZERO
    return d


def minor_unit(currency: str) -> Decimal:
    return Decimal(1).scaleb(-_MINOR_UNITS.get(currency.upper(), 2))


def round_money(amount: Decimal, currency: str = "USD") -> Decimal:
    """Round half-up to the currency's minor unit."""
    return amount.quantize(minor_unit(currency), rounding=ROUND_HALF_UP)


def to_text(amount: Decimal) -> str:
    """Canonical exact text for storage and hashing: no exponent, no trailing zeros past the point."""
    text = str(amount)  # plain digits for every amount money and stock deal in, and faster than format()
    if "E" in text:
        if amount == 0:
            return "0"
        text = format(amount, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("0", "-0", "") else text


def fmt(amount: Decimal, currency: str = "") -> str:
    """Human display: grouped thousands, the currency's decimals."""
    q = round_money(amount, currency or "USD")
    places = max(0, -minor_unit(currency or "USD").as_tuple().exponent)
    text = f"{q:,.{places}f}"
    return f"{text} {currency}".strip() if currency else text
