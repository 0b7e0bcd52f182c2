"""Opening books from the window: a dialog says why books cannot be opened, a mistyped folder is asked about
before new books are made there, and read-only books open for looking, saying so before anyone tries to sell."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from books_media import make_read_only, small_disk
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

import hera_desktop
from hera_desktop.demo import DemoBook
from hera_desktop.gui.main import choose_organization, open_books_for_window
from hera_desktop.gui.runner import Runner
from hera_desktop.gui.session import Session
from hera_desktop.gui.shell import MainWindow


def answering(button: QMessageBox.StandardButton, seen: list[tuple[str, str, str]]) -> None:
    """When the next dialog is up, note its name, title and text, and press ``button``."""
    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, answer)
            return
        seen.append((box.objectName(), box.windowTitle(), box.text()))
        box.button(button).click()
    QTimer.singleShot(0, answer)


def test_books_that_cannot_be_opened_are_explained_in_a_dialog(qapp: Any, tmp_path: Path) -> None:
    notdb = tmp_path / "notdb.db"
    notdb.write_text("not books\n" * 50)
    seen: list[tuple[str, str, str]] = []
    answering(QMessageBox.StandardButton.Ok, seen)
    assert open_books_for_window(notdb) is None
    assert seen == [("booksMessage", "The books could not be opened",
                     "notdb.db is not a HERA Desktop books file, or it is damaged")]


def test_new_books_in_a_folder_that_does_not_exist_are_asked_about_first(qapp: Any, tmp_path: Path) -> None:
    typo = tmp_path / "bokos" / "books.db"
    seen: list[tuple[str, str, str]] = []
    answering(QMessageBox.StandardButton.No, seen)
    assert open_books_for_window(typo) is None
    assert seen[0][:2] == ("confirmNewBooks", "New books?")
    assert f"There are no books at {typo}: the folder {typo.parent} does not exist." in seen[0][2]
    assert not typo.parent.exists()
    answering(QMessageBox.StandardButton.Yes, seen)
    hera = open_books_for_window(typo)
    try:
        assert hera is not None and typo.exists() and hera.list_organizations() == []
    finally:
        hera.close()


@pytest.fixture
def read_only_books(tmp_path: Path, demo_template: tuple[Path, DemoBook]) -> Iterator[tuple[Any, DemoBook]]:
    """Demo books (a copy of the run's) on a disk remounted read-only."""
    with small_disk(tmp_path / "disk", size="8m") as disk:
        shutil.copyfile(demo_template[0], disk / "books.db")
        book = demo_template[1]
        make_read_only(disk)
        hera = hera_desktop.open(disk / "books.db")
        try:
            yield hera, book
        finally:
            hera.close()


@pytest.fixture
def read_only_window(qtbot: Any, read_only_books: tuple[Any, DemoBook]) -> Callable[[str], MainWindow]:
    hera, book = read_only_books

    def signed_in_as(role: str) -> MainWindow:
        session = Session(hera, hera.organization(book.organization_id), Runner(pool=None))
        session.sign_in(session.system.universal.get_entity(book.users[role]))
        window = MainWindow(session)
        qtbot.addWidget(window)
        window.show()
        return window

    return signed_in_as


def test_read_only_books_say_so_in_a_banner_and_the_till_sells_nothing(qtbot: Any, read_only_window: Any) -> None:
    window = read_only_window("cashier")
    assert window.read_only_banner.isVisible()
    assert window.read_only_banner.text() == (
        "Read-only: these books cannot be changed (the disk they are on is read-only). Everything can be looked "
        "at and reported; nothing can be sold or saved.")
    till = window.show_screen("Till")
    assert till.message.text() == ("These books are read-only (the disk they are on is read-only): the menu and "
                                   "recent sales can be looked at, but nothing can be sold.")
    assert till.menu.items  # the menu is there to look at
    assert not till.panel.pay.isEnabled() and not till.panel.hold.isEnabled()
    till.menu.buttons[next(iter(till.menu.items))].click()
    qtbot.keyClick(till.menu.search, Qt.Key.Key_F12)  # the keyboard cannot pay either
    assert till.pay_dialog is None and till.model.lines


def test_read_only_books_still_show_the_reports(qtbot: Any, read_only_window: Any) -> None:
    window = read_only_window("manager")
    reports = window.show_screen("Reports")
    reports.select("trial_balance")
    m = reports.model
    names = [m.data(m.index(r, c)) for r in range(m.rowCount()) for c in range(m.columnCount())]
    assert "Cash on hand" in names and "500.00" in names  # the demo's chart of accounts, read from books that cannot be written


def test_books_that_are_empty_and_read_only_offer_no_demo(qapp: Any, tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk") as disk:
        hera_desktop.open(disk / "books.db").close()
        make_read_only(disk)
        with hera_desktop.open(disk / "books.db") as hera:
            seen: list[tuple[str, str, str]] = []
            answering(QMessageBox.StandardButton.Ok, seen)
            assert choose_organization(hera, QSettings()) is None
        assert seen == [("booksMessage", "Nothing to show", "These books hold no organization yet, and they are "
                         "read-only (the disk they are on is read-only), so none can be added.")]
