"""Asking why something leaves for good (a menu item retired, a product no longer stocked) before it does."""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QWidget

from .. import theme
from ..labels import plain_label


class ReasonDialog(QDialog):
    """Window-modal, not blocking: ``on_reason`` gets the reason when the person confirms."""

    def __init__(self, title: str, question: str, on_reason: Callable[[str], Any],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reasonDialog")
        self.setWindowTitle(title)
        self.on_reason = on_reason
        self.reason = QLineEdit(objectName="reason", placeholderText="Why, in a few words")
        self.problem = plain_label(objectName="reasonProblem")
        self.problem.setStyleSheet(theme.tone_style("error"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(plain_label(question, wordWrap=True))
        form.addRow("Reason", self.reason)
        form.addRow(self.problem)
        form.addRow(self.buttons)

    def confirm(self) -> None:
        reason = self.reason.text().strip()
        if not reason:
            self.problem.setText("Say why, so the books keep the reason.")
            return
        self.accept()
        self.on_reason(reason)
