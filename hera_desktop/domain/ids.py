"""Identifiers and clocks.

IDs are UUID version 7, generated on the client: records made offline on two
terminals never collide, and sort by creation time. Timestamps are UTC ISO-8601
strings with microseconds, so text order is time order on every database.
"""
from __future__ import annotations

import os
import threading
import time
import uuid
from datetime import datetime, timezone

_lock = threading.Lock()
_last_ms = 0
_counter = 0
# Random bits from the OS, fetched 4,000 bytes at a time: one system call per 400 ids, not one per id.
# Each id takes 10 of them: 2 to seed the counter when the millisecond changes, 8 for its random tail.
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
    global _last_ms, _counter, _pool, _at
    with _lock:
        ms = time.time_ns() // 1_000_000
        if _at >= _POOL_BYTES:
            _pool, _at = os.urandom(_POOL_BYTES), 0
        if ms <= _last_ms:
            ms = _last_ms
            _counter += 1
            if _counter > 0xFFF:  # 4096 ids in one millisecond: borrow the next one
                ms += 1
                _counter = 0
        else:
            _counter = int.from_bytes(_pool[_at:_at + 2], "big") & 0x3FF
        _last_ms = ms
        counter = _counter
        rand_b = int.from_bytes(_pool[_at + 2:_at + 10], "big") & ((1 << 62) - 1)
        _at += 10
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | counter << 64 | 0b10 << 62 | rand_b
    h = f"{value:032x}"  # what str(uuid.UUID(int=value)) gives, without building the object
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def is_uuid(value: object) -> bool:
    if not isinstance(value, str) or len(value) != 36:
        return False
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def now_text() -> str:
    # timestamp_text(utcnow()), without strftime (this year always has four digits)
    return datetime.now(timezone.utc).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def timestamp_text(moment: datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
