"""The hybrid logical clock that orders changes across terminals.

A reading is the physical time in milliseconds the terminal last saw, and a
counter that orders changes within that millisecond (or while the computer's
clock stands behind a reading already given). Readings never go backwards: a
clock set back, or a terminal that has seen a later reading from another,
keeps counting on from the last one. With the terminal's id after them they
order every change of every terminal in one way all terminals agree on.
"""
from __future__ import annotations

from typing import NamedTuple

from .errors import ValidationError


class Reading(NamedTuple):
    """One reading of the clock: milliseconds since 1970 (UTC) and a counter within them."""

    physical_ms: int
    counter: int


ORIGIN = Reading(0, 0)
# A counter past this means a million changes in one millisecond, or a clock held back that long: refused
# rather than grown without end (the stored column is a 32-bit integer).
MAX_COUNTER = 2**31 - 1


def tick(last: Reading, now_ms: int) -> Reading:
    """The reading for a change made here now: after ``last``, and at ``now_ms`` if the clock is ahead of it."""
    if now_ms > last.physical_ms:
        return Reading(now_ms, 0)
    return _counted(last.physical_ms, last.counter + 1)


def ticks(last: Reading, now_ms: int, count: int) -> list[Reading]:
    """``count`` readings in order, as that many calls of ``tick`` at ``now_ms`` give them (bulk writers)."""
    out: list[Reading] = []
    for _ in range(count):
        last = tick(last, now_ms)
        out.append(last)
    return out


def receive(last: Reading, remote: Reading, now_ms: int) -> Reading:
    """The reading after learning of ``remote`` (another terminal's change): after both it and ``last``."""
    physical = max(last.physical_ms, remote.physical_ms, now_ms)
    if physical == last.physical_ms == remote.physical_ms:
        return _counted(physical, max(last.counter, remote.counter) + 1)
    if physical == last.physical_ms:
        return _counted(physical, last.counter + 1)
    if physical == remote.physical_ms:
        return _counted(physical, remote.counter + 1)
    return Reading(physical, 0)


def _counted(physical_ms: int, counter: int) -> Reading:
    if counter > MAX_COUNTER:
        raise ValidationError("clock", "the change clock's counter is exhausted: this computer's clock has stood "
                                       "behind the last change for too long; set it to the right time")
    return Reading(physical_ms, counter)
