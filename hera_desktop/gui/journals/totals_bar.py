"""Debits, credits and the difference of the entry being typed: always in view, under the grid."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel

from .table_model import money

BALANCED = "color: #067647; font-weight: 600;"
UNBALANCED = "color: #b42318; font-weight: 600;"


class TotalsBar(QFrame):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("entryTotals")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#entryTotals { background: #f6f7f9; border: 1px solid #d0d5dd; border-radius: 3px; }")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addStretch(1)
        self.debits = self._figure(layout, "Debits", "totalDebits")
        self.credits = self._figure(layout, "Credits", "totalCredits")
        self.difference = self._figure(layout, "Difference", "totalDifference")
        self.state = QLabel(objectName="balanceState")
        self.state.setMinimumWidth(110)
        layout.addWidget(self.state)

    def _figure(self, layout: QHBoxLayout, caption: str, name: str) -> QLabel:
        label = QLabel(caption)
        label.setStyleSheet("color: #475467;")
        value = QLabel("0.00", objectName=name)
        value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        value.setMinimumWidth(110)
        value.setStyleSheet("font-weight: 600;")
        layout.addWidget(label)
        layout.addWidget(value)
        layout.addSpacing(18)
        return value

    def show_totals(self, debits: Decimal, credits: Decimal) -> None:
        diff = debits - credits
        self.debits.setText(money(debits))
        self.credits.setText(money(credits))
        self.difference.setText(money(abs(diff)))
        if diff == 0:
            self.difference.setStyleSheet(BALANCED)
            self.state.setText("✓ Balanced" if debits else "")
            self.state.setStyleSheet(BALANCED)
        else:
            self.difference.setStyleSheet(UNBALANCED)
            self.state.setText("more debits" if diff > 0 else "more credits")
            self.state.setStyleSheet(UNBALANCED)
