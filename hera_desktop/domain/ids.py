"""Identifiers and clocks.

IDs are UUID version 7, generated on the client: records made offline on two
terminals never collide, and sort by creation time. A record its organization
knows by a natural key instead (the "Active Status" workflow entity, an account
of the default chart, an entity's field of one name) has the UUID version 5 of
that key: two terminals that make it offline make the same record, which sync
merges instead of keeping twice. Timestamps are UTC ISO-8601 strings with
microseconds, so text order is time order on every database.
"""
from __future__ import annotations

import functools
import hashlib
import os
import threading
import time
import uuid
from datetime import datetime, timezone

from .arguments import listed, quoted
from .errors import ValidationError

_lock = threading.Lock()
_last_ms = 0
_counter = 0
# Random bits from the OS, fetched 4,000 bytes at a time: one system call per few hundred ids, not one per
# id. Each request takes 2 of them to seed the counter if the millisecond changed, and 8 per id for its tail.
_POOL_BYTES = 4000
_pool = b""
_at = _POOL_BYTES


def _forget_pool() -> None:
    """A forked child must not hand out the same random bits as its parent."""
    global _pool, _at
    _pool, _at = b"", _POOL_BYTES


os.register_at_fork(after_in_child=_forget_pool)


def new_id() -> str:
    """A time-ordered UUIDv7 string; monotonic within this process."""
    ms, counter, rand = _reserve(1)
    head = f"{ms & 0xFFFFFFFFFFFF:012x}"
    return f"{head[:8]}-{head[8:]}-7{counter:03x}-{_VARIANT[int(rand[0], 16) & 3]}{rand[1:4]}-{rand[4:]}"


def new_ids(count: int) -> list[str]:
    """``count`` ids in creation order, as that many calls of ``new_id`` make them (bulk writers ask at once)."""
    first_ms, first, rand = _reserve(count)
    out = []
    prefix_ms = prefix = None
    for i in range(count):
        ms = first_ms + (first + i) // 0x1000
        if ms != prefix_ms:
            head = f"{ms & 0xFFFFFFFFFFFF:012x}"
            prefix_ms, prefix = ms, f"{head[:8]}-{head[8:]}-7"
        r = rand[16 * i:16 * i + 16]
        out.append(f"{prefix}{(first + i) % 0x1000:03x}-{_VARIANT[int(r[0], 16) & 3]}{r[1:4]}-{r[4:]}")
    return out


# An id: 48 bits of milliseconds, version 7, a 12-bit counter, variant 10 and 62 random bits. The first hex
# digit of its fourth group holds the variant and two random bits.
_VARIANT = "89ab"


def _reserve(count: int) -> tuple[int, int, str]:
    """Counters for ``count`` ids and their random tails as hex: (millisecond, first counter, hex).

    Within a millisecond the counter goes up by one per id, from a random start
    below 0x400; past 0xFFF ids borrow the next millisecond, counting from 0.
    The i-th id's millisecond is ``ms + (first + i) // 0x1000``.
    """
    global _last_ms, _counter, _pool, _at
    need = 2 + 8 * count
    with _lock:
        if _at + need > _POOL_BYTES:
            _pool, _at = os.urandom(max(_POOL_BYTES, need)), 0
        now = time.time_ns() // 1_000_000
        if now > _last_ms:
            _last_ms = now
            _counter = (int.from_bytes(_pool[_at:_at + 2], "big") & 0x3FF) - 1
        first_ms, first = _last_ms, _counter + 1
        last = first + count - 1
        _last_ms, _counter = first_ms + last // 0x1000, last % 0x1000
        rand = _pool[_at + 2:_at + need].hex()
        _at += need
    return first_ms, first, rand


def natural_id(organization_id: str, *key: str | int) -> str:
    """The id of the record ``organization_id`` knows by ``key`` (its kind first: "workflow_status",
    "Active Status"): ``uuid.uuid5`` of the key's parts, joined by a unit separator, under the
    organization's id. The same on every terminal and database, for ever: stored ids depend on it."""
    name = _KEY_SEPARATOR.join([part if type(part) is str else str(part) for part in key])
    if not key or name.count(_KEY_SEPARATOR) != len(key) - 1:
        raise ValidationError("key", "a natural key is one or more parts without a unit separator")
    digest = hashlib.sha1(_namespace(organization_id) + name.encode("utf-8")).hexdigest()
    return (f"{digest[:8]}-{digest[8:12]}-5{digest[13:16]}-{_VARIANT[int(digest[16], 16) & 3]}{digest[17:20]}-"
            f"{digest[20:32]}")


_KEY_SEPARATOR = "\x1f"


@functools.lru_cache(maxsize=64)
def _namespace(organization_id: str) -> bytes:
    try:
        return uuid.UUID(organization_id).bytes
    except (TypeError, ValueError, AttributeError):
        raise ValidationError("organization_id", f"{quoted(organization_id)} is not a valid id") from None


def is_uuid(value: object) -> bool:
    if not isinstance(value, str) or len(value) != 36:
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def checked_id(field: str, value: object) -> str:
    """``value`` if it is an id, else a ValidationError naming ``field`` and what was given instead."""
    if is_uuid(value):
        return value  # type: ignore[return-value]
    raise ValidationError(field, f"{quoted(value)} is not a valid id")


def client_id(value: object, natural: bool = False, field: str = "id") -> str:
    """An id a caller chose for a new record: a UUIDv7 in canonical text (lowercase, hyphenated), as
    ``new_id`` makes them (``natural``: or a natural id, version 5, as ``natural_id`` makes them); else a
    ValidationError naming ``field``."""
    if isinstance(value, str) and is_uuid(value) and str(uuid.UUID(value)) == value and value[19] in _VARIANT:
        if value[14] == "7" or natural and value[14] == "5":
            return value
    raise ValidationError(field, f"{quoted(value)} cannot be a new record's id: it must be a UUIDv7 in lowercase "
                                f"text (like {_EXAMPLE}); leave it out to get a new one")


_EXAMPLE = "0193a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b"


def checked_ids(field: str, values: object) -> list[str]:
    """``values`` as a list of ids, else a ValidationError naming ``field`` (or the position of the bad one).

    Text of an id's length is let through unparsed (lists and reports pass thousands): it can only
    find nothing. Anything else is checked as ``checked_id`` checks one id.
    """
    ids = listed(field, values, "ids")
    for i, value in enumerate(ids):
        if type(value) is not str or len(value) != 36:
            checked_id(f"{field}.{i}", value)
    return ids


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def now_text() -> str:
    # timestamp_text(utcnow()), without strftime (this year always has four digits)
    return datetime.now(timezone.utc).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def timestamp_text(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
