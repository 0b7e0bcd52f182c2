"""JSON as stored: Decimals become exact strings, datetimes ISO text, nothing else is guessed.

NaN and Infinity are refused: they are not JSON, and PostgreSQL would not take them.
"""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot be stored as JSON")


def dumps(value: Any) -> str:
    return json.dumps(value, default=_default, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def normalize(value: Any) -> Any:
    """The value exactly as it will read back from the database."""
    return json.loads(dumps(value))


def canonical(value: Any) -> str:
    """Stable text for hashing: sorted keys, no whitespace."""
    return json.dumps(value, default=_default, ensure_ascii=False, separators=(",", ":"), sort_keys=True,
                      allow_nan=False)
