"""Starting the desktop app: open the books, choose the organization, sign in, show the window.

Where the window cannot be seen (no display, or Qt's offscreen platform) it does not start at all, so no
question ever waits for an answer nobody can give. Books that cannot be opened are explained in a dialog;
damaged books offer their latest good backup instead.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QSettings, QThreadPool
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from ..domain.errors import HeraError
from .display import missing_display
from .labels import message_box
from .runner import Runner
from .session import Session
from .sizes import px

if TYPE_CHECKING:
    from .shell import MainWindow

ORG_KEY = "organization_id"


def application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    QCoreApplication.setOrganizationName("HERA Desktop")
    QCoreApplication.setApplicationName("HERA Desktop")
    # The user's own font size stands (no font-size here); button heights follow it.
    app.setStyleSheet(f"QPushButton {{ min-height: {px(32)}px; }}")
    return app  # type: ignore[return-value]


def choose_organization(hera: Any, settings: QSettings, parent: Any = None, runner: Runner | None = None) -> Any:
    """The organization to work in: the only one, the last used, or the user's choice. On empty books the setup
    assistant makes it (the person's own business, or the demo), its work on ``runner``; None if it was cancelled."""
    orgs = hera.list_organizations()
    if not orgs and hera.read_only:
        _tell(parent, QMessageBox.Icon.Information, "Nothing to show",
              f"These books hold no organization yet, and they are read-only ({hera.read_only}), so none can be "
              "added.")
        return None
    if not orgs:
        from .setup_assistant import SetupAssistant

        assistant = SetupAssistant(hera, runner or Runner(QThreadPool.globalInstance()), parent)
        if assistant.exec() != SetupAssistant.DialogCode.Accepted:
            return None
        return assistant.organization
    if len(orgs) == 1:
        return orgs[0]
    last = settings.value(ORG_KEY)
    names = [o.organization_name for o in orgs]
    current = next((i for i, o in enumerate(orgs) if o.id == last), 0)
    name, ok = QInputDialog.getItem(parent, "Organization", "Which organization's books?", names, current, False)
    if not ok:
        return None
    return orgs[names.index(name)]


def sign_in(session: Session) -> MainWindow | None:
    """The sign-in dialog, then the main window of whoever signed in, built but not shown; None if the dialog
    was closed.

    While the PIN is checked on the thread pool (its scrypt hash leaves the GUI thread free), the window is
    built with nobody signed in, and so is the till, where most people start. Nothing of anyone is read or
    shown before the PIN is right: the till built ahead reads nothing until it is shown, the window offers
    only the screens the user's role may use once the session signs in, and it is shown only after that.
    """
    from .shell import SCREENS, MainWindow
    from .signin import SignInDialog

    dialog = SignInDialog(session)
    built: list[MainWindow] = []

    def prepare() -> None:
        if not built:
            # The till's code first: importing lets the check's own few database steps through Python's lock
            # between bytecodes, building widgets (long calls into Qt) does not; so scrypt starts sooner.
            SCREENS[0].load()
            window = MainWindow(session)
            window.screens[SCREENS[0].title]  # builds the till, hidden; a role without it never sees it
            built.append(window)

    dialog.checking.connect(prepare)
    if dialog.exec() != SignInDialog.DialogCode.Accepted:
        return None
    return built[0] if built else MainWindow(session)


def open_books_for_window(database: Path | None, parent: Any = None) -> Any:
    """The books to show, or None when there are none to show: the person declined to create new books in a
    folder that does not exist (a mistyped path), or the books could not be opened (said in a dialog)."""
    from .. import open as open_books

    if database is not None:
        database = database.expanduser()
        if not database.parent.exists() and not _confirm_new_books(database, parent):
            return None
    try:
        return open_books(database)
    except HeraError as exc:
        if _restored_instead(exc, parent):
            return open_books_for_window(database, parent)
        _tell(parent, QMessageBox.Icon.Critical, "The books could not be opened", exc.message)
        return None


def _restored_instead(exc: HeraError, parent: Any) -> bool:
    """Damaged books: the latest good backup offered instead, and restored if the person says so (the damaged
    books are set aside, not deleted); whether it was."""
    from ..services import backups

    if not isinstance(exc, backups.DamagedBooksError):
        return False
    found = backups.latest_good(exc.path)
    if found is None:
        return False
    box = message_box(QMessageBox.Icon.Question, "The books are damaged",
                      f"{exc.message}.\n\nRestore the backup of {found.taken_at:%-d %b %H:%M}? The damaged books "
                      "are set aside beside it, not deleted.",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setObjectName("offerBackup")
    if box.exec() != QMessageBox.StandardButton.Yes:
        return False
    try:
        done = backups.restore(exc.path, Path(found.path))
    except HeraError as failed:
        _tell(parent, QMessageBox.Icon.Critical, "The backup could not be restored", failed.message)
        return False
    _tell(parent, QMessageBox.Icon.Information, "Backup restored", done.sentence)
    return True


def _confirm_new_books(database: Path, parent: Any) -> bool:
    box = message_box(QMessageBox.Icon.Question, "New books?",
                      f"There are no books at {database}: the folder {database.parent} does not exist.\n\n"
                      "Create the folder and new, empty books there?",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setObjectName("confirmNewBooks")
    box.setDefaultButton(QMessageBox.StandardButton.No)  # a typo must not become a second set of books
    return box.exec() == QMessageBox.StandardButton.Yes


def _tell(parent: Any, icon: QMessageBox.Icon, title: str, message: str) -> None:
    box = message_box(icon, title, message, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("booksMessage")
    box.exec()


def _unexpected(kind: type[BaseException], exc: BaseException, tb: Any) -> QMessageBox | None:
    """An error no screen caught (raised in a slot): logged with its traceback, and said in a dialog (returned)."""
    from .errors import show_error

    if not isinstance(exc, Exception):  # Ctrl+C in a terminal, a SystemExit: Python's own handling
        sys.__excepthook__(kind, exc, tb)
        return None
    return show_error(_window_with_books(), exc.with_traceback(tb))


def _window_with_books() -> Any:
    """The window the error concerns: the active one if it shows books (or is a dialog of one that does),
    else a visible window that shows books, else whatever is active."""
    active = QApplication.activeWindow()
    for window in (active, *QApplication.topLevelWidgets()):
        widget = window
        while widget is not None and widget.isVisible():
            if getattr(widget, "session", None) is not None:
                return widget
            widget = widget.parentWidget()
    return active


def run(database: Path | None = None) -> int:
    """The window, until it is closed; the exit code as the command documents it (cli.EXIT_CODES)."""
    problem = missing_display()
    if problem:  # Qt would abort with a message naming the wrong library, or wait on a window nobody sees
        print(f"hera-desktop: {problem}", file=sys.stderr)
        return 2
    from ..logbook import start_log

    start_log()
    app = application()
    sys.excepthook = _unexpected
    hera = open_books_for_window(database)
    if hera is None:
        return 3
    settings = QSettings()
    runner = Runner(QThreadPool.globalInstance())
    org = choose_organization(hera, settings, runner=runner)
    if org is None:
        return 0
    settings.setValue(ORG_KEY, org.id)
    session = Session(hera, org, runner)
    window = sign_in(session)
    if window is None:
        return 0
    window.show()
    from .backups_page import AutomaticBackups

    AutomaticBackups(hera, runner, window).start()
    code = app.exec()
    session.runner.wait(10000)  # the shared pool and the sign-in lane
    hera.close()
    return code
