"""Backups in the window: a manager backs up to a folder of their choice and gets a checked file there, sees the
automatic backups, restores one (everyone signs in again, and the window says what may be missing); damaged
books on open offer the latest good backup."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

import hera_desktop
from hera_desktop.gui.backups_page import size_in_words
from hera_desktop.gui.main import open_books_for_window
from hera_desktop.gui.shell import MainWindow
from hera_desktop.services import backups


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "home"
    monkeypatch.setenv("HERA_DESKTOP_HOME", str(where))
    return where


def answering(buttons: list[QMessageBox.StandardButton], seen: list[tuple[str, str]]) -> None:
    """Press each of ``buttons`` in turn on the message boxes that come up, noting each one's name and text."""
    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, answer)
            return
        seen.append((box.objectName(), box.text()))
        box.button(buttons.pop(0)).click()
        if buttons:
            QTimer.singleShot(10, answer)
    QTimer.singleShot(0, answer)


def backups_tab(qtbot: Any, session: Any) -> Any:
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    settings = window.show_screen("Settings")
    settings.tabs.setCurrentWidget(settings.backups)
    return window, settings.backups


def test_back_up_now_writes_a_checked_backup_into_the_chosen_folder(qtbot: Any, session_as: Any,
                                                                      tmp_path: Path) -> None:
    window, page = backups_tab(qtbot, session_as("manager"))
    assert page.findChild(type(page.back_up_button), "backUpNow").isVisible()
    assert page.findChild(type(page.restore_button), "restoreBackup").isVisible()
    usb = tmp_path / "USB"
    usb.mkdir()
    page.back_up_to(usb)
    made, = usb.iterdir()
    assert made.name.startswith("books-") and made.suffix == ".db"
    assert backups.check(made).verified
    assert page.message.text() == (f"Backed up to {made}: checked (integrity and the hash chains of its "
                                   f"{backups.check(made).transactions} transactions).")


def test_the_automatic_backups_are_listed_with_their_date_and_size(qtbot: Any, session_as: Any, books: Any) -> None:
    hera, _ = books
    made = hera.back_up_if_due()
    assert made is not None and hera.back_up_if_due() is None  # once a day
    _, page = backups_tab(qtbot, session_as("admin"))
    shown = [page.listing.item(i).text() for i in range(page.listing.count())]
    assert shown == [f"{made.taken_at:%a %d %b %Y %H:%M}    {size_in_words(made.size)}"]
    assert size_in_words(made.size).endswith(" KB") and size_in_words(3 * 1_048_576) == "3.0 MB"


def test_restoring_a_backup_says_what_is_missing_and_everyone_signs_in_again(qtbot: Any, session_as: Any,
                                                                             books: Any, tmp_path: Path) -> None:
    hera, book = books
    made = backups.take(Path(hera.db.path), tmp_path / "usb")
    session = session_as("manager")
    session.scope.restaurant.process_order(items=[{"menu_item_id": book.menu["Espresso"]}], payment_method="cash")
    window, page = backups_tab(qtbot, session)
    seen: list[tuple[str, str]] = []
    answering([QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Ok], seen)
    page.restore_from(Path(made.path))
    assert [name for name, _ in seen] == ["confirmRestore", "restoredMessage"]
    assert "The books as they are now are set aside beside them, not deleted." in seen[0][1]
    assert "are not in the restored books; the books set aside at" in seen[1][1]
    assert session.user is None  # signed out: whoever comes next reads the restored books afresh
    window.sign_in_dialog.reject()
    assert hera.verify().intact
    assert list(Path(hera.db.path).parent.glob("books.db.set-aside-*"))


def test_a_cashier_never_sees_the_backups(qtbot: Any, session_as: Any) -> None:
    window = MainWindow(session_as("cashier"))
    qtbot.addWidget(window)
    titles = [window.nav.item(i).text() for i in range(window.nav.count()) if not window.nav.item(i).isHidden()]
    assert "Settings" not in titles


def test_damaged_books_on_open_offer_the_latest_good_backup(qapp: Any, books: Any) -> None:
    hera, _ = books
    path = Path(hera.db.path)
    made = hera.back_up_if_due()
    hera.close()
    with path.open("r+b") as f:
        f.seek(4096 * 3)
        f.write(b"\xa5" * 4096 * 4)
    seen: list[tuple[str, str]] = []
    answering([QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Ok], seen)
    reopened = open_books_for_window(path)
    try:
        assert reopened is not None and reopened.verify().intact and reopened.list_organizations()
    finally:
        if reopened is not None:
            reopened.close()
    assert seen[0] == ("offerBackup", "books.db is not a HERA Desktop books file, or it is damaged.\n\nRestore the "
                       f"backup of {made.taken_at:%-d %b %H:%M}? The damaged books are set aside beside it, not "
                       "deleted.")
    assert seen[1][0] == "booksMessage"
    assert list(path.parent.glob("books.db.set-aside-*"))


def test_damaged_books_without_a_backup_are_only_explained(qapp: Any, tmp_path: Path) -> None:
    books = tmp_path / "books.db"
    hera_desktop.open(books).close()
    with books.open("r+b") as f:
        f.seek(4096 * 3)
        f.write(b"\xa5" * 4096 * 4)
    seen: list[tuple[str, str]] = []
    answering([QMessageBox.StandardButton.Ok], seen)
    assert open_books_for_window(books) is None
    assert seen == [("booksMessage", "books.db is not a HERA Desktop books file, or it is damaged")]
