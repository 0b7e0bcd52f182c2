"""The books' stored rows, read (or tampered with) through the database's own driver, not through the app.

``where`` is a test's ``db_path``: an SQLite file or a PostgreSQL URL. SQL is written
once, with ``?`` parameters, for both.
"""
from __future__ import annotations

import sqlite3
from typing import Any


class RawBooks:
    """A driver connection to the books, outside any transaction of the app's (autocommit)."""

    def __init__(self, where: Any) -> None:
        self.postgresql = isinstance(where, str) and where.startswith("postgresql")
        if self.postgresql:
            import psycopg
            from sqlalchemy.engine import make_url

            url = make_url(where).set(drivername="postgresql")
            self.conn = psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)
        else:
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

    def close(self) -> None:
        self.conn.close()
