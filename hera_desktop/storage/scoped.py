"""The only door to an organization's records.

Every read through an :class:`OrgStore` is filtered by its organization, every
insert is stamped with it, and every reference to another record is checked to
belong to it. Code above ``storage/`` never writes ``organization_id = ...``
itself, so isolation is applied in exactly one place.
"""
from __future__ import annotations

from typing import Any, Iterable, Sequence

from sqlalchemy import ColumnElement, Connection, Row, Select, Table, func, select, update

from ..domain.errors import ConcurrencyError, HeraError, NotFoundError, OrganizationMismatchError, ValidationError
from ..domain.ids import is_uuid
from .database import Database
from .schema import core_entities


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

    def select(self, table: Table, *where: Any, columns: Sequence[Any] | None = None) -> Select[Any]:
        stmt = select(*(columns or [table])).where(self.mine(table), *where)
        return stmt

    def rows(self, stmt: Select[Any]) -> list[Row[Any]]:
        return list(self.conn.execute(stmt))

    def first(self, stmt: Select[Any]) -> Row[Any] | None:
        return self.conn.execute(stmt.limit(1)).first()

    def scalar(self, stmt: Select[Any]) -> Any:
        return self.conn.execute(stmt).scalar()

    def insert(self, table: Table, rows: dict[str, Any] | list[dict[str, Any]]) -> None:
        batch = [rows] if isinstance(rows, dict) else rows
        if not batch:
            return
        for row in batch:
            row["organization_id"] = self.organization_id
        self.conn.execute(table.insert(), batch)

    def update(self, table: Table, record_id: str, values: dict[str, Any], expected_version: int | None = None) -> None:
        stmt = update(table).where(self.mine(table), table.c.id == record_id)
        if expected_version is not None:
            stmt = stmt.where(table.c.version == expected_version)
        if "version" in table.c:
            stmt = stmt.values(version=table.c.version + 1)
        result = self.conn.execute(stmt.values(**values))
        if result.rowcount == 0:
            if expected_version is not None and self.get(table, record_id, "record") is not None:
                raise ConcurrencyError(
                    "This record was changed by someone else since you opened it; reload it and try again",
                    record_id=record_id, expected_version=expected_version)
            raise NotFoundError(f"No record {record_id}")

    # -------------------------------------------------------------- records

    def get(self, table: Table, record_id: Any, what: str = "record") -> Row[Any]:
        """The record with this id in this organization, or NotFoundError."""
        if not is_uuid(record_id):
            raise ValidationError(f"{what}_id", f"{str(record_id)[:40]!r} is not a valid id")
        row = self.conn.execute(select(table).where(self.mine(table), table.c.id == record_id)).first()
        if row is None:
            raise NotFoundError(f"No {what.replace('_', ' ')} with id {record_id} in this organization",
                                record_id=record_id)
        return row

    def entity_types(self, ids: Iterable[str | None], field: str = "entity_id") -> dict[str, str]:
        """Check that every referenced entity belongs here; return {id: entity_type}.

        A record of another organization raises OrganizationMismatchError, an
        unknown id NotFoundError; both name the field that referenced it.
        """
        wanted = {i for i in ids if i is not None}
        for i in wanted:
            if not is_uuid(i):
                raise ValidationError(field, f"{str(i)[:40]!r} is not a valid id")
        if not wanted:
            return {}
        found: dict[str, tuple[str, str, str]] = {}
        listed = list(wanted)
        for start in range(0, len(listed), 500):
            chunk = listed[start:start + 500]
            stmt = select(core_entities.c.id, core_entities.c.organization_id, core_entities.c.entity_type,
                          core_entities.c.status).where(core_entities.c.id.in_(chunk))
            for row in self.conn.execute(stmt):
                found[row.id] = (row.organization_id, row.entity_type, row.status)
        for i in wanted:
            if i not in found:
                raise NotFoundError(f"{field}: no entity with id {i}", field=field, record_id=i)
            org, _, status = found[i]
            if org != self.organization_id:
                raise OrganizationMismatchError(
                    f"{field}: entity {i} belongs to another organization", field=field, record_id=i)
            if status == "deleted":
                raise ValidationError(field, f"entity {i} has been deleted")
        return {i: found[i][1] for i in wanted}

    def count(self, table: Table, *where: Any) -> int:
        return int(self.conn.execute(select(func.count()).select_from(table).where(self.mine(table), *where)).scalar())
