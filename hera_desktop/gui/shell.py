"""The main window: navigation between screens, the signed-in user, locking, and the status bar.

Locking (Ctrl+L, or nobody touching the app for the organization's ``idle_lock_minutes``) hides
everyone's work behind the sign-in; whoever signs in next sees fresh screens unless they are the
person who locked, who finds their work as they left it. Signing out always starts afresh.
"""
from __future__ import annotations

import importlib
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QLabel, QListWidget, QListWidgetItem, QMainWindow, QPushButton, QSplitter,
                               QStackedWidget, QVBoxLayout, QWidget)

from . import theme
from . import window_place
from .idle import IdleLock, idle_minutes
from .labels import plain_label
from .print_status import PrinterStatus

from .screen import Screen
from .sizes import px
from .signin import SignInDialog


class ScreenType:
    """A screen the window offers: its title and permission are known without importing it."""

    def __init__(self, title: str, permission: str, where: str) -> None:
        self.title = title
        self.permission = permission
        self.where = where  # "module:Class", imported when the screen is first opened

    def load(self) -> type[Screen]:
        """The screen's class, its module imported (once)."""
        module, name = self.where.split(":")
        return getattr(importlib.import_module(module, __package__), name)  # type: ignore[no-any-return]

    def __call__(self, session: Any, parent: Any = None) -> Screen:
        return self.load()(session, parent)


SCREENS = [
    ScreenType("Till", "orders.take", ".till.screen:TillScreen"),
    ScreenType("Customers", "customers.view", ".customers.screen:CustomersScreen"),
    ScreenType("Journals", "journals.post", ".journals.screen:JournalsScreen"),
    ScreenType("Inventory", "inventory.adjust", ".inventory.screen:InventoryScreen"),
    ScreenType("Menu", "menu.manage", ".menu.screen:MenuScreen"),
    ScreenType("Reports", "reports.view", ".reports.screen:ReportsScreen"),
    ScreenType("Close day", "day.close", ".dayclose:DayCloseScreen"),
    ScreenType("Staff", "users.manage_cashiers", ".staff:StaffScreen"),
    ScreenType("Settings", "users.unlock", ".settings:SettingsScreen"),
]


class _Screens(dict):  # type: ignore[type-arg]
    """Screens by title, each built the first time it is wanted: the till opens without waiting
    for the back office. Iterating builds them all (screenshots)."""

    def __init__(self, window: "MainWindow") -> None:
        super().__init__()
        self.window = window

    def __missing__(self, title: str) -> Screen:
        # Made inside the stack: a screen made on its own and added after is styled twice (style sheets).
        screen = self.window.screen_types[title](self.window.session, self.window.stack)
        self.window.stack.addWidget(screen)
        self[title] = screen
        return screen

    def items(self):  # type: ignore[no-untyped-def, override]
        return [(t, self[t]) for t in self.window.screen_types]

    def values(self):  # type: ignore[no-untyped-def, override]
        return [self[t] for t in self.window.screen_types]


