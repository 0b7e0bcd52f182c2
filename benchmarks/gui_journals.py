"""Journal list at many entries: time to open the Posted journals list until its first page is shown.

The entries are built with the bulk import (four-line entries over a year); the
list is then opened as a bookkeeper would open it, offscreen, with the runner
synchronous so the time is the whole wait from opening to the first page painted.
"""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from .common import Row, books, median_ms, progress
from .journal_import import BATCH, accounts, post_entries

TARGET_MS = 300.0
OPENS = 9


def _app() -> Any:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from hera_desktop.gui.main import application
    return application()


def _open_once(app: Any, session: Any) -> tuple[float, Any]:
    """Seconds from creating the list to its first page painted, and the list (to close)."""
    from hera_desktop.gui.journals.posted_list import PostedList

    start = time.perf_counter()
    widget = PostedList(session)
    widget.resize(1110, 760)
    widget.show()
    widget.refresh()
    app.processEvents()
    widget.table.viewport().repaint()
    seconds = time.perf_counter() - start
    assert widget.model.rowCount() > 0, "the list showed no entries"
    return seconds, widget


def _close(app: Any, widget: Any) -> None:
    widget.close()
    widget.deleteLater()
    app.processEvents()


def run(count: int, workdir: Path) -> list[Row]:
    hera, org, s = books(workdir, "gui_journals")
    try:
        ids = accounts(s, 20)
        progress(f"importing {count:,} four-line entries ({count * 4:,} lines) in batches of {BATCH}")
        built = post_entries(s, ids, count)
        app = _app()
        from PySide6.QtCore import QModelIndex

        from hera_desktop.gui.runner import Runner
        from hera_desktop.gui.session import Session

        session = Session(hera, org, Runner(pool=None))  # nobody signed in: the system's scope, all rights
        samples = []
        for i in range(OPENS):
            seconds, widget = _open_once(app, session)
            samples.append(seconds)
            if i < OPENS - 1:  # one list open at a time, as on screen
                _close(app, widget)
        first, rest = samples[0], samples[1:]
        more, by_account, by_text = [], [], []
        for _ in range(5):
            t = time.perf_counter()
            widget.model.fetchMore(QModelIndex())
            app.processEvents()
            more.append(time.perf_counter() - t)
        _close(app, widget)
        for _ in range(5):
            t = time.perf_counter()
            s.journal_list.page(account_id=ids[3], limit=200)
            by_account.append(time.perf_counter() - t)
            t = time.perf_counter()
            s.journal_list.page(text="entry 9999", limit=200)
            by_text.append(time.perf_counter() - t)
        ms = median_ms(rest)
        size = f"{count:,} entries"
        return [
            Row("journal list: open, first page shown", size, f"{ms:.1f} ms median", f"< {TARGET_MS:g} ms",
                ms < TARGET_MS, note=f"first (cold) open {first * 1000:.1f} ms, then {len(rest)} opens "
                                     f"{min(rest) * 1000:.1f}-{max(rest) * 1000:.1f} ms; 200 rows a page; "
                                     f"data built in {built:.1f} s"),
            Row("journal list: next page on scroll", size, f"{median_ms(more):.1f} ms median"),
            Row("journal list: filter by one account", size, f"{median_ms(by_account):.1f} ms median",
                note=f"service call only, one of {len(ids)} accounts (~{count * 4 // len(ids):,} lines)"),
            Row("journal list: text search", size, f"{median_ms(by_text):.1f} ms median",
                note="service call only; scans descriptions (no index)"),
        ]
    finally:
        hera.close()
