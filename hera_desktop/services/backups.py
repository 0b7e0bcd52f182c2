"""Backups of the books: taken while the tills sell, checked, kept for a while, and restored.

A backup is a consistent copy of the books file (``storage/backup.py``), checked before it is kept: SQLite's
full integrity check and every hash chain verified on the copy itself. Its name says when it was taken
(``books-2026-12-04T1830.db``), so the names sort by time. Automatic backups (after every day close, and once
a day while the window is open) go to the backups folder, where the newest of each of the last 14 days and of
each of the last 12 months are kept; a backup made to a chosen folder (a USB stick) is never deleted.

Restoring never overwrites the books: they are first set aside beside themselves
(``books.db.set-aside-2026-12-04T1830``), then the backup, checked again, becomes the books. What the backup
lacks (transactions recorded after its newest one) is said, and stays in the books set aside.

Backups are of books in a file on this computer; books on a PostgreSQL server are backed up with the server's
own tools (``pg_dump``, continuous archiving).
"""
from __future__ import annotations

import logging
import os
import re
import tempfile
import threading
from datetime import date, datetime, timezone
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from ..config import backups_dir
from ..domain.errors import HeraError
from ..storage import backup as copies
from ..storage.backup import BackupUnusableError
from ..storage.books_file import BooksUnavailableError, DamagedBooksError, locate
from ..storage.database import HEAD_REVISION, Database
from ..storage.engine import sqlite_url
from ..storage.scoped import OrgStore
from ..universal import chain
from . import organizations

KEEP_DAILY, KEEP_MONTHLY = 14, 12
NAMED_FOR_TIME = re.compile(r"^(.+)-(\d{4})-(\d{2})-(\d{2})T(\d{2})(\d{2})(\d{2})?(-manual)?\.db$")
_log = logging.getLogger("hera_desktop.backups")
__all__ = ["Backup", "BackupUnusableError", "BackupsNeedBooksFileError", "DamagedBooksError", "Restored",
           "after_day_close", "automatic_backups", "backups_after_close_done", "backup_name", "check", "due",
           "latest_good", "located", "prune", "refuse_if_open_elsewhere", "restore", "restore_hint", "take",
           "take_if_due", "to_keep"]


class BackupsNeedBooksFileError(HeraError):
    """Backups are of a books file; a database server keeps its own."""

    code = "backups_need_books_file"


def server_books_sentence() -> str:
    return ("Backups are made of books in a file on this computer; books on a PostgreSQL server are backed up "
            "with PostgreSQL's own tools (pg_dump, or the server's continuous archiving)")


class Backup(BaseModel):
    """One backup file, checked: where it is, when it was taken, how big, and what it holds."""

    model_config = ConfigDict(frozen=True)
    path: str
    taken_at: datetime  # local time, to the minute, as its name says
    size: int  # bytes
    automatic: bool
    transactions: int | None = None  # known once checked
    newest_transaction_at: str | None = None  # UTC text, as the books record it
    verified: bool = False


class Restored(BaseModel):
    """What a restore did: the books now hold the backup; the books as they were are at ``set_aside``."""

    model_config = ConfigDict(frozen=True)
    books: str
    backup: Backup
    set_aside: str | None  # None: there were no books to set aside
    missing: int | None  # transactions in the books set aside that the backup lacks (None: unknown, damaged)
    missing_since: str | None  # the backup's newest transaction (UTC text)

    @property
    def sentence(self) -> str:
        """What may be missing now, in words."""
        since = shown_time(self.missing_since) if self.missing_since else None
        if self.set_aside is None:
            return "There were no books to set aside."
        if self.missing is None:
            return (f"The books set aside at {self.set_aside} could not be read (damaged); anything recorded after "
                    f"{since or 'the backup was taken'} may be missing.")
        if self.missing == 0:
            return f"Nothing is missing: every transaction of the books set aside at {self.set_aside} is in the backup."
        after = f"after {since}" if since else "since the backup"
        them = "1 of them" if self.missing == 1 else f"{self.missing} of them"
        return (f"Transactions {after} ({them}) are not in the restored books; the books set aside at "
                f"{self.set_aside} still have them.")


