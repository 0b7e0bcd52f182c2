"""The staff screen and "Change my PIN" as managers, admins and cashiers use them."""
from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from hera_desktop.gui.runner import Runner
from hera_desktop.gui.session import Session
from hera_desktop.gui.shell import MainWindow
from hera_desktop.gui.signin import SignInDialog
from hera_desktop.gui.staff import StaffScreen


def open_staff(qtbot: Any, session: Any) -> StaffScreen:
    screen = StaffScreen(session)
    qtbot.addWidget(screen)
    screen.resize(1000, 700)
    screen.show()
    return screen


def row_of(screen: StaffScreen, name: str) -> list[str]:
    r = next(r for r in range(screen.table.rowCount()) if screen.table.item(r, 0).text().startswith(name))
    return [screen.table.item(r, c).text() for c in range(screen.table.columnCount())]


def sign_in_names(books: Any) -> list[str]:
    hera, book = books
    dialog = SignInDialog(Session(hera, hera.organization(book.organization_id), Runner(pool=None)))
    names = [dialog.users.item(i).text() for i in range(dialog.users.count())]
    dialog.deleteLater()
    return names


def add(qtbot: Any, screen: StaffScreen, name: str, role: str, pin: str, again: str | None = None) -> None:
    qtbot.keyClicks(screen.new_name, name)
    screen.new_role.setCurrentText(role)
    qtbot.keyClicks(screen.new_pin, pin)
    qtbot.keyClicks(screen.new_pin_again, pin if again is None else again)
    qtbot.mouseClick(screen.add_user, Qt.MouseButton.LeftButton)


def test_managers_and_admins_find_staff_after_close_day_and_cashiers_do_not(qtbot: Any, session_as: Any) -> None:
    for role, sees in (("manager", True), ("admin", True), ("cashier", False), ("bookkeeper", False)):
        window = MainWindow(session_as(role))
        qtbot.addWidget(window)
        titles = [window.nav.item(i).text() for i in range(window.nav.count()) if not window.nav.item(i).isHidden()]
        assert ("Staff" in titles) is sees, role
        if sees:
            assert titles.index("Staff") == titles.index("Close day") + 1


def test_a_manager_adds_a_cashier_and_is_offered_no_other_role(qtbot: Any, session_as: Any, books: Any) -> None:
    session = session_as("manager")
    screen = open_staff(qtbot, session)
    assert [screen.new_role.itemText(i) for i in range(screen.new_role.count())] == ["cashier"]
    assert not screen.change_role.isVisible()
    add(qtbot, screen, "Nina Costa", "cashier", "4826", again="4827")
    assert screen.message.text() == "The two PINs differ; type the same PIN twice."
    screen.new_name.clear(), screen.new_pin.clear(), screen.new_pin_again.clear()
    add(qtbot, screen, "Nina Costa", "cashier", "4826")
    assert screen.message.text() == "Nina Costa added as cashier."
    assert row_of(screen, "Nina Costa") == ["Nina Costa", "cashier", "yes", ""]
    assert any(n.startswith("Nina Costa — cashier") for n in sign_in_names(books))


def test_a_manager_cannot_add_an_admin_even_past_the_offered_roles(qtbot: Any, session_as: Any, books: Any) -> None:
    screen = open_staff(qtbot, session_as("manager"))
    screen.new_role.addItem("admin")  # as if the list offered it
    add(qtbot, screen, "Sneaky", "admin", "246810")
    assert screen.message.text() == "A manager may not add an admin"
    assert not any(n.startswith("Sneaky") for n in sign_in_names(books))


def test_a_manager_is_not_offered_actions_on_an_admin(qtbot: Any, session_as: Any) -> None:
    screen = open_staff(qtbot, session_as("manager"))
    screen.select("Admin")
    assert not screen.deactivate.isEnabled() and not screen.reset.isEnabled()
    screen.select("Luca Conti")
    assert screen.deactivate.isEnabled() and screen.reset.isEnabled()


def test_an_admin_changes_a_role(qtbot: Any, session_as: Any, books: Any) -> None:
    session = session_as("admin")
    hera, book = books
    screen = open_staff(qtbot, session)
    assert screen.new_role.count() == 4 and screen.change_role.isVisible()
    screen.select("Luca Conti")
    screen.role.setCurrentText("bookkeeper")
    qtbot.mouseClick(screen.change_role, Qt.MouseButton.LeftButton)
    assert screen.message.text() == "Luca Conti is now bookkeeper."
    assert row_of(screen, "Luca Conti")[1] == "bookkeeper"
    assert session.system.users.role_of(book.users["cashier"]) == "bookkeeper"


