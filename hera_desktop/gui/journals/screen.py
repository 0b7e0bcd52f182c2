"""The Journals screen for bookkeepers: enter an entry, read the posted journals, keep the chart of accounts."""
from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QTabWidget, QVBoxLayout

from ..screen import Screen
from .accounts_view import ChartOfAccountsView
from .entry_editor import EntryEditor
from .posted_list import PostedList


# Calm and dense: a little air inside cells, figures never touching the grid lines.
STYLE = """
QTableView::item { padding: 0px 4px; }
QTreeView::item { padding: 2px 4px; }
QHeaderView::section { padding: 3px 6px; }
"""


class JournalsScreen(Screen):
    title = "Journals"
    permission = "journals.post"
    refresh_on = frozenset({"journal_entry", "gl_account", "sale", "payment", "inventory_adjustment"})

    def __init__(self, session: Any, parent: Any = None) -> None:
        super().__init__(session, parent)
        self.setObjectName("journalsScreen")
        self.setStyleSheet(STYLE)
        self.editor = EntryEditor(session)
        self.posted = PostedList(session)
        self.accounts = ChartOfAccountsView(session)
        self.tabs = QTabWidget(objectName="journalTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.editor, "&Entry")
        self.tabs.addTab(self.posted, "&Posted")
        self.tabs.addTab(self.accounts, "&Chart of accounts")
        self.tabs.currentChanged.connect(lambda _: self.refresh())
        self.editor.open_entry.connect(self.show_entry)
        self.editor.posted.connect(self._posted)
        session.user_changed.connect(self._user_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.tabs)

    def refresh(self) -> None:
        """Reload the tab in view; the others reload when they are opened."""
        tab = self.tabs.currentWidget()
        if tab is not None and self.isVisible():
            tab.refresh()  # type: ignore[attr-defined]

    def show_entry(self, entry_id: str) -> None:
        """Open a posted entry (from a pointer, a reversal, an order)."""
        self.tabs.setCurrentWidget(self.posted)
        self.posted.show_entry(entry_id)

    def _posted(self, entry_id: str) -> None:
        self.posted.focus_on(entry_id)  # the new entry is shown when the Posted tab opens

    def _user_changed(self) -> None:
        self.editor.forget()  # another person's draft is theirs to see
        if self.isVisible():
            self.refresh()
