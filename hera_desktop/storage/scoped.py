"""The only door to an organization's records.

Every read through an :class:`OrgStore` is filtered by its organization, every
insert is stamped with it, and every reference to another record is checked to
belong to it. Code above ``storage/`` never writes ``organization_id = ...``
itself, so isolation is applied in exactly one place.
"""
from __future__ import annotations

from collections import namedtuple
from typing import Any, Callable, Iterable, Iterator, Mapping, Protocol, Sequence, Unpack

from sqlalchemy import (Alias, BindParameter, ColumnElement, Connection, Delete, FromClause, Join, Row, Select, Table,
                        Update, bindparam, func, select, update)

from ..domain.errors import (ConcurrencyError, DuplicateError, HeraError, NotFoundError, OrganizationMismatchError,
                             ValidationError)
from ..domain.ids import checked_id
from .database import Database
from .prepared import InList, Inserts, Prepared, Statement, StoredRows
from .schema import core_entities

# A query and a row of any number of columns of any type.
AnySelect = Select[Unpack[tuple[Any, ...]]]
AnyRow = Row[Unpack[tuple[Any, ...]]]
_ORG = "org"  # the parameter that carries the organization in every statement of this module


def _organization_column(source: FromClause, statement: Any) -> ColumnElement[Any]:
    if "organization_id" not in source.c:
        raise TypeError(f"{getattr(source, 'name', source)} holds no organization's records: "
                        f"it cannot be read through an organization's store ({statement})")
    return source.c.organization_id


def _sources(source: FromClause, statement: Any) -> Iterator[FromClause]:
    """The tables (or aliases of tables) a FROM item reads; a join reads both of its sides."""
    if isinstance(source, Join):
        yield from _sources(source.left, statement)
        yield from _sources(source.right, statement)
    elif isinstance(source, (Table, Alias)):
        yield source
    else:  # a subquery or a function would need its own condition: refuse it when the statement is declared
        raise TypeError(f"only tables, aliases and joins can be kept to one organization, not {source!r} "
                        f"({statement})")


def within_organization(statement: Statement) -> Statement:
    """The statement kept to one organization: ``organization_id = :org`` for every table it reads or
    changes (each side of a join too), so a statement above ``storage/`` never names the organization."""
    org: BindParameter[str] = bindparam(_ORG)
    if isinstance(statement, Select):
        tables = [t for source in statement.get_final_froms() for t in _sources(source, statement)]
        if not tables:
            raise TypeError(f"a statement that reads no table has no organization to keep to ({statement})")
        return statement.where(*(_organization_column(t, statement) == org for t in tables))
    if isinstance(statement, (Update, Delete)):
        return statement.where(_organization_column(statement.table, statement) == org)
    raise TypeError(f"only SELECT, UPDATE and DELETE statements are kept to one organization ({statement})")


class OrgPrepared:
    """A prepared statement of one organization's records, declared without naming the organization:
    ``store.run(statement, params)`` (or ``store.change``) binds this store's organization."""

    __slots__ = ("prepared",)

    def __init__(self, statement: Statement, column_keys: Sequence[str] | None = None) -> None:
        self.prepared = Prepared(within_organization(statement), column_keys)


class OrgInList:
    """Like :class:`~hera_desktop.storage.prepared.InList` (a query with one ``IN (...)`` list), kept to one
    organization: ``store.run_in(statement, items, params)`` binds this store's organization."""

    __slots__ = ("in_list",)

    def __init__(self, build: Callable[[list[Any]], Statement]) -> None:
        self.in_list = InList(lambda items: within_organization(build(items)))

class Record(Protocol):
    """One stored record read by id: its columns as attributes, in order, and as ``_mapping`` (as a Row offers)."""

    @property
    def _mapping(self) -> Mapping[str, Any]: ...

    def __getattr__(self, column: str) -> Any: ...

    def __getitem__(self, index: int) -> Any: ...

    def __iter__(self) -> Iterator[Any]: ...

    def __len__(self) -> int: ...


class _ById:
    """One record of a table by id, as a named tuple that also offers ``_mapping`` like a Row."""

    def __init__(self, table: Table) -> None:
        self.query = OrgPrepared(select(table).where(table.c.id == bindparam("id")))
        self.many = InList(lambda ids: select(table).where(table.c.id.in_(ids)))
        fields = namedtuple(f"{table.name}_row", [c.key for c in table.c], rename=True)  # type: ignore[misc]  # columns known at run time
        self.record = type(f"{table.name}_record", (fields,), {
            "__slots__": (), "_mapping": property(lambda r: r._asdict())})

    def first(self, store: OrgStore, record_id: str) -> Record | None:
        rows = store.run(self.query, {"id": record_id})
        return self.record(*rows[0]) if rows else None


