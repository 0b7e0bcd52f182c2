"""The trial balance *screen* over many posted lines: from opening Reports to the table painted.

The books are built with the journal bulk import (as ``trial_balance`` does); the
screen then runs the report on a real thread pool, as the app does, and the
clock stops when the table has its rows and has been painted. Offscreen Qt.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

from .common import Row, books, median_ms

TARGET_MS = 200.0
DAYS = 365
RUNS = 15


_APP: list[Any] = []  # keeps the QApplication alive between benchmark runs


def _quiet(kind: Any, context: Any, message: str) -> None:
    if "propagateSizeHints" not in message:  # the offscreen platform says so on every show
        print(message, file=sys.stderr)


def _app() -> Any:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication
    if not _APP:
        qInstallMessageHandler(_quiet)
        _APP.append(QApplication.instance() or QApplication([]))
    return _APP[0]


def _until(done: Any, timeout: float = 30.0) -> None:
    """Run the event loop until ``done()``.

    QEventLoop.processEvents, not QCoreApplication.processEvents: PySide6 6.12 on
    Python 3.11 drops a reference to None on every call of a void Qt function,
    and a busy loop of those ends the process with "deallocating None".
    """
    from PySide6.QtCore import QEventLoop

    loop = QEventLoop()
    deadline = time.perf_counter() + timeout
    while not done():
        if time.perf_counter() > deadline:
            raise TimeoutError("the report did not finish")
        loop.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)


def _show(screen: Any) -> float:
    """Seconds from showing the Reports screen (as navigating to it does) to its trial balance painted."""
    screen.hide()
    screen.table = None
    start = time.perf_counter()
    screen.show()  # the screen reloads its report when shown
    _until(lambda: screen.table is not None)
    screen.view.viewport().repaint()
    return time.perf_counter() - start


def run(lines: int, workdir: Path) -> list[Row]:
    from .journal_import import post_lines  # here, not at the top: the cold-start child needs none of it

    _app()
    from PySide6.QtCore import QThreadPool

    from hera_desktop.gui.runner import Runner
    from hera_desktop.gui.session import Session

    hera, org, s = books(workdir, "gui_reports")
    try:
        built = post_lines(s, lines, DAYS, " for the screen")
        session = Session(hera, org, Runner(pool=QThreadPool()))  # the system's view: every permission
        from hera_desktop.gui.reports.screen import ReportsScreen

        screen = ReportsScreen(session)  # made once, as the main window makes its screens at start
        screen.resize(1100, 760)
        opened = [_show(screen) for _ in range(RUNS + 2)][2:]  # the first two warm Qt's caches
        assert screen.note.text() == "Balanced", screen.note.text()
        reruns = []
        for _ in range(RUNS):
            start = time.perf_counter()
            screen.table = None
            screen.run()
            _until(lambda: screen.table is not None)
            screen.view.viewport().repaint()
            reruns.append(time.perf_counter() - start)
        screen.close()
        session.runner.wait()
        ms = median_ms(opened)
        size = f"{lines // 4 * 4:,} lines"
        return [Row("trial balance screen: open to painted", size, f"{ms:.1f} ms median", f"< {TARGET_MS:g} ms",
                    ms < TARGET_MS, note=f"Reports screen shown, report on a thread pool, offscreen; {RUNS} shows; "
                                         f"data built in {built:.1f} s"),
                Row("trial balance screen: Run again", size, f"{median_ms(reruns):.1f} ms median")]
    finally:
        hera.close()