def shown_time(utc_text: str) -> str:
    """A recorded moment (UTC text) as local time to the minute, e.g. 2026-12-04 18:30."""
    moment = datetime.fromisoformat(utc_text.rstrip("Z")).replace(tzinfo=timezone.utc).astimezone()
    return moment.strftime("%Y-%m-%d %H:%M")


def books_file_of(db: Database) -> Path:
    if db.path is None:
        raise BackupsNeedBooksFileError(server_books_sentence() if db.dialect != "sqlite"
                                        else "Books kept in memory have no file to back up")
    return db.path


# ------------------------------------------------------------------ taking a backup

_one_at_a_time = threading.Lock()  # two backups in one minute would share a name


def take(books: Path, destination: Path | None = None, now: datetime | None = None) -> Backup:
    """A checked backup of ``books``: automatic into the backups folder (``destination`` None, then the
    retention rule applies there), or to ``destination``, a folder or a file name (a manual backup)."""
    with _one_at_a_time:
        return _take(books, destination, now)


def _take(books: Path, destination: Path | None, now: datetime | None) -> Backup:
    moment = (now or datetime.now()).replace(second=0, microsecond=0)
    automatic = destination is None
    target = _target(books.stem, destination, moment)
    partial = target.with_name(target.name + ".partial")  # a copy that did not check out never has a good name
    try:
        copies.copy_books(books, partial)
        checked = check(partial, automatic=automatic, taken_at=moment)
        os.replace(partial, target)
    except OSError as exc:
        raise BooksUnavailableError(f"The backup cannot be written to {target.parent} "
                                    f"({exc.strerror or exc})") from exc
    finally:
        partial.unlink(missing_ok=True)
    done = checked.model_copy(update={"path": str(target)})
    _log.info("backup taken", extra={"hera": {"event": "backup", "path": str(target), "automatic": automatic,
                                              "transactions": done.transactions}})
    if automatic:
        prune(books, target.parent)
    return done


def _target(stem: str, destination: Path | None, moment: datetime) -> Path:
    folder = backups_dir() if destination is None else destination.expanduser()
    manual_file = destination is not None and not folder.is_dir() and folder.suffix != ""
    if manual_file:
        folder, name = folder.parent, folder.name
    else:
        name = backup_name(stem, moment)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BooksUnavailableError(f"The backup cannot be written to {folder} ({exc.strerror or exc})") from exc
    if not os.access(folder, os.W_OK):
        raise BooksUnavailableError(f"The backup cannot be written to {folder} (permission denied)")
    target = folder / name
    if not manual_file and destination is not None and folder.resolve() == backups_dir().resolve():
        target = folder / name.replace(".db", "-manual.db")  # the retention rule never takes it
    if not manual_file and target.exists():  # two in the same minute: the later one's name says its second
        target = target.with_name(backup_name(stem, datetime.now(), seconds=True).replace(
            ".db", "-manual.db" if target.name.endswith("-manual.db") else ".db"))
    return target


def backup_name(stem: str, moment: datetime, seconds: bool = False) -> str:
    """``books-2026-12-04T1830.db``: the books file's own name, then when (local time)."""
    return f"{stem}-{moment.strftime('%Y-%m-%dT%H%M%S' if seconds else '%Y-%m-%dT%H%M')}.db"


def check(path: Path, automatic: bool = False, taken_at: datetime | None = None) -> Backup:
    """The backup at ``path``, checked (SQLite's integrity check and every hash chain), or
    ``BackupUnusableError`` saying what is wrong with it."""
    if not path.is_file():
        raise BackupUnusableError(f"There is no backup at {path}")
    problems = copies.integrity_problems(path)
    if problems:
        raise BackupUnusableError(f"The backup {path.name} cannot be used: {problems[0]}"
                                  + (f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""))
    report = verified_chains(path)
    if not report.intact:
        link = report.broken[0]
        raise BackupUnusableError(f"The backup {path.name} cannot be used: its hash chain is broken at transaction "
                                  f"#{link.chain_seq} {link.transaction_code} ({link.problem})")
    held = copies.contents(path)
    return Backup(path=str(path), taken_at=taken_at or _taken_at(path), size=path.stat().st_size,
                  automatic=automatic, transactions=held.transactions, newest_transaction_at=held.newest,
                  verified=True)


