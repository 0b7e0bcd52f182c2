"""The editor's draft: its lines as stored (amounts as exact text, accounts by id and by what was typed),
and the keeper that saves it a moment after each change."""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable, Sequence

from PySide6.QtCore import QObject, QTimer, Signal

from ...domain.errors import ValidationError
from .entry_model import Line, parse_amount

AUTOSAVE_MS = 700  # the pause after typing that saves the draft


def draft_of(day: str, reference: str, description: str, lines: Sequence[Line]) -> dict[str, Any]:
    """The editor's content as ``s.journal_drafts.save`` takes it."""
    return {"date": day, "reference": reference, "description": description, "lines": [
        {"account_id": ln.account_id, "account_text": ln.account_text, "debit": _text(ln.debit),
         "credit": _text(ln.credit), "description": ln.description}
        for ln in lines if not ln.is_blank]}


def lines_of(draft: Any) -> list[Line]:
    """A stored draft's lines (a ``JournalDraft``) as the editor's."""
    return [Line(account_id=ln.account_id, account_text=ln.account_text, debit=_amount(ln.debit),
                 credit=_amount(ln.credit), description=ln.description) for ln in draft.lines]


def _text(amount: Decimal | None) -> str:
    return "" if amount is None else format(amount, "f")


def _amount(text: str) -> Decimal | None:
    try:
        return parse_amount(text)
    except ValidationError:
        return None  # not an amount we accept (edited by hand?): the line asks for it again


class DraftKeeper(QObject):
    """Saves the editor's content as the user's draft a moment after each change, one write at a time.

    Saves and clears run in the order asked; while one runs, only the newest waiting
    one is kept. The draft belongs to the user who loaded it (``owner``), even if
    another user signs in before the last save.
    """

    state = Signal(str)   # "Draft saved", "Draft not saved", ...
    failed = Signal(object)

    def __init__(self, runner: Any, content: Callable[[], dict[str, Any]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.content = content
        self.owner: Any = None
        self.timer = QTimer(self, singleShot=True, interval=AUTOSAVE_MS)
        self.timer.timeout.connect(self.save)
        self._busy = False
        self._waiting: tuple[Callable[[], Any], str | None] | None = None

    def changed(self) -> None:
        if self.owner is not None:
            self.state.emit("Editing…")
            self.timer.start()

    def flush(self) -> None:
        """Save now what is waiting for the pause after typing."""
        if self.timer.isActive():
            self.save()

    def save(self) -> None:
        self.timer.stop()
        if self.owner is None:
            return
        data, drafts = self.content(), self.owner.journal_drafts
        self._run(lambda: drafts.save(data), "Draft saved")

    def clear(self) -> None:
        self.timer.stop()
        if self.owner is not None:
            self._run(self.owner.journal_drafts.clear, None)

    def _run(self, fn: Callable[[], Any], done_text: str | None) -> None:
        if self._busy:
            self._waiting = (fn, done_text)
            return
        self._busy = True
        self.runner.change(fn, lambda _: self._done(done_text), self._failed)

    def _done(self, done_text: str | None) -> None:
        self._busy = False
        if done_text is not None:
            self.state.emit(done_text)
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            self._run(*waiting)

    def _failed(self, exc: Exception) -> None:
        self._busy = False
        self._waiting = None
        self.state.emit("Draft not saved")
        self.failed.emit(exc)
