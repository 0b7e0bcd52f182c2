"""What every screen of the main window shares: the session, the runner, refresh on change."""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtWidgets import QWidget

from ..domain.changes import Changes
from .errors import show_error


class Screen(QWidget):
    title = ""
    permission = ""          # shown only to users whose role has this permission
    refresh_on: frozenset[str] = frozenset()  # kinds of record whose change (Runner.changed) reloads it

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = session.runner
        self.runner.changed.connect(self._on_changed)

    def _on_changed(self, changes: Changes) -> None:
        if changes.touches(self.refresh_on) and self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        """Reload what the screen shows (called when it is shown and when its data changed)."""

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.refresh()

    def fail(self, exc: Exception) -> None:
        show_error(self, exc)

    def read(self, fn: Callable[[], Any], on_done: Callable[[Any], None]) -> None:
        self.runner.read(fn, on_done, self.fail)

    def change(self, fn: Callable[[], Any], on_done: Callable[[Any], None],
               on_error: Callable[[Exception], None] | None = None) -> None:
        self.runner.change(fn, on_done, on_error or self.fail)