def verified_chains(path: Path) -> chain.ChainReport:
    """Every hash chain of the books at ``path``, verified on the file itself, opened read-only; books of an
    older version are verified on an upgraded copy, so the file is never changed."""
    if copies.revision(path) == HEAD_REVISION:
        return _verify(Database(sqlite_url(str(path)), path, "a backup being checked", copies.read_only_uri(path)))
    with tempfile.TemporaryDirectory(prefix="hera-backup-check-") as tmp:
        copy = Path(tmp) / "books.db"
        copies.copy_books(path, copy)
        return _verify(Database.open(copy, create=False))


def _verify(db: Database) -> chain.ChainReport:
    try:
        with db.read() as conn:
            return chain.verify(OrgStore(db, org_id) for org_id in organizations.ids(conn))
    finally:
        db.close()


def _taken_at(path: Path) -> datetime:
    found = NAMED_FOR_TIME.match(path.name)
    if found:
        y, mo, d, h, mi, s = (int(g or 0) for g in found.groups()[1:7])
        return datetime(y, mo, d, h, mi, s)
    return datetime.fromtimestamp(path.stat().st_mtime).replace(second=0, microsecond=0)


# ------------------------------------------------------------------ automatic backups and what is kept

def automatic_backups(books: Path, folder: Path | None = None) -> list[Backup]:
    """The automatic backups of ``books`` in the backups folder (those named for the books file and a time),
    newest first; not checked: their names and sizes."""
    where = folder or backups_dir()
    if not where.is_dir():
        return []
    found = [Backup(path=str(p), taken_at=_taken_at(p), size=p.stat().st_size, automatic=True)
             for p in where.iterdir() if _automatic_of(books.stem, p.name) and p.is_file()]
    return sorted(found, key=lambda b: (b.taken_at, b.path), reverse=True)


def to_keep(backups: list[Backup]) -> set[str]:
    """The paths the retention rule keeps: the newest backup of each of the last 14 days that have one, and the
    newest of each of the last 12 months."""
    newest_of_day: dict[date, Backup] = {}
    newest_of_month: dict[tuple[int, int], Backup] = {}
    for b in sorted(backups, key=lambda b: (b.taken_at, b.path), reverse=True):
        newest_of_day.setdefault(b.taken_at.date(), b)
        newest_of_month.setdefault((b.taken_at.year, b.taken_at.month), b)
    days = sorted(newest_of_day, reverse=True)[:KEEP_DAILY]
    months = sorted(newest_of_month, reverse=True)[:KEEP_MONTHLY]
    return {newest_of_day[d].path for d in days} | {newest_of_month[m].path for m in months}


def _automatic_of(stem: str, name: str) -> bool:
    found = NAMED_FOR_TIME.match(name)
    return found is not None and found.group(1) == stem and found.group(8) is None


def prune(books: Path, folder: Path | None = None) -> list[str]:
    """Delete the automatic backups of ``books`` the retention rule does not keep; the paths deleted."""
    found = automatic_backups(books, folder)
    keep = to_keep(found)
    gone = []
    for b in found:
        if b.path not in keep:
            try:
                Path(b.path).unlink()
                gone.append(b.path)
            except OSError:
                pass  # kept this time; the next backup tries again
    return gone


def due(books: Path, folder: Path | None = None, today: date | None = None) -> bool:
    """Whether today's automatic backup of ``books`` is still to be taken."""
    day = today or date.today()
    return not any(b.taken_at.date() == day for b in automatic_backups(books, folder))


def take_if_due(db: Database) -> Backup | None:
    """Today's automatic backup, unless it exists (the window asks every hour); None when there is nothing to
    do (already taken, or books not in a file)."""
    if db.path is None or not due(db.path):
        return None
    return take(db.path)


_after_close: list[threading.Thread] = []  # backups taken after day closes, still running


def after_day_close(db: Database) -> threading.Thread | None:
    """The automatic backup taken after a day close, in the background: checking the copy walks every hash chain,
    which takes seconds on a year of books, and the closing must not wait for it. Its failure never undoes the
    closing (it is logged). The thread is not a daemon: a command that closed the day ends once it is done."""
    if db.path is None:
        return None
    worker = threading.Thread(target=_back_up_after_close, args=(db.path,), name="backup after day close")
    _after_close[:] = [t for t in _after_close if t.is_alive()] + [worker]
    worker.start()
    return worker


