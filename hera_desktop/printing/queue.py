"""The print queue: jobs go to their printer on a worker thread of their own, never on the GUI thread
and never on the pool that reads and writes the books, so a slow printer cannot hold up the till.

A printer that does not answer keeps its jobs, in order, as waiting: nothing is lost (the PDF
archive is written either way). The next job for that printer, or "Reprint waiting", tries them
again, oldest first, and each prints once. A drawer kick is never kept for later: a drawer that
springs open minutes after the sale is worse than one opened by its key.
"""
from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field
from typing import Any, Callable

from PySide6.QtCore import QObject, Signal

from ..domain.errors import HeraError
from . import device
from .address import PrinterAddress


@dataclass
class Job:
    printer: str                # the printer's name as people know it: "Receipt", "Kitchen"
    address: PrinterAddress
    page: Any = None            # a 1-bit picture (raster.picture), or None for a drawer kick alone
    dots: int = 576
    drawer: bool = False
    title: str = ""             # what it is, for the record: "Receipt ORD-0001"
    tries: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Problem:
    printer: str
    reason: str
    waiting: int

    def __str__(self) -> str:
        tickets = "1 ticket" if self.waiting == 1 else f"{self.waiting} tickets"
        return f"Printer '{self.printer}' is not answering — {tickets} waiting"


class PrintQueue(QObject):
    changed = Signal()  # emitted from the worker thread: connect with Qt's automatic (queued) connection

    def __init__(self, send: Callable[..., None] = device.send) -> None:
        super().__init__()
        self._send = send
        self._lock = threading.Lock()
        self._idle = threading.Event()
        self._idle.set()
        self._jobs: dict[str, list[Job]] = {}       # printer -> jobs not yet printed, oldest first
        self._down: dict[str, str] = {}             # printer -> why its last try failed
        self._to_try: list[str] = []
        self._worker: threading.Thread | None = None
        self.printed: list[str] = []                # titles of what went out, oldest first

    def submit(self, job: Job) -> None:
        with self._lock:
            self._jobs.setdefault(job.printer, []).append(job)
            self._try(job.printer)

    def reprint_waiting(self) -> None:
        """Send every waiting job again, to every printer that did not answer."""
        with self._lock:
            for printer in list(self._down):
                self._try(printer)

    def problems(self) -> list[Problem]:
        with self._lock:
            return [Problem(p, why, len(self._jobs.get(p, []))) for p, why in self._down.items()]

    def status(self) -> str:
        """What the status bar says: each printer that is not answering, or nothing."""
        return " · ".join(str(p) for p in self.problems())

    def wait(self, timeout: float | None = None) -> bool:
        """Until every job has been tried (printed, or kept as waiting); False if ``timeout`` ran out first."""
        return self._idle.wait(timeout)

    # ------------------------------------------------------------------ the worker thread

    def _try(self, printer: str) -> None:  # the lock is held
        if printer not in self._to_try:
            self._to_try.append(printer)
        if self._worker is None:
            self._idle.clear()
            self._worker = threading.Thread(target=self._work, name="print-queue", daemon=True)
            self._worker.start()

    def _work(self) -> None:
        while True:
            with self._lock:
                if not self._to_try:
                    self._worker = None
                    self._idle.set()
                    return
                printer = self._to_try.pop(0)
            self._drain(printer)
            self.changed.emit()

    def _drain(self, printer: str) -> None:
        while True:
            with self._lock:
                jobs = self._jobs.get(printer)
                if not jobs:
                    self._down.pop(printer, None)
                    return
                job = jobs[0]
            job.tries += 1
            try:
                self._send(job.address, job.page, dots=job.dots, drawer=job.drawer)
            except HeraError as exc:
                with self._lock:
                    self._down[printer] = exc.message
                    for waiting in list(jobs):  # the drawer kicks of what now waits are dropped, tickets kept
                        waiting.drawer = False
                        if waiting.page is None:
                            jobs.remove(waiting)
                return
            with self._lock:
                jobs.remove(job)
                self._down.pop(printer, None)
                self.printed.append(job.title)


_QUEUES: "weakref.WeakKeyDictionary[Any, PrintQueue]" = weakref.WeakKeyDictionary()


def queue_of(owner: Any) -> PrintQueue:
    """The one print queue of ``owner`` (the window's session): the till fills it, the status bar shows it."""
    queue = _QUEUES.get(owner)
    if queue is None:
        queue = _QUEUES[owner] = PrintQueue()
    return queue
