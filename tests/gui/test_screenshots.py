"""``hera-desktop screenshots DIR``: one picture per screen of the main window, plus the sign-in dialog."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QImage

from hera_desktop.cli import main
from hera_desktop.gui.screenshots import slug
from hera_desktop.gui.shell import SCREENS


def test_every_screen_is_rendered_to_a_png(qapp: Any, tmp_path: Path) -> None:
    target = tmp_path / "shots"
    assert main(["screenshots", str(target)]) == 0
    expected = {"sign-in.png", "setup-assistant.png", "setup-assistant-business.png"} | {
        f"{slug(t.title)}.png" for t in SCREENS}
    made = {p.name for p in target.glob("*.png")}
    assert expected <= made
    for name in made:
        image = QImage(str(target / name))
        assert not image.isNull() and image.width() > 300 and image.height() > 200, name
        assert len({image.pixel(x, y) for x in range(0, image.width(), 40) for y in range(0, image.height(), 40)}) > 2, \
            f"{name} is blank"
