"""JSON on the wire, exactly: request bodies read with limits, money written as the exact numbers it is.

A body is read as JSON with every number that has a fraction kept as a ``Decimal`` (12.10 stays 12.10,
never the binary float nearest it), NaN and Infinity refused, and limits on its size, depth and strings,
so a hostile body costs little and never reaches the core half-parsed. Responses write ``Decimal`` as a
JSON number with exactly its digits.
"""
from __future__ import annotations

import json
import re
import secrets
from decimal import Decimal
from typing import Any

from ..domain.errors import HeraError

MAX_BODY_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 32
MAX_STRING = 1_000_000  # characters in one JSON string
MAX_ITEMS = 100_000  # members of one object or array


class BodyTooLarge(HeraError):
    code = "PAYLOAD_TOO_LARGE"


class BadJson(HeraError):
    """The body is not JSON, or not within the limits; ``field`` says where when it can."""
    code = "INVALID_JSON"


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _check(value: Any, depth: int = 0, path: str = "") -> None:
    if depth > MAX_DEPTH:
        raise BadJson(f"The JSON is nested more than {MAX_DEPTH} levels deep (at {path or 'the top'})")
    if isinstance(value, str):
        if len(value) > MAX_STRING:
            raise BadJson(f"{path or 'a string'} is longer than {MAX_STRING:,} characters")
    elif isinstance(value, dict):
        if len(value) > MAX_ITEMS:
            raise BadJson(f"{path or 'the body'} has more than {MAX_ITEMS:,} members")
        for key, item in value.items():
            if len(key) > 200:
                raise BadJson(f"a member name in {path or 'the body'} is longer than 200 characters")
            _check(item, depth + 1, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        if len(value) > MAX_ITEMS:
            raise BadJson(f"{path or 'the body'} has more than {MAX_ITEMS:,} items")
        for i, item in enumerate(value):
            _check(item, depth + 1, f"{path}.{i}" if path else str(i))


def parse(body: bytes) -> Any:
    """The request's JSON (an empty body is an empty object), or BodyTooLarge / BadJson."""
    if len(body) > MAX_BODY_BYTES:
        raise BodyTooLarge(f"The request body is larger than {MAX_BODY_BYTES // (1024 * 1024)} MiB")
    if not body.strip():
        return {}
    if body.count(b"[") + body.count(b"{") > MAX_DEPTH and _too_deep(body):
        raise BadJson(f"The JSON is nested more than {MAX_DEPTH} levels deep")
    try:
        value = json.loads(body.decode("utf-8"), parse_float=Decimal, parse_constant=_refuse_constant)
    except UnicodeDecodeError:
        raise BadJson("The request body is not UTF-8 text") from None
    except (ValueError, RecursionError) as exc:
        raise BadJson(f"The request body is not valid JSON ({str(exc).splitlines()[0][:200]})") from None
    _check(value)
    return value


def _too_deep(body: bytes) -> bool:
    """Whether brackets outside strings nest deeper than the limit (checked before parsing, so a body of a
    million ``[`` never reaches the parser's recursion)."""
    depth = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return False


# Decimals are written as a marker string first, then the marker is replaced by the bare digits. The marker
# carries a secret of this process, so no text a client stored can ever be mistaken for one.
_MARK = f"hera-decimal-{secrets.token_hex(16)}:"
_MARKED = re.compile(r'"' + re.escape(_MARK) + r'(-?[0-9.E+-]+)"')


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        if not value.is_finite():
            return str(value)
        return _MARK + format(value, "f")
    raise TypeError(f"{type(value).__name__} is not JSON")


def dumps(value: Any) -> bytes:
    text = json.dumps(value, default=_default, ensure_ascii=False, separators=(",", ":"))
    return _MARKED.sub(r"\1", text).encode("utf-8")
