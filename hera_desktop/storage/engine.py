"""Opening a database: the engine, SQLite pragmas, and explicit write transactions.

On SQLite every write transaction starts with ``BEGIN IMMEDIATE`` so two writers
queue on the busy timeout instead of failing half-way with "database is locked".
Read-only books are opened through an SQLite URI (``mode=ro``, see books_file).
"""
from __future__ import annotations

import sqlite3
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import ConnectionPoolEntry, StaticPool

from ..domain.money import to_text
from .jsoncodec import dumps

BUSY_TIMEOUT_MS = 10_000
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
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine
