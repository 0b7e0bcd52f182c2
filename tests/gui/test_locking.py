"""Who the sign-in offers, locking the window (by hand and when left alone), fresh screens for the next
person, and a window that fits a laptop's screen and opens where it was left."""
from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QAction

import hera_desktop
from hera_desktop.gui import window_place
from hera_desktop.gui.runner import Runner
from hera_desktop.gui.session import Session
from hera_desktop.gui.shell import MainWindow
from hera_desktop.gui.signin import SignInDialog

from .conftest import PINS


def new_session(books: Any) -> Session:
    hera, book = books
    return Session(hera, hera.organization(book.organization_id), Runner(pool=None))


def open_window(qtbot: Any, session: Session) -> MainWindow:
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def type_pin(qtbot: Any, dialog: SignInDialog, pin: str, name: str | None = None) -> None:
    if name is not None:
        dialog.select_user(name)
    qtbot.keyClicks(dialog.pin, pin)
    qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)


def chosen(dialog: SignInDialog) -> str | None:
    item = dialog.users.currentItem()
    return item.text() if item is not None else None


# ------------------------------------------------------------------ who the sign-in offers

def test_the_first_sign_in_offers_nobody_and_a_pin_typed_then_spends_nobodys_tries(qtbot: Any, books: Any) -> None:
    session = new_session(books)
    dialog = SignInDialog(session)
    qtbot.addWidget(dialog)
    assert chosen(dialog) is None
    for _ in range(6):
        type_pin(qtbot, dialog, "2222")
    assert dialog.message.text() == "Choose your name first."
    assert session.user is None
    assert not [u for u in session.system.users.list() if u["locked"]]  # the admin was never tried


def test_the_sign_in_offers_the_last_person_who_signed_in_on_this_computer(qtbot: Any, books: Any) -> None:
    first = SignInDialog(new_session(books))
    qtbot.addWidget(first)
    type_pin(qtbot, first, "2222", "Luca")
    assert first.result() == SignInDialog.DialogCode.Accepted

    session = new_session(books)  # the app started again
    again = SignInDialog(session)
    qtbot.addWidget(again)
    assert chosen(again) == "Luca Conti — cashier"
    type_pin(qtbot, again, "2222")
    assert session.user is not None and session.user.entity_name == "Luca Conti"


# ------------------------------------------------------------------ locking

def test_lock_hides_the_work_and_the_same_person_comes_back_to_it(qtbot: Any, session_as: Any) -> None:
    session = session_as("manager")
    window = open_window(qtbot, session)
    till = window.show_screen("Till")
    qtbot.keyClicks(till.menu.search, "pizza")

    window.findChild(QAction, "lockAction").trigger()
    assert session.user is None and window.user_label.text() == "Nobody signed in"
    assert window.stack.currentWidget() is window.locked_page
    assert visible_nav(window) == []
    dialog = window.sign_in_dialog
    assert dialog is not None and dialog.isVisible() and chosen(dialog) == "Maria Bianchi — manager"
    type_pin(qtbot, dialog, PINS["manager"])
    assert session.role == "manager"
    assert window.stack.currentWidget() is till and till.menu.search.text() == "pizza"


def test_the_window_locks_itself_when_nobody_touches_it(qtbot: Any, session_as: Any) -> None:
    session = session_as("cashier")
    window = open_window(qtbot, session)
    assert window.idle.timer.isActive() and window.idle.timer.interval() == 10 * 60_000  # the default: 10 minutes
    window.idle.timer.setInterval(300)
    window.idle.timer.start()
    qtbot.waitUntil(lambda: session.user is None, timeout=5000)
    assert window.stack.currentWidget() is window.locked_page
    assert window.sign_in_dialog is not None and chosen(window.sign_in_dialog) == "Luca Conti — cashier"


def test_typing_keeps_the_window_unlocked(qtbot: Any, session_as: Any) -> None:
    session = session_as("cashier")
    window = open_window(qtbot, session)
    till = window.show_screen("Till")
    window.idle.timer.setInterval(400)
    window.idle.timer.start()
    for _ in range(6):  # 600 ms of typing, a key every 100 ms
        qtbot.wait(100)
        qtbot.keyClick(till.menu.search, Qt.Key.Key_A)
    assert session.user is not None and window.idle.timer.isActive()
    qtbot.waitUntil(lambda: session.user is None, timeout=5000)  # and once the typing stops, it locks


def test_the_idle_lock_follows_the_organizations_setting(qtbot: Any, books: Any, session_as: Any) -> None:
    hera, book = books
    hera.scope(book.organization_id).org_settings.update(idle_lock_minutes=0)
    window = open_window(qtbot, session_as("cashier"))
    assert not window.idle.timer.isActive()  # 0: never
    hera.scope(book.organization_id).org_settings.update(idle_lock_minutes=3)
    window.sign_out()
    type_pin(qtbot, window.sign_in_dialog, PINS["cashier"], "Luca")
    assert window.idle.timer.isActive() and window.idle.timer.interval() == 3 * 60_000


