"""Entities: HERA V2's records of things (a customer, a product, a GL account), and their one writer.

Entities are never removed: deleting one marks it ``deleted`` with the reason,
so every transaction that referenced it still reads back whole. Every new entity,
one or thousands, is stored by ``write_entities``: its row, its search entry and
its event in the change feed.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, or_

from ..domain import contracts as c
from ..domain.errors import DuplicateError, OrganizationMismatchError, PermissionDeniedError, ValidationError
from ..domain.ids import new_ids, now_text
from ..storage import search as search_index
from ..storage.jsoncodec import normalize
from ..storage.schema import core_dynamic_data, core_entities
from ..storage.scoped import OrgStore, Record
from . import cursor as cursors
from .entity_codes import first_taken, new_codes
from .feed import record_change, record_changes

SEARCHABLE = {"customer", "product", "menu_item", "gl_account", "location", "user"}
SEARCH_FIELDS = ("email", "phone")


def refuse_user_records(entity_type: str, users_records: bool) -> None:
    """A user's role, PIN, lockout and status decide what they may do: only s.users changes them."""
    if entity_type == "user" and not users_records:
        raise PermissionDeniedError("A user's role, PIN and status change only through s.users",
                                    permission="users.manage")


def check_organization(store: OrgStore, organization_id: str | None) -> None:
    """A payload that names its organization names the one being worked in."""
    if organization_id is not None and organization_id != store.organization_id:
        raise OrganizationMismatchError("organization_id of the payload is not the organization you are working in")


def write_entities(store: OrgStore, payloads: Sequence[c.EntityCreate], bodies: Sequence[str] | None = None,
                   ids: Sequence[str | None] | None = None, users_records: bool = False) -> list[c.Entity]:
    """Store new entities (checked payloads), one or thousands, in a few statements: their rows, search
    entries and change-feed events, inside the caller's unit of work.

    A payload without an ``entity_code`` gets the type's next free code; a code given twice or already
    used is a DuplicateError. ``bodies`` are the words each is found by (its name and code if not given);
    ``ids`` the natural ids of those known by a natural key (None: the payload's own ``id``, checked
    unused, or a new one).
    """
    codes = _codes(store, payloads, users_records)
    chosen = [d.id for d in payloads if d.id is not None]
    if chosen:
        store.refuse_used_ids(core_entities, chosen)
    now = now_text()
    fresh = new_ids(len(payloads))
    actor = store.actor_id
    rows = [{"id": (ids[i] if ids is not None else None) or d.id or fresh[i], "entity_type": d.entity_type,
             "entity_name": d.entity_name, "entity_code": codes[i], "smart_code": d.smart_code,
             "classification": d.classification, "status": d.status or "active",
             "metadata": normalize(d.metadata or {}), "created_at": now, "updated_at": now,
             "created_by": actor, "updated_by": actor, "version": 1}
            for i, d in enumerate(payloads)]
    store.insert(core_entities, rows)
    search_index.index_many(store, [
        (row["id"], row["entity_type"], bodies[i] if bodies is not None else f"{row['entity_name']} {row['entity_code']}")
        for i, row in enumerate(rows) if row["entity_type"] in SEARCHABLE])
    record_changes(store, [("entity.created", row) for row in rows])
    return [c.Entity.model_validate(row) for row in rows]


def _codes(store: OrgStore, payloads: Sequence[c.EntityCreate], users_records: bool) -> list[str]:
    """Each payload's code: its own (checked unused, and not given twice) or the next free one of its type."""
    given: dict[tuple[str, str], int] = {}
    missing: dict[str, list[int]] = {}
    for i, data in enumerate(payloads):
        refuse_user_records(data.entity_type, users_records)
        if data.entity_code is None:
            missing.setdefault(data.entity_type, []).append(i)
            continue
        key = (data.entity_type, data.entity_code)
        if key in given:
            raise DuplicateError(f"entity_code: a {data.entity_type} with code {data.entity_code!r} is given twice",
                                 field="entity_code")
        given[key] = i
    by_type: dict[str, list[str]] = {}
    for kind, code in given:
        by_type.setdefault(kind, []).append(code)
    for kind, wanted in by_type.items():
        taken = first_taken(store, kind, wanted)
        if taken is not None:
            raise DuplicateError(f"entity_code: a {kind} with code {taken!r} already exists", field="entity_code")
    codes = [data.entity_code or "" for data in payloads]
    for kind, positions in missing.items():
        for i, code in zip(positions, new_codes(store, kind, len(positions), by_type.get(kind, ()))):
            codes[i] = code
    return codes


def reindex(store: OrgStore, entity: c.Entity) -> None:
    """Make an entity findable by its name, code, email and phone as they are now."""
    t = core_dynamic_data
    extra = store.rows(store.select(t, t.c.entity_id == entity.id, t.c.field_name.in_(SEARCH_FIELDS),
                                    columns=[t.c.field_value_text]))
    body = " ".join([entity.entity_name, entity.entity_code, *(r[0] or "" for r in extra)])
    search_index.index_entity(store, entity.id, entity.entity_type, body)


def entity_of(row: Any) -> c.Entity:
    return c.Entity.model_validate(row._mapping)


def _entity_name(row: Record) -> str:
    return str(row.entity_name)


