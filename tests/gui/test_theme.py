"""A dark system theme keeps every screen readable: colours come from the theme, chosen for the palette.

Each colour pair the screens use is checked at WCAG's contrast for body text (4.5:1), in the light and
the dark palette; then every screen of the main window is built under each palette and every style sheet
rule that gives a background also gives a text colour that reads on it.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator

import pytest
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QWidget

from hera_desktop.gui import theme

GUI = Path(theme.__file__).parent
TEXT_TONES = ("text", "muted", "error", "ok", "warning", "accent")
# Paper: printed documents keep their own colours whatever the screen's palette.
PRINTED = {"export.py", "letterhead.py", "dayclose_report.py", "till/receipts.py", "till/account_receipt.py"}


@pytest.fixture(params=["light", "dark"])
def palette(request: Any, qapp: Any) -> Iterator[str]:
    before = QGuiApplication.palette()
    if request.param == "dark":
        qapp.setPalette(theme.dark_palette())
    else:
        qapp.setPalette(qapp.style().standardPalette())
    try:
        assert theme.is_dark() == (request.param == "dark")
        yield request.param
    finally:
        qapp.setPalette(before)


def window_colours() -> list[str]:
    p = QGuiApplication.palette()
    return [p.color(QPalette.ColorRole.Window).name(), p.color(QPalette.ColorRole.Base).name()]


def test_text_tones_read_on_the_window_and_on_fields(palette: str) -> None:
    for name in TEXT_TONES:
        for background in window_colours():
            assert theme.contrast(theme.tone(name), background) >= 4.5, (palette, name, background)


def test_every_surface_category_and_status_reads(palette: str) -> None:
    for name in theme.SURFACES:
        background, text = theme.surface(name)
        assert theme.contrast(background, text) >= 4.5, (palette, name)
    for n in range(len(theme.CATEGORIES)):
        background, text = theme.category(n)
        assert theme.contrast(background, text) >= 4.5, (palette, "category", n)
    for name in theme.STATUSES:
        text, tint = theme.status(name)
        assert theme.contrast(text, tint) >= 4.5, (palette, name)
        assert all(theme.contrast(text, w) >= 4.5 for w in window_colours()), (palette, name)


def test_screens_take_their_colours_from_the_theme() -> None:
    """No screen writes a colour of its own (it would be one of the two palettes' only)."""
    literal = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b|Qt\.GlobalColor\.(white|black)|QColor\(\"")
    offenders = []
    for path in GUI.rglob("*.py"):
        name = path.relative_to(GUI).as_posix()
        if name == "theme.py" or name in PRINTED:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if literal.search(line.split("  # ")[0]):
                offenders.append(f"{name}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


RULE = re.compile(r"([^{}]*)\{([^{}]*)\}")
DECLARATION = re.compile(r"(?<![-\w])(background(?:-color)?|color)\s*:\s*(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3}|transparent)")


def rules(sheet: str) -> list[tuple[str, dict[str, str]]]:
    """(selector, {background, color}) of each rule; a sheet of bare declarations is one rule."""
    found = RULE.findall(sheet) if "{" in sheet else [("", sheet)]
    return [(selector.strip(), {k.replace("-color", ""): v for k, v in DECLARATION.findall(body)})
            for selector, body in found]


def test_every_screen_reads_in_the_palette(palette: str, session_as: Any, qtbot: Any) -> None:
    from hera_desktop.gui.shell import MainWindow

    session = session_as("admin")
    window = MainWindow(session)
    qtbot.addWidget(window)
    screens = window.screens.values()  # builds every screen
    assert len(screens) >= 7
    problems = []
    checked = 0
    for widget in [window, *window.findChildren(QWidget)]:
        for selector, colours in rules(widget.styleSheet()):
            background, text = colours.get("background"), colours.get("color")
            where = f"{type(widget).__name__}#{widget.objectName()} {selector}"
            if background and background != "transparent":
                checked += 1
                if text is None:
                    problems.append(f"{where}: a background without its text colour")
                elif theme.contrast(background, text) < 4.5:
                    problems.append(f"{where}: {text} on {background}")
            elif text:
                checked += 1
                if theme.contrast(text, window_colours()[0]) < 4.5:
                    problems.append(f"{where}: {text} on the window")
    assert checked > 20  # the walk really read the screens' colours
    assert not problems, "\n".join(problems)
