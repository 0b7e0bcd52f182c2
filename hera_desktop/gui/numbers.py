"""Numbers as a person types them: money and quantities read in the user's locale.

The locale is Qt's (``QLocale()``: the system's, or the one set with
``QLocale.setDefault``). Its decimal separator marks decimals, and its group
separator may group digits, but only where it groups them correctly. Text that
could be read two ways ("1,5" where the comma groups thousands, "1.5" where the
point does) is refused with a message saying how this locale writes numbers:
a guess would record one number for another. Money may not have more decimals
than its currency, and the text put back into a field for editing is written
the way this locale reads it.
"""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from PySide6.QtCore import QLocale

from ..domain.errors import ValidationError
from ..domain.money import D, check_minor_unit, places, round_money, to_text

SPACES = frozenset(" \u00a0\u202f")    # a space-like group separator may be typed as any of them
SEPARATORS = frozenset(".,'\u2019\u066b\u066c") | SPACES   # what people use to group or mark decimals somewhere
MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u061c"))   # direction marks some locales put around a sign
MINUS = ("-", "\u2212")
# Digits in threes after the first one to three: how most locales group; the locale's own way is also accepted.
THREES = re.compile(r"\d{1,3}(,\d{3})+")


def _canonical(text: str, point: str, group: str) -> str | None:
    """``text`` with Latin digits, "." for the decimal point and "," for groups.

    None when it holds a separator this locale does not use, "" when it holds something no number has.
    """
    out, foreign = [], False
    for ch in text:
        if ch == point:
            out.append(".")
        elif ch == group or (group in SPACES and ch in SPACES):
            out.append(",")
        elif ch.isdecimal():
            out.append(str(unicodedata.decimal(ch)))
        elif ch in SEPARATORS:
            foreign = True
        else:
            return ""
    return None if foreign else "".join(out)


def _grouped_as_locale(whole: str, locale: QLocale) -> bool:
    digits = whole.replace(",", "")
    if len(digits) > 18:
        return False
    own = _canonical(locale.toString(int(digits)), locale.decimalPoint(), locale.groupSeparator())
    return own == whole


def parse_number(text: str, field: str, *, negative: bool = True, locale: QLocale | None = None) -> Decimal | None:
    """What a person typed as an exact Decimal, read in ``locale`` (the user's); "" is None.

    Raises a ValidationError naming ``field`` when the text is not a number here,
    could be read two ways, or is negative where ``negative`` is False.
    """
    loc = locale or QLocale()
    point, group = loc.decimalPoint(), loc.groupSeparator()
    typed = text.translate(MARKS).strip()
    if not typed:
        return None
    body, sign = typed, ""
    if body.startswith(MINUS) or (loc.negativeSign().strip() and body.startswith(loc.negativeSign().strip())):
        body, sign = body[1:].lstrip(), "-"
    elif body.startswith("+"):
        body = body[1:].lstrip()
    canonical = _canonical(body, point, group)
    if canonical == "" or not any(ch.isdigit() for ch in canonical or body):
        raise ValidationError(field, f"must be a number, got {typed[:40]!r}")
    whole, _, decimals = (canonical or "").partition(".")
    well_grouped = "," not in whole or THREES.fullmatch(whole) or _grouped_as_locale(whole, loc)
    if canonical is None or "." in decimals or "," in decimals or not well_grouped or whole.startswith(","):
        sample = f"1{group}234{point}5"
        raise ValidationError(field, f"{typed[:40]!r} is ambiguous here: “{group}” groups thousands and "
                                     f"“{point}” marks decimals, as in {sample}")
    value = D(sign + whole.replace(",", "") + ("." + decimals if decimals else ""), field)
    if value < 0 and not negative:
        raise ValidationError(field, f"cannot be negative ({typed[:40]})")
    return value


def parse_money(text: str, field: str, currency: str, *, negative: bool = False,
                locale: QLocale | None = None) -> Decimal | None:
    """A typed amount of ``currency``: as ``parse_number``, and refused beyond the currency's decimals."""
    value = parse_number(text, field, negative=negative, locale=locale)
    return None if value is None else check_minor_unit(value, currency, field)


def parse_quantity(text: str, field: str, *, negative: bool = False, locale: QLocale | None = None) -> Decimal | None:
    """A typed quantity or unit cost: as ``parse_number``; stock may be counted in fractions (1,5 kg)."""
    return parse_number(text, field, negative=negative, locale=locale)


def editable(value: Decimal | None, currency: str | None = None, locale: QLocale | None = None) -> str:
    """``value`` as a person would type it here, exact and ungrouped ("1234,50" in German); None is ""."""
    if value is None:
        return ""
    text = to_text(value)
    if currency and value == round_money(value, currency):  # an amount finer than its currency stays exact
        text = f"{value:.{places(currency)}f}"
    return text.replace(".", (locale or QLocale()).decimalPoint())
