"""One open set of books: engine, schema upgrades (with a backup first), units of work.

A unit of work is one database transaction. Units opened while another is open
on the same thread join it, so a business flow made of several API calls
commits all its rows or none. Books that cannot be written open read-only:
every read works, and a write is refused before anything is attempted.
"""
from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, Iterator, cast

from sqlalchemy import Connection, event, inspect, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from ..domain.changes import NOTHING, Changes
from ..domain.errors import ConflictingDataError, HeraError, StorageError
from ..domain.ids import checked_id, new_id
from .books_file import BooksUnavailableError, ReadOnlyBooksError, locate
from .engine import is_server_url, make_engine, sqlite_url
from .schema import hera_settings

HEAD_REVISION = "0012"
CHECKPOINT_PAGES = 1000  # SQLite's default: the write-ahead log is copied into the database file every 4 MB
BULK_CHECKPOINT_PAGES = 10_000
MIGRATIONS = Path(__file__).with_name("migrations")
# Writers take turns on PostgreSQL as on SQLite (BEGIN IMMEDIATE): a business operation reads what it builds on
# (a chain head, the last document number, a PIN's failed tries) and no other writer may change it meanwhile.
# Held until the transaction ends; the key is any number fixed for HERA's books.
WRITER_LOCK = "SELECT pg_advisory_xact_lock(4801)"
# Schema upgrades take turns too, across processes (the server's workers start together): held by a session.
MIGRATION_LOCK, MIGRATION_UNLOCK = "SELECT pg_advisory_lock(4802)", "SELECT pg_advisory_unlock(4802)"
# The organization a transaction acts for, for its length alone (``is_local``): row-level security
# (storage/row_security.py) holds every row it reads or writes to that organization.
ACT_FOR = text("SELECT set_config('hera.organization_id', :organization, true)")
ACT_FOR_WRITING = text(f"{WRITER_LOCK}, set_config('hera.organization_id', :organization, true)")


