"""Receipt roll widths and the dots a thermal printer prints across each (203 dots per inch)."""
from __future__ import annotations

DPI = 203
DOTS = {80: 576, 58: 384}       # paper width in mm -> printable dots across (72 mm and 48 mm of print)
WIDTHS = tuple(DOTS)
DEFAULT_WIDTH = 80


def dots(width_mm: int) -> int:
    return DOTS.get(width_mm, DOTS[DEFAULT_WIDTH])
