"""The main window: sign-in, lockout, switching cashier, role-based screens, status bar."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from hera_desktop.gui.runner import Runner
from hera_desktop.gui.session import Session
from hera_desktop.gui.shell import MainWindow
from hera_desktop.gui.signin import SignInDialog


def visible_screens(window: MainWindow) -> list[str]:
    return [window.nav.item(i).text() for i in range(window.nav.count()) if not window.nav.item(i).isHidden()]


def fresh_session(books: Any) -> Session:
    hera, book = books
    return Session(hera, hera.organization(book.organization_id), Runner(pool=None))


def test_cashier_signs_in_with_the_keyboard_and_sees_only_cashier_screens(qtbot: Any, books: Any) -> None:
    session = fresh_session(books)
    dialog = SignInDialog(session)
    qtbot.addWidget(dialog)
    dialog.select_user("Luca")
    qtbot.keyClicks(dialog.pin, "2222")
    qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)
    assert session.user is not None and session.role == "cashier"
    window = MainWindow(session)
    qtbot.addWidget(window)
    assert visible_screens(window) == ["Till", "Customers"]  # no back office for a cashier
    assert window.user_label.text() == "Luca Conti (cashier)"
    assert window.org_label.text() == "Mario's Trattoria (demo)"
    assert "Terminal" in window.terminal_label.text()


def test_manager_sees_day_closing(qtbot: Any, session_as: Any) -> None:
    window = MainWindow(session_as("manager"))
    qtbot.addWidget(window)
    assert "Close day" in visible_screens(window)


def test_five_wrong_pins_lock_the_user_even_after_a_restart(qtbot: Any, books: Any, tmp_path: Any) -> None:
    session = fresh_session(books)
    dialog = SignInDialog(session)
    qtbot.addWidget(dialog)
    for _ in range(5):
        dialog.select_user("Luca")
        qtbot.keyClicks(dialog.pin, "0000")
        qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)
    assert "locked" in dialog.message.text()
    # The app restarts: the lock is in the books, not in memory.
    hera, book = books
    hera.close()
    import hera_desktop
    reopened = hera_desktop.open(tmp_path / "books.db")
    try:
        again = SignInDialog(Session(reopened, reopened.organization(book.organization_id), Runner(pool=None)))
        qtbot.addWidget(again)
        again.select_user("Luca")
        qtbot.keyClicks(again.pin, "2222")
        qtbot.keyClick(again.pin, Qt.Key.Key_Return)
        assert again.result() != SignInDialog.DialogCode.Accepted
        assert "locked" in again.message.text()
        assert "(locked)" in again.users.currentItem().text()
    finally:
        reopened.close()


def test_switching_cashier_changes_the_user_without_closing(qtbot: Any, session_as: Any) -> None:
    session = session_as("manager")
    window = MainWindow(session)
    qtbot.addWidget(window)
    assert "Close day" in visible_screens(window)
    dialog = SignInDialog(session, window)
    qtbot.addWidget(dialog)
    dialog.select_user("Luca")
    qtbot.keyClicks(dialog.pin, "2222")
    qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)
    assert session.role == "cashier"
    assert "Close day" not in visible_screens(window)
    assert "Luca" in window.user_label.text()


def test_every_screen_offered_is_the_screen_its_title_says(qtbot: Any, session_as: Any) -> None:
    window = MainWindow(session_as("admin"))
    qtbot.addWidget(window)
    for title, screen in window.screens.items():
        assert screen.title == title
        assert screen.permission == window.screen_types[title].permission
