"""Pictures of every screen, for the README and for visual review (``hera-desktop screenshots DIR``).

The app runs on temporary demo books with the usage guide's flows taken, so
screens have something to show. Screens are found through the main window
itself, so a screen added to the window is pictured without changes here.
Some screens are staged first (the till gets a ticket), and their dialogs get
pictures of their own (the till's pay dialog). The first start's setup assistant
is pictured too, on its first page and its business page. With ``dark`` every picture
is in the colours a dark system theme gives the app (``theme.dark_palette()``).
"""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any, Callable

WINDOW_SIZE = (1280, 800)
ROLES = ("manager", "admin", "cashier", "bookkeeper")  # who is signed in when a screen is pictured


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "screen"


def use_offscreen_without_display() -> None:
    """Qt needs a platform: without a display, render offscreen (must run before the QApplication exists)."""
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def render_all(directory: Path, dark: bool = False) -> list[Path]:
    """Render the sign-in dialog and every screen of the main window to PNG files in ``directory``;
    ``dark``: in a dark system theme's colours. The application's palette is put back afterwards."""
    use_offscreen_without_display()
    from . import theme
    from .main import application

    app = application()
    directory.mkdir(parents=True, exist_ok=True)
    before = app.palette()
    if dark:
        app.setPalette(theme.dark_palette())  # before any screen is made: screens pick colours as they are built
    try:
        with tempfile.TemporaryDirectory(prefix="hera-screenshots-") as tmp:
            from .. import open as open_books

            hera = open_books(Path(tmp) / "demo.db")
            try:
                return _render(hera, directory)
            finally:
                hera.close()
    finally:
        app.setPalette(before)


def _render(hera: Any, directory: Path) -> list[Path]:
    from ..demo import STAFF, create_demo, run_guide_flows
    from ..domain.roles import allows
    from .runner import Runner
    from .session import Session
    from .shell import MainWindow
    from .signin import SignInDialog

    book = create_demo(hera)
    run_guide_flows(hera, book)
    pins = {role: pin for _name, role, pin in STAFF}
    # Work runs synchronously so that every screen is filled by the time it is pictured.
    session = Session(hera, hera.organization(book.organization_id), Runner(pool=None))
    dialog = SignInDialog(session)
    saved = [_picture(dialog, directory / "sign-in.png")]
    _dispose(dialog)
    saved += picture_setup_assistant(hera, directory)

    def sign_in(role: str) -> None:
        if session.role != role:
            session.sign_in(session.system.users.authenticate(book.users[role], pins[role]))

    sign_in(ROLES[0])
    window = MainWindow(session)
    window.resize(*WINDOW_SIZE)
    window.show()
    try:
        for title, screen in list(window.screens.items()):
            sign_in(next((r for r in ROLES if allows(r, screen.permission)), ROLES[0]))
            window.show_screen(title)
            stage = STAGING.get(title)
            dialogs = stage(screen) if stage else {}
            saved.append(_picture(window, directory / f"{slug(title)}.png"))
            for name, open_dialog in dialogs.items():
                widget = open_dialog()
                if widget is not None:
                    saved.append(_picture(widget, directory / f"{slug(title)}-{slug(name)}.png"))
                    widget.close()
    finally:
        _dispose(window)
    return saved


def picture_setup_assistant(hera: Any, directory: Path) -> list[Path]:
    """The setup assistant's first page, and its business page as an owner fills it (nothing is written)."""
    from .runner import Runner
    from .setup_assistant import SetupAssistant

    assistant = SetupAssistant(hera, Runner(pool=None))
    assistant.resize(720, 560)
    saved = [_picture(assistant, directory / "setup-assistant.png")]
    assistant.next()
    f = assistant.fields
    f.name.setText("Trattoria Bianchi")
    f.address.setPlainText("Via Roma 1\n00100 Roma RM")
    f.tax_id.setText("IT01234567890")
    f.receipt_footer.setPlainText("Grazie e arrivederci!")
    saved.append(_picture(assistant, directory / "setup-assistant-business.png"))
    _dispose(assistant)
    return saved


def _dispose(widget: Any) -> None:
    """Delete the widget (and its dialogs) now, while Qt is up: left to the garbage collector at exit,
    the order of destruction can crash the process."""
    from PySide6.QtCore import QCoreApplication, QEvent

    widget.close()
    widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def _stage_till(till: Any) -> dict[str, Callable[[], Any]]:
    """A table's order on the ticket, as a cashier would have it before pressing Pay."""
    for name in ("Margherita", "Margherita", "Carbonara", "House Red"):
        till.menu.search.setText(name)
        till.menu.search.returnPressed.emit()  # Enter: add the best match
    till.panel.table.setText("12")

    def pay_dialog() -> Any:
        till.pay()
        return till.pay_dialog

    return {"pay": pay_dialog}


def _stage_customers(customers: Any) -> dict[str, Callable[[], Any]]:
    """A customer with a balance on account chosen, and the onboarding form."""
    rows = customers.model.rows
    if rows:
        customers.select_row(next((i for i, r in enumerate(rows) if r.account_balance), 0))
    return {"new": customers.onboard}


def _stage_day_close(screen: Any) -> dict[str, Callable[[], Any]]:
    """The drawer counted two short of what it should hold, before closing."""
    if screen.figures is not None:
        screen.counted.setText(str(screen.figures.cash_expected - 2))
    return {}


def _stage_menu(screen: Any) -> dict[str, Callable[[], Any]]:
    """A pizza chosen: its recipe and its price history beside the menu."""
    screen.select_by_name("Margherita Pizza")
    return {}


def _stage_staff(screen: Any) -> dict[str, Callable[[], Any]]:
    """The cashier chosen, as a manager would have them before resetting a PIN."""
    if screen.rows:
        screen.select(next((u["name"] for u in screen.rows if u["role"] == "cashier"), screen.rows[0]["name"]))
    return {}


STAGING: dict[str, Callable[[Any], dict[str, Callable[[], Any]]]] = {
    "Till": _stage_till, "Customers": _stage_customers, "Close day": _stage_day_close, "Menu": _stage_menu,
    "Staff": _stage_staff}


def _picture(widget: Any, path: Path) -> Path:
    from PySide6.QtCore import QEventLoop

    widget.show()
    loop = QEventLoop()
    for _ in range(3):  # layout, then the paint of what the layout placed
        loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
    if not widget.grab().save(str(path), "PNG"):
        raise OSError(f"could not write {path}")
    return path
