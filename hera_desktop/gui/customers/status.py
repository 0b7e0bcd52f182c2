"""A customer's status, and the changes the lifecycle allows from it (each needs a reason).

Only the transitions the guide's table allows from the current status are
offered, and only to someone who may manage customers; a cashier sees the
status and nothing to press.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from .. import theme
from .presentation import badge_style, status_text


class StatusBox(QWidget):
    change_requested = Signal(str, str)  # new status, reason

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.badge = QLabel(objectName="statusBadge")
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = QLabel(objectName="statusHint", wordWrap=True)
        self.hint.setStyleSheet(theme.tone_style("muted"))
        self.choice = QComboBox(objectName="transitionChoice")
        self.reason = QLineEdit(objectName="transitionReason", placeholderText="Reason (required)")
        self.button = QPushButton("Change status", objectName="changeStatus")
        self.choice.currentIndexChanged.connect(self._update_button)
        self.reason.textChanged.connect(self._update_button)
        self.reason.returnPressed.connect(self._request)
        self.button.clicked.connect(self._request)
        top = QHBoxLayout()
        top.addWidget(QLabel("Current status"))
        top.addWidget(self.badge)
        top.addStretch(1)
        change_to = QLabel("Change to")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addLayout(top, 0, 0, 1, 2)
        grid.addWidget(change_to, 1, 0)
        grid.addWidget(self.choice, 1, 1)
        grid.addWidget(self.reason, 2, 0, 1, 2)
        grid.addWidget(self.button, 3, 1, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.hint, 4, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(5, 1)
        self._controls = [change_to, self.choice, self.reason, self.button]
        self.set_state("prospect", (), can_manage=False)

    def set_state(self, status: str, allowed: tuple[str, ...], can_manage: bool) -> None:
        self.badge.setText(status_text(status))
        self.badge.setStyleSheet(badge_style(status))
        self.choice.clear()
        for target in allowed:
            self.choice.addItem(status_text(target), target)
        self.reason.clear()
        offered = can_manage and bool(allowed)
        for w in self._controls:
            w.setVisible(offered)
        if not can_manage:
            self.hint.setText("Only a manager can change a customer's status.")
        elif not allowed:
            self.hint.setText("A closed customer stays closed.")
        self._update_button()

    def offered(self) -> list[str]:
        """The statuses this customer may be moved to, as offered on screen."""
        if self.choice.isHidden():
            return []
        return [self.choice.itemData(i) for i in range(self.choice.count())]

    def choose(self, status: str) -> None:
        self.choice.setCurrentIndex(self.choice.findData(status))

    def busy(self, busy: bool) -> None:
        self.button.setText("Changing…" if busy else "Change status")
        self.button.setProperty("busy", busy)
        self._update_button()

    def _update_button(self) -> None:
        if not self.choice.isHidden():
            final = self.choice.currentData() == "closed"
            self.hint.setText("Closing is final: a closed customer cannot be reopened." if final
                              else "The reason is kept in the customer's history.")
        ready = self.choice.currentIndex() >= 0 and bool(self.reason.text().strip())
        self.button.setEnabled(ready and not self.button.property("busy"))

    def _request(self) -> None:
        if self.button.isEnabled() and not self.button.isHidden():
            self.change_requested.emit(self.choice.currentData(), self.reason.text().strip())
