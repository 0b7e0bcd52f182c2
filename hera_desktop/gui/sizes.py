"""Sizes on screen, for the user's font: every screen's text sizes and touch targets follow the font the
user chose on their computer.

Sizes are drawn for a 14px application font and scaled to the user's, so someone who set a larger font
gets larger headings, navigation and till keys, in the proportions they were drawn in. Style sheets write
``font-size: {px(18)}px`` (or pass a whole sheet through ``scaled``) rather than a size of their own:
a size in a style sheet wins over the application's font, and would stay put when the user's font grows.
Printed documents are on paper and keep their own sizes.
"""
from __future__ import annotations

import re

from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QApplication

DESIGN_PX = 14  # the application font the sizes were drawn for
_SIZES = re.compile(r"((?:font-size|min-height|min-width|max-height|max-width):\s*)(\d+)px")


def factor() -> float:
    """The user's application font against the one the sizes were drawn for."""
    return QFontInfo(QApplication.font()).pixelSize() / DESIGN_PX


def px(size: int) -> int:
    """A size drawn for the design font, for the user's font."""
    return max(1, round(size * factor()))


def scaled(sheet: str) -> str:
    """``sheet`` with its font sizes and minimum and maximum sizes scaled to the user's font."""
    return _SIZES.sub(lambda m: f"{m.group(1)}{px(int(m.group(2)))}px", sheet)


def heading(size: int) -> str:
    """Style sheet declarations of a heading drawn ``size`` px high at the design font."""
    return f"font-size: {px(size)}px; font-weight: 600;"
