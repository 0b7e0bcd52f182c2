"""The user's font size is respected: the application sets no font size of its own, and the till's
buttons and totals grow with a larger application font."""
from __future__ import annotations

from typing import Any, Iterator

import pytest
from PySide6.QtGui import QFont, QFontInfo
from PySide6.QtWidgets import QApplication, QPushButton

from hera_desktop.gui.main import application
from hera_desktop.gui.till.screen import TillScreen


@pytest.fixture
def user_font(qapp: Any) -> Iterator[Any]:
    """user_font(pixels) sets the font the user chose on their computer; put back after the test."""
    was, sheet = QApplication.font(), qapp.styleSheet()

    def choose(pixels: int) -> None:
        font = QFont(was)
        font.setPixelSize(pixels)
        QApplication.setFont(font)

    yield choose
    QApplication.setFont(was)
    qapp.setStyleSheet(sheet)


def sizes(qtbot: Any, session: Any) -> dict[str, int]:
    till = TillScreen(session)
    qtbot.addWidget(till)
    till.show()
    qtbot.waitUntil(lambda: bool(till.menu.buttons))
    pizza = till.menu.findChild(QPushButton, "menuItem:Margherita Pizza")
    for w in (pizza, till.panel.pay, till.panel.total, till.panel.void):
        w.ensurePolished()
    return {"menu item": QFontInfo(pizza.font()).pixelSize(), "pay": QFontInfo(till.panel.pay.font()).pixelSize(),
            "void": QFontInfo(till.panel.void.font()).pixelSize(),
            "total": QFontInfo(till.panel.total.font()).pixelSize(), "menu item width": pizza.minimumWidth()}


def test_a_larger_application_font_makes_the_tills_buttons_and_totals_larger(
        qtbot: Any, session_as: Any, user_font: Any) -> None:
    user_font(14)
    usual = sizes(qtbot, session_as("cashier"))
    user_font(28)
    large = sizes(qtbot, session_as("cashier"))
    width = usual.pop("menu item width"), large.pop("menu item width")
    assert usual == {"menu item": 15, "pay": 22, "void": 15, "total": 32}  # as drawn, at the font drawn for
    assert large == {k: 2 * v for k, v in usual.items()}
    assert width[1] > 1.8 * width[0]  # and the menu's buttons grow to hold the larger names


def test_the_application_keeps_the_users_font_size(qapp: Any, user_font: Any) -> None:
    user_font(20)
    app = application()
    assert "font-size" not in app.styleSheet()
    button = QPushButton("Sign in")
    button.ensurePolished()
    assert QFontInfo(button.font()).pixelSize() == 20
    assert button.minimumSizeHint().height() >= round(32 * 20 / 14)
