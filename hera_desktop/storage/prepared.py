"""Statements compiled once and run straight on the SQLite driver: the hot paths' fast lane.

SQLAlchemy Core costs 40-90 µs a statement on this hardware, mostly building
cache keys and result objects; the driver itself takes 2-10 µs. A business
operation runs dozens of small statements, so the hot paths (inserts, cached
balances, chain head, idempotency and reference look-ups) compile their
statement once per dialect with SQLAlchemy, keep its SQL and the column types'
own bind and result processors, and hand the values to the driver directly.
Values are converted exactly as SQLAlchemy would convert them (Decimals to
exact text, JSON through the engine's serializer), driver errors leave as
SQLAlchemy's, so the unit of work translates them as before. On any dialect
other than SQLite the statement simply runs through SQLAlchemy.
"""
from __future__ import annotations

import json
import sqlite3
from decimal import Decimal
from operator import itemgetter
from typing import Any, Callable, NoReturn, Sequence, Union, Unpack, cast

from sqlalchemy import JSON, Connection, Dialect, Select, Table, TextClause, TextualSelect, bindparam
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.dml import UpdateBase

from ..domain.ids import is_uuid
from .types import ExactDecimal

Processor = Callable[[Any], Any] | None
Binds = list[tuple[str, Processor, Any]]  # each parameter in the SQL's order: its name, converter and default
Plan = tuple[str, Binds, list[Processor]]  # the SQL, its parameters, each result column's converter
# What is prepared: a query, an INSERT, UPDATE or DELETE, or literal SQL (each can be compiled and run).
Statement = Union[Select[Unpack[tuple[Any, ...]]], UpdateBase, TextClause, TextualSelect]


def _driver(conn: Connection) -> sqlite3.Connection:
    """The sqlite3 connection under an SQLite engine's connection (SQLAlchemy types it as any driver's)."""
    return cast(sqlite3.Connection, conn.connection.driver_connection)


def _raise(conn: Connection, sql: str, params: Any, exc: Exception) -> NoReturn:
    raise DBAPIError.instance(sql, params, exc, conn.dialect.loaded_dbapi.Error, dialect=conn.dialect) from exc


def executemany(conn: Connection, sql: str, rows: list[tuple[Any, ...]]) -> None:
    """SQL in the driver's own parameter style, run once per row on the SQLite driver; errors leave as
    SQLAlchemy's, so the unit of work translates them as it does every other."""
    try:
        _driver(conn).executemany(sql, rows)
    except conn.dialect.loaded_dbapi.Error as exc:
        _raise(conn, sql, rows, exc)


def _key(dialect: Dialect) -> tuple[Any, ...]:
    """What a compiled plan depends on: every engine of the same kind and settings shares it."""
    return (type(dialect), dialect.paramstyle, getattr(dialect, "_json_serializer", None),
            getattr(dialect, "_json_deserializer", None))


