"""``hera-desktop screenshots DIR``: one picture per screen of the main window, plus the sign-in dialog;
with ``--dark``, in the colours of a dark system theme."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QColor, QImage

from hera_desktop.cli import main
from hera_desktop.gui import theme
from hera_desktop.gui.screenshots import slug
from hera_desktop.gui.shell import SCREENS


EXPECTED = {"sign-in.png", "setup-assistant.png", "setup-assistant-business.png"} | {
    f"{slug(t.title)}.png" for t in SCREENS}


def lightness(image: QImage) -> float:
    """The picture's mean lightness, 0 (black) to 255 (white)."""
    seen = [QColor(image.pixel(x, y)).lightness() for x in range(0, image.width(), 8)
            for y in range(0, image.height(), 8)]
    return sum(seen) / len(seen)


def test_every_screen_is_rendered_to_a_png(qapp: Any, tmp_path: Path) -> None:
    target = tmp_path / "shots"
    assert main(["screenshots", str(target)]) == 0
    expected = EXPECTED
    made = {p.name for p in target.glob("*.png")}
    assert expected <= made
    for name in made:
        image = QImage(str(target / name))
        assert not image.isNull() and image.width() > 300 and image.height() > 200, name
        assert len({image.pixel(x, y) for x in range(0, image.width(), 40) for y in range(0, image.height(), 40)}) > 2, \
            f"{name} is blank"
        assert lightness(image) > 160, name  # in the light palette's colours


def test_dark_pictures_show_every_screen_in_a_dark_themes_colours(qapp: Any, tmp_path: Path) -> None:
    """Readable, not only dark: test_theme checks every colour pair the screens use under the dark palette."""
    target = tmp_path / "dark"
    assert main(["screenshots", str(target), "--dark"]) == 0
    made = {p.name for p in target.glob("*.png")}
    assert EXPECTED <= made
    for name in made:
        image = QImage(str(target / name))
        assert not image.isNull() and image.width() > 300, name
        assert lightness(image) < 90, name
    assert not theme.is_dark()  # the app's own palette is back: pictures do not change what comes after
