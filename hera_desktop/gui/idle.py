"""Locking an unattended till: after some minutes with no key pressed and no touch, the window locks.

The wait is the organization's ``idle_lock_minutes`` setting (0 never locks). Any key, click,
touch or wheel anywhere in the app starts the wait again.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

DEFAULT_MINUTES = 10
_ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.Wheel,
             QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate}


def idle_minutes(settings: dict[str, Any]) -> int:
    value = settings.get("idle_lock_minutes", DEFAULT_MINUTES)
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else DEFAULT_MINUTES


class IdleLock(QObject):
    idle = Signal()  # nobody has touched the app for the whole wait

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self, singleShot=True)
        self.timer.timeout.connect(self.idle)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def start(self, minutes: int) -> None:
        """Lock after ``minutes`` without activity (0: never)."""
        if minutes:
            self.timer.setInterval(minutes * 60_000)
            self.timer.start()
        else:
            self.timer.stop()

    def stop(self) -> None:
        self.timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if self.timer.isActive() and event.type() in _ACTIVITY:
            self.timer.start()  # starts the same wait again
        return False
