"""Long imports in short chunks, so a till's Pay never waits behind them.

The books have one write lock. An import of hundreds of thousands of entries
written in one unit of work would hold it for minutes, and every till would wait
(and give up). Here an import is written as a run of units of work, each holding
the lock for about ``CHUNK_HOLD_S``: the first takes ``FIRST_CHUNK`` records, and
each next one as many as the last one's measured time says fit. Between two
chunks the import lets go of the lock for ``GAP_S`` (a waiting writer asks for it
every few milliseconds, see ``storage.engine.begin_immediate``), copies the
write-ahead log into the books file in its own time, reports its progress
(done, total) and asks whether it should stop.

Whether an import stopped half-way keeps what it wrote is the import's choice:
an "all or nothing" import undoes the chunks it wrote (see its ``undo``), one that
keeps the good rows keeps them and says how many.
"""
from __future__ import annotations

import logging
import time
from typing import Any, Callable, Generic, Sequence, TypeVar

from ..domain.errors import HeraError, ValidationError
from ..storage.database import Database

FIRST_CHUNK = 200
CHUNK_HOLD_S = 0.1   # the longest a chunk should hold the write lock
SMALLEST_CHUNK, LARGEST_CHUNK = 10, 20_000
GAP_S = 0.01         # the lock is free this long between two chunks: a waiting till's write gets in

Progress = Callable[[int, int], Any]
Cancel = Callable[[], Any]
Result = TypeVar("Result")
_log = logging.getLogger("hera_desktop.imports")  # each long write's chunks and longest hold, for the log


class ImportCancelled(HeraError):
    """The person stopped an import between two of its chunks; ``done`` of ``total`` had been written."""
    code = "import_cancelled"

    def __init__(self, done: int, total: int, message: str | None = None) -> None:
        self.done = done
        self.total = total
        super().__init__(message or f"The import was cancelled after {done:,} of {total:,}")


class ImportUndone(HeraError):
    """An all-or-nothing import failed half-way; what it had written was undone (the message says how)."""
    code = "import_undone"


def checked(progress: Progress | None, cancel: Cancel | None) -> None:
    """Refuse callbacks that cannot be called, before anything is written."""
    if progress is not None and not callable(progress):
        raise ValidationError("progress", "must be a function taking (done, total)")
    if cancel is not None and not callable(cancel):
        raise ValidationError("cancel", "must be a function answering whether to stop (or a cancel token)")


class ChunkedWrite(Generic[Result]):
    """Writes ``total`` records in chunks, each its own unit of work. ``results`` holds what the chunks
    written so far returned (also after a failure or a cancel), ``longest_hold_s`` the longest time a chunk
    held the write lock and ``chunks`` how many there were."""

    def __init__(self, db: Database, total: int, progress: Progress | None = None, cancel: Cancel | None = None,
                 hold_s: float | None = None, first: int | None = None) -> None:
        checked(progress, cancel)
        self.db = db
        self.total = total
        self.progress = progress
        self.cancel = cancel
        self.hold_s = CHUNK_HOLD_S if hold_s is None else hold_s
        self.size = max(1, FIRST_CHUNK if first is None else first)
        self.results: list[Result] = []
        self.done = 0
        self.chunks = 0
        self.longest_hold_s = 0.0

    def run(self, write: Callable[[int, int], Sequence[Result]]) -> list[Result]:
        """Call ``write(start, stop)`` for consecutive ranges of the records, each inside its own write;
        ``ImportCancelled`` when ``cancel`` says so between two chunks."""
        if self.db.unit is not None:  # inside the caller's unit of work: it decides when all of it commits
            with self.db.write(bulk=True):
                self.results.extend(write(0, self.total))
            self._step(self.total, 0.0)
            return self.results
        while self.done < self.total:
            if self.cancel is not None and _asked(self.cancel, "cancel"):
                raise ImportCancelled(self.done, self.total)
            stop = min(self.total, self.done + self.size)
            with self.db.write():
                started = time.perf_counter()
                written = write(self.done, stop)
            held = time.perf_counter() - started  # from holding the lock to having committed
            self.results.extend(written)
            self._step(stop, held)
            if self.done < self.total:
                self.db.checkpoint()
                time.sleep(GAP_S)
        _log.info("written in chunks", extra={"hera": {
            "records": self.total, "chunks": self.chunks, "longest_hold_ms": round(self.longest_hold_s * 1000, 1)}})
        return self.results

    def _step(self, done: int, held: float) -> None:
        count = done - self.done
        self.done = done
        self.chunks += 1
        self.longest_hold_s = max(self.longest_hold_s, held)
        if held > 0:  # aim a little under the bound: chunks of the same size vary
            fit = int(count * self.hold_s * 0.8 / held)
            self.size = max(SMALLEST_CHUNK, min(LARGEST_CHUNK, self.size * 2, fit))
        if self.progress is not None:
            _asked(self.progress, "progress", done, self.total)


def _asked(callback: Callable[..., Any], name: str, *args: Any) -> Any:
    """The caller's callback's answer; if it raises, the import stops there and says why."""
    try:
        return callback(*args)
    except HeraError:
        raise
    except Exception as exc:  # noqa: BLE001 - the caller's own code: the import stops and says why
        raise ValidationError(name, f"raised {type(exc).__name__}: {str(exc)[:200]}; the import stopped") from None
