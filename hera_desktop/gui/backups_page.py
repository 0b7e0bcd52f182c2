"""Backups in the window: managers and admins back the books up to a folder of their choice (a USB stick), see
the automatic backups with their dates and sizes, and restore one; while the window is open, today's automatic
backup is taken once a day (checked every hour, off the GUI thread)."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import (QFileDialog, QHBoxLayout, QListWidget, QListWidgetItem, QMessageBox, QPushButton,
                               QVBoxLayout, QWidget)

from ..config import backups_dir
from ..domain.errors import HeraError
from .labels import message_box, plain_label

HOURLY_MS = 60 * 60 * 1000
_log = logging.getLogger("hera_desktop.gui")


def size_in_words(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{max(1, round(size / 1024))} KB"


class BackupsPage(QWidget):
    """The Settings screen's Backups tab."""

    restored = Signal(object)  # the Restored report, once the backup has become the books

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = session.runner
        note = plain_label(
            f"A checked backup is kept in {backups_dir()} after every day close and once a day while the app is "
            "open: the newest of each of the last 14 days and of each of the last 12 months. Backups you make to "
            "a folder of your own are never deleted.", objectName="backupsNote", wordWrap=True)
        self.listing = QListWidget(objectName="automaticBackups")
        self.listing.setAccessibleName("Automatic backups")
        self.back_up_button = QPushButton("Back up now…", objectName="backUpNow")
        self.back_up_button.clicked.connect(self._choose_folder)
        self.restore_button = QPushButton("Restore from a backup…", objectName="restoreBackup")
        self.restore_button.clicked.connect(self._choose_backup)
        self.message = plain_label(objectName="backupMessage", wordWrap=True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_up_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.listing, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)

    def refresh(self) -> None:
        if self.session.allows("books.back_up"):
            self.runner.read(self.session.scope.backups.automatic, self._show, self._said)

    def _show(self, found: list[Any]) -> None:
        self.listing.clear()
        for backup in found:
            item = QListWidgetItem(f"{backup.taken_at:%a %d %b %Y %H:%M}    {size_in_words(backup.size)}")
            item.setData(256, backup.path)  # Qt.UserRole
            item.setToolTip(backup.path)
            self.listing.addItem(item)
        if not found:
            self.listing.addItem("No automatic backup yet")

    def _said(self, exc: Exception) -> None:
        self.message.setText(exc.message if isinstance(exc, HeraError) else str(exc))

    # ------------------------------------------------------------------ backing up

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Back up the books to this folder")
        if folder:
            self.back_up_to(Path(folder))

    def back_up_to(self, folder: Path) -> None:
        self.message.setText(f"Backing up to {folder}…")
        self.runner.read(lambda: self.session.scope.backups.back_up(str(folder)), self._backed_up, self._said)

    def _backed_up(self, made: Any) -> None:
        self.message.setText(f"Backed up to {made.path}: checked (integrity and the hash chains of its "
                             f"{made.transactions} transactions).")
        self.refresh()

    # ------------------------------------------------------------------ restoring

    def _choose_backup(self) -> None:
        current = self.listing.currentItem()
        start = current.data(256) if current is not None and current.data(256) else str(backups_dir())
        path, _ = QFileDialog.getOpenFileName(self, "Backup to restore", start, "Backups (*.db);;All files (*)")
        if path:
            self.restore_from(Path(path))

    def restore_from(self, backup: Path) -> None:
        """Check the backup, ask, then make it the books (the books as they are set aside first)."""
        self.message.setText(f"Checking {backup.name}…")
        self.runner.read(lambda: self.session.scope.backups.check(str(backup)), self._confirm, self._said)

    def _confirm(self, checked: Any) -> None:
        self.message.setText("")
        box = message_box(QMessageBox.Icon.Question, "Restore a backup?",
                          f"Restore the backup of {checked.taken_at:%d %b %Y %H:%M} ({checked.transactions} "
                          "transactions, checked)?\n\nThe books as they are now are set aside beside them, not "
                          "deleted. Everyone signs in again afterwards; close the tills on other computers that "
                          "share these books first.",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("confirmRestore")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        if box.exec() != QMessageBox.StandardButton.Yes:
            return
        self.runner.wait(10000)  # nothing of this window still reading the books
        self.runner.change(lambda: self.session.scope.backups.restore(checked.path), self._restored, self._said)

    def _restored(self, done: Any) -> None:
        box = message_box(QMessageBox.Icon.Information, "Backup restored",
                          f"The books are now the backup of {done.backup.taken_at:%d %b %Y %H:%M}.\n\n"
                          f"{done.sentence}", QMessageBox.StandardButton.Ok, self)
        box.setObjectName("restoredMessage")
        box.exec()
        self.restored.emit(done)


class AutomaticBackups(QObject):
    """Today's automatic backup while the window is open: looked for at start and every hour, taken on the
    thread pool when missing. A failure is logged (the next hour tries again), never a dialog at the till."""

    def __init__(self, hera: Any, runner: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.hera = hera
        self.runner = runner
        self.timer = QTimer(self, interval=HOURLY_MS)
        self.timer.timeout.connect(self.check)

    def start(self) -> None:
        self.timer.start()
        self.check()

    def check(self) -> None:
        self.runner.read(self.hera.back_up_if_due, lambda _: None, self._failed)

    def _failed(self, exc: Exception) -> None:
        _log.warning("the automatic backup failed: %s", exc.message if isinstance(exc, HeraError) else exc)
