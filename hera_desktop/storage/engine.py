"""Opening a database: the engine, SQLite pragmas, and explicit write transactions.

On SQLite every write transaction starts with ``BEGIN IMMEDIATE`` so two writers
queue instead of failing half-way with "database is locked". A writer waiting for
the write lock asks for it again every few milliseconds (``begin_immediate``), for
up to ``WRITE_WAIT_S``: SQLite's own busy handler sleeps up to 100 ms between tries,
long enough to miss the short gap a long import leaves between its chunks, over and
over, so a till's Pay behind an import could wait for the whole import and fail.
Read-only books are opened through an SQLite URI (``mode=ro``, see books_file).
"""
from __future__ import annotations

import sqlite3
import time
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import ConnectionPoolEntry, StaticPool

from ..domain.money import to_text
from .jsoncodec import dumps

BUSY_TIMEOUT_MS = 10_000
WRITE_WAIT_S = 30.0  # how long a writer waits for the write lock before saying the books are busy
WRITE_POLL_S = (0.0005, 0.004)  # first and longest pause between two tries for the write lock
SERVER_DIALECTS = ("postgresql",)


def decimal_text_sum(a: object, b: object) -> str:
    """a + b for two amounts stored as exact decimal text (SQLite's own + would go through binary floats)."""
    return to_text((Decimal(a) if type(a) is str else Decimal(str(a))) + (Decimal(b) if type(b) is str else Decimal(str(b))))


def make_engine(url: str, read_only_uri: str | None = None) -> Engine:
    """An engine for ``url``; on SQLite, ``read_only_uri`` connects read-only instead (the URL then only names it)."""
    if url.startswith("sqlite"):
        return _sqlite_engine(url, read_only_uri)
    return create_engine(url, pool_pre_ping=True, json_serializer=dumps)


def is_server_url(location: str) -> bool:
    """Whether ``location`` names a database server (``postgresql+psycopg://...``) rather than a books file."""
    scheme, sep, _ = location.partition("://")
    return bool(sep) and scheme.split("+")[0] in SERVER_DIALECTS


def sqlite_url(path: str) -> str:
    return "sqlite://" if path == ":memory:" else f"sqlite:///{path}"


class DecimalTextTotal:
    """SUM() of amounts stored as exact decimal text (SQLite's own SUM would go through binary floats)."""

    def __init__(self) -> None:
        self.total = Decimal(0)

    def step(self, value: object) -> None:
        if value is not None:
            self.total += Decimal(str(value))

    def finalize(self) -> str:
        return to_text(self.total)


def _sqlite_engine(url: str, read_only_uri: str | None = None) -> Engine:
    memory = url in ("sqlite://", "sqlite:///:memory:")
    kwargs: dict[str, Any] = {"json_serializer": dumps, "connect_args": {"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000}}
    if memory:
        kwargs["poolclass"] = StaticPool
    if read_only_uri is not None:
        kwargs["creator"] = lambda: sqlite3.connect(read_only_uri, uri=True, check_same_thread=False,
                                                    timeout=BUSY_TIMEOUT_MS / 1000)
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        if not memory and read_only_uri is None:  # choosing the journal mode writes to the file
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA cache_size=-32000")
        cur.close()
        # Exact sums of money stored as decimal text, for the cached balances' upserts.
        dbapi_conn.create_function("hera_dec_add", 2, decimal_text_sum, deterministic=True)
        # typeshed has an aggregate's result be an int; SQLite takes any of its values, here exact text.
        dbapi_conn.create_aggregate("hera_dec_total", 1, DecimalTextTotal)  # type: ignore[arg-type]

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        if mode == "IMMEDIATE" and not memory:
            begin_immediate(cast(sqlite3.Connection, conn.connection.driver_connection))
        else:
            conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def begin_immediate(driver: sqlite3.Connection, wait_s: float | None = None) -> None:
    """``BEGIN IMMEDIATE``, tried again with a short, growing pause while another writer holds the lock,
    for up to ``wait_s`` seconds (``WRITE_WAIT_S``); then SQLite's "database is locked" goes up as it came."""
    deadline = time.monotonic() + (WRITE_WAIT_S if wait_s is None else wait_s)
    pause = WRITE_POLL_S[0]
    driver.execute("PRAGMA busy_timeout=0")  # each try answers at once; the pauses are ours
    try:
        while True:
            try:
                driver.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not _busy(exc) or time.monotonic() >= deadline:
                    raise
            time.sleep(pause)
            pause = min(pause * 2, WRITE_POLL_S[1])
    finally:
        driver.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def _busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc)
    return "locked" in text or "busy" in text
