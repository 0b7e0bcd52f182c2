"""The HERA server's bearer tokens as stored: only their SHA-256, looked up before an organization is known.

A request brings a token and nothing else; the token says which organization it acts in. So these
statements, unlike every other in ``storage/``, find a row by its hash across organizations. Nothing
here ever holds a token itself.
"""
from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy import Connection, select, update

from .schema import hera_api_tokens as T


class StoredToken(NamedTuple):
    """A token as kept and listed: never the token itself."""
    id: str
    organization_id: str
    user_id: str
    name: str
    role: str
    created_at: str
    revoked_at: str | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


_COLUMNS = (T.c.id, T.c.organization_id, T.c.user_id, T.c.name, T.c.role, T.c.created_at, T.c.revoked_at)


def add(conn: Connection, row: dict[str, Any]) -> None:
    conn.execute(T.insert().values(**row))


def by_hash(conn: Connection, token_sha256: str) -> StoredToken | None:
    found = conn.execute(select(*_COLUMNS).where(T.c.token_sha256 == token_sha256)).first()
    return StoredToken(*found) if found is not None else None


def by_id(conn: Connection, token_id: str) -> StoredToken | None:
    found = conn.execute(select(*_COLUMNS).where(T.c.id == token_id)).first()
    return StoredToken(*found) if found is not None else None


def of_organization(conn: Connection, organization_id: str | None) -> list[StoredToken]:
    stmt = select(*_COLUMNS).order_by(T.c.organization_id, T.c.created_at, T.c.id)
    if organization_id is not None:
        stmt = stmt.where(T.c.organization_id == organization_id)
    return [StoredToken(*row) for row in conn.execute(stmt)]


def revoke(conn: Connection, token_id: str, when: str) -> bool:
    """Stamp the token revoked (once); whether it was live until now."""
    done = conn.execute(update(T).where(T.c.id == token_id, T.c.revoked_at.is_(None)).values(revoked_at=when))
    return bool(done.rowcount)
