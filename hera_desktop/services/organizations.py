"""Organizations: the rows of ``core_organizations``, the one table above every organization's records.

The facade (``hera_desktop.Hera``) checks what callers give and decides what happens;
the statements that read and write an organization's own row are here. Each runs on
the connection of the unit of work the facade has opened.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from ..domain import contracts as c
from ..domain import text
from ..domain.errors import ValidationError
from ..domain.ids import new_id, now_text
from ..storage.jsoncodec import normalize
from ..storage.schema import core_organizations as O
from ..storage.schema import universal_transactions as T
from ..storage.scoped import OrgStore


def checked_name(name: Any) -> str:
    """An organization's name as stored (trimmed), or a ValidationError."""
    if not isinstance(name, str) or not name.strip() or len(name) > 255:
        raise ValidationError("name", "an organization needs a name of 1 to 255 characters")
    return text.plain("name", name).strip()


def checked_currency(currency: Any) -> str:
    """A currency code as stored (upper case), or a ValidationError."""
    if not isinstance(currency, str) or len(currency) != 3 or not (currency.isascii() and currency.isalpha()):
        raise ValidationError("currency", "must be a three-letter currency code like USD")
    return currency.upper()


def add(conn: Connection, name: str, currency: str, code: str | None, settings: dict[str, Any]) -> str:
    """Store a new active organization with these (already checked) details; its id."""
    now = now_text()
    org_id = new_id()
    conn.execute(O.insert(), {"id": org_id, "organization_name": name, "currency": currency,
                              "organization_code": code or f"ORG-{org_id[-8:].upper()}", "status": "active",
                              "settings": normalize(settings), "metadata": {},
                              "created_at": now, "updated_at": now, "version": 1})
    return org_id


def set_settings(conn: Connection, organization_id: str, settings: dict[str, Any],
                 updated_at: str | None = None) -> None:
    """Replace an organization's settings (already checked) with these; ``updated_at`` when given."""
    values: dict[str, Any] = {"settings": normalize(settings)}
    if updated_at is not None:
        values["updated_at"] = updated_at
    conn.execute(O.update().where(O.c.id == organization_id).values(**values))


def set_identity(conn: Connection, organization_id: str, name: str, currency: str) -> None:
    """Rename an organization and set its currency (both already checked)."""
    conn.execute(O.update().where(O.c.id == organization_id).values(organization_name=name, currency=currency))


def transactions(store: OrgStore) -> int:
    """How many transactions the store's organization has recorded."""
    return store.count(T)


def find(conn: Connection, organization_id: str) -> c.Organization | None:
    """The organization with this id, or None."""
    row = conn.execute(O.select().where(O.c.id == organization_id)).first()
    return None if row is None else c.Organization.model_validate(row._mapping)


def every(conn: Connection) -> list[c.Organization]:
    """Every organization in these books, by name."""
    return [c.Organization.model_validate(r._mapping) for r in conn.execute(O.select().order_by(O.c.organization_name))]


def ids(conn: Connection) -> list[str]:
    """The id of every organization in these books, in the order of the ids."""
    return list(conn.execute(O.select().with_only_columns(O.c.id).order_by(O.c.id)).scalars())
