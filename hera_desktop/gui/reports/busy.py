"""The strip a long report shows while it runs: a busy bar, what is running, and Cancel."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QWidget

from ..labels import plain_label


class BusyStrip(QWidget):
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar(objectName="reportProgress")
        self.bar.setRange(0, 0)  # busy: how long a report takes depends on the books, not a count we know
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(12)
        self.label = plain_label(objectName="reportRunning")
        self.cancel = QPushButton("Cancel", objectName="cancelReport")
        self.cancel.clicked.connect(self.cancel_requested)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label)
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel)
        self.setVisible(False)

    def start(self, what: str) -> None:
        self.label.setText(f"Running {what}…")
        self.setVisible(True)

    def stop(self) -> None:
        self.setVisible(False)

    @property
    def running(self) -> bool:
        return not self.isHidden()