def visible_nav(window: MainWindow) -> list[str]:
    return [window.nav.item(i).text() for i in range(window.nav.count()) if not window.nav.item(i).isHidden()]


# ------------------------------------------------------------------ the next person starts afresh

def test_the_next_person_does_not_see_the_last_ones_search_or_selection(qtbot: Any, session_as: Any) -> None:
    session = session_as("manager")
    window = open_window(qtbot, session)
    till = window.show_screen("Till")
    qtbot.keyClicks(till.menu.search, "tiramisu")
    customers = window.show_screen("Customers")
    qtbot.keyClicks(customers.search, "a")
    qtbot.waitUntil(lambda: customers.table.model().rowCount() > 0)
    customers.table.selectRow(0)
    assert customers.table.selectionModel().selectedRows()

    window.lock()
    type_pin(qtbot, window.sign_in_dialog, PINS["cashier"], "Luca")
    assert session.role == "cashier"
    now_customers = window.show_screen("Customers")
    assert now_customers.search.text() == "" and not now_customers.table.selectionModel().selectedRows()
    now_till = window.show_screen("Till")
    assert now_till.menu.search.text() == "" and window.stack.currentWidget() is now_till


def test_signing_out_leaves_nothing_even_for_the_same_person(qtbot: Any, session_as: Any) -> None:
    session = session_as("cashier")
    window = open_window(qtbot, session)
    qtbot.keyClicks(window.show_screen("Till").menu.search, "pizza")
    window.findChild(QAction, "signOutAction").trigger()
    type_pin(qtbot, window.sign_in_dialog, PINS["cashier"])  # Luca is offered first
    assert session.role == "cashier" and window.show_screen("Till").menu.search.text() == ""


# ------------------------------------------------------------------ the window's size

def test_the_window_fits_a_1366_by_768_screen(qtbot: Any, session_as: Any) -> None:
    window = MainWindow(session_as("manager"))
    qtbot.addWidget(window)
    laptop = QRect(0, 0, 1366, 768)
    window_place.fit(window, laptop)
    window.show()
    qtbot.waitExposed(window)
    journals = window.show_screen("Journals")
    qtbot.wait(50)
    placed = window.geometry()
    assert placed.width() <= laptop.width() and placed.top() >= laptop.top() and placed.bottom() <= laptop.bottom()
    assert window.minimumSizeHint().height() <= laptop.height() - window_place.TITLE_BAR
    inside = window.rect()
    for shown in (window.statusBar(), journals.editor.post_button):
        corner = shown.mapTo(window, QPoint(shown.width() - 1, shown.height() - 1))
        assert shown.isVisible() and inside.contains(corner), shown.objectName()


def test_a_large_screen_gets_the_preferred_size_in_its_middle(qtbot: Any, session_as: Any) -> None:
    window = MainWindow(session_as("cashier"))
    qtbot.addWidget(window)
    window_place.fit(window, QRect(0, 0, 1920, 1080))
    assert window.size().toTuple() == (1280, 800) and abs(window.geometry().center().x() - 960) <= 1


def test_the_window_opens_where_it_was_left(qtbot: Any, session_as: Any) -> None:
    session = session_as("cashier")
    window = open_window(qtbot, session)
    window.setGeometry(40, 60, 1000, 700)
    window.close()
    again = MainWindow(session)
    qtbot.addWidget(again)
    # Where it was left, and as tall; the test's screen is only 800 wide, so Qt narrows it to fit.
    assert (again.y(), again.height()) == (60, 700) and again.width() <= 800


def test_a_manager_sets_the_idle_lock_in_settings(qtbot: Any, books: Any, session_as: Any) -> None:
    hera, book = books
    window = open_window(qtbot, session_as("manager"))
    settings = window.show_screen("Settings")
    qtbot.waitUntil(lambda: settings.idle_lock.value() == 10)
    settings.idle_lock.setValue(0)
    assert settings.idle_lock.text() == "Never"
    settings.save_settings()
    qtbot.waitUntil(lambda: settings.business_message.text() == "Saved.")
    assert hera.organization(book.organization_id).settings["idle_lock_minutes"] == 0


def test_the_idle_lock_must_be_whole_minutes_from_0_to_240(books: Any) -> None:
    hera, book = books
    for bad in (-1, 241, 2.5, "10", True):
        with pytest.raises(hera_desktop.ValidationError) as caught:
            hera.scope(book.organization_id).org_settings.update(idle_lock_minutes=bad)
        assert caught.value.field == "idle_lock_minutes"
    assert hera.organization(book.organization_id).settings["idle_lock_minutes"] == 10
