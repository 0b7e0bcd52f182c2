"""The business day: which trading day a recorded moment belongs to.

A restaurant's day does not end at midnight. The organization names its time
zone (an IANA name such as ``Europe/Berlin``; none means this computer's zone)
and the time its day starts (the cutoff, ``"04:00"`` by default): an order paid
at 00:30 belongs to the evening before.

Transaction dates are recorded as this computer's wall-clock time (see
``universal.transactions.business_time``), so a recorded moment without a zone
is read as this computer's time; a moment with a zone is taken as it says.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from .arguments import quoted

DEFAULT_CUTOFF = "04:00"
ONE_DAY = timedelta(days=1)


def zone(name: str | None) -> tzinfo | None:
    """The organization's time zone; ``None`` (this computer's zone) stays ``None``.

    Raises ``ValueError`` naming the zone when it is not an IANA time zone name.
    """
    if name is None:
        return None
    if not isinstance(name, str) or not name.strip() or name != name.strip():
        raise ValueError(f"{quoted(name)} is not a time zone name like Europe/Berlin")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{name[:40]!r} is not a time zone name like Europe/Berlin") from None


def zone_names() -> list[str]:
    """Every IANA time zone name this computer knows, sorted (for a picker)."""
    return sorted(available_timezones())


def cutoff(text: str | None) -> time:
    """The time a business day starts, from ``"HH:MM"``; raises ``ValueError`` if it is not one."""
    if text is None:
        text = DEFAULT_CUTOFF
    parts = text.split(":") if isinstance(text, str) else []
    if len(parts) != 2 or not all(p.isdigit() and len(p) == 2 for p in parts):
        raise ValueError(f"{quoted(text)} is not a time of day like 04:00")
    hours, minutes = int(parts[0]), int(parts[1])
    if hours > 23 or minutes > 59:
        raise ValueError(f"{text!r} is not a time of day like 04:00")
    return time(hours, minutes)


def business_day(moment: datetime | str, in_zone: tzinfo | None = None, starts: time = time(4)) -> date:
    """The business day ``moment`` belongs to, in the zone ``in_zone`` whose day starts at ``starts``."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    if moment.tzinfo is not None or in_zone is not None:
        # A moment without a zone is this computer's wall clock, and astimezone() reads it so.
        moment = moment.astimezone(in_zone)
    day = moment.date()
    return day - ONE_DAY if moment.time() < starts else day


def day_starts(day: date, in_zone: tzinfo | None = None, starts: time = time(4)) -> datetime:
    """The moment ``day`` begins, as this computer's wall-clock time (how transaction dates are recorded)."""
    moment = datetime.combine(day, starts, tzinfo=in_zone)
    return moment.astimezone().replace(tzinfo=None) if in_zone is not None else moment
