"""A long import in the dialog: the bar moves as chunks commit, and Cancel stops it as the chosen mode promises."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from hera_desktop.gui.import_dialog import ImportDialog
from hera_desktop.services import import_chunks


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(import_chunks, "FIRST_CHUNK", 40)
    monkeypatch.setattr(import_chunks, "CHUNK_HOLD_S", 0.002)


def start(qtbot: Any, session: Any, tmp_path: Path, rows: int) -> ImportDialog:
    source = tmp_path / "guests.csv"
    source.write_text("name,email\n" + "".join(f"Guest {i},guest{i}@example.com\n" for i in range(rows)))
    dialog = ImportDialog(session)
    qtbot.addWidget(dialog)
    dialog.set_kind("customers")
    dialog.load_file(source)
    return dialog


def press_cancel_after(dialog: ImportDialog, rows: int, seen: list[tuple[int, int, bool, str]]) -> None:
    """While the import runs: note what the bar and the Cancel button show, and press Cancel past ``rows``."""
    def step(done: int, total: int) -> None:
        seen.append((dialog.progress.value(), dialog.progress.maximum(), dialog.cancel_button.isVisible(),
                     dialog.summary.text()))
        if done >= rows and dialog.cancel_button.isEnabled():
            dialog.cancel_button.click()
    dialog._progress.step.connect(step)


def test_the_bar_moves_and_cancel_keeps_nothing_of_an_all_or_nothing_import(
        qtbot: Any, session_as: Any, tmp_path: Path, small_chunks: None) -> None:
    dialog = start(qtbot, session_as("manager"), tmp_path, 400)
    dialog.show()
    seen: list[tuple[int, int, bool, str]] = []
    press_cancel_after(dialog, 100, seen)
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    assert seen[0] == (40, 400, True, "Imported 40 of 400 rows…")
    assert [value for value, *_ in seen] == sorted(value for value, *_ in seen)
    assert dialog.findChild(type(dialog.cancel_button), "cancelImport") is dialog.cancel_button
    assert dialog.summary.text().startswith("Cancelled: nothing imported (")
    assert not dialog.cancel_button.isVisible() and not dialog.progress.isVisible()
    assert dialog.session.scope.customers.search("guest") == []
    m = dialog.model
    assert m.data(m.index(0, m.columnCount() - 1)) == "not imported: the import was cancelled and was all or nothing"


def test_cancel_keeps_the_rows_already_written_when_keeping_the_good_rows(
        qtbot: Any, session_as: Any, tmp_path: Path, small_chunks: None) -> None:
    dialog = start(qtbot, session_as("manager"), tmp_path, 400)
    dialog.row_by_row.setChecked(True)
    seen: list[tuple[int, int, bool, str]] = []
    press_cancel_after(dialog, 100, seen)
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    kept = len(dialog.session.scope.customers.search("guest", limit=500))
    assert 100 <= kept < 400
    assert dialog.summary.text() == (f"Cancelled: {kept} rows imported and kept; {400 - kept} not imported (save "
                                     "the rejected rows to import them later).")
    assert dialog.save_rejected_button.isEnabled()
