"""Backups as the back office offers them (``s.backups``): a manager or an admin backs the books up to a folder
of their choice (a USB stick), sees the automatic backups, checks one and restores it. The rules themselves
(names, checks, what is kept, setting the books aside) are in ``backups``.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain.errors import StorageError, ValidationError
from . import backups
from .backups import Backup, Restored

if TYPE_CHECKING:
    from ..app import Scope


MAX_NAME = 255  # bytes in one folder or file name, as most file systems allow
MAX_PATH = 4096


class Backups:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope

    def back_up(self, destination: Any) -> Backup:
        """A checked backup of the books in ``destination``: a folder (named for the time) or a file name."""
        self.scope.require("books.back_up", "back up the books")
        return backups.take(backups.books_file_of(self.scope.db), _path(destination, "destination"))

    def automatic(self) -> list[Backup]:
        """The automatic backups of these books, newest first (their dates and sizes)."""
        return backups.automatic_backups(backups.books_file_of(self.scope.db))

    def check(self, backup: Any) -> Backup:
        """The backup at ``backup``, checked as a restore checks it, or the reason it cannot be used."""
        return backups.check(_path(backup, "backup"))

    def restore(self, backup: Any) -> Restored:
        """The backup becomes these books, the books as they are set aside first. Every window and till using
        the books should be closed first: those still open see the restored books at their next step, but show
        what they had read before until they are opened again."""
        self.scope.require("books.restore", "restore the books from a backup")
        chosen = _path(backup, "backup")
        books = backups.books_file_of(self.scope.db)
        if self.scope.db.unit is not None:
            raise StorageError("internal: the books cannot be restored inside a unit of work; nothing was changed")
        self.scope.db.engine.dispose()  # this process's idle connections: the restore needs the books to itself
        return backups.restore(books, chosen)


def _path(value: Any, field: str) -> Path:
    """A folder or file name as given (``~`` for the home folder), or a ValidationError naming ``field``."""
    text = str(value).strip() if isinstance(value, (str, Path)) else ""
    if not text or "\x00" in text:
        raise ValidationError(field, "must be a folder or a file name")
    try:
        os.fsencode(text)
    except UnicodeError:
        raise ValidationError(field, "holds characters no file name on this computer can hold") from None
    if len(text) > MAX_PATH or any(len(os.fsencode(part)) > MAX_NAME for part in Path(text).parts):
        raise ValidationError(field, f"is too long for a folder or file name ({MAX_NAME} characters a name at most)")
    try:
        return Path(text).expanduser()
    except RuntimeError:  # "~name" of no one on this computer
        raise ValidationError(field, f"names a home folder this computer does not have: {text!r}") from None