def test_a_deactivated_user_is_gone_from_the_sign_in_and_comes_back_when_reactivated(
        qtbot: Any, session_as: Any, books: Any) -> None:
    session = session_as("manager")
    screen = open_staff(qtbot, session)
    screen.select("Luca Conti")
    qtbot.mouseClick(screen.deactivate, Qt.MouseButton.LeftButton)
    assert screen.message.text() == "Reason: say why, in at most 500 characters"
    qtbot.keyClicks(screen.reason, "Left for the summer")
    qtbot.mouseClick(screen.deactivate, Qt.MouseButton.LeftButton)
    assert screen.message.text() == "Luca Conti is deactivated and can no longer sign in."
    assert row_of(screen, "Luca Conti")[2] == "deactivated"
    assert not any(n.startswith("Luca Conti") for n in sign_in_names(books))
    screen.select("Luca Conti")
    qtbot.mouseClick(screen.reactivate, Qt.MouseButton.LeftButton)
    assert row_of(screen, "Luca Conti")[2] == "yes"
    assert any(n.startswith("Luca Conti") for n in sign_in_names(books))


def test_a_reset_pin_is_the_one_to_sign_in_with(qtbot: Any, session_as: Any, books: Any) -> None:
    session = session_as("manager")
    screen = open_staff(qtbot, session)
    screen.select("Luca Conti")
    qtbot.keyClicks(screen.reset_pin, "8642")
    qtbot.keyClicks(screen.reset_pin_again, "8642")
    qtbot.mouseClick(screen.reset, Qt.MouseButton.LeftButton)
    assert screen.message.text() == "Luca Conti's PIN is reset; they sign in with the new one."
    hera, book = books
    dialog = SignInDialog(Session(hera, hera.organization(book.organization_id), Runner(pool=None)))
    qtbot.addWidget(dialog)
    dialog.select_user("Luca")
    qtbot.keyClicks(dialog.pin, "2222")
    qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)
    assert dialog.message.text().startswith("Wrong PIN for Luca Conti")
    qtbot.keyClicks(dialog.pin, "8642")
    qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)
    assert dialog.session.user is not None and dialog.session.user.entity_name == "Luca Conti"


def test_a_manager_unlocks_a_locked_cashier(qtbot: Any, session_as: Any, books: Any) -> None:
    session = session_as("manager")
    hera, book = books
    for _ in range(5):
        with pytest.raises(Exception):
            session.system.users.authenticate(book.users["cashier"], "0000")
    screen = open_staff(qtbot, session)
    assert row_of(screen, "Luca")[3] == "locked"
    screen.select("Luca Conti")
    qtbot.mouseClick(screen.unlock, Qt.MouseButton.LeftButton)
    assert screen.message.text() == "Luca Conti can sign in again."
    assert row_of(screen, "Luca")[3] == ""
    assert session.system.users.authenticate(book.users["cashier"], "2222").entity_name.startswith("Luca")


def test_staff_messages_name_the_field_as_the_screen_does(qtbot: Any, session_as: Any) -> None:
    screen = open_staff(qtbot, session_as("admin"))
    add(qtbot, screen, "Nina", "cashier", "12")
    assert screen.message.text().startswith("PIN: ")
    screen.new_name.clear()
    add(qtbot, screen, "", "cashier", "482913")
    assert screen.message.text().startswith("Name: ") and "entity_name" not in screen.message.text()


def test_changing_my_own_pin_needs_the_current_one(qtbot: Any, session_as: Any, books: Any) -> None:
    session = session_as("cashier")
    hera, book = books
    window = MainWindow(session)
    qtbot.addWidget(window)
    session_menu = window.menuBar().actions()[0].menu()
    assert "Change my PIN…" in [a.text() for a in session_menu.actions()]
    window.findChild(type(window.change_pin_action), "changePinAction").trigger()
    dialog = window.pin_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.old_pin, "1111")
    qtbot.keyClicks(dialog.new_pin, "5791")
    qtbot.keyClicks(dialog.new_pin_again, "5791")
    dialog.change_pin()
    assert dialog.message.text() == "Wrong PIN for Luca Conti; 4 attempts left before a wait of 1 minute"
    assert dialog.isVisible()
    qtbot.keyClicks(dialog.old_pin, "2222")
    qtbot.keyClicks(dialog.new_pin, "5791")
    qtbot.keyClicks(dialog.new_pin_again, "5791")
    dialog.change_pin()
    assert not dialog.isVisible()
    assert session.system.users.authenticate(book.users["cashier"], "5791").entity_name == "Luca Conti"


def test_nobody_signed_in_cannot_change_a_pin(qtbot: Any, session_as: Any) -> None:
    session = session_as("cashier")
    window = MainWindow(session)
    qtbot.addWidget(window)
    assert window.change_pin_action.isEnabled()
    window.change_my_pin()
    window.lock()
    assert not window.pin_dialog.isVisible()  # locking closes it: the next person does not find it open
    assert not window.change_pin_action.isEnabled()