class Database:
    def __init__(self, url: str, path: Path | None = None, read_only: str | None = None,
                 read_only_uri: str | None = None) -> None:
        self.url = url
        self.path = path
        self.read_only_reason = read_only  # why these books cannot be written, or None
        self.engine = make_engine(url, read_only_uri)
        event.listen(self.engine, "rollback_savepoint", self._forget_unit_cache)
        # The unit of work open in this thread or asyncio task, and the watches that collect what
        # the units committed inside them changed (see ``watch``).
        self._unit_var: ContextVar[UnitOfWork | None] = ContextVar(f"hera_unit_{id(self)}", default=None)
        self._watches: ContextVar[tuple[Watch, ...]] = ContextVar(f"hera_watches_{id(self)}", default=())
        self._acting: ContextVar[str | None] = ContextVar(f"hera_acting_{id(self)}", default=None)
        self.backup_path: Path | None = None
        try:
            with _translated():
                self.upgrade()
            self.terminal_id = self._terminal_id()
        except BaseException:
            self.engine.dispose()
            raise

    @classmethod
    def open(cls, path: str | Path, create: bool = True) -> "Database":
        """The books at ``path``, checked first (see books_file); ``create=False`` refuses to make new ones.

        ``path`` may also be a database server's SQLAlchemy URL (``postgresql+psycopg://...``): the server's
        database must exist; its tables are made or upgraded there.
        """
        if str(path) == ":memory:":
            return cls(sqlite_url(":memory:"))
        if isinstance(path, str) and is_server_url(path):
            return cls(path)
        books = locate(Path(path).expanduser(), create)
        return cls(sqlite_url(str(books.path)), books.path, books.read_only, books.uri)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    # ------------------------------------------------------------ schema

    def revision(self) -> str | None:
        with self.engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()

    def upgrade(self) -> None:
        if self.revision() == HEAD_REVISION:
            return
        if self.dialect != "postgresql":
            self._upgrade()
            return
        # Several server processes starting at once over one database: one upgrades, the others wait for it
        # and then find nothing left to do.
        with self.engine.connect() as lock:
            lock.exec_driver_sql(MIGRATION_LOCK)
            lock.commit()
            try:
                self._upgrade()
            finally:
                lock.exec_driver_sql(MIGRATION_UNLOCK)
                lock.commit()

    def _upgrade(self) -> None:
        current = self.revision()
        if current == HEAD_REVISION:
            return
        if current is not None and current not in _known_revisions():
            raise BooksUnavailableError(f"These books were written by a newer HERA Desktop (schema {current}); "
                                        "update the app to open them")
        if self.read_only:
            what = "are empty" if current is None else f"need upgrading from schema {current} to {HEAD_REVISION}"
            raise BooksUnavailableError(f"These books {what}, but they are read-only ({self.read_only_reason}); "
                                        "open them once where they can be written")
        if current is not None and self.path is not None and self.path.exists():
            self.backup_path = self._backup(self.path, current)
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.connect() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            conn.commit()

    @staticmethod
    def _backup(path: Path, revision: str) -> Path:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = path.with_name(f"{path.name}.before-{HEAD_REVISION}-from-{revision}-{stamp}.bak")
        src = sqlite3.connect(str(path))
        try:
            dst = sqlite3.connect(str(target))
            with dst:
                src.backup(dst)
            dst.close()
        finally:
            src.close()
        return target

    def _terminal_id(self) -> str:
        if self.read_only:  # nothing is recorded from here, so an id that is never stored will do
            with self.read() as conn:
                stored = conn.execute(select(hera_settings.c.value).where(hera_settings.c.key == "terminal_id"))
                return stored.scalar() or new_id()
        with self.write() as conn:
            found: str | None = conn.execute(
                select(hera_settings.c.value).where(hera_settings.c.key == "terminal_id")).scalar()
            if found:
                return found
            tid = new_id()
            conn.execute(hera_settings.insert().values(key="terminal_id", value=tid))
            return tid

    # ------------------------------------------------------------ units of work

    @property
    def unit(self) -> "UnitOfWork | None":
        """The unit of work open in this thread or task, if any."""
        return self._unit_var.get()

    @property
    def current(self) -> Connection | None:
        unit = self._unit_var.get()
        return unit.conn if unit is not None else None

    @property
    def unit_cache(self) -> dict[Any, Any]:
        """Facts looked up inside the open unit of work (entity kinds, the chain head), kept until it ends.

        It lives exactly as long as the database transaction, and is emptied when
        a savepoint rolls back, so nothing in it can outlive the rows it describes.
        """
        unit = self._unit_var.get()
        if unit is None:
            raise RuntimeError("internal: unit_cache used outside a unit of work")
        return unit.cache

    def _forget_unit_cache(self, *_: Any) -> None:
        unit = self._unit_var.get()
        if unit is not None:
            unit.cache.clear()

    @contextmanager
    def watch(self) -> Iterator["Watch"]:
        """Collect what the units of work committed inside this block (in this thread or task) changed:
        ``watch.changes`` once it ends (a screen's refresh, an integration's notice)."""
        found = Watch()
        token = self._watches.set((*self._watches.get(), found))
        try:
            yield found
        finally:
            self._watches.reset(token)

    @contextmanager
    def acting_for(self, organization_id: str) -> Iterator[None]:
        """Units of work begun inside this block (in this thread or asyncio task) act for this organization:
        on PostgreSQL each tells its own transaction so, and row-level security then shows and accepts that
        organization's rows alone (a server's request). Nothing changes on SQLite, which has no roles."""
        organization_id = checked_id("organization_id", organization_id)
        if self._unit_var.get() is not None and self._acting.get() != organization_id:
            raise StorageError("internal: the organization was changed inside a unit of work; nothing was saved")
        token = self._acting.set(organization_id)
        try:
            yield
        finally:
            self._acting.reset(token)

    def write(self, bulk: bool = False) -> AbstractContextManager[Connection]:
        """A write transaction, or the one already open on this thread.

        ``bulk`` (imports of thousands of records): on SQLite its commit does not
        checkpoint the write-ahead log until it holds ``BULK_CHECKPOINT_PAGES``,
        instead of the usual 1,000 pages (4 MB). Pages written again by the next
        batches of the import then reach the database file once, not once per
        batch. The next ordinary commit checkpoints what is left.
        """
        if self.read_only:
            raise ReadOnlyBooksError(f"These books are read-only ({self.read_only_reason}); nothing was saved")
        return self._unit(bulk=bulk, writes=True, sqlite_begin="IMMEDIATE")

    def read(self) -> AbstractContextManager[Connection]:
        """A consistent read snapshot, or the transaction already open on this thread.

        A report runs several statements; each sees the books as they were at the
        first. SQLite's read transaction is such a snapshot; PostgreSQL's default
        (READ COMMITTED) would let each statement see what other terminals committed
        meanwhile, so there the unit is REPEATABLE READ, and READ ONLY.
        """
        if self.dialect == "postgresql":
            return self._unit(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        return self._unit()

    @contextmanager
    def _unit(self, bulk: bool = False, writes: bool = False, **options: Any) -> Iterator[Connection]:
        unit = self._unit_var.get()
        if unit is not None:
            if writes and not unit.writes:
                # A read's snapshot cannot become a write safely (SQLite would fail it as busy whenever
                # another till wrote meanwhile; PostgreSQL's is read-only): the caller must start a write.
                raise StorageError("internal: a change was started inside a read of the books; nothing was saved")
            yield unit.conn
            return
        with _translated():
            with self.engine.connect().execution_options(**options) as conn:
                checkpoint = bulk and self.dialect == "sqlite"
                if checkpoint:  # on the driver: outside the transaction SQLAlchemy is about to begin
                    _sqlite_driver(conn).execute(f"PRAGMA wal_autocheckpoint={BULK_CHECKPOINT_PAGES}")
                try:
                    with conn.begin():
                        if self.dialect == "postgresql":
                            self._begin_on_server(conn, writes)
                        unit = UnitOfWork(conn, writes)
                        token = self._unit_var.set(unit)
                        try:
                            yield conn
                            unit.finish()
                        finally:
                            self._unit_var.reset(token)
                    if unit.changed:  # committed: the watches of this thread or task learn what changed
                        done = unit.changes()
                        for found in self._watches.get():
                            found.changes = found.changes | done
                finally:
                    if checkpoint:
                        _sqlite_driver(conn).execute(f"PRAGMA wal_autocheckpoint={CHECKPOINT_PAGES}")

    def _begin_on_server(self, conn: Connection, writes: bool) -> None:
        """A writer waits for its turn; a unit acting for an organization says so (one round trip for both)."""
        acting = self._acting.get()
        if acting is None:
            if writes:
                conn.exec_driver_sql(WRITER_LOCK)
        else:
            conn.execute(ACT_FOR_WRITING if writes else ACT_FOR, {"organization": acting})

    def checkpoint(self) -> None:
        """Copy what the write-ahead log holds into the books file now, without waiting for anyone (SQLite's
        PASSIVE checkpoint; nothing on PostgreSQL). A long import calls it between its chunks, in its own
        time: otherwise the next till to commit would copy the import's pages inside its Pay."""
        if self.dialect != "sqlite" or self.path is None or self.unit is not None:
            return
        with _translated(), self.engine.connect() as conn:
            _sqlite_driver(conn).execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def close(self) -> None:
        self.engine.dispose()


class UnitOfWork:
    """One database transaction of the books: its connection, whether it may write, the facts cached for
    its length (``Database.unit_cache``) and what it changed (noted by the change feed's writer)."""

    __slots__ = ("conn", "writes", "cache", "changed", "before_commit")

    def __init__(self, conn: Connection, writes: bool) -> None:
        self.conn = conn
        self.writes = writes
        self.cache: dict[Any, Any] = {}
        self.changed: set[tuple[str, str]] = set()  # (event kind, kind of record)
        # Work done once when the unit is about to commit, by key (a chain's counter moved on once, however
        # many batches of transactions it numbered); kept when a savepoint rolls back, unlike ``cache``.
        self.before_commit: dict[Any, Callable[[], None]] = {}

    def note(self, event: str, record: str) -> None:
        self.changed.add((event, record))

    def finish(self) -> None:
        """Run what waits for the commit, in the unit's own transaction (a failure rolls it all back)."""
        while self.before_commit:
            self.before_commit.pop(next(iter(self.before_commit)))()

    def changes(self) -> Changes:
        return Changes(frozenset(e for e, _ in self.changed), frozenset(r for _, r in self.changed))


class Watch:
    """What the units of work committed during a ``Database.watch`` changed."""

    def __init__(self) -> None:
        self.changes = NOTHING


def _sqlite_driver(conn: Connection) -> sqlite3.Connection:
    """The sqlite3 connection under an SQLite engine's connection (SQLAlchemy types it as any driver's)."""
    return cast(sqlite3.Connection, conn.connection.driver_connection)


@contextmanager
def _translated() -> Iterator[None]:
    """Database failures leave as StorageErrors a person can read; HeraErrors pass through."""
    try:
        yield
    except HeraError:
        raise
    except UnicodeEncodeError as exc:  # text the database cannot hold, e.g. half of a surrogate pair from JSON
        raise StorageError("Some text contains a character that cannot be stored (an unpaired surrogate); "
                           "nothing was saved") from exc
    except IntegrityError as exc:
        raise ConflictingDataError(f"The change conflicts with data already stored ({_reason(exc)}); "
                                   "nothing was saved") from exc
    except DBAPIError as exc:
        raise _plain(_reason(exc)) from exc
    except sqlite3.Error as exc:  # the driver's own calls (checkpoint settings), outside SQLAlchemy
        raise _plain(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from exc


def _plain(reason: str) -> StorageError:
    """One sentence for what the database said."""
    if "locked" in reason or "busy" in reason:
        return StorageError("The books are busy in another window or terminal; try again in a moment")
    if "immutable" in reason:
        return StorageError("Transactions are immutable: correct them by reversal")
    if "disk is full" in reason:  # SQLITE_FULL
        return StorageError("The disk is full; nothing was saved")
    if "violates row-level security" in reason:  # PostgreSQL: a row for another organization than the unit's
        return StorageError("The database refused a row of another organization than the one this work is for "
                            "(row-level security); nothing was saved")
    if "read-only transaction" in reason:  # PostgreSQL: a change inside a read unit (see Database.read)
        return StorageError("A change was attempted while the books were only being read; nothing was saved")
    if "readonly" in reason or "read-only" in reason:  # the file or disk became read-only while the books were open
        return ReadOnlyBooksError("These books are read-only (the file can no longer be written); nothing was saved")
    if "malformed" in reason or "not a database" in reason:
        return StorageError("The books file is damaged; nothing was saved. Restore it from a backup")
    if "disk I/O error" in reason:
        return StorageError("The disk holding the books could not be read or written (disk I/O error); "
                            "nothing was saved")
    return StorageError(f"The database could not complete the operation ({reason}); nothing was saved")


def _reason(exc: DBAPIError) -> str:
    return str(exc.orig).splitlines()[0] if exc.orig is not None else str(exc)


def _known_revisions() -> set[str]:
    """Every schema revision this version's migrations know; any other was written by a newer version."""
    from alembic.script import ScriptDirectory

    return {script.revision for script in ScriptDirectory(str(MIGRATIONS)).walk_revisions()}
