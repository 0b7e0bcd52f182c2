"""The books' stored rows, read (or tampered with) through the database's own driver, not through the app.

``where`` is a test's ``db_path``: an SQLite file or a PostgreSQL URL. SQL is written
once, with ``?`` parameters, for both.

A tamperer first switches off the database's refusal to change transactions
(``lift_immutability``): on SQLite anyone who can write the file drops its
triggers; on PostgreSQL a superuser (``superuser=True`` connects as one)
disables the trigger on each table.
"""
from __future__ import annotations

import sqlite3
from typing import Any

# The tables whose rows the database itself refuses to change or delete (migration 0002), and its triggers there.
IMMUTABLE = ("universal_transactions", "universal_transaction_lines")
SQLITE_GUARDS = ("no_update", "no_delete")


class RawBooks:
    """A driver connection to the books, outside any transaction of the app's (autocommit)."""

    def __init__(self, where: Any, superuser: bool = False) -> None:
        self.postgresql = isinstance(where, str) and where.startswith("postgresql")
        if self.postgresql:
            import psycopg
            from sqlalchemy.engine import make_url

            url = make_url(where).set(drivername="postgresql")
            if superuser:  # the server's own superuser (see pg_server.py), not the books' role
                url = url.set(username="postgres")
            self.conn = psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)
            self.error: type[Exception] = psycopg.Error  # what the driver raises when the database refuses
        else:
            self.error = sqlite3.Error
            self.conn = sqlite3.connect(str(where), isolation_level=None)
            self.conn.execute("PRAGMA busy_timeout=10000")

    def execute(self, sql: str, params: Any = ()) -> Any:
        if self.postgresql:
            return self.conn.execute(sql.replace("?", "%s"), tuple(params))
        return self.conn.execute(sql, params)

    def dicts(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        """The rows as {column: value}, each value as the driver gives it."""
        cursor = self.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]

    def tables(self) -> list[str]:
        if self.postgresql:
            sql = "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1"
        else:
            sql = "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"
        return [r[0] for r in self.execute(sql)]

    def columns(self, table: str) -> list[str]:
        if self.postgresql:
            sql = ("SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
                   "AND table_name = ? ORDER BY ordinal_position")
            return [r[0] for r in self.execute(sql, (table,))]
        return [r[1] for r in self.execute(f"PRAGMA table_info('{table}')")]

    def lift_immutability(self, tables: tuple[str, ...] = IMMUTABLE) -> None:
        """Let transactions and their lines be changed and deleted, as a tamperer with access to the database can."""
        for table in tables:
            if self.postgresql:
                self.execute(f"ALTER TABLE {table} DISABLE TRIGGER {table}_immutable")
            else:
                for guard in SQLITE_GUARDS:
                    self.execute(f"DROP TRIGGER IF EXISTS {table}_{guard}")

    def close(self) -> None:
        self.conn.close()


def tamper(db_path: Any, *statements: tuple[str, tuple[Any, ...]]) -> None:
    """Change stored rows behind the API's back, as someone with the database's own keys could: each
    statement with its parameters, transactions and lines made changeable first."""
    conn = RawBooks(db_path, superuser=True)
    try:
        conn.lift_immutability()
        for sql, params in statements:
            conn.execute(sql, params)
    finally:
        conn.close()
