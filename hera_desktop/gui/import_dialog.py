"""Importing customers, menu items, products or accounts from a CSV file: preview, choose, import.

The preview says how the file was read (encoding, separator, anything to check),
and for each row whether it is ready, has problems, or is already in the books
and will be skipped. A menu item row with the code of an item on the menu says
what it changes of it (price 12.50 → 13.00), or that it is unchanged. While it
imports, a bar shows how far it got and Cancel stops it between two chunks (all
or nothing then keeps nothing; keeping the good rows keeps those written). After
an import, each row says what became of it.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QComboBox, QDialog, QFileDialog, QHBoxLayout, QLabel, QProgressBar, QPushButton,
                               QRadioButton, QTableView, QVBoxLayout)

from . import theme
from ..services.imports import KINDS
from ..services.progress import CancelToken
from .errors import show_error
from .labels import plain_label


def changes_text(changes: dict[str, tuple[str, str]]) -> str:
    """"price 12.50 → 13.00, name Margherita → Margherita DOP" """
    return ", ".join(f"{column.replace('_', ' ')} {old} → {new}" for column, (old, new) in changes.items())


class PreviewModel(QAbstractTableModel):
    """One row per file row: its line, its values, and its status (ready, its problems, already in the books)."""

    def __init__(self) -> None:
        super().__init__()
        self.columns: list[str] = []
        self.rows: list[Any] = []
        self.outcome: dict[int, Any] = {}  # after an import: the rejected rows, by line
        self.imported = False

    def show(self, preview: Any, result: Any = None) -> None:
        self.beginResetModel()
        self.columns = list(preview.columns) if preview else []
        self.rows = list(preview.rows) if preview else []
        self.outcome = {r.line: r for r in result.rejected} if result is not None else {}
        self.imported = result is not None and not result.rolled_back
        self.endResetModel()

    def status(self, row: Any) -> str:
        row = self.outcome.get(row.line, row)
        if row.errors:
            return "; ".join(row.errors)
        if row.unchanged:
            return "unchanged: skipped"
        if row.update_of is not None:
            return f"{'updated' if self.imported else 'will change'}: {changes_text(row.changes)}"
        if row.existing is not None:
            return f"already in the books ({row.existing}): skipped"
        return "imported" if self.imported else "ready"

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns) + 2

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if section == 0:
            return "Line"
        if section == len(self.columns) + 1:
            return "Status"
        return self.columns[section - 1].replace("_", " ").capitalize()

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return str(row.line)
            if col == len(self.columns) + 1:
                return self.status(row)
            return row.raw.get(self.columns[col - 1], "")
        tint = None
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            tint = ("problem" if self.outcome.get(row.line, row).errors else "existing" if row.existing is not None
                    else "selected" if row.update_of is not None else None)
        if tint is not None:  # a tinted row gets the text that reads on its tint, in light and dark palettes
            return QColor(theme.surface(tint)[role == Qt.ItemDataRole.ForegroundRole])
        return None


class _Progress(QObject):
    step = Signal(int, int)  # emitted on the worker thread, delivered on the GUI thread


class ImportDialog(QDialog):
    def __init__(self, session: Any, parent: Any = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle("Import from a CSV file")
        self.setObjectName("importDialog")
        self.resize(900, 560)
        self.preview: Any = None
        self.result: Any = None
        self.kind = QComboBox(objectName="importKind")
        for key, spec in KINDS.items():
            self.kind.addItem(spec.label, key)
        self.kind.currentIndexChanged.connect(self._reload)
        self.choose = QPushButton("Choose file…", objectName="chooseFile")
        self.choose.clicked.connect(self._choose)
        self.file_label = plain_label("No file chosen", objectName="importFile")
        self.columns_hint = plain_label(objectName="columnsHint", wordWrap=True)
        self.notice = plain_label(objectName="importNotice", wordWrap=True)
        self.model = PreviewModel()
        self.table = QTableView(objectName="importPreview")
        self.table.setModel(self.model)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.summary = plain_label(objectName="importSummary")
        self.atomic = QRadioButton("All or nothing", objectName="atomic", checked=True)
        self.row_by_row = QRadioButton("Keep the good rows", objectName="rowByRow")
        self.atomic.toggled.connect(lambda _=False: self._offer_import())
        self.progress = QProgressBar(objectName="importProgress", visible=False)
        self.cancel_button = QPushButton("Cancel", objectName="cancelImport", visible=False)
        self.cancel_button.clicked.connect(self.cancel_import)
        self._cancel: CancelToken | None = None
        self.run_button = QPushButton("Import", objectName="runImport", enabled=False)
        self.run_button.clicked.connect(self.run_import)
        self.save_rejected_button = QPushButton("Save rejected rows…", objectName="saveRejected", enabled=False)
        self.save_rejected_button.clicked.connect(self._save_rejected)
        self._progress = _Progress()
        self._progress.step.connect(self._step)
        top = QHBoxLayout()
        for w in (QLabel("Import"), self.kind, self.choose, self.file_label):
            top.addWidget(w)
        top.addStretch(1)
        bottom = QHBoxLayout()
        for w in (self.atomic, self.row_by_row, self.progress, self.cancel_button):
            bottom.addWidget(w)
        bottom.addStretch(1)
        bottom.addWidget(self.save_rejected_button)
        bottom.addWidget(self.run_button)
        layout = QVBoxLayout(self)
        for item in (top, self.columns_hint, self.notice, self.table, self.summary, bottom):
            layout.addLayout(item) if isinstance(item, QHBoxLayout) else layout.addWidget(item)
        self._path: Path | None = None
        self._hint()

    def _hint(self) -> None:
        spec = KINDS[self.kind.currentData()]
        optional = [c for c in spec.columns if c not in spec.required]
        self.columns_hint.setText(f"Columns: {', '.join(spec.required)} (required)"
                                  + (f"; {', '.join(optional)} (optional)" if optional else ""))

    def _choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "CSV file to import", "", "CSV files (*.csv);;All files (*)")
        if path:
            self.load_file(Path(path))

    def set_kind(self, kind: str) -> None:
        self.kind.setCurrentIndex(self.kind.findData(kind))

    def load_file(self, path: Path) -> None:
        self._path = path
        self.file_label.setText(path.name)
        self._reload()

    def _reload(self) -> None:
        self._hint()
        self.result = None
        self.save_rejected_button.setEnabled(False)
        if self._path is None:
            return
        try:
            data = self._path.read_bytes()
            self.preview = self.session.scope.imports.preview(self.kind.currentData(), data)
        except OSError as exc:
            self._show_problem(f"{self._path.name} could not be read ({exc.strerror})")
            return
        except Exception as exc:
            self._show_problem("")
            show_error(self, exc)
            return
        self.model.show(self.preview)
        self.notice.setText(" ".join([f"Read as {self.preview.described}.", *self.preview.notices]))
        self.notice.setStyleSheet(theme.tone_style("warning") if self.preview.notices else "")
        self._offer_import()

    def _offer_import(self) -> None:
        """Say what the preview found and offer the import only when it would write something."""
        if self.preview is None or self.result is not None:
            return
        ok, bad = len(self.preview.valid), len(self.preview.invalid)
        changing, unchanged = len(self.preview.updates), len(self.preview.unchanged)
        known = len(self.preview.existing) - unchanged
        parts = [f"{ok} row{'s' if ok != 1 else ''} ready" if bad or known or unchanged else f"All {ok} rows ready"]
        if changing:
            parts[0] += f" ({changing} changing item{'s' if changing != 1 else ''} already on the menu)"
        if bad:
            parts.append(f"{bad} with problems")
        if unchanged:
            parts.append(f"{unchanged} unchanged (skipped)")
        if known:
            parts.append(f"{known} already in the books (skipped)")
        text = ", ".join(parts)
        blocked = bad > 0 and self.atomic.isChecked()
        if blocked:
            text += (". All or nothing imports nothing while a row has a problem: fix the file, "
                     "or choose Keep the good rows.")
        self.summary.setText(text)
        self.run_button.setEnabled(ok > 0 and not blocked)

    def _show_problem(self, text: str) -> None:
        self.preview = None
        self.model.show(None)
        self.notice.setText("")
        self.summary.setText(text)
        self.run_button.setEnabled(False)

    def run_import(self) -> None:
        if self.preview is None:
            return
        preview, atomic = self.preview, self.atomic.isChecked()
        self.run_button.setEnabled(False)
        self.progress.setRange(0, len(preview.valid))
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self._cancel = token = CancelToken()
        self.cancel_button.setEnabled(True)
        self.cancel_button.setVisible(True)
        self.session.runner.change(
            lambda: self.session.scope.imports.run(preview, atomic=atomic, progress=self._progress.step.emit,
                                                   cancel=token),
            self._done, self._failed)

    def cancel_import(self) -> None:
        """Stop the import at its next chunk (the import says what it kept)."""
        if self._cancel is not None:
            self._cancel.cancel()
            self.cancel_button.setEnabled(False)
            self.summary.setText("Cancelling…")

    def _step(self, done: int, total: int) -> None:
        self.progress.setValue(done)
        if self.cancel_button.isEnabled():
            self.summary.setText(f"Imported {done:,} of {total:,} rows…")

    def _finished(self) -> None:
        self._cancel = None
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)

    def _done(self, result: Any) -> None:
        self.result = result
        self._finished()
        self.summary.setText(result.message)
        self.save_rejected_button.setEnabled(bool(result.rejected))
        self.model.show(self.preview, result)

    def _failed(self, exc: Exception) -> None:
        self._finished()
        self.run_button.setEnabled(True)
        show_error(self, exc)

    def _save_rejected(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save rejected rows", "rejected-rows.csv", "CSV files (*.csv)")
        if path:
            self.save_rejected(Path(path))

    def save_rejected(self, path: Path) -> None:
        # With a byte-order mark: Excel then reads the accents right.
        path.write_text(self.result.rejected_csv(self.preview.columns), encoding="utf-8-sig", newline="")
