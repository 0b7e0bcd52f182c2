"""The main window: sign-in, lockout, switching cashier, role-based screens, status bar."""
from __future__ import annotations

from typing import Any, Callable, Iterator

import pytest
from PySide6.QtCore import QThreadPool, Qt, QTimer
from PySide6.QtWidgets import QApplication

from hera_desktop.gui.main import sign_in
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


# ------------------------------------------------------------------ the PIN checked on the thread pool, as in the app

@pytest.fixture
def pool() -> Iterator[QThreadPool]:
    pool = QThreadPool()
    yield pool
    pool.waitForDone()


def pooled_session(books: Any, pool: QThreadPool) -> Session:
    hera, book = books
    return Session(hera, hera.organization(book.organization_id), Runner(pool))


def sign_in_dialog(qtbot: Any, books: Any, pool: QThreadPool) -> tuple[Session, SignInDialog]:
    """The sign-in dialog on screen, checking PINs off the GUI thread as the app does."""
    session = pooled_session(books, pool)
    dialog = SignInDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    return session, dialog


def type_pin(qtbot: Any, dialog: SignInDialog, name: str, pin: str) -> None:
    dialog.select_user(name)
    qtbot.keyClicks(dialog.pin, pin)
    qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)


def at_sign_in(qtbot: Any, act: Callable[[SignInDialog], None]) -> None:
    """Once the app's sign-in dialog is up, do ``act`` to it."""
    QTimer.singleShot(0, lambda: act(QApplication.activeModalWidget()))


def test_the_right_pin_opens_the_till_and_nothing_shows_before_it_is_checked(
        qtbot: Any, books: Any, pool: QThreadPool) -> None:
    session = pooled_session(books, pool)
    while_checking: list[Any] = []

    def sign_in_as_luca(dialog: SignInDialog) -> None:
        dialog.checking.connect(lambda: while_checking.append(
            (session.user, [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()])))
        type_pin(qtbot, dialog, "Luca", "2222")

    at_sign_in(qtbot, sign_in_as_luca)
    window = sign_in(session)
    qtbot.addWidget(window)

    assert while_checking == [(None, [])]  # nobody signed in and no window shown while the PIN was checked
    assert not window.isVisible() and session.role == "cashier"
    assert visible_screens(window) == ["Till", "Customers"]
    window.show()
    till = window.screens["Till"]
    qtbot.waitUntil(lambda: bool(till.menu.visible))
    assert window.stack.currentWidget() is till and "Luca" in window.user_label.text()


def test_a_wrong_pin_checked_on_the_thread_pool_is_refused_counted_and_locks_at_five(
        qtbot: Any, books: Any, pool: QThreadPool) -> None:
    session, dialog = sign_in_dialog(qtbot, books, pool)
    for left in (4, 3, 2, 1):
        type_pin(qtbot, dialog, "Luca", "0000")
        qtbot.waitUntil(lambda: "Wrong PIN" in dialog.message.text())
        assert f"{left} attempt" in dialog.message.text()
        assert dialog.isVisible() and session.user is None
        dialog.message.clear()
    type_pin(qtbot, dialog, "Luca", "0000")
    qtbot.waitUntil(lambda: "locked" in dialog.message.text())
    dialog.message.clear()
    type_pin(qtbot, dialog, "Luca", "2222")  # the right PIN, too late
    qtbot.waitUntil(lambda: "locked" in dialog.message.text())
    assert session.user is None and dialog.result() != SignInDialog.DialogCode.Accepted
    assert "(locked)" in dialog.users.currentItem().text()


def test_pressing_sign_in_again_while_the_pin_is_checked_is_not_another_try(
        qtbot: Any, books: Any, pool: QThreadPool) -> None:
    session, dialog = sign_in_dialog(qtbot, books, pool)
    type_pin(qtbot, dialog, "Luca", "0000")
    dialog.ok.click()
    qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Wrong PIN" in dialog.message.text())
    session.runner.wait()
    qtbot.wait(50)  # answers from the pool arrive as events
    assert "4 attempts left" in dialog.message.text()
    type_pin(qtbot, dialog, "Luca", "0000")
    qtbot.waitUntil(lambda: "3 attempts left" in dialog.message.text())


def test_signing_in_does_not_wait_behind_long_work_on_the_thread_pool(
        qtbot: Any, books: Any, pool: QThreadPool) -> None:
    """A cashier switching in while reports run on every thread of the pool is answered at once."""
    import threading

    session, dialog = sign_in_dialog(qtbot, books, pool)
    pool.setMaxThreadCount(2)
    gate = threading.Event()
    for _ in range(2):  # say, two long reports
        session.runner.read(lambda: gate.wait(20), lambda _: None)
    try:
        type_pin(qtbot, dialog, "Luca", "2222")
        qtbot.waitUntil(lambda: session.user is not None, timeout=10000)
        assert not gate.is_set() and pool.activeThreadCount() == 2  # the reports were still running
    finally:
        gate.set()
        session.runner.wait()
    assert session.role == "cashier" and dialog.result() == SignInDialog.DialogCode.Accepted


def test_closing_the_sign_in_while_the_pin_is_checked_waits_for_the_answer(
        qtbot: Any, books: Any, pool: QThreadPool) -> None:
    session = pooled_session(books, pool)

    def sign_in_and_close(dialog: SignInDialog) -> None:
        type_pin(qtbot, dialog, "Luca", "2222")
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert dialog.isVisible()

    at_sign_in(qtbot, sign_in_and_close)
    window = sign_in(session)
    qtbot.addWidget(window)
    assert session.role == "cashier"


def test_closing_the_sign_in_opens_no_window(qtbot: Any, books: Any, pool: QThreadPool) -> None:
    session = pooled_session(books, pool)
    at_sign_in(qtbot, lambda dialog: qtbot.keyClick(dialog, Qt.Key.Key_Escape))
    assert sign_in(session) is None
    assert session.user is None


def test_a_bookkeeper_never_sees_the_till_built_while_the_pin_was_checked(
        qtbot: Any, books: Any, pool: QThreadPool) -> None:
    session = pooled_session(books, pool)
    bookkeeper = next(u["name"] for u in session.system.users.list() if u["role"] == "bookkeeper")
    at_sign_in(qtbot, lambda dialog: type_pin(qtbot, dialog, bookkeeper, "3333"))
    window = sign_in(session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is not None)
    pool.waitForDone()
    qtbot.wait(50)  # answers from the pool arrive as events
    assert "Till" not in visible_screens(window)
    assert window.stack.currentWidget() is not window.screens["Till"]
    assert not window.screens["Till"].menu.items  # hidden, it read nothing
    assert not [w for w in QApplication.topLevelWidgets() if w.objectName() == "errorDialog" and w.isVisible()]
