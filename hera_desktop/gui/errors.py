"""Error dialogs in plain words. A HeraError's own message says what was wrong; anything else is
logged and shown as a short apology that says nothing was saved."""
from __future__ import annotations

import logging
import traceback

from PySide6.QtWidgets import QMessageBox, QWidget

from ..domain.errors import HeraError
from .labels import message_box

log = logging.getLogger("hera_desktop.gui")

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
    """(title, message) a person can act on."""
    if isinstance(exc, HeraError):
        return TITLES.get(exc.code, "Could not complete that"), exc.message
    log.error("unexpected error: %s", "".join(traceback.format_exception(exc)))
    return ("Something went wrong",
            "HERA Desktop could not complete that, and nothing was saved. "
            "Please try again; if it keeps happening, note what you did and tell your manager.")


_shown: list[QMessageBox] = []  # keeps parentless dialogs alive until closed


def show_error(parent: QWidget | None, exc: BaseException) -> QMessageBox:
    """Show the error without blocking (window-modal); returns the dialog."""
    title, message = describe(exc)
    box = message_box(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorDialog")
    _shown.append(box)
    box.finished.connect(lambda _=0: _shown.remove(box) if box in _shown else None)
    box.open()
    return box
