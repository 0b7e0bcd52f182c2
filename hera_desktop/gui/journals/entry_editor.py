"""The journal entry editor: date, reference, description and a grid of lines, posted when balanced.

The debit and credit totals and their difference are always in view; Post is
enabled only when the entry balances and every line is valid. What is typed is
kept as a draft in the books (a moment after each change), so it survives a restart.
"""
from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QDateEdit, QFormLayout, QHBoxLayout, QHeaderView,
                               QLineEdit, QPushButton, QTableView, QVBoxLayout, QWidget)

from .. import theme
from ...domain.errors import IdempotencyConflictError
from ..errors import show_error
from ..labels import plain_label, rich_label
from .drafts import DraftKeeper, draft_of, lines_of
from .entry_model import ACCOUNT, CREDIT, DEBIT, DESCRIPTION, AccountChoice, EntryLinesModel
from .line_delegates import LineDelegate
from .pointer import ReferencePointer
from .table_model import money
from .totals_bar import TotalsBar

REFERENCE_CHECK_MS = 350


class EntryEditor(QWidget):
    open_entry = Signal(str)  # show this posted entry
    posted = Signal(str)

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = session.runner
        self._loaded = False
        self._quiet = False          # filling in a draft is not an edit
        self._posting = False
        self._taken: Any = None      # the posted entry that already has this reference
        self.model = EntryLinesModel(self)
        self.model.currency = session.organization.currency
        self.delegate = LineDelegate(self.model, self)
        self._build()
        self.keeper = DraftKeeper(self.runner, self.draft, self)
        self.keeper.state.connect(self.saved.setText)
        self.keeper.failed.connect(self._failed)
        self.reference_check = QTimer(self, singleShot=True, interval=REFERENCE_CHECK_MS)
        self.reference_check.timeout.connect(self.check_reference)
        self.model.changed.connect(self._edited)
        for signal in (self.date.dateChanged, self.description.textChanged):
            signal.connect(self._edited)
        self.reference.textChanged.connect(self._reference_edited)
        self._update()

    def _build(self) -> None:
        self.date = QDateEdit(QDate.currentDate(), objectName="entryDate", calendarPopup=True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.reference = QLineEdit(objectName="entryReference", placeholderText="e.g. INV-12345", maxLength=190)
        self.description = QLineEdit(objectName="entryDescription", placeholderText="What this entry records")
        head = QHBoxLayout()
        for label, widget, stretch in (("&Date", self.date, 0), ("&Reference", self.reference, 1),
                                       ("D&escription", self.description, 3)):
            form = QFormLayout()
            form.setContentsMargins(0, 0, 0, 0)
            form.addRow(label, widget)
            head.addLayout(form, stretch)
        self.pointer = ReferencePointer(self)
        self.pointer.open_entry.connect(self.open_entry)
        self.grid = QTableView(objectName="entryLines")
        self.grid.setModel(self.model)
        self.grid.setItemDelegate(self.delegate)
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers
                                  & ~QAbstractItemView.EditTrigger.CurrentChanged)
        self.grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setTabKeyNavigation(True)
        self.grid.verticalHeader().setDefaultSectionSize(26)
        header = self.grid.horizontalHeader()
        header.setSectionResizeMode(ACCOUNT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        for col in (DEBIT, CREDIT):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(col, 130)
        self.totals = TotalsBar(self)
        self.problem = plain_label(objectName="entryProblem")
        self.problem.setStyleSheet(theme.tone_style("muted"))
        self.saved = rich_label(objectName="draftState")
        self.saved.setStyleSheet(theme.tone_style("muted"))
        self.saved.linkActivated.connect(self.open_entry)
        self.delete_line = QPushButton("Delete line", objectName="deleteLine")
        self.clear_button = QPushButton("Start over", objectName="startOver")
        self.post_button = QPushButton("Post", objectName="postEntry")
        self.post_button.setToolTip("Post the entry (Ctrl+Enter)")
        self.post_button.setMinimumWidth(110)
        self.delete_line.clicked.connect(self.remove_current_line)
        self.clear_button.clicked.connect(self.start_over)
        self.post_button.clicked.connect(self.post)
        for keys, slot in (("Ctrl+Return", self.post), ("Ctrl+Enter", self.post),
                           ("Ctrl+Delete", self.remove_current_line)):
            action = QAction(self, shortcut=QKeySequence(keys))
            action.triggered.connect(slot)
            self.addAction(action)
        foot = QHBoxLayout()
        foot.addWidget(self.delete_line)
        foot.addWidget(self.problem, 1)
        foot.addWidget(self.saved)
        foot.addWidget(self.clear_button)
        foot.addWidget(self.post_button)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.pointer)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.totals)
        layout.addLayout(foot)

    def hideEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        """Leaving the tab or closing the app saves what was typed at once, not a moment later."""
        self.keeper.flush()
        super().hideEvent(event)

    # ------------------------------------------------------------------ loading

    def refresh(self) -> None:
        """Load the chart of accounts, and the user's draft the first time."""
        scope = self.session.scope
        first = not self._loaded
        self.runner.read(lambda: (scope.journals.accounts(), scope.journal_drafts.load() if first else None),
                         lambda found: self._show(*found, first=first), self._failed)

    def _show(self, accounts: list[Any], draft: Any, first: bool) -> None:
        self._quiet = True  # a reloaded chart of accounts is not an edit
        try:
            self.model.set_accounts([AccountChoice(a.id, a.entity_code, a.entity_name, a.status == "active")
                                     for a in accounts])
        finally:
            self._quiet = False
        self.delegate.refresh_accounts()
        self._loaded = True
        if first:
            self.keeper.owner = self.session.scope
        if first and draft is not None:
            self._quiet = True
            try:
                if draft.date:
                    self.date.setDate(QDate.fromString(draft.date, "yyyy-MM-dd"))
                self.reference.setText(draft.reference)
                self.description.setText(draft.description)
                self.model.set_lines(lines_of(draft))
            finally:
                self._quiet = False
            self.saved.setText("Draft restored")
            self.check_reference()
        self._update()

    # ------------------------------------------------------------------ editing

    def _edited(self, *_: Any) -> None:
        self._update()
        if not self._quiet and self._loaded:
            self.keeper.changed()

    def _reference_edited(self, *_: Any) -> None:
        self._taken = None
        self.pointer.hide()
        self.reference_check.start()
        self._edited()

    def _update(self) -> None:
        debits, credits = self.model.totals()
        self.totals.show_totals(debits, credits)
        problem = self.model.problem()
        if problem is None and not self.reference.text().strip():
            problem = "Give the entry a reference"
        if problem is None and self._taken is not None:
            problem = f"Reference already posted as {self._taken.transaction_code}"
        self.problem.setText(problem or "Balanced: ready to post")
        self.post_button.setEnabled(problem is None and not self._posting and self._loaded)

    def forget(self) -> None:
        """Another user signed in: save what the last one typed as their draft, and load the new user's."""
        self.keeper.flush()
        self._quiet = True
        try:
            self._clear_fields()
        finally:
            self._quiet = False
        self._loaded = False
        self.keeper.owner = None
        self.saved.setText("")
        self._update()

    def remove_current_line(self) -> None:
        row = self.grid.currentIndex().row()
        if 0 <= row < self.model.rowCount() - 1:
            self.model.removeRows(row, 1)

    def _clear_fields(self) -> None:
        self.reference.clear()
        self.description.clear()
        self.date.setDate(QDate.currentDate())
        self.model.set_lines([])
        self._taken = None
        self.pointer.hide()

    def start_over(self) -> None:
        self._quiet = True
        try:
            self._clear_fields()
        finally:
            self._quiet = False
        self._update()
        self.reference_check.stop()
        self.saved.setText("")
        self.keeper.clear()

    # ------------------------------------------------------------------ the draft

    def draft(self) -> Any:
        return draft_of(self.date.date().toString("yyyy-MM-dd"), self.reference.text(), self.description.text(),
                        self.model.lines)

    def save_draft(self) -> None:
        """Save the draft now (it is saved by itself a moment after each change)."""
        self.keeper.save()

    # ------------------------------------------------------------------ the reference and posting

    def check_reference(self) -> None:
        self.reference_check.stop()
        ref, scope = self.reference.text().strip(), self.session.scope
        self.runner.read(lambda: scope.journal_list.entry_with_reference(ref),
                         lambda found: self._reference_checked(ref, found), self._failed)

    def _reference_checked(self, ref: str, found: Any) -> None:
        if ref != self.reference.text().strip():
            return  # typed on since; a newer check is coming
        self._taken = found
        if found is not None:
            self.pointer.point_to(ref, found)
        else:
            self.pointer.hide()
        self._update()

    def post(self) -> None:
        if not self.post_button.isEnabled():
            return
        day = self.date.date().toString("yyyy-MM-dd")
        when = None if day == date.today().isoformat() else day  # today: the time of posting orders the list
        ref, text, lines = self.reference.text().strip(), self.description.text().strip() or None, \
            self.model.posting_lines()
        scope = self.session.scope
        self._posting = True
        self._update()
        self.runner.change(lambda: scope.journals.create_entry(date=when, reference=ref, description=text,
                                                               lines=lines),
                           lambda result: self._posted(ref, result), lambda exc: self._refused(ref, exc))

    def _posted(self, ref: str, result: Any) -> None:
        self._posting = False
        entry = result.journal_entry
        if entry.replayed:  # the very same entry was posted before: nothing new was written
            self._refused(ref, IdempotencyConflictError(f"{ref} was already posted as {entry.transaction_code}"))
            return
        self.start_over()
        self.saved.setText(f"Posted <a href='{escape(entry.transaction_id)}'>{escape(entry.transaction_code)}</a> "
                           f"({money(entry.total_amount)})")
        self.posted.emit(entry.transaction_id)

    def _refused(self, ref: str, exc: Exception) -> None:
        self._posting = False
        self._update()
        if not isinstance(exc, IdempotencyConflictError):
            self._failed(exc)
            return
        scope = self.session.scope
        self.runner.read(lambda: scope.journal_list.entry_with_reference(ref),
                         lambda found: self._show_refusal(ref, found, exc), self._failed)

    def _show_refusal(self, ref: str, found: Any, exc: Exception) -> None:
        self._reference_checked(ref, found)
        if found is None:
            self._failed(exc)
        else:
            self.pointer.refuse(ref, found)

    def _failed(self, exc: Exception) -> None:
        show_error(self, exc)
