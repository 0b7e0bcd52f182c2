"""Secrets the books keep but never give back: the fields no read, event or export may carry.

A PIN hash is kept as a dynamic field of its user so it travels with the user, but a
4-digit PIN falls in seconds to whoever holds its hash; only the users service compares
PINs with it, through its own read. Everything that hands records out (the universal
API, batch results, the change feed) leaves these out.
"""
from __future__ import annotations

from typing import Any

SECRET_FIELDS = frozenset({"pin_hash"})
_VALUE_KEYS = ("field_value_text", "field_value_number", "field_value_boolean", "field_value_date",
               "field_value_json")


def is_secret(field_name: Any) -> bool:
    return field_name in SECRET_FIELDS


def redact(data: Any) -> Any:
    """``data`` with every secret removed: keys named for a secret, and the values of a dynamic
    field row that is one (its name stays, so a reader sees that it changed)."""
    if isinstance(data, dict):
        secret_row = is_secret(data.get("field_name"))
        return {k: (None if secret_row and k in _VALUE_KEYS else redact(v))
                for k, v in data.items() if k not in SECRET_FIELDS}
    if isinstance(data, (list, tuple)):
        return [redact(v) for v in data]
    return data
