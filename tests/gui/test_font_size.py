"""The user's font size is respected: the application sets no font size of its own, the till's
buttons and totals grow with a larger application font, and so does every other screen's text."""
from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any, Iterator

import pytest
from PySide6.QtGui import QFont, QFontInfo, QFontMetrics
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QApplication, QGroupBox, QLabel, QLineEdit,
                               QProgressBar, QPushButton, QTabBar, QWidget)

from hera_desktop.gui import sizes
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


def till_sizes(qtbot: Any, session: Any) -> dict[str, int]:
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
    usual = till_sizes(qtbot, session_as("cashier"))
    user_font(28)
    large = till_sizes(qtbot, session_as("cashier"))
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


TEXT = (QLabel, QAbstractButton, QAbstractItemView, QLineEdit, QGroupBox, QTabBar, QProgressBar)


def text_sizes(widget: QWidget) -> list[tuple[str, str, int]]:
    """(kind, name, pixel size) of every widget in ``widget`` that shows text, in the order they were made."""
    found = []
    for w in [widget, *widget.findChildren(QWidget)]:
        if isinstance(w, TEXT):
            w.ensurePolished()
            found.append((type(w).__name__, w.objectName(), QFontInfo(w.font()).pixelSize()))
    return found


def every_screens_text(qtbot: Any, session: Any) -> dict[str, list[tuple[str, str, int]]]:
    from hera_desktop.gui.runner import Runner
    from hera_desktop.gui.setup_assistant import SetupAssistant
    from hera_desktop.gui.shell import MainWindow

    window = MainWindow(session)
    qtbot.addWidget(window)
    screens = {title: text_sizes(screen) for title, screen in
               zip(window.screen_types, window.screens.values())}  # builds every screen
    assistant = SetupAssistant(session.hera, Runner(pool=None))
    qtbot.addWidget(assistant)
    return {"navigation": text_sizes(window.nav), "locked page": text_sizes(window.locked_page),
            "setup assistant": text_sizes(assistant), **screens}


def test_a_larger_application_font_makes_every_screens_text_larger(
        qtbot: Any, session_as: Any, user_font: Any) -> None:
    """Headings, the navigation, the locked page: nothing keeps a size of its own when the user's font grows."""
    user_font(14)
    usual = every_screens_text(qtbot, session_as("admin"))
    user_font(28)
    large = every_screens_text(qtbot, session_as("admin"))
    assert len(usual) >= 10 and usual.keys() == large.keys()
    kept = []
    for where, texts in usual.items():
        assert [t[:2] for t in texts] == [t[:2] for t in large[where]], where  # the same widgets, built again
        kept += [f"{where}: {kind}#{name} {size}px at 14px, {big}px at 28px"
                 for (kind, name, size), (_k, _n, big) in zip(texts, large[where]) if big <= size]
    assert not kept, "\n".join(kept)
    headings = {where: max(size for *_w, size in texts) for where, texts in usual.items() if texts}
    assert headings["navigation"] == 16 and headings["Customers"] >= 20 and headings["Menu"] >= 18
    assert headings["Reports"] >= 18 and headings["locked page"] == 20  # as drawn, at the font drawn for
    grown = {where: max(size for *_w, size in texts) for where, texts in large.items() if texts}
    assert grown["navigation"] == 32 and grown["locked page"] == 40  # in proportion


def test_the_navigation_is_wide_enough_for_a_larger_font(qtbot: Any, session_as: Any, user_font: Any) -> None:
    from hera_desktop.gui.shell import MainWindow

    user_font(28)
    window = MainWindow(session_as("admin"))
    qtbot.addWidget(window)
    window.nav.ensurePolished()
    assert QFontInfo(window.nav.font()).pixelSize() == 32
    metrics, padding = QFontMetrics(window.nav.font()), 2 * sizes.px(10)  # the items' padding either side
    names = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert "Customers" in names
    assert all(metrics.horizontalAdvance(n) + padding <= window.nav.viewport().width() for n in names), names


# A size in a style sheet wins over the user's font; one written as a number stays that size. Printed
# documents are on paper and keep theirs (the till's pictured receipts, the printer's test page too).
GUI = Path(sizes.__file__).parent
PRINTED = {"export.py", "letterhead.py", "dayclose_report.py", "till/receipts.py", "printouts.py",
           "till/account_receipt.py"}
LITERAL_SIZE = re.compile(r"font-size\s*:\s*\d+(\.\d+)?\s*(px|pt)\b|font\s*:[^;{}]*\d+\s*(px|pt)\b")


def _scaled_on_the_way(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Whether the string is handed to ``scaled`` (which scales its sizes to the user's font)."""
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.Call):
            func = node.func
            if (func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)) == "scaled":
                return True
    return False


def test_no_style_sheet_writes_a_font_size_of_its_own() -> None:
    offenders = []
    for path in sorted(GUI.rglob("*.py")):
        name = path.relative_to(GUI).as_posix()
        if name == "sizes.py" or name in PRINTED:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and LITERAL_SIZE.search(node.value)
                    and not _scaled_on_the_way(node, parents)):
                offenders.append(f"{name}:{node.lineno}: {node.value.strip()[:80]}")
    assert not offenders, "\n".join(offenders)
