"""Error dialogs in plain words. A HeraError's own message says what was wrong; anything else is
logged and shown as a short apology that says nothing was saved."""
from __future__ import annotations

import logging

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from ..domain.errors import HeraError
from ..logbook import diagnostics, log_path
from .labels import message_box

log = logging.getLogger("hera_desktop.gui")

UNEXPECTED_TITLE = "Something went wrong"
TITLES = {
    "validation_error": "Please check what you entered",
    "invalid_smart_code": "Please check what you entered",
    "not_found": "Not found",
    "permission_denied": "Not allowed",
    "authentication_failed": "Sign-in failed",
    "user_locked": "User locked",
    "credit_limit_exceeded": "Credit limit reached",
    "insufficient_inventory": "Not enough stock",
    "unbalanced": "Entry does not balance",
    "idempotency_conflict": "Already recorded",
    "invalid_status_transition": "Status change not allowed",
    "already_reversed": "Already reversed",
    "version_conflict": "Changed by someone else",
    "storage_error": "The books could not be saved",
}


def describe(exc: BaseException) -> tuple[str, str]:
    """(title, message) a person can act on. An unexpected error is logged with its traceback, and the
    message says where the log is."""
    if isinstance(exc, HeraError):
        return TITLES.get(exc.code, "Could not complete that"), exc.message
    log.error("unexpected error: %s: %s", type(exc).__name__, exc, exc_info=(type(exc), exc, exc.__traceback__),
              extra={"hera": {"event": "unexpected_error"}})
    return (UNEXPECTED_TITLE,
            "HERA Desktop could not complete that, and nothing was saved. "
            "Please try again; if it keeps happening, note what you did and tell your manager.\n\n"
            f"The details are in the log: {log_path()}")


_shown: list[QMessageBox] = []  # keeps parentless dialogs alive until closed


def show_error(parent: QWidget | None, exc: BaseException) -> QMessageBox:
    """Show the error without blocking (window-modal); returns the dialog. An unexpected error's dialog
    offers "Copy diagnostics": a summary (versions, where the books and the log are, the log's last lines)
    to paste into a message to whoever looks after the app."""
    title, message = describe(exc)
    box = message_box(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorDialog")
    if not isinstance(exc, HeraError):
        copy = box.addButton("Copy diagnostics", QMessageBox.ButtonRole.ActionRole)
        copy.setObjectName("copyDiagnostics")
        where = _books_path(parent)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(diagnostics(where)))
    _shown.append(box)
    box.finished.connect(lambda _=0: _shown.remove(box) if box in _shown else None)
    box.open()
    return box


def _books_path(widget: QWidget | None) -> object:
    """Where the books of the window showing the error are, if it knows."""
    while widget is not None:
        hera = getattr(getattr(widget, "session", None), "hera", None)
        if hera is not None:
            return hera.db.path or "a database server"
        widget = widget.parentWidget()
    return None
