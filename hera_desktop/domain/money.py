"""Money and quantities: exact Decimals, one policy for the whole product.

Floats never carry money. A float given by a caller is converted through
``str()`` (so ``0.1`` is ``Decimal("0.1")``, not its binary approximation).
Rounding to a currency's minor unit is half-up, and happens only where a rule
says so (tax, average cost presentation), never silently.

Text is read one way only: a point marks decimals and a comma may group
thousands ("1,234.50"). A comma anywhere else ("12,50") is refused, because
guessing would turn one number into another. Text a person types in the
desktop is read in their locale first (``gui/numbers.py``).
"""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from .errors import ValidationError

ZERO = Decimal("0")
CENT = Decimal("0.01")
# Amounts beyond this are certainly a typing mistake, and would lose precision downstream.
MAX_ABS = Decimal("1e15")

# Thousands grouped by commas, optionally with decimals after a point: the only commas text may carry.
_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")
_SEPARATED = re.compile(r"[+-]?[\d,]*\.?[\d,]*")

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
        d = _from_text(value, field)
    else:
        raise ValidationError(field, f"must be a number, got {type(value).__name__}")
    if not d.is_finite():
        raise ValidationError(field, "must be a finite number")
    if d.adjusted() >= MAX_ABS.adjusted():  # abs(d) >= MAX_ABS without arithmetic, which overflows on 1E+999999
        raise ValidationError(field, f"is too large ({d:.3E})")
    if d == 0:
        return ZERO
    return d


def non_negative(value: Any, field: str) -> Decimal:
    """``value`` as an exact amount that is zero or more (a price, a cost, a limit, a level)."""
    amount = D(value, field)
    if amount < 0:
        raise ValidationError(field, "cannot be negative")
    return amount


def _from_text(value: str, field: str) -> Decimal:
    text = value.strip()
    if "," in text:
        if _GROUPED.fullmatch(text):
            text = text.replace(",", "")
        elif _SEPARATED.fullmatch(text) and any(ch.isdigit() for ch in text):
            raise ValidationError(field, f"{text[:40]!r} is ambiguous: a comma only groups thousands "
                                         "(as in 1,234.50) and decimals follow a point (12.50)")
        else:
            text = ""
    try:
        # Decimal() would read "1_000" as 1000: an underscore is no separator a person means.
        d = Decimal(text) if text and "_" not in text else None
    except InvalidOperation:
        d = None
    if d is None:
        raise ValidationError(field, f"must be a number, got {value[:40]!r}")
    return d


def currency_code(field: str, value: object) -> str:
    """``value`` if it is a three-letter currency code (upper case, as recorded), else a ValidationError."""
    if isinstance(value, str) and len(value) == 3 and value.isascii() and value.isalpha() and value.isupper():
        return value
    raise ValidationError(field, "must be a three-letter currency code like USD")


def places(currency: str) -> int:
    """How many decimals the currency's amounts have: 2 for USD, 0 for JPY, 3 for KWD."""
    return _MINOR_UNITS.get(currency.upper(), 2)


def minor_unit(currency: str) -> Decimal:
    return Decimal(1).scaleb(-places(currency))


def check_minor_unit(amount: Decimal, currency: str, field: str) -> Decimal:
    """Refuse an amount finer than the currency's minor unit, naming ``field``.

    Such an amount is float noise (0.1 + 0.2 is 0.30000000000000004) or a slip
    of the finger; rounding it quietly would record a different amount than the
    one given, so the caller decides (rounding with ``round_money`` is a rule).
    """
    if amount != amount.quantize(minor_unit(currency)):
        raise ValidationError(field, f"has more decimals than {currency.upper()} allows ({to_text(amount)})")
    return amount


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


def optional_text(amount: Decimal | None) -> str | None:
    """``to_text`` of an amount that may be missing (a line's quantity, its unit price)."""
    return None if amount is None else to_text(amount)


def fmt(amount: Decimal, currency: str = "") -> str:
    """Human display: grouped thousands, the currency's decimals."""
    q = round_money(amount, currency or "USD")
    decimals = places(currency or "USD")
    text = f"{q:,.{decimals}f}"
    return f"{text} {currency}".strip() if currency else text
