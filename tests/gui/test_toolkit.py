"""The Qt toolkit itself must survive a whole day at the till."""
from __future__ import annotations

import sys
from typing import Any

from PySide6.QtWidgets import QLabel


def test_a_long_shift_of_screen_updates_does_not_wear_out_the_interpreter(qtbot: Any) -> None:
    # PySide6 6.12.0 lost a reference to None on every call like update(); after some tens of
    # thousands of them the app died with "none_dealloc". A till repaints far more than that in a day.
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for i in range(20_000):
        label.update()
        label.setText(str(i))
    assert sys.getrefcount(None) >= before - 100