_BY_ID: dict[Table, _ById] = {}


def _record_by_id(table: Table) -> _ById:
    found = _BY_ID.get(table)
    if found is None:
        found = _BY_ID[table] = _ById(table)
    return found


_ID_USED: dict[Table, InList] = {}


def _id_used(table: Table) -> InList:
    """Which of some ids a record of ``table`` has, in any organization."""
    found = _ID_USED.get(table)
    if found is None:
        found = _ID_USED[table] = InList(lambda ids: select(table.c.id).where(table.c.id.in_(ids)))
    return found


_INSERTS: dict[Table, Inserts] = {}
_ENTITY_FACTS = "entity facts"
_ENTITY_FACTS_BY_ID = InList(lambda ids: select(core_entities.c.id, core_entities.c.organization_id,
                                                core_entities.c.entity_type, core_entities.c.status)
                             .where(core_entities.c.id.in_(ids)))


class OrgStore:
    def __init__(self, db: Database, organization_id: str, actor_id: str | None = None) -> None:
        self.db = db
        self.organization_id = organization_id
        self.actor_id = actor_id

    # -------------------------------------------------------------- plumbing

    @property
    def conn(self) -> Connection:
        conn = self.db.current
        if conn is None:
            raise HeraError("internal: organization data was touched outside a unit of work")
        return conn

    def mine(self, table: Table) -> ColumnElement[bool]:
        """The condition that keeps a query inside this organization."""
        return table.c.organization_id == self.organization_id

    def select(self, table: Table, *where: Any, columns: Sequence[Any] | None = None) -> AnySelect:
        stmt = select(*(columns or [table])).where(self.mine(table), *where)
        return stmt

    def run(self, statement: OrgPrepared, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        """The rows of a statement declared without the organization, run for this organization."""
        # The organization last, so no parameter given can stand in for it.
        values = {**params, _ORG: self.organization_id} if params else {_ORG: self.organization_id}
        return statement.prepared.rows(self.conn, values)

    def run_in(self, statement: OrgInList, items: Sequence[Any],
               params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        """The rows of an ``IN (...)`` query over these items, for this organization."""
        # The organization last, so no parameter given can stand in for it.
        values = {**params, _ORG: self.organization_id} if params else {_ORG: self.organization_id}
        return statement.in_list.rows(self.conn, items, values)

    def change(self, statement: OrgPrepared, params: dict[str, Any] | list[dict[str, Any]]) -> int:
        """Run an UPDATE or DELETE declared without the organization (once, or once per set of
        parameters), for this organization only; returns the rows changed."""
        org = self.organization_id
        if isinstance(params, list):
            return statement.prepared.execute(self.conn, [{**p, _ORG: org} for p in params])
        return statement.prepared.execute(self.conn, {**params, _ORG: org})

    def query(self, statement: Select[Unpack[tuple[Any, ...]]]) -> list[Row[Unpack[tuple[Any, ...]]]]:
        """The rows of a query built once for this call (joins too), kept to this organization in every
        table it reads."""
        return list(self.conn.execute(within_organization(statement), {_ORG: self.organization_id}))

    def rows(self, stmt: AnySelect) -> list[AnyRow]:
        return list(self.conn.execute(stmt))

    def first(self, stmt: AnySelect) -> AnyRow | None:
        return self.conn.execute(stmt.limit(1)).first()

    def scalar(self, stmt: AnySelect) -> Any:
        return self.conn.execute(stmt).scalar()

    def insert(self, table: Table, rows: dict[str, Any] | list[dict[str, Any]]) -> None:
        batch = [rows] if isinstance(rows, dict) else rows
        if not batch:
            return
        for row in batch:
            row["organization_id"] = self.organization_id
        inserts = _INSERTS.get(table)
        if inserts is None:
            inserts = _INSERTS[table] = Inserts(table)
        inserts.execute(self.conn, batch)

    def insert_stored(self, rows: StoredRows, values: list[tuple[Any, ...]]) -> None:
        """Insert rows already in their stored form (see ``StoredRows``) into this organization."""
        rows.execute(self.conn, self.organization_id, values)

    def update(self, table: Table, record_id: str, values: dict[str, Any], expected_version: int | None = None) -> None:
        stmt = update(table).where(self.mine(table), table.c.id == record_id)
        if expected_version is not None:
            stmt = stmt.where(table.c.version == expected_version)
        if "version" in table.c:
            stmt = stmt.values(version=table.c.version + 1)
        if table is core_entities:
            self.forget_entity(record_id)
        result = self.conn.execute(stmt.values(**values))
        if result.rowcount == 0:
            if expected_version is not None and self.get(table, record_id, "record") is not None:
                raise ConcurrencyError(
                    "This record was changed by someone else since you opened it; reload it and try again",
                    record_id=record_id, expected_version=expected_version)
            raise NotFoundError(f"No record {record_id}")

    # -------------------------------------------------------------- records

    def get(self, table: Table, record_id: Any, what: str = "record") -> Record:
        """The record with this id in this organization, or NotFoundError."""
        checked_id(f"{what}_id", record_id)
        row = _record_by_id(table).first(self, record_id)
        if row is None:
            raise NotFoundError(f"No {what.replace('_', ' ')} with id {record_id} in this organization",
                                record_id=record_id)
        return row

    def by_ids(self, table: Table, ids: Sequence[str]) -> list[Record]:
        """The records of this organization among these ids, in no particular order.

        Looked up by primary key and then kept to this organization: SQLite would
        otherwise prefer an index that starts with the organization and walk it all.
        """
        lookup = _record_by_id(table)
        out = []
        for start in range(0, len(ids), 500):
            for row in lookup.many.rows(self.conn, list(ids[start:start + 500])):
                record = lookup.record(*row)
                if record.organization_id == self.organization_id:
                    out.append(record)
        return out

    def refuse_used_ids(self, table: Table, ids: Sequence[str], field: str = "id") -> None:
        """A DuplicateError naming ``field`` if a record of ``table`` has one of these ids already, or one is
        given twice. Ids are primary keys of the whole database, so this looks at every organization's
        records, and says the same whoever holds the id: it tells a caller nothing of other organizations."""
        seen: set[str] = set()
        for record_id in ids:
            if record_id in seen:
                raise DuplicateError(f"{field}: {record_id} is given to two new records", field=field,
                                     record_id=record_id)
            seen.add(record_id)
        lookup = _id_used(table)
        wanted = list(seen)
        for start in range(0, len(wanted), 500):
            used = lookup.rows(self.conn, wanted[start:start + 500])
            if used:
                raise DuplicateError(f"{field}: {used[0][0]} is already the id of another record; send a new id",
                                     field=field, record_id=used[0][0])

    def entity_types(self, ids: Iterable[str | None], field: str = "entity_id",
                     allow_deleted: bool = False) -> dict[str, str]:
        """Check that every referenced entity belongs here; return {id: entity_type}.

        A record of another organization raises OrganizationMismatchError, an
        unknown id NotFoundError; both name the field that referenced it. A
        deleted entity is refused unless ``allow_deleted`` (a reversal repeats
        what the original referenced, whatever has been deleted since).
        """
        wanted = {i if type(i) is str and len(i) == 36 else checked_id(field, i) for i in ids if i is not None}
        if not wanted:
            return {}
        # Who owns an entity, and its kind, never change; its status can, so the
        # cache is per unit of work and forgets an entity whenever it is updated.
        known: dict[str, tuple[str, str, str]] = self.db.unit_cache.setdefault(_ENTITY_FACTS, {})
        missing = [i for i in wanted if i not in known]
        for i in missing:
            checked_id(field, i)
        for start in range(0, len(missing), 500):
            for entity_id, org, kind, status in _ENTITY_FACTS_BY_ID.rows(self.conn, missing[start:start + 500]):
                known[entity_id] = (org, kind, status)
        found = known
        for i in wanted:
            if i not in found:
                raise NotFoundError(f"{field}: no entity with id {i}", field=field, record_id=i)
            org, _, status = found[i]
            if org != self.organization_id:
                raise OrganizationMismatchError(
                    f"{field}: entity {i} belongs to another organization", field=field, record_id=i)
            if status == "deleted" and not allow_deleted:
                raise ValidationError(field, f"entity {i} has been deleted")
        return {i: found[i][1] for i in wanted}

    def entity_status(self, entity_id: str) -> str | None:
        """The status of an entity ``entity_types`` has just checked in this unit of work (None if it has not)."""
        facts = self.db.unit_cache.get(_ENTITY_FACTS, {}).get(entity_id)
        return None if facts is None else facts[2]

    def forget_entity(self, entity_id: str) -> None:
        """Drop what this unit of work remembers about an entity (it is being changed)."""
        self.db.unit_cache.get(_ENTITY_FACTS, {}).pop(entity_id, None)

    def count(self, table: Table, *where: Any) -> int:
        return self.conn.execute(select(func.count()).select_from(table).where(self.mine(table), *where)).scalar_one()
