"""The Journals screen (being built)."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout

from ..screen import Screen


class JournalsScreen(Screen):
    title = "Journals"
    permission = "journals.post"

    def __init__(self, session, parent=None):  # type: ignore[no-untyped-def]
        super().__init__(session, parent)
        QVBoxLayout(self).addWidget(QLabel("Journals"))
