"""Keyset cursors on (created_at, id): stable while rows are added, opaque to callers."""
from __future__ import annotations

import base64

from ..domain.errors import ValidationError


def encode(created_at: str, record_id: str) -> str:
    return base64.urlsafe_b64encode(f"{created_at}|{record_id}".encode()).decode().rstrip("=")


def decode(cursor: str) -> tuple[str, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        created_at, record_id = raw.split("|")
        return created_at, record_id
    except (ValueError, UnicodeDecodeError, AttributeError, TypeError):
        raise ValidationError("cursor", "is not a cursor returned by a previous page") from None


def page_limit(limit: object, default: int = 100, maximum: int = 1000) -> int:
    if limit is None:
        return default
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ValidationError("limit", f"must be a whole number from 1 to {maximum}")
    return min(limit, maximum)
