"""The Reports screen (being built)."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout

from ..screen import Screen


class ReportsScreen(Screen):
    title = "Reports"
    permission = "reports.view"

    def __init__(self, session, parent=None):  # type: ignore[no-untyped-def]
        super().__init__(session, parent)
        QVBoxLayout(self).addWidget(QLabel("Reports"))