class Prepared:
    """A statement with named bind parameters, compiled once per dialect."""

    def __init__(self, statement: Statement, column_keys: Sequence[str] | None = None) -> None:
        self.statement = statement
        self.column_keys = list(column_keys) if column_keys is not None else None
        self._compiled: dict[Any, Plan] = {}
        self._getters: dict[Any, Any] = {}
        # The dialect in use now, its plan and getters (no dialect yet, so the empty plan is never used).
        self._last: tuple[Dialect | None, Plan, Any] = (None, ("", [], []), None)

    def _plan(self, conn: Connection) -> Plan:
        dialect = conn.dialect
        last = self._last
        if dialect is last[0]:
            return last[1]
        plan = self._compiled.get(_key(dialect))
        if plan is None:
            compiled = self.statement.compile(dialect=dialect, column_keys=self.column_keys)
            names = list(compiled.positiontup or ())
            binds: Binds = [(name, compiled.binds[name].type._cached_bind_processor(dialect),
                             compiled.binds[name].value) for name in names]
            results: list[Processor] = [col[3]._cached_result_processor(dialect, None)
                                        for col in compiled._result_columns]
            plan = (compiled.string, binds, results)
            # The fast way to build a row's values when every parameter is given: one C call, then the
            # few columns that need converting (money to exact text, JSON to text).
            self._getters[_key(dialect)] = (itemgetter(*names) if len(names) > 1 else (lambda d, n=names[0]: (d[n],)),
                                          [(i, p) for i, (_, p, _) in enumerate(binds) if p is not None]) \
                if names else None
            self._compiled[_key(dialect)] = plan
        self._last = (dialect, plan, self._getters[_key(dialect)])  # one assignment: threads see all or none
        return plan

    @staticmethod
    def _values(binds: Binds, params: dict[str, Any]) -> tuple[Any, ...]:
        get = params.get
        return tuple([get(n, v) if p is None else p(get(n, v)) for n, p, v in binds])

    def _many(self, conn: Connection, binds: Binds, params: list[dict[str, Any]]) -> list[Any]:
        last = self._last
        fast = last[2] if conn.dialect is last[0] else self._getters.get(_key(conn.dialect))
        if fast is None:
            return [self._values(binds, p) for p in params]
        get, convert = fast
        out = []
        try:
            for p in params:
                values = list(get(p))
                for i, proc in convert:
                    values[i] = proc(values[i])
                out.append(values)
        except KeyError:  # a parameter left out: its default, as SQLAlchemy would
            return [self._values(binds, p) for p in params]
        return out

    def execute(self, conn: Connection, params: dict[str, Any] | list[dict[str, Any]]) -> int:
        """Run with one set of parameters or many (executemany); returns the rows changed."""
        if conn.dialect.name != "sqlite":
            return int(conn.execute(self.statement, params).rowcount)
        sql, binds, _ = self._plan(conn)
        try:
            if isinstance(params, list):
                cursor = _driver(conn).executemany(sql, self._many(conn, binds, params))
            else:
                cursor = _driver(conn).execute(sql, self._values(binds, params))
        except conn.dialect.loaded_dbapi.Error as exc:
            _raise(conn, sql, params, exc)
        return int(cursor.rowcount)

    def rows(self, conn: Connection, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        """The result rows as tuples, each value converted by its column's type."""
        if conn.dialect.name != "sqlite":
            return [tuple(r) for r in conn.execute(self.statement, params or {})]
        sql, binds, results = self._plan(conn)
        try:
            raw: list[tuple[Any, ...]] = _driver(conn).execute(sql, self._values(binds, params or {})).fetchall()
        except conn.dialect.loaded_dbapi.Error as exc:
            _raise(conn, sql, params, exc)
        convert = [(i, p) for i, p in enumerate(results) if p is not None]
        if not convert or not raw:
            return raw
        out = []
        for r in raw:
            values = list(r)
            for i, proc in convert:
                values[i] = proc(values[i])
            out.append(tuple(values))
        return out


class Inserts:
    """``INSERT`` into one table, compiled once per set of columns given."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self._by_columns: dict[tuple[str, ...], Prepared] = {}

    def execute(self, conn: Connection, rows: list[dict[str, Any]]) -> None:
        keys = tuple(rows[0])
        prepared = self._by_columns.get(keys)
        if prepared is None:
            prepared = self._by_columns[keys] = Prepared(self.table.insert(), keys)
        if conn.dialect.name != "sqlite":
            conn.execute(self.table.insert(), rows)
            return
        prepared.execute(conn, rows if len(rows) > 1 else rows[0])


class StoredRows:
    """``INSERT`` of one organization's rows already in their stored form: tuples in a fixed column order,
    each amount its exact text and each JSON column its text, exactly as SQLite keeps them.

    A writer that needs the stored form anyway (the hash chain hashes it) hands it over as it is,
    without a mapping per row or a conversion per value. The organization is part of the statement,
    not of each row (see ``OrgStore.insert_stored``). Other databases take native values, so there the
    text is turned back into them and the rows go through SQLAlchemy.
    """

    def __init__(self, table: Table, columns: Sequence[str]) -> None:
        self.table = table
        self.columns = tuple(columns)
        self._sql: dict[str, str] = {}
        self._native: list[tuple[int, Callable[[Any], Any]]] = []
        for i, name in enumerate(self.columns):
            kind = table.c[name].type  # a column the table does not have fails here, when the writer is defined
            if isinstance(kind, ExactDecimal):
                self._native.append((i, Decimal))
            elif isinstance(kind, JSON):
                self._native.append((i, json.loads))

    def execute(self, conn: Connection, organization_id: str, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        if conn.dialect.name == "sqlite":
            sql = self._sql.get(organization_id)
            if sql is None:
                if not is_uuid(organization_id):  # it is written into the statement
                    raise ValueError(f"not an organization id: {organization_id[:40]!r}")
                sql = self._sql[organization_id] = (
                    f"INSERT INTO {self.table.name} (organization_id, {', '.join(self.columns)}) "
                    f"VALUES ('{organization_id}', {', '.join('?' * len(self.columns))})")
            executemany(conn, sql, rows)
            return
        native = []
        for row in rows:
            values = list(row)
            for i, to_native in self._native:
                if values[i] is not None:
                    values[i] = to_native(values[i])
            native.append({"organization_id": organization_id, **dict(zip(self.columns, values))})
        conn.execute(self.table.insert(), native)


class InList:
    """A query with one ``IN (...)`` list, compiled once per list length.

    ``build(items)`` makes the statement from a list of bind parameters (or, past
    ``MAX`` items, of the values themselves, run through SQLAlchemy as usual).
    """

    MAX = 32

    def __init__(self, build: Callable[[list[Any]], Statement]) -> None:
        self.build = build
        self._by_length: dict[int, Prepared] = {}

    def rows(self, conn: Connection, items: Sequence[Any], params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        n = len(items)
        if n == 0:
            return []
        if n > self.MAX:
            return [tuple(r) for r in conn.execute(self.build(list(items)), params or {})]
        prepared = self._by_length.get(n)
        if prepared is None:
            prepared = self._by_length[n] = Prepared(self.build([bindparam(f"in_{i}") for i in range(n)]))
        values = dict(params or {})
        values.update({f"in_{i}": item for i, item in enumerate(items)})
        return prepared.rows(conn, values)