def backups_after_close_done(timeout: float | None = None) -> bool:
    """Wait for the backups started after day closes; whether they have all finished."""
    for worker in list(_after_close):
        worker.join(timeout)
    return not any(t.is_alive() for t in _after_close)


def _back_up_after_close(books: Path) -> None:
    try:
        take(books)
    except HeraError as exc:
        _log.warning("the backup after the day close failed: %s", exc.message,
                     extra={"hera": {"event": "backup_failed", "reason": exc.message}})
    except Exception:  # a thread's error would otherwise only reach stderr
        _log.exception("the backup after the day close failed", extra={"hera": {"event": "backup_failed"}})


def latest_good(books: Path, folder: Path | None = None) -> Backup | None:
    """The newest automatic backup of ``books`` that checks out (damaged books offer it)."""
    for candidate in automatic_backups(books, folder):
        try:
            return check(Path(candidate.path), automatic=True, taken_at=candidate.taken_at)
        except HeraError:
            continue
    return None


def located(books: Path) -> Path:
    """The books at ``books``, checked as opening them checks them (there, books, whole), never created."""
    return locate(books, create=False).path


def restore_hint(books: Path) -> str | None:
    """For damaged books: the latest good backup and how to restore it, in a sentence; None when there is none."""
    found = latest_good(books)
    if found is None:
        return None
    return (f"The latest good backup is {found.path}, taken {found.taken_at:%d %b %Y %H:%M}; to restore it "
            f"(the damaged books are set aside, not deleted): hera-desktop --database {books} restore {found.path}")


# ------------------------------------------------------------------ restoring

def restore(books: Path, backup: Path, now: datetime | None = None) -> Restored:
    """The backup becomes the books, after the books are set aside beside themselves; refused (nothing
    changed) when the backup does not check out."""
    backup = backup.expanduser()
    if backup.exists() and books.exists() and backup.resolve() == books.resolve():
        raise BackupUnusableError(f"{backup} is the books themselves, not a backup of them")
    checked = check(backup)
    moment = now or datetime.now()
    aside = set_aside(books, moment) if books.exists() else None
    if books.exists():  # set aside as a copy: the backup is written into the books in one step
        copies.copy_into_books(backup, books)
    else:  # none there, or damaged ones moved aside
        try:
            books.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BooksUnavailableError(f"The books cannot be written in {books.parent} "
                                        f"({exc.strerror or exc})") from exc
        copies.copy_books(backup, books)
    missing = _missing(aside, checked.newest_transaction_at) if aside is not None else None
    _log.info("books restored", extra={"hera": {"event": "restore", "backup": str(backup),
                                                "set_aside": str(aside) if aside else None, "missing": missing}})
    return Restored(books=str(books), backup=checked, set_aside=str(aside) if aside else None, missing=missing,
                    missing_since=checked.newest_transaction_at)


def refuse_if_open_elsewhere(books: Path) -> None:
    """A restore from outside the window (the command line) waits until no window or till on this computer
    has the books open: they would carry on from what they had read of the books as they were."""
    if books.exists() and copies.open_elsewhere(books):
        raise BooksUnavailableError("The books are open in a window or a till on this computer; close it, then "
                                    "restore (nothing was changed)")


def set_aside(books: Path, moment: datetime) -> Path:
    """The books as they are, kept beside them under a name that says when; the books themselves stay in place
    (copied through SQLite, write-ahead log included). Damaged books, which SQLite cannot copy, are moved aside
    with their side files instead."""
    aside = books.with_name(f"{books.name}.set-aside-{moment.strftime('%Y-%m-%dT%H%M%S')}")
    if not copies.integrity_problems(books):
        try:
            copies.copy_books(books, aside)
            return aside
        except HeraError:
            aside.unlink(missing_ok=True)
    for suffix in ("", "-wal", "-shm"):
        side = books.with_name(books.name + suffix)
        if side.exists():
            os.replace(side, aside.with_name(aside.name + suffix))
    return aside


def _missing(aside: Path, since: str | None) -> int | None:
    try:
        return copies.contents(aside, after=since).transactions
    except HeraError:
        return None
