"""The shapes a caller's arguments must have, each refused with the argument named.

A public method that takes a list, a mapping or a whole number checks it here
before it reads or writes anything, so a wrong shape is a ``ValidationError``
naming the argument rather than whatever Python says deep inside. What a
caller gave is quoted through ``quoted``: never its full repr, which for a list
nested thousands deep cannot be made and for a long text fills the screen.
"""
from __future__ import annotations

from typing import Any

from .errors import ValidationError


def quoted(value: object) -> str:
    """What a caller gave, as a message shows it: the start of a text, else the kind of value."""
    if isinstance(value, str):
        return repr(value[:40])
    if value is None or isinstance(value, (bool, int)) and abs(value) < 10**12:
        return repr(value)
    return f"a {type(value).__name__}"


def listed(field: str, value: object, what: str) -> list[Any]:
    """``value`` as a list if it is a list, tuple or set; else a ValidationError saying it must be a list of ``what``."""
    if isinstance(value, (list, tuple, set, frozenset)):
        return list(value)
    raise ValidationError(field, f"must be a list of {what}, got {quoted(value)}")


def mapping(field: str, value: object, what: str) -> dict[Any, Any]:
    """``value`` if it is a mapping (a dict); else a ValidationError saying it must map ``what``."""
    if isinstance(value, dict):
        return value
    raise ValidationError(field, f"must be a mapping of {what}, got {quoted(value)}")


def text(field: str, value: object, longest: int = 255) -> str:
    """``value`` if it is text of 1 to ``longest`` characters, else a ValidationError naming ``field``."""
    if isinstance(value, str) and value.strip() and len(value) <= longest:
        return value
    raise ValidationError(field, f"must be text of 1 to {longest} characters, got {quoted(value)}")


def whole_number(field: str, value: object, low: int, high: int) -> int:
    """``value`` if it is a whole number from ``low`` to ``high`` (not a bool), else a ValidationError."""
    if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
        return value
    raise ValidationError(field, f"must be a whole number from {low} to {high}, got {quoted(value)}")
