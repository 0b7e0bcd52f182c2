"""The status bar's word on the printers: which one is not answering and how many tickets wait for it, with
"Reprint waiting" to send them once it is back. Empty (and hidden) while every printer answers."""
from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel

from . import theme
from ..printing.queue import queue_of

REPRINT = "reprint"


class PrinterStatus(QLabel):
    def __init__(self, session: Any) -> None:
        super().__init__(objectName="statusPrinters")
        self.setContentsMargins(8, 0, 8, 0)
        self.setStyleSheet(f"QLabel {{ {theme.tone_style('error')} }}")
        self.queue = queue_of(session)
        self.queue.changed.connect(self.show_status)
        self.linkActivated.connect(lambda _link: self.queue.reprint_waiting())
        self.show_status()

    def show_status(self) -> None:
        status = self.queue.status()
        self.setText(f"{status} · <a href='{REPRINT}'>Reprint waiting</a>" if status else "")
        self.setAccessibleName(status or "Every printer answers")
        self.setVisible(bool(status))

    def status(self) -> str:
        """What the label says, as plain words."""
        return self.queue.status()