class Entities:
    """The entities of one organization: create, read, change, delete, query and search."""

    def __init__(self, store: OrgStore, users_records: bool = False) -> None:
        self.store = store
        self.users_records = users_records

    def create(self, data: c.EntityCreate) -> c.Entity:
        check_organization(self.store, data.organization_id)
        with self.store.db.write():
            return write_entities(self.store, [data], users_records=self.users_records)[0]

    def insert(self, payloads: list[c.EntityCreate], bodies: list[str] | None = None) -> list[c.Entity]:
        with self.store.db.write():
            return write_entities(self.store, payloads, bodies, users_records=self.users_records)

    def get(self, entity_id: str) -> c.Entity:
        with self.store.db.read():
            return entity_of(self.store.get(core_entities, entity_id, "entity"))

    def update(self, entity_id: str, data: c.EntityUpdate) -> c.Entity:
        check_organization(self.store, data.organization_id)
        if data.id is not None and data.id != entity_id:
            raise ValidationError("id", "does not match the entity being updated")
        changes = data.model_dump(exclude_unset=True, exclude={"organization_id", "id", "version"})
        changes = {k: v for k, v in changes.items() if v is not None}
        with self.store.db.write():
            st = self.store
            current = st.get(core_entities, entity_id, "entity")
            refuse_user_records(current.entity_type, self.users_records)
            if current.status == "deleted":
                raise ValidationError("entity_id", f"{current.entity_name} has been deleted and cannot be changed")
            if "entity_code" in changes and changes["entity_code"] != current.entity_code:
                if first_taken(st, current.entity_type, [changes["entity_code"]]) is not None:
                    raise DuplicateError(f"entity_code: {changes['entity_code']!r} is already used", field="entity_code")
            if "metadata" in changes:
                changes["metadata"] = normalize({**(current.metadata or {}), **changes["metadata"]})
            st.update(core_entities, entity_id, {**changes, "updated_at": now_text(), "updated_by": st.actor_id},
                      expected_version=data.version)
            stored = st.get(core_entities, entity_id, "entity")
            updated = entity_of(stored)
            if updated.entity_type in SEARCHABLE:
                reindex(st, updated)
            record_change(st, "entity.updated", stored._mapping)
            return updated

    def delete(self, entity_id: str, reason: str) -> c.Entity:
        if not isinstance(reason, str) or not reason.strip():
            raise ValidationError("reason", "a reason is required to delete a record")
        with self.store.db.write():
            st = self.store
            current = st.get(core_entities, entity_id, "entity")
            refuse_user_records(current.entity_type, self.users_records)
            if current.status == "deleted":
                raise ValidationError("entity_id", f"{current.entity_name} is already deleted")
            meta = {**(current.metadata or {}), "deleted_reason": reason.strip()[:500], "deleted_at": now_text()}
            st.update(core_entities, entity_id, {"status": "deleted", "metadata": meta,
                                                 "updated_at": now_text(), "updated_by": st.actor_id})
            search_index.remove(st, entity_id)
            stored = st.get(core_entities, entity_id, "entity")
            record_change(st, "entity.deleted", stored._mapping)
            return entity_of(stored)

    def query(self, entity_type: str | None = None, entity_name: str | None = None,
              entity_code: str | None = None, status: str | None = None,
              classification: str | None = None, search_text: str | None = None,
              include_deleted: bool = False, limit: int | None = None,
              cursor: str | None = None, organization_id: str | None = None) -> c.EntityPage:
        if organization_id is not None and organization_id != self.store.organization_id:
            raise OrganizationMismatchError("organization_id is not the organization you are working in")
        n = cursors.page_limit(limit)
        t = core_entities
        where: list[Any] = []
        equal: dict[str, str] = {}
        for col, value in (("entity_type", entity_type), ("entity_name", entity_name),
                           ("entity_code", entity_code), ("status", status), ("classification", classification)):
            if value is not None:
                if not isinstance(value, str):
                    raise ValidationError(col, "must be text")
                where.append(t.c[col] == value)
                equal[col] = value
        hide_deleted = status is None and not include_deleted
        if hide_deleted:
            where.append(t.c.status != "deleted")
        if search_text is not None and not isinstance(search_text, str):
            raise ValidationError("search_text", "must be text")
        with self.store.db.read():
            st = self.store
            if search_text:
                if not entity_type:
                    raise ValidationError("entity_type", "is required to search")
                ids = search_index.find(st, entity_type, search_text, limit=n)
                # Fetched by id, filtered and sorted here: asked to, SQLite would walk every name of the type.
                found = sorted((r for r in st.by_ids(t, ids)
                                if all(getattr(r, col) == value for col, value in equal.items())
                                and not (hide_deleted and r.status == "deleted")), key=_entity_name)
                return c.EntityPage(entities=[entity_of(r) for r in found])
            if cursor:
                after_at, after_id = cursors.decode(cursor)
                where.append(or_(t.c.created_at > after_at, and_(t.c.created_at == after_at, t.c.id > after_id)))
            rows = st.rows(st.select(t, *where).order_by(t.c.created_at, t.c.id).limit(n + 1))
        more = len(rows) > n
        rows = rows[:n]
        nxt = cursors.encode(rows[-1].created_at, rows[-1].id) if more else None
        return c.EntityPage(entities=[entity_of(r) for r in rows], next_cursor=nxt)