class MainWindow(QMainWindow):
    def __init__(self, session: Any) -> None:
        super().__init__()
        self.session = session
        self.setObjectName("mainWindow")
        self.setWindowTitle(f"HERA Desktop — {session.organization.organization_name}")
        self.nav = QListWidget(objectName="navigation")
        self.nav.setFixedWidth(px(170))  # wide enough for the screens' names in the user's font
        self.nav.setAccessibleName("Screens")
        self.nav.setStyleSheet(f"QListWidget {{ font-size: {px(16)}px; }}"
                               f" QListWidget::item {{ padding: {px(14)}px {px(10)}px; }}")
        self.stack = QStackedWidget()
        self.locked_page = self._locked_page()
        self.stack.addWidget(self.locked_page)
        self.screens = _Screens(self)
        self._screens_for: str | None = None  # whose work the screens built so far show
        self._retired: list[Screen] = []
        self._runner_busy = False
        session.runner.busy.connect(self._runner_busy_changed)
        self.screen_types = {t.title: t for t in SCREENS}
        for t in SCREENS:
            item = QListWidgetItem(t.title)
            item.setData(Qt.ItemDataRole.UserRole, t.title)
            self.nav.addItem(item)
        self.nav.currentItemChanged.connect(self._navigate)
        split = QSplitter()
        split.addWidget(self.nav)
        split.addWidget(self.stack)
        split.setStretchFactor(1, 1)
        split.setSizes([170, 1110])
        split.setChildrenCollapsible(False)
        self.setCentralWidget(split)
        self._status()
        if session.hera.read_only:
            self._read_only_banner(session.hera.read_only)
        self.books_check_bar: Any = None
        session.books_check.found.connect(self._books_check_failed)
        lock = QAction("Lock", self, shortcut=QKeySequence("Ctrl+L"), objectName="lockAction")
        lock.triggered.connect(self.lock)
        sign_out = QAction("Sign out", self, shortcut=QKeySequence("Ctrl+Shift+L"), objectName="signOutAction")
        sign_out.triggered.connect(self.sign_out)
        self.addAction(lock)
        self.addAction(sign_out)
        self.change_pin_action = QAction("Change my PIN…", self, objectName="changePinAction")
        self.change_pin_action.triggered.connect(self.change_my_pin)
        self.pin_dialog: Any = None
        menu = self.menuBar().addMenu("&Session")
        menu.addAction(self.change_pin_action)
        menu.addAction(lock)
        menu.addAction(sign_out)
        quit_action = QAction("Quit", self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        menu.addAction(quit_action)
        self.idle = IdleLock(self)
        self.idle.idle.connect(self.lock)
        self.sign_in_dialog: SignInDialog | None = None
        session.user_changed.connect(self.apply_role)
        self.apply_role()
        window_place.place(self, session.preferences)
        if session.books_check.findings:
            self._books_check_failed(session.books_check.findings)
        session.books_check.on_open()  # off the GUI thread; the till is usable meanwhile

    def _status(self) -> None:
        bar = self.statusBar()
        self.org_label = plain_label(objectName="statusOrganization")
        self.user_label = plain_label(objectName="statusUser")
        self.terminal_label = QLabel(f"Terminal {self.session.hera.terminal_id[-4:].upper()}",
                                     objectName="statusTerminal")
        self.connection_label = QLabel("Offline — books on this computer", objectName="statusConnection")
        for w in (self.org_label, self.user_label, self.terminal_label, self.connection_label):
            w.setContentsMargins(8, 0, 8, 0)
            bar.addPermanentWidget(w)
        self.printer_label = PrinterStatus(self.session)
        bar.addWidget(self.printer_label)

    def _read_only_banner(self, reason: str) -> None:
        """Said before anyone tries: everything can be looked at, nothing can be changed."""
        bar = self.addToolBar("Read-only books")
        bar.setObjectName("readOnlyBar")
        bar.setMovable(False)
        self.read_only_banner = plain_label(f"Read-only: these books cannot be changed ({reason}). Everything can be "
                                       "looked at and reported; nothing can be sold or saved.",
                                       objectName="readOnlyBanner", wordWrap=True)
        self.read_only_banner.setStyleSheet(f"QLabel {{ {theme.surface_style('warning', 'padding: 6px 10px;')} }}")
        bar.addWidget(self.read_only_banner)

    def _books_check_failed(self, found: list[str]) -> None:
        """What a check of the books found, said to those who can act on it (managers and admins)."""
        if self.books_check_bar is None:
            self.books_check_bar = self.addToolBar("Books check")
            self.books_check_bar.setObjectName("booksCheckBar")
            self.books_check_bar.setMovable(False)
            self.books_check_bar.toggleViewAction().setVisible(False)  # not closed by a right-click
            self.books_check_banner = plain_label(objectName="booksCheckBanner", wordWrap=True)
            self.books_check_banner.setStyleSheet(f"QLabel {{ {theme.surface_style('warning', 'padding: 6px 10px;')} }}")
            self.books_check_bar.addWidget(self.books_check_banner)
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        self.books_check_banner.setText(
            f"The books check found {len(found)} problem{'s' if len(found) > 1 else ''}: {found[0]}{more}. "
            "The books may have been changed outside HERA Desktop; it is recorded. Run “hera-desktop verify” "
            "for the full list.")
        self.books_check_banner.setToolTip("\n".join(found))
        self._show_books_check()

    def _show_books_check(self) -> None:
        if self.books_check_bar is not None:
            self.books_check_bar.setVisible(self.session.allows("day.close"))

    def apply_role(self) -> None:
        """Offer only the screens the signed-in user's role may use."""
        s = self.session
        if s.user is not None and self._screens_for not in (None, s.user.id):
            self._retire_screens()  # the next person never sees the last one's searches and selections
        if s.user is not None:
            self._screens_for = s.user.id
            self.idle.start(idle_minutes(s.scope.settings))
        else:
            self.idle.stop()
        self.change_pin_action.setEnabled(s.user is not None)
        self._show_books_check()
        self.org_label.setText(s.organization.organization_name)
        self.user_label.setText(f"{s.user.entity_name} ({s.role})" if s.user else "Nobody signed in")
        first = None
        for i in range(self.nav.count()):
            item = self.nav.item(i)
            allowed = s.allows(self.screen_types[item.data(Qt.ItemDataRole.UserRole)].permission)
            item.setHidden(not allowed)
            if allowed and first is None:
                first = item
        current = self.nav.currentItem()
        if current is None or current.isHidden():
            self.nav.setCurrentItem(first)
        if first is None:
            self.stack.setCurrentWidget(self.locked_page)
        else:
            self._navigate(self.nav.currentItem())

    def _navigate(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.stack.setCurrentWidget(self.screens[item.data(Qt.ItemDataRole.UserRole)])

    def show_screen(self, title: str) -> Screen:
        for i in range(self.nav.count()):
            if self.nav.item(i).data(Qt.ItemDataRole.UserRole) == title:
                self.nav.setCurrentRow(i)
        return self.screens[title]

    def lock(self) -> None:
        """Hide the work behind the sign-in; the person who locked is offered first to come back."""
        if self.session.user is not None:
            self.session.sign_out()
        self.offer_sign_in()

    def sign_out(self) -> None:
        """Leave for good: the next person, whoever it is, starts on fresh screens."""
        if self.session.user is not None:
            self.session.sign_out()
        self._retire_screens()
        self._screens_for = None
        self.offer_sign_in()

    def switch_user(self) -> None:
        """Another cashier takes the till without closing the app."""
        self.lock()

    def change_my_pin(self) -> Any:
        """The signed-in person's own PIN, changed in a small dialog (window-modal)."""
        from .pin_change import PinChangeDialog

        if self.session.user is None:
            return None
        self.pin_dialog = PinChangeDialog(self.session, self)
        self.session.user_changed.connect(self.pin_dialog.reject)  # locked or signed out: not left open for the next
        self.pin_dialog.open()
        return self.pin_dialog

    def offer_sign_in(self) -> None:
        """The sign-in over the locked window (window-modal, so the app keeps running behind it)."""
        if self.sign_in_dialog is not None and self.sign_in_dialog.isVisible():
            return
        self.sign_in_dialog = SignInDialog(self.session, self)
        self.sign_in_dialog.open()

    def _locked_page(self) -> QWidget:
        page = QWidget(objectName="lockedPage")
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        label = QLabel("Locked. Sign in to carry on.", objectName="lockedMessage",
                       alignment=Qt.AlignmentFlag.AlignCenter)
        label.setStyleSheet(f"font-size: {px(20)}px;")
        button = QPushButton("Sign in", objectName="lockedSignIn")
        button.clicked.connect(self.offer_sign_in)
        layout.addWidget(label)
        layout.addWidget(button, alignment=Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(1)
        return page

    def _retire_screens(self) -> None:
        """Put away every screen built so far; each is made again, empty, when next opened. They are deleted
        once no work on the thread pool may still answer to one of them."""
        retired = list(dict.values(self.screens))
        self.screens = _Screens(self)
        for screen in retired:
            self.stack.removeWidget(screen)
            screen.hide()
        self._retired.extend(retired)
        self._runner_busy_changed(self._runner_busy)

    def _runner_busy_changed(self, busy: bool) -> None:
        self._runner_busy = busy
        if not busy:
            while self._retired:
                self._retired.pop().deleteLater()

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        window_place.remember(self, self.session.preferences)
        super().closeEvent(event)
