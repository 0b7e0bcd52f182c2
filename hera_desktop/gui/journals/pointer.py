"""Pointing at the entry that already has a reference: a banner while typing, a message when Post is refused.

A reference is posted once. Rather than only saying no, both show the existing
entry's code and date and offer to open it.
"""
from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QMessageBox, QPushButton

from .. import theme
from ..labels import message_box, rich_label


class ReferencePointer(QFrame):
    open_entry = Signal(str)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("referencePointer")
        self.setStyleSheet(f"#referencePointer {{ {theme.surface_style('pointer')} border: 1px solid {theme.tone('warning')};"
                           " border-radius: 3px; }")
        self.text = rich_label(objectName="referencePointerText", wordWrap=True)
        self.open_button = QPushButton(objectName="openExistingEntry")
        self.open_button.clicked.connect(self._open)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 6, 4)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.open_button)
        self.entry_id: str | None = None
        self.dialog: QMessageBox | None = None
        self.hide()

    def point_to(self, reference: str, entry: Any) -> None:
        """``entry``: the posted entry (id, transaction_code, transaction_date) that has the reference."""
        self.entry_id = entry.id
        self.text.setText(f"⚠  Reference <b>{escape(reference)}</b> was already posted as "
                          f"<b>{escape(entry.transaction_code)}</b> on {escape(entry.transaction_date[:10])}. "
                          f"Each reference is posted once: give this entry its own reference.")
        self.open_button.setText(f"Open {entry.transaction_code}")
        self.show()

    def refuse(self, reference: str, entry: Any) -> QMessageBox:
        """Post was refused: say which entry has the reference, and offer to open it (non-blocking)."""
        self.point_to(reference, entry)
        box = message_box(QMessageBox.Icon.Warning, "Reference already posted",
                          f"Nothing was posted. Reference {reference} already belongs to entry "
                          f"{entry.transaction_code} of {entry.transaction_date[:10]}.\n\n"
                          f"Give this entry its own reference, or open {entry.transaction_code} to see it.",
                          QMessageBox.StandardButton.Close, self.window())
        box.setObjectName("referenceRefused")
        opener = box.addButton(f"Open {entry.transaction_code}", QMessageBox.ButtonRole.AcceptRole)
        opener.setObjectName("openExistingEntryFromDialog")
        opener.clicked.connect(self._open)
        self.dialog = box
        box.finished.connect(lambda _=0: setattr(self, "dialog", None))
        box.open()
        return box

    def _open(self) -> None:
        if self.entry_id:
            self.open_entry.emit(self.entry_id)
