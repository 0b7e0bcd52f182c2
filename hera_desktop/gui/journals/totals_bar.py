"""Debits, credits and the difference of the entry being typed: always in view, under the grid."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel

from .. import theme
from .table_model import money



class TotalsBar(QFrame):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("entryTotals")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(f"#entryTotals {{ {theme.surface_style('panel')} border: 1px solid {theme.tone('border')};"
                           " border-radius: 3px; }")
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
        label.setStyleSheet(theme.tone_style("muted"))
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
            self.difference.setStyleSheet(theme.tone_style("ok", "font-weight: 600;"))
            self.state.setText("✓ Balanced" if debits else "")
            self.state.setStyleSheet(theme.tone_style("ok", "font-weight: 600;"))
        else:
            self.difference.setStyleSheet(theme.tone_style("error", "font-weight: 600;"))
            self.state.setText("more debits" if diff > 0 else "more credits")
            self.state.setStyleSheet(theme.tone_style("error", "font-weight: 600;"))
