"""The organization's business days as they stand: its time zone, its day cutoff, and the days already closed.

A transaction belongs to the business day of its date (``domain.business_day``),
unless that day had been closed when the transaction was recorded: a closed day
is frozen, so what comes after its Z report belongs to the next day that was
still open. Reports that group by day, the X report and the day-close screen
all place transactions here.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Iterator

from sqlalchemy import and_, or_

from ..domain import business_day as bd
from ..domain.days import LAST, named_day, within_books
from ..domain.errors import ValidationError
from ..storage.schema import universal_transactions as T

if TYPE_CHECKING:
    from ..app import Scope

CLOSING_KEY = "day-close/"


def closing_key(day: str) -> str:
    """The idempotency key of a day's closing: one closing per business day."""
    return f"{CLOSING_KEY}{day}"


class BusinessCalendar:
    """Read inside a unit of work (the closings are read once, on first use)."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        settings = scope.settings
        try:  # settings are checked when saved; books written before that fall back to the defaults
            self.zone = bd.zone(settings.get("time_zone"))
        except ValueError:
            self.zone = None
        try:
            self.starts = bd.cutoff(settings.get("day_cutoff"))
        except ValueError:
            self.starts = bd.cutoff(bd.DEFAULT_CUTOFF)
        self._closed: dict[str, str] | None = None

    @property
    def closed(self) -> dict[str, str]:
        """Closed business days and when each closing was recorded (UTC text, as ``created_at``)."""
        if self._closed is None:
            st = self.scope.store
            rows = st.rows(st.select(T, T.c.transaction_type == "day_close", T.c.idempotency_key.is_not(None),
                                     columns=[T.c.idempotency_key, T.c.created_at]))
            self._closed = {r.idempotency_key[len(CLOSING_KEY):]: r.created_at for r in rows
                            if r.idempotency_key.startswith(CLOSING_KEY)}
        return self._closed

    def dated_day(self, moment: datetime | str) -> date:
        """The business day of a date alone, without regard to closings."""
        return bd.business_day(moment, self.zone, self.starts)

    def day_of(self, transaction_date: str, created_at: str) -> str:
        """The business day a recorded transaction belongs to."""
        day = self.dated_day(transaction_date)
        closed = self.closed
        text = day.isoformat()
        while text in closed and created_at > closed[text]:  # recorded after its day was closed
            day += bd.ONE_DAY
            text = day.isoformat()
        return text

    def today(self) -> str:
        """The business day that sales made now belong to."""
        from ..domain.ids import now_text

        return self.day_of(datetime.now().isoformat(), now_text())

    def clock_day(self) -> str:
        """The business day the clock is in now; after its closing, sales already belong to the next one."""
        return self.dated_day(datetime.now()).isoformat()

    def check_day(self, day: Any, field: str = "day", to_close: bool = False) -> str:
        """A business day given by a caller, as text; ``None`` is today's. One not yet begun is refused.

        A day to close must have begun by the clock: the day after a closing takes sales at once, but
        is closed only once it has begun (so closing twice in a row never closes an empty day).
        """
        today = self.clock_day() if to_close else self.today()
        if day is None:
            return today
        if isinstance(day, datetime):
            try:  # a moment's day is on the business's clock, which may lie past the last day a date holds
                text = within_books(field, self.dated_day(day)).isoformat()
            except (OverflowError, ValueError):
                raise ValidationError(field, "is outside the years the books hold (1000 to 9999)") from None
        else:
            text = named_day(field, day).isoformat()  # type: ignore[union-attr]  # None is today's, above
        if text > today:
            raise ValidationError(field, f"the business day {text} has not started yet (today's is {today})")
        return text

    def bounds(self, first: str | None, last: str | None) -> tuple[str | None, str | None]:
        """The recorded dates (this computer's wall-clock text) from the start of ``first`` to the end of ``last``."""
        start = self._start(date.fromisoformat(first)) if first else None
        end = None  # up to the last day the books hold: no moment recorded lies beyond it
        if last and last < LAST.isoformat():
            end = self._start(date.fromisoformat(last) + bd.ONE_DAY)
        return start, end

    def moved_in(self, first: str) -> tuple[str, str] | None:
        """(recorded after, dated before): what may belong to ``first`` though dated earlier, because the
        day before it was closed when it was recorded. ``None`` when the day before is open."""
        before = (date.fromisoformat(first) - bd.ONE_DAY).isoformat()
        closed_at = self.closed.get(before)
        return None if closed_at is None else (closed_at, self._start(date.fromisoformat(first)))

    def _start(self, day: date) -> str:
        return bd.day_starts(day, self.zone, self.starts).isoformat(timespec="microseconds")

    def recorded_in(self, first: str | None, last: str | None) -> list[Any]:
        """SQL conditions that find every transaction that may belong to the days ``first`` to ``last``
        (exactly which do is for ``within`` to say)."""
        start, end = self.bounds(first, last)
        dated = []
        if start is not None:
            dated.append(T.c.transaction_date >= start)
        if end is not None:
            dated.append(T.c.transaction_date <= end)
        moved = self.moved_in(first) if first else None
        if moved is None:
            return dated
        return [or_(and_(*dated), and_(T.c.created_at > moved[0], T.c.transaction_date < moved[1]))]

    def hour(self, transaction_date: str) -> int:
        """The hour (0-23) on the business's clock of a recorded transaction date."""
        if self.zone is None:
            return int(transaction_date[11:13] or 0)
        return datetime.fromisoformat(transaction_date).astimezone(self.zone).hour

    def within(self, rows: Iterator[Any], first: str | None, last: str | None) -> Iterator[tuple[str, Any]]:
        """(business day, row) for rows (with ``transaction_date`` and ``created_at``) whose day is in range."""
        for r in rows:
            day = self.day_of(r.transaction_date, r.created_at)
            if (first is None or day >= first) and (last is None or day <= last):
                yield day, r
