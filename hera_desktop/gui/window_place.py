"""Where the main window opens: where it was last left, or as large as suits the screen it is on.

A laptop's 1366×768 screen is shorter than the 1280×800 the window would like, so a window
that would not fit takes the whole usable area instead, its status bar and buttons above the edge.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRect, QSettings, QSize
from PySide6.QtWidgets import QMainWindow

PREFERRED = QSize(1280, 800)
TITLE_BAR = 40  # room the window manager's frame takes above the window (not known before it is shown)
GEOMETRY_KEY = "main_window/geometry"


def fit(window: QMainWindow, available: QRect) -> None:
    """Size ``window`` for a screen whose usable area is ``available``."""
    if PREFERRED.width() <= available.width() and PREFERRED.height() + TITLE_BAR <= available.height():
        window.resize(PREFERRED)
        frame = QRect(0, 0, PREFERRED.width(), PREFERRED.height())
        frame.moveCenter(available.center())
        window.move(frame.topLeft())
        return
    window.setGeometry(available.adjusted(0, TITLE_BAR, 0, 0))


def place(window: QMainWindow, settings: QSettings, available: QRect | None = None) -> None:
    """Open where the window was last left on this computer, if that still fits a screen; else fit it."""
    saved: Any = settings.value(GEOMETRY_KEY)
    if saved is not None and window.restoreGeometry(saved):
        return
    if available is None:
        screen = window.screen()
        available = screen.availableGeometry() if screen is not None else QRect(0, 0, 1366, 768)
    fit(window, available)


def remember(window: QMainWindow, settings: QSettings) -> None:
    settings.setValue(GEOMETRY_KEY, window.saveGeometry())
