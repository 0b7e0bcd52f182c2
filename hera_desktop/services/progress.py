"""Long reports that a person can stop: a checkpoint the report calls between chunks of work.

A screen hands a report its checkpoint; when the person presses Cancel the
checkpoint raises :class:`ReportCancelled` at the next chunk, so the report stops
reading instead of finishing work nobody will look at. Reports called without a
checkpoint (scripts, the server) simply run to the end.
"""
from __future__ import annotations

import threading
from typing import Callable, Iterable, Iterator, TypeVar

from ..domain.errors import HeraError

Checkpoint = Callable[[], None]
Row = TypeVar("Row")

CHUNK = 2000  # rows read between checkpoints: frequent enough to stop within a few milliseconds


class ReportCancelled(HeraError):
    code = "cancelled"

    def __init__(self) -> None:
        super().__init__("The report was cancelled")


class CancelToken:
    """Shared by the screen (which cancels) and the report running on a worker thread (which checks)."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise ReportCancelled()


def chunked(rows: Iterable[Row], checkpoint: Checkpoint | None, every: int = CHUNK) -> Iterator[Row]:
    """The rows, calling ``checkpoint`` before the first and then after every ``every`` rows."""
    if checkpoint is None:
        yield from rows
        return
    checkpoint()
    for i, row in enumerate(rows, 1):
        yield row
        if i % every == 0:
            checkpoint()
