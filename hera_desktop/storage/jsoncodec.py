"""JSON as stored: Decimals become exact strings, datetimes ISO text, nothing else is guessed.

NaN and Infinity are refused: they are not JSON, and PostgreSQL would not take them.
"""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from ..domain.money import to_text


def _default(value: object) -> str:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot be stored as JSON")


# Built once: json.dumps would build an encoder with these options on every call.
_ENCODER = json.JSONEncoder(default=_default, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
_CANONICAL = json.JSONEncoder(default=_default, ensure_ascii=False, separators=(",", ":"), sort_keys=True,
                              allow_nan=False)
# Values that read back from JSON exactly as they are (floats are not: NaN, and 1.0 is not 1).
_AS_IS = frozenset((str, int, bool, type(None)))


def dumps(value: object) -> str:
    if type(value) is dict and not value:
        return "{}"  # most metadata: no encoder needed
    return _ENCODER.encode(value)


def normalize(value: object) -> Any:
    """The value exactly as it will read back from the database."""
    if type(value) is dict and not value:
        return {}  # most metadata
    if type(value) is dict and all(type(k) is str and type(v) in _AS_IS for k, v in value.items()):
        return dict(value)  # a flat mapping of text, whole numbers, true/false and null: nothing to convert
    return json.loads(_ENCODER.encode(value))


def canonical(value: object) -> str:
    """Stable text for hashing: sorted keys, no whitespace."""
    return _CANONICAL.encode(value)


def _by_value(value: object) -> str:
    if isinstance(value, Decimal):
        return to_text(value)
    return _default(value)


_BY_VALUE = json.JSONEncoder(default=_by_value, ensure_ascii=False, separators=(",", ":"), sort_keys=True,
                             allow_nan=False)


def canonical_by_value(value: object) -> str:
    """As ``canonical``, with every amount written by its value: 1.5, "1.50" and 1.500 read alike."""
    return _BY_VALUE.encode(value)
