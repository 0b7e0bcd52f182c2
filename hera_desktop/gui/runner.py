"""Work off the GUI thread: reads and changes run on a thread pool, results come back as signals.

Every change announces what it touched through ``changed``: the typed ``Changes`` its
units of work recorded (the kinds of record written, as the change feed has them), so
each screen decides whether to refresh from what was written, not from a caller's word. Tests pass ``pool=None`` to run work synchronously,
which keeps them deterministic.
"""
from __future__ import annotations

import logging
import traceback
from contextlib import AbstractContextManager, nullcontext
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from ..domain.changes import NOTHING, Changes

log = logging.getLogger("hera_desktop.gui")


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], signals: _Signals) -> None:
        super().__init__()
        self.fn = fn
        self.signals = signals

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # reported to the screen as an error dialog, never a traceback
            log.debug("background job failed:\n%s", traceback.format_exc())
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


class Runner(QObject):
    changed = Signal(object)  # the Changes a change made (what kinds of record it wrote)
    busy = Signal(bool)

    def __init__(self, pool: QThreadPool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = pool
        # How a change learns what it wrote: the books' watch (``Hera.watch``), set by the session.
        self.watch: Callable[[], AbstractContextManager[Any]] = lambda: nullcontext(None)
        self._jobs: set[_Signals] = set()
        self._front: QThreadPool | None = None  # made on first use: a lane of its own for sign-in

    def front(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
              on_error: Callable[[Exception], None] | None = None) -> None:
        """A change someone stands waiting for (checking a PIN): on a thread of its own, never queued
        behind long reads such as a report on the shared pool."""
        if self.pool is not None and self._front is None:
            self._front = QThreadPool(self)
            self._front.setMaxThreadCount(1)
        self._start(fn, on_done, on_error, True, self._front)

    def read(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
             on_error: Callable[[Exception], None] | None = None) -> None:
        self._start(fn, on_done, on_error, False, self.pool)

    def change(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
               on_error: Callable[[Exception], None] | None = None) -> None:
        self._start(fn, on_done, on_error, True, self.pool)

    def _watched(self, fn: Callable[[], Any]) -> Callable[[], tuple[Any, Changes]]:
        def work() -> tuple[Any, Changes]:
            with self.watch() as seen:
                result = fn()
            return result, (seen.changes if seen is not None else NOTHING)
        return work

    def _start(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
               on_error: Callable[[Exception], None] | None, changes: bool, pool: QThreadPool | None) -> None:
        def finished(outcome: Any) -> None:
            self._jobs.discard(signals)
            result, written = outcome if changes else (outcome, NOTHING)
            on_done(result)
            if written:
                self.changed.emit(written)
            self.busy.emit(bool(self._jobs))

        def failed(exc: Exception) -> None:
            self._jobs.discard(signals)
            self.busy.emit(bool(self._jobs))
            if on_error is not None:
                on_error(exc)
            else:
                from .errors import show_error
                show_error(None, exc)

        signals = _Signals()
        if changes:
            fn = self._watched(fn)
        if pool is None:
            try:
                result = fn()
            except Exception as exc:
                failed(exc)
            else:
                finished(result)
            return
        signals.done.connect(finished)
        signals.failed.connect(failed)
        self._jobs.add(signals)
        self.busy.emit(True)
        pool.start(_Job(fn, signals))

    def wait(self, msecs: int = 30000) -> bool:
        front = self._front is None or self._front.waitForDone(msecs)
        return front and (True if self.pool is None else self.pool.waitForDone(msecs))


