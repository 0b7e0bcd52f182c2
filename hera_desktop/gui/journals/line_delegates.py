"""Cell editors of the entry grid: an account by its number or name (with suggestions), an amount.

Tab and Shift+Tab always move to the next or previous cell, even while the
suggestion list is open (QCompleter would otherwise hand the Tab to the focus
chain and leave the grid).
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, Qt, QStringListModel, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemDelegate, QCompleter, QLineEdit, QStyledItemDelegate, QWidget

from .entry_model import ACCOUNT, CREDIT, DEBIT, EntryLinesModel

Hint = QAbstractItemDelegate.EndEditHint


class CellEdit(QLineEdit):
    """A line edit that reports Tab, Shift+Tab and Enter even when a completer popup forwards them."""

    leave = Signal(object)  # the EndEditHint

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.KeyPress and isinstance(e, QKeyEvent):
            hint = {Qt.Key.Key_Tab: Hint.EditNextItem, Qt.Key.Key_Backtab: Hint.EditPreviousItem,
                    Qt.Key.Key_Return: Hint.SubmitModelCache, Qt.Key.Key_Enter: Hint.SubmitModelCache}.get(
                        Qt.Key(e.key()))
            if hint is not None and not e.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.leave.emit(hint)
                return True
        return super().event(e)


class LineDelegate(QStyledItemDelegate):
    """Account cells get suggestions; debit and credit cells take an amount as the user's locale writes it.

    The amount cells take any keystroke: the model reads the text and marks what it cannot take
    (a minus sign, a third decimal), where a validator would drop the keystroke without a word.
    """

    def __init__(self, model: EntryLinesModel, parent: Any = None) -> None:
        super().__init__(parent)
        self.model = model
        self.labels = QStringListModel(self)

    def refresh_accounts(self) -> None:
        self.labels.setStringList([a.label for a in self.model.choices()])

    def createEditor(self, parent: QWidget, option: Any,  # noqa: N802 - Qt's name
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        editor = CellEdit(parent)
        editor.setFrame(False)
        if index.column() == ACCOUNT:
            editor.setObjectName("accountEditor")
            completer = QCompleter(self.labels, editor)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
            editor.setCompleter(completer)
            editor.setPlaceholderText("number or name")
        elif index.column() in (DEBIT, CREDIT):
            editor.setObjectName("amountEditor")
            editor.setMaxLength(30)
            editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        else:
            editor.setObjectName("descriptionEditor")
            editor.setMaxLength(500)
        editor.leave.connect(lambda hint, e=editor: self._leave(e, hint))
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        if isinstance(editor, QLineEdit) and not editor.isModified():
            editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))

    def setModelData(self, editor: QWidget, model: Any,  # noqa: N802
                     index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)

    def _leave(self, editor: QWidget, hint: Hint) -> None:
        completer = editor.completer() if isinstance(editor, QLineEdit) else None
        if completer is not None and completer.popup().isVisible():
            completer.popup().hide()
        self.commitData.emit(editor)
        self.closeEditor.emit(editor, hint)
