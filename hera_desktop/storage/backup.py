"""Copies of a books file made with SQLite's online backup API, never by copying the file.

A file copy taken while a till sells can miss what the write-ahead log holds, or catch the file half-written;
the backup API copies the books as one consistent snapshot that includes every committed transaction. It
copies a few pages at a time from one read snapshot, the books as they were when it began: in write-ahead-log
mode a reader never blocks a writer, so a till keeps selling in another process while it runs. A copy is one self-contained file (no
write-ahead log beside it), so it can be carried on a USB stick as it is.
"""
from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ..domain.errors import StorageError
from .books_file import BooksUnavailableError

PAGES_PER_STEP = 256  # 1 MB with 4 KB pages: one step holds the books' lock for a few milliseconds
PAUSE_S = 0.005  # how long a step waits, when the books are busy, before it tries again
TIMEOUT_S = 10


class BackupUnusableError(BooksUnavailableError):
    """A backup that cannot be used: missing, not books, damaged, or with a broken hash chain."""

    code = "backup_unusable"


@dataclass(frozen=True)
class Contents:
    """What a books file holds, in brief: its transactions and when the newest was recorded (UTC text)."""

    transactions: int
    newest: str | None


def copy_books(source: Path, target: Path) -> None:
    """A consistent copy of the books at ``source`` written to ``target`` (replaced if it exists), in steps."""
    try:
        src = sqlite3.connect(_reading_uri(source), uri=True, timeout=TIMEOUT_S)
    except sqlite3.Error as exc:
        raise BooksUnavailableError(f"The books at {source} cannot be read ({exc})") from exc
    try:
        try:
            dst = sqlite3.connect(str(target), timeout=TIMEOUT_S)
        except sqlite3.Error as exc:
            raise StorageError(f"{target} cannot be written ({exc})") from exc
        try:
            _copy(src, dst, source, target)
        finally:
            dst.close()
    finally:
        src.close()


def _copy(src: sqlite3.Connection, dst: sqlite3.Connection, source: Path, target: Path) -> None:
    try:
        # A read transaction held on the source for the whole copy: every step reads the same snapshot (the
        # books as they were when it began), so a till writing meanwhile neither waits for it nor restarts it.
        src.isolation_level = None
        src.execute("BEGIN")
        src.execute("SELECT count(*) FROM sqlite_master").fetchone()
        src.backup(dst, pages=PAGES_PER_STEP, sleep=PAUSE_S)
        src.execute("COMMIT")
    except sqlite3.DatabaseError as exc:
        said = str(exc)
        if "malformed" in said or "not a database" in said:
            raise BooksUnavailableError(f"The books at {source} are damaged; they cannot be backed up") from exc
        raise StorageError(f"{target} could not be written ({said})") from exc
    try:
        # One file, no write-ahead log beside it; fully on disk before anyone is told it is there.
        dst.execute("PRAGMA journal_mode=DELETE")
        dst.execute("PRAGMA synchronous=FULL")
    except sqlite3.Error as exc:
        raise StorageError(f"{target} could not be written ({exc})") from exc
    _sync(target)


def _sync(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _reading_uri(path: Path) -> str:
    """Read-write where the books can be written, though only read: the last connection to close then tidies
    the write-ahead log away, as the app's own do; a read-only one would leave it beside the books."""
    writable = os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    return f"{path.resolve().as_uri()}?mode=rw" if writable else read_only_uri(path)


def read_only_uri(path: Path) -> str:
    return f"{path.resolve().as_uri()}?mode=ro"


def integrity_problems(path: Path) -> list[str]:
    """What SQLite's full ``integrity_check`` finds wrong with the file at ``path`` (nothing: an empty list)."""
    try:
        with path.open("rb") as f:
            if f.read(16) != b"SQLite format 3\x00":
                return ["it is not a HERA Desktop books file"]
        conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=TIMEOUT_S)
    except (OSError, sqlite3.Error) as exc:
        return [f"it cannot be read ({exc})"]
    try:
        found = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        return [f"it is damaged ({exc})"]
    finally:
        conn.close()
    if found != ["ok"]:
        return found
    if "alembic_version" not in tables or "universal_transactions" not in tables:
        return ["it is not a HERA Desktop books file"]
    return []


def contents(path: Path, after: str | None = None) -> Contents:
    """The transactions of the books at ``path`` (only those recorded after ``after``, when given)."""
    conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=TIMEOUT_S)
    try:
        where, params = ("WHERE created_at > ?", (after,)) if after else ("", ())
        count, newest = conn.execute(
            f"SELECT count(*), max(created_at) FROM universal_transactions {where}", params).fetchone()
    except sqlite3.Error as exc:
        raise BooksUnavailableError(f"The books at {path} cannot be read ({exc})") from exc
    finally:
        conn.close()
    return Contents(int(count), newest)


def revision(path: Path) -> str | None:
    conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=TIMEOUT_S)
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return row[0] if row else None


def copy_into_books(backup: Path, books: Path) -> None:
    """The backup's pages written into the books file in place, through SQLite (which keeps its write-ahead log
    and the other connections' view of it right), in one step: nobody sees half of each."""
    src = sqlite3.connect(read_only_uri(backup), uri=True, timeout=TIMEOUT_S)
    try:
        dst = sqlite3.connect(str(books), timeout=TIMEOUT_S)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=WAL")
            dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as exc:
            raise StorageError(f"The books at {books} could not be written ({exc}); they are as they were") from exc
        finally:
            dst.close()
    finally:
        src.close()


def open_elsewhere(books: Path) -> bool:
    """Whether another process has the books open (a window, a till), as far as this computer can tell: every
    SQLite connection to books in write-ahead-log mode holds a shared lock on one byte of their ``-shm`` file
    while it is open. Only for a process with no connection of its own to these books (POSIX locks are the
    process's: closing this file would drop its own connections' locks). Where it cannot tell (Windows), False.
    """
    try:
        import fcntl
    except ImportError:
        return False
    shm = books.with_name(books.name + "-shm")
    try:
        fd = os.open(shm, os.O_RDWR)
    except OSError:
        return False  # no index of a write-ahead log: nobody has them open
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, SHM_DMS_BYTE)
    except OSError:
        return True
    else:
        fcntl.lockf(fd, fcntl.LOCK_UN, 1, SHM_DMS_BYTE)
        return False
    finally:
        os.close(fd)


SHM_DMS_BYTE = 128  # SQLite's os_unix.c: UNIX_SHM_DMS, the lock byte every connection to the WAL index holds
