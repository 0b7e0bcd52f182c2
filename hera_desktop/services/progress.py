"""Long reports that a person can stop: a checkpoint the report calls between chunks of work.

A screen hands a report its checkpoint; when the person presses Cancel the
checkpoint raises :class:`ReportCancelled` at the next chunk, so the report stops
reading instead of finishing work nobody will look at. Reports called without a
checkpoint (scripts, the server) simply run to the end.
"""
from __future__ import annotations

import threading
from typing import Callable, Iterable, Iterator, TypeVar

from ..domain.errors import HeraError, ValidationError

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

    def __call__(self) -> bool:
        """Whether to stop: a long import asks this between its chunks."""
        return self._event.is_set()

    def check(self) -> None:
        if self._event.is_set():
            raise ReportCancelled()


def chunked(rows: Iterable[Row], checkpoint: Checkpoint | None, every: int = CHUNK) -> Iterator[Row]:
    """The rows, calling ``checkpoint`` before the first and then after every ``every`` rows.

    A checkpoint that is not a function is refused here, before any row is read.
    """
    if checkpoint is None:
        return iter(rows)
    if not callable(checkpoint):
        raise ValidationError("checkpoint", "must be a function the report calls between chunks (or left out)")
    return _between_chunks(rows, checkpoint, every)


def _between_chunks(rows: Iterable[Row], checkpoint: Checkpoint, every: int) -> Iterator[Row]:
    _call(checkpoint)
    for i, row in enumerate(rows, 1):
        yield row
        if i % every == 0:
            _call(checkpoint)


def _call(checkpoint: Checkpoint) -> None:
    try:
        checkpoint()
    except HeraError:
        raise  # ReportCancelled, as a cancel token raises it
    except Exception as exc:  # noqa: BLE001 - the caller's own code: the report stops and says why
        raise ValidationError("checkpoint", f"raised {type(exc).__name__}: {str(exc)[:200]}; "
                                            f"the report stopped") from None
