"""The main window: navigation between screens, the signed-in user, and the status bar."""
from __future__ import annotations

import importlib
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QMainWindow, QSplitter, QStackedWidget

from .screen import Screen
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
    ScreenType("Reports", "reports.view", ".reports.screen:ReportsScreen"),
    ScreenType("Close day", "day.close", ".dayclose:DayCloseScreen"),
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
        self.resize(1280, 800)
        self.nav = QListWidget(objectName="navigation")
        self.nav.setFixedWidth(170)
        self.nav.setStyleSheet("QListWidget { font-size: 16px; } QListWidget::item { padding: 14px 10px; }")
        self.stack = QStackedWidget()
        self.screens = _Screens(self)
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
        switch = QAction("Switch user", self, shortcut=QKeySequence("Ctrl+L"))
        switch.triggered.connect(self.switch_user)
        self.addAction(switch)
        menu = self.menuBar().addMenu("&Session")
        menu.addAction(switch)
        quit_action = QAction("Quit", self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        menu.addAction(quit_action)
        session.user_changed.connect(self.apply_role)
        self.apply_role()

    def _status(self) -> None:
        bar = self.statusBar()
        self.org_label = QLabel(objectName="statusOrganization")
        self.user_label = QLabel(objectName="statusUser")
        self.terminal_label = QLabel(f"Terminal {self.session.hera.terminal_id[-4:].upper()}",
                                     objectName="statusTerminal")
        self.connection_label = QLabel("Offline — books on this computer", objectName="statusConnection")
        for w in (self.org_label, self.user_label, self.terminal_label, self.connection_label):
            w.setContentsMargins(8, 0, 8, 0)
            bar.addPermanentWidget(w)

    def apply_role(self) -> None:
        """Offer only the screens the signed-in user's role may use."""
        s = self.session
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
            self.stack.setCurrentIndex(-1)

    def _navigate(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.stack.setCurrentWidget(self.screens[item.data(Qt.ItemDataRole.UserRole)])

    def show_screen(self, title: str) -> Screen:
        for i in range(self.nav.count()):
            if self.nav.item(i).data(Qt.ItemDataRole.UserRole) == title:
                self.nav.setCurrentRow(i)
        return self.screens[title]

    def switch_user(self) -> bool:
        """Another cashier takes the till without closing the app."""
        dialog = SignInDialog(self.session, self)
        return dialog.exec() == SignInDialog.DialogCode.Accepted
