"""The books checked while the till keeps selling: quickly when the window opens, fully after a day close.

Both run off the GUI thread. What they find is recorded in the books (a security_event)
and the log, and told to the window (``found``), which shows it to managers and admins;
a cashier carries on serving, since nothing a cashier does can mend the books.
"""
from __future__ import annotations

import logging
from typing import Any, Callable

from PySide6.QtCore import QObject, Signal

from ..logbook import event

_log = logging.getLogger("hera_desktop.gui")


def findings(report: Any) -> list[str]:
    """What a check report says is wrong, one sentence each: broken links, missing tails, then disagreements."""
    return list(report.findings())


class BooksCheck(QObject):
    found = Signal(object)  # the findings (list of sentences) of a check that failed
    checked = Signal(str)   # "quick" or "full": a check finished, whatever it found

    def __init__(self, session: Any) -> None:
        super().__init__()
        self.session = session
        self.findings: list[str] = []  # what the last failed check found, until the window is closed

    def on_open(self) -> None:
        """The newest links of each chain and the newest day's ledger totals (well under a second)."""
        self._run("quick", lambda hera, org: hera.quick_check(org))

    def after_day_close(self) -> None:
        """Every chain, derived value and feed event: seconds on big books, so on the thread pool."""
        self._run("full", lambda hera, org: hera.verify(org))

    def _run(self, kind: str, check: Callable[[Any, str], Any]) -> None:
        hera, org = self.session.hera, self.session.organization.id

        def work() -> list[str]:
            report = check(hera, org)
            if not report.intact:
                hera.record_check_failure(org, report)
            return findings(report)

        self.session.runner.change(work, lambda found: self._done(kind, found), lambda exc: self._failed(kind, exc))

    def _done(self, kind: str, found: list[str]) -> None:
        event(_log, logging.INFO, f"the {kind} books check finished", check=kind, problems=len(found))
        if found:
            self.findings = found
            self.found.emit(found)
        self.checked.emit(kind)

    def _failed(self, kind: str, exc: Exception) -> None:
        # Never a dialog over the till: the check could not run (the books busy or closing); the log says so.
        event(_log, logging.WARNING, f"the {kind} books check could not run", error=str(exc))
        self.checked.emit(kind)
