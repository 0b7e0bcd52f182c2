"""A books file on disk, looked at before it is opened: is it HERA Desktop's books, whole, and can it be written?

A folder, a file of another kind, a damaged file, or no file where one must exist is refused in one sentence
that says so. A file that can be read but not written (a read-only file, folder or disk) opens read-only.
SQLite needs care there: books in write-ahead-log mode keep two side files (``-wal``, ``-shm``) that a
read-only connection cannot create, so such books are opened ``immutable`` when SQLite cannot open them
otherwise, which is safe only when no side file holds changes not yet written into the books themselves.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ..domain.errors import StorageError

SQLITE_HEADER = b"SQLite format 3\x00"
PROBE_TIMEOUT_S = 10


class BooksUnavailableError(StorageError):
    """The books could not be opened: nothing there, not books, damaged, or written by a newer version."""

    code = "books_unavailable"


class DamagedBooksError(BooksUnavailableError):
    """A file that is not books, or books damaged: a backup may take their place (its code stays
    books_unavailable)."""

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message, path=str(path))
        self.path = path


class ReadOnlyBooksError(StorageError):
    """A change was asked of books that can only be read. (Its code stays storage_error: nothing was saved.)"""


@dataclass(frozen=True)
class BooksFile:
    path: Path
    read_only: str | None = None  # why these books cannot be written, or None
    uri: str | None = None  # how SQLite opens them when they are read-only


def locate(path: Path, create: bool = True) -> BooksFile:
    """The books at ``path``, checked; new (empty) books there if there are none and ``create`` is true."""
    if path.is_dir():
        raise BooksUnavailableError(f"{path} is a folder, not a books file; name a file in it, e.g. {path / 'books.db'}")
    if not path.exists():
        if not create:
            folder = "" if path.parent.is_dir() else f" (the folder {path.parent} does not exist)"
            raise BooksUnavailableError(f"There are no books at {path}{folder}; check the path")
        return _new(path)
    return _existing(path)


def not_books(path: Path) -> BooksUnavailableError:
    return DamagedBooksError(f"{path.name} is not a HERA Desktop books file, or it is damaged", path)


def _new(path: Path) -> BooksFile:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BooksUnavailableError(f"New books cannot be made in {path.parent} ({exc.strerror or exc})") from exc
    reason = read_only_reason(path.parent)
    if reason is not None:
        raise BooksUnavailableError(f"New books cannot be made in {path.parent}: {reason}")
    return BooksFile(path)


def _existing(path: Path) -> BooksFile:
    if not os.access(path, os.R_OK):
        raise BooksUnavailableError(f"{path} cannot be read (permission denied)")
    try:
        with path.open("rb") as f:
            header = f.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise BooksUnavailableError(f"{path} cannot be read ({exc.strerror or exc})") from exc
    if header and header != SQLITE_HEADER:  # an empty file is new books to SQLite
        raise not_books(path)
    reason = read_only_reason(path)
    uri = _read_only_uri(path) if reason else None
    _check_whole(path, uri)
    return BooksFile(path, reason, uri)


def read_only_reason(path: Path) -> str | None:
    """Why the books at ``path`` (a file, or the folder new books go in) cannot be written; None if they can."""
    folder = path if path.is_dir() else path.parent
    if hasattr(os, "statvfs"):
        try:
            if os.statvfs(folder).f_flag & os.ST_RDONLY:
                return "the disk they are on is read-only"
        except OSError:
            pass
    if path.is_file() and not os.access(path, os.W_OK):
        return "the file is read-only"
    if not os.access(folder, os.W_OK):  # the write-ahead log and its index are files beside the books
        return "their folder is read-only"
    return None


def _read_only_uri(path: Path) -> str:
    base = path.resolve().as_uri()
    try:
        _probe(f"{base}?mode=ro")
        return f"{base}?mode=ro"
    except sqlite3.DatabaseError:
        pass
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise BooksUnavailableError(
            f"{path.name} is read-only and holds changes not yet written into it ({wal.name}); "
            "open it once where it can be written")
    return f"{base}?mode=ro&immutable=1"


def _probe(uri: str) -> None:
    conn = sqlite3.connect(uri, uri=True, timeout=PROBE_TIMEOUT_S)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        conn.close()


def _check_whole(path: Path, uri: str | None) -> None:
    """SQLite's quick_check, and the books' own mark: a SQLite file with tables but no schema version is not ours."""
    try:
        conn = sqlite3.connect(uri or f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=PROBE_TIMEOUT_S)
    except sqlite3.DatabaseError as exc:
        raise BooksUnavailableError(f"{path} cannot be opened ({exc})") from exc
    try:
        verdict = conn.execute("PRAGMA quick_check").fetchall()
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise _unreadable(path, exc) from exc
    finally:
        conn.close()
    if verdict != [("ok",)] or (tables and "alembic_version" not in tables):
        raise not_books(path)


def _unreadable(path: Path, exc: sqlite3.DatabaseError) -> StorageError:
    said = str(exc)
    if "malformed" in said or "not a database" in said or not isinstance(exc, sqlite3.OperationalError):
        return not_books(path)
    if "locked" in said or "busy" in said:
        return StorageError("The books are busy in another window or terminal; try again in a moment")
    if disk_full(path.parent):  # SQLite cannot even make the index of its write-ahead log
        return BooksUnavailableError(f"The disk holding {path.name} is full; free some space and open the books again")
    return BooksUnavailableError(f"{path} could not be opened ({said})")


def disk_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < 64 * 1024
    except OSError:
        return False
