"""How values look in the app's tables: money, quantities, unit costs and counts, for the screen and for CSV.

Every table model (reports, stock) formats through here, so 1,234.50 on one
screen is 1,234.50 on the next, and CSV always gets the exact ``1234.50``.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from ..domain.money import round_money, to_text

TEXT, MONEY, QUANTITY, COUNT, COST = "text", "money", "quantity", "count", "cost"
FOUR = Decimal("0.0001")

# Item roles as plain ints: data() is called for every cell and role, and compares against these.
DISPLAY = int(Qt.ItemDataRole.DisplayRole)
ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
FONT = int(Qt.ItemDataRole.FontRole)
BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def display(value: Any, kind: str, currency: str) -> str:
    if value is None or value == "":
        return ""
    if kind == MONEY:
        amount = round_money(Decimal(value), currency)
        return f"{amount:,.{max(0, -amount.as_tuple().exponent)}f}"
    if kind == QUANTITY:
        return f"{Decimal(value).normalize():,f}"
    if kind == COST:  # unit costs: at least cents, at most four places
        whole, _, cents = f"{Decimal(value).quantize(FOUR, ROUND_HALF_UP):,f}".partition(".")
        return f"{whole}.{cents.rstrip('0').ljust(2, '0')}"
    if kind == COUNT:
        return f"{int(value):,}"
    return str(value)


def exact(value: Any, kind: str, currency: str) -> str:
    if value is None:
        return ""
    if kind == MONEY:
        return str(round_money(Decimal(value), currency))
    if kind in (QUANTITY, COST):
        return to_text(Decimal(value))
    return str(value)


_BOLD: list[QFont] = []


def bold_font() -> QFont:
    """One bold font for every total (made on first use: a QFont wants the application to exist)."""
    if not _BOLD:
        font = QFont()
        font.setBold(True)
        _BOLD.append(font)
    return _BOLD[0]


def alignment(kind: str) -> int:
    return LEFT if kind == TEXT else RIGHT
