"""Backups as the back office offers them (``s.backups``): a manager or an admin backs the books up to a folder
of their choice (a USB stick), sees the automatic backups, checks one and restores it. The rules themselves
(names, checks, what is kept, setting the books aside) are in ``backups``.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain.errors import StorageError, ValidationError
from . import backups
from .backups import Backup, Restored

if TYPE_CHECKING:
    from ..app import Scope


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
    if isinstance(value, Path):
        return value
    if isinstance(value, str) and value.strip():
        return Path(value.strip())
    raise ValidationError(field, "must be a folder or a file name")
