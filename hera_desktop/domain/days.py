"""A day a caller names: a report's range, an as-of date, a day to close.

It may be given as a date, a date-time (its calendar day) or ISO text
("2024-03-01", or with a time after it). The books hold the years 1000 to 9999
(transaction dates are four-digit-year text that sorts by time), so a day
outside them is refused with the argument named, before any arithmetic on it
can overflow.
"""
from __future__ import annotations

from datetime import date, datetime

from .arguments import quoted
from .errors import ValidationError

FIRST = date(1000, 1, 1)
LAST = date(9999, 12, 31)


def named_day(field: str, value: object) -> date | None:
    """The day ``value`` names (None for None), or a ValidationError naming ``field``."""
    if value is None:
        return None
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    else:
        parsed = _parsed(value)
        if parsed is None:
            raise ValidationError(field, f"{quoted(value)} is not a date (YYYY-MM-DD)")
        day = parsed
    return within_books(field, day)


def within_books(field: str, day: date) -> date:
    """``day`` if the books can hold it, else a ValidationError naming ``field``."""
    if not FIRST <= day <= LAST:
        raise ValidationError(field, f"{day.isoformat()} is outside the years the books hold (1000 to 9999)")
    return day


def _parsed(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    text = value.strip()
    if len(text) < 10 or text[10:11] not in ("", "T", " "):
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None
