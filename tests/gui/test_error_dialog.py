"""An error nobody expected: the dialog says where the log is and copies a diagnostics summary to paste into a
message, which names the books and the log and carries no secret."""
from __future__ import annotations

import json
import sys

from PySide6.QtWidgets import QApplication, QPushButton

from hera_desktop.gui import main as gui_main
from hera_desktop.gui.shell import MainWindow

from .conftest import PINS



def _error_raised_in_a_slot() -> tuple:
    """What Qt hands sys.excepthook for an error raised in a slot. Caught here, so its traceback holds this
    frame only, not the test's (whose window would then outlive the test in the logged record)."""
    try:
        {}["a key nobody wrote"]
    except KeyError:
        return sys.exc_info()
    raise AssertionError("unreachable")


def test_an_unexpected_error_names_the_log_and_copies_diagnostics(qtbot, session_as, books, log_file):
    for earlier in QApplication.topLevelWidgets():  # what other tests left showing is not this window's
        earlier.hide()
    window = MainWindow(session_as("manager"))
    qtbot.addWidget(window)  # closed and deleted when the test ends, with the dialogs it parents
    window.show()
    window.activateWindow()
    box = gui_main._unexpected(*_error_raised_in_a_slot())
    assert box is not None and box.isVisible() and box.objectName() == "errorDialog"
    assert "nothing was saved" in box.text()
    assert str(log_file) in box.text()
    assert "KeyError" not in box.text() and "Traceback" not in box.text()

    logged = [json.loads(line) for line in log_file.read_text(encoding="utf-8").splitlines()]
    errors = [line for line in logged if line.get("event") == "unexpected_error"]
    assert errors and "a key nobody wrote" in errors[-1]["traceback"]
    assert "_error_raised_in_a_slot" in errors[-1]["traceback"]

    copy = box.findChild(QPushButton, "copyDiagnostics")
    assert copy is not None and copy.text() == "Copy diagnostics"
    QApplication.clipboard().clear()
    copy.click()
    pasted = QApplication.clipboard().text()
    hera, _book = books
    assert f"Books: {hera.db.path}" in pasted
    assert f"Log: {log_file}" in pasted
    assert "PySide6 6." in pasted  # the versions a fix depends on
    assert "a key nobody wrote" in pasted  # the log's last lines travel with it
    assert "sign_in" in pasted  # ...including the manager's sign-in
    for pin in PINS.values():
        assert pin not in pasted.replace(str(hera.db.path), "").replace(str(log_file), "")
    with hera.db.read() as conn:
        from sqlalchemy import text
        hashes = [r[0] for r in conn.execute(text("SELECT field_value_text FROM core_dynamic_data "
                                                  "WHERE field_name = 'pin_hash'"))]
    assert hashes and not any(h in pasted for h in hashes)
    box.done(0)


def test_an_expected_refusal_offers_no_diagnostics(qtbot, session_as):
    from hera_desktop.domain.errors import ValidationError
    from hera_desktop.gui.errors import show_error

    window = MainWindow(session_as("cashier"))
    qtbot.addWidget(window)
    box = show_error(window, ValidationError("quantity", "Quantity must be more than 0"))
    assert "Quantity must be more than 0" in box.text() and "log" not in box.text()
    assert box.findChild(QPushButton, "copyDiagnostics") is None
    box.done(0)

