"""Entities, their dynamic fields and the relationships between them (``s.universal``).

Entities are never removed: deleting one marks it ``deleted`` with the reason,
so every transaction that referenced it still reads back whole.
"""
from __future__ import annotations

import functools
import json
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Callable

from sqlalchemy import Text, and_, bindparam, func, or_, select, type_coerce, update

from ..domain import contracts as c
from ..domain.errors import DuplicateError, OrganizationMismatchError, PermissionDeniedError, ValidationError
from ..domain.arguments import listed, mapping, quoted, whole_number
from ..domain.ids import checked_ids, new_id, now_text
from ..domain.money import D
from ..domain.secrets import SECRET_FIELDS, is_secret
from ..domain.smart_codes import validate as validate_smart_code
from ..storage import search
from ..storage.jsoncodec import normalize
from ..storage.prepared import InList
from ..storage.schema import core_dynamic_data, core_entities, core_relationships
from ..storage.scoped import OrgInList, OrgPrepared, OrgStore
from . import cursor as cursors
from .feed import record_change, record_changes

SEARCHABLE = {"customer", "product", "menu_item", "gl_account", "location", "user"}
SEARCH_FIELDS = ("email", "phone")
_CODE_PREFIX = {"customer": "CUST", "product": "PROD", "menu_item": "MENU", "location": "LOC",
                "user": "USER", "gl_account": "GL", "workflow_status": "STATUS"}


def _entity_name(row: Any) -> str:
    return row.entity_name


def _entity(row: Any) -> c.Entity:
    return c.Entity.model_validate(row._mapping)


class UniversalAPI:
    """HERA V2's universal records of one organization. Who may call it is decided at the door
    (``public_calls``); what it refuses to everyone is here: users' records change only through the
    users service, which gets its own instance with ``users_records=True``."""

    def __init__(self, store: OrgStore, users_records: bool = False) -> None:
        self.store = store
        self.db = store.db
        self.users_records = users_records

    def _not_a_user(self, entity_type: str) -> None:
        """A user's role, PIN, lockout and status decide what they may do: only s.users changes them."""
        if entity_type == "user" and not self.users_records:
            raise PermissionDeniedError("A user's role, PIN and status change only through s.users",
                                        permission="users.manage")

    def _own(self, payload: Any) -> None:
        org = getattr(payload, "organization_id", None)
        if org is not None and org != self.store.organization_id:
            raise OrganizationMismatchError(
                "organization_id of the payload is not the organization you are working in")

    # ------------------------------------------------------------------ entities

    def create_entity(self, payload: Any = None, **kwargs: Any) -> c.Entity:
        data = c.parse(c.EntityCreate, payload, **kwargs)
        self._own(data)
        self._not_a_user(data.entity_type)
        with self.db.write():
            return self._insert_entity(data)

    def _insert_entity(self, data: c.EntityCreate) -> c.Entity:
        st = self.store
        code = data.entity_code or self._next_code(data.entity_type)
        if self._code_taken(data.entity_type, code):
            raise DuplicateError(f"entity_code: a {data.entity_type} with code {code!r} already exists",
                                 field="entity_code")
        now = now_text()
        row = {"id": new_id(), "entity_type": data.entity_type, "entity_name": data.entity_name,
               "entity_code": code, "smart_code": data.smart_code, "classification": data.classification,
               "status": data.status or "active", "metadata": normalize(data.metadata or {}),
               "created_at": now, "updated_at": now, "created_by": st.actor_id, "updated_by": st.actor_id,
               "version": 1}
        st.insert(core_entities, row)
        if data.entity_type in SEARCHABLE:
            search.index_entity(st, row["id"], data.entity_type, f"{data.entity_name} {code}")
        record_change(st, "entity.created", row)
        return c.Entity.model_validate(row)

    def insert_entities(self, payloads: list[c.EntityCreate], bodies: list[str] | None = None) -> list[c.Entity]:
        """_insert_entity for many checked payloads that all carry their entity_code (bulk onboarding):
        the same rows, search entries (``bodies``, or name and code) and events, in batched statements."""
        st = self.store
        t = core_entities
        wanted: dict[tuple[str, str], int] = {}
        for i, data in enumerate(payloads):
            self._not_a_user(data.entity_type)
            key = (data.entity_type, data.entity_code)
            if data.entity_code is None or key in wanted:
                raise DuplicateError(f"entity_code: a {data.entity_type} with code {data.entity_code!r} "
                                     f"is given twice", field="entity_code")
            wanted[key] = i
        for kind in {k for k, _ in wanted}:
            codes = [code for k, code in wanted if k == kind]
            for start in range(0, len(codes), 500):
                taken = st.scalar(st.select(t, t.c.entity_type == kind, t.c.entity_code.in_(codes[start:start + 500]),
                                            columns=[t.c.entity_code]).limit(1))
                if taken is not None:
                    raise DuplicateError(f"entity_code: a {kind} with code {taken!r} already exists",
                                         field="entity_code")
        now = now_text()
        rows = [{"id": new_id(), "entity_type": d.entity_type, "entity_name": d.entity_name,
                 "entity_code": d.entity_code, "smart_code": d.smart_code, "classification": d.classification,
                 "status": d.status or "active", "metadata": normalize(d.metadata or {}), "created_at": now,
                 "updated_at": now, "created_by": st.actor_id, "updated_by": st.actor_id, "version": 1}
                for d in payloads]
        st.insert(core_entities, rows)
        search.index_many(st, [
            (row["id"], row["entity_type"], bodies[i] if bodies else f"{row['entity_name']} {row['entity_code']}")
            for i, row in enumerate(rows) if row["entity_type"] in SEARCHABLE])
        record_changes(st, [("entity.created", row) for row in rows])
        return [c.Entity.model_validate(row) for row in rows]

    def _next_code(self, entity_type: str) -> str:
        """The next free PREFIX-000001 style code; codes people typed (CUST-VIP) are stepped over."""
        prefix = _CODE_PREFIX.get(entity_type) or re.sub(r"[^A-Z0-9]", "", entity_type.upper())[:6] or "ENT"
        number = self.next_number(entity_type, f"{prefix}-")
        while self._code_taken(entity_type, f"{prefix}-{number:06d}"):
            number += 1
        return f"{prefix}-{number:06d}"

    def next_number(self, entity_type: str, prefix: str, width: int = 6) -> int:
        """One more than the highest number of ``width`` or more digits after ``prefix`` among this type's
        codes (1 if none): the numbers this type's codes are made with (PREFIX-000042 for width 6).

        An index seek, however many codes there are: the highest code of one width is where a descending
        walk of the (organization, type, code) index starts. Numbers only grow a digit once every number
        of the width is used, so a wider one is looked for only then. Codes of other shapes people typed
        (CUST-42, CUST-VIP) are not numbers of this sequence; a clash with one is stepped over by the caller.
        """
        if not isinstance(entity_type, str) or not isinstance(prefix, str) or not prefix:
            raise ValidationError("prefix", "entity_type and prefix must be text, the prefix not empty")
        whole_number("width", width, 1, 18)
        st = self.store
        number = 0
        for digits in range(width, 19):
            found = st.run(_HIGHEST_CODE, {"type": entity_type, "low": prefix + "0" * digits,
                                           "high": prefix + "9" * digits, "length": len(prefix) + digits})
            tail = found[0][0][len(prefix):] if found else ""
            if not (tail.isascii() and tail.isdigit()):
                break
            number = int(tail)
            if tail != "9" * digits:
                break
        return number + 1

    def _code_taken(self, entity_type: str, code: str) -> bool:
        st = self.store
        t = core_entities
        return st.first(st.select(t, t.c.entity_type == entity_type, t.c.entity_code == code, columns=[t.c.id])) is not None

    def get_entity(self, entity_id: str, include_deleted: bool = True) -> c.Entity:
        with self.db.read():
            return _entity(self.store.get(core_entities, entity_id, "entity"))

    def update_entity(self, entity_id: str, payload: Any = None, **kwargs: Any) -> c.Entity:
        data = c.parse(c.EntityUpdate, payload, **kwargs)
        self._own(data)
        if data.id is not None and data.id != entity_id:
            raise ValidationError("id", "does not match the entity being updated")
        changes = data.model_dump(exclude_unset=True, exclude={"organization_id", "id", "version"})
        changes = {k: v for k, v in changes.items() if v is not None}
        with self.db.write():
            st = self.store
            current = st.get(core_entities, entity_id, "entity")
            self._not_a_user(current.entity_type)
            if current.status == "deleted":
                raise ValidationError("entity_id", f"{current.entity_name} has been deleted and cannot be changed")
            if "entity_code" in changes and changes["entity_code"] != current.entity_code:
                if self._code_taken(current.entity_type, changes["entity_code"]):
                    raise DuplicateError(f"entity_code: {changes['entity_code']!r} is already used", field="entity_code")
            if "metadata" in changes:
                changes["metadata"] = normalize({**(current.metadata or {}), **changes["metadata"]})
            st.update(core_entities, entity_id, {**changes, "updated_at": now_text(), "updated_by": st.actor_id},
                      expected_version=data.version)
            stored = st.get(core_entities, entity_id, "entity")
            updated = _entity(stored)
            if updated.entity_type in SEARCHABLE:
                self._reindex(updated)
            record_change(st, "entity.updated", stored._mapping)
            return updated

    def delete_entity(self, entity_id: str, reason: str) -> c.Entity:
        if not isinstance(reason, str) or not reason.strip():
            raise ValidationError("reason", "a reason is required to delete a record")
        with self.db.write():
            st = self.store
            current = st.get(core_entities, entity_id, "entity")
            self._not_a_user(current.entity_type)
            if current.status == "deleted":
                raise ValidationError("entity_id", f"{current.entity_name} is already deleted")
            meta = {**(current.metadata or {}), "deleted_reason": reason.strip()[:500], "deleted_at": now_text()}
            st.update(core_entities, entity_id, {"status": "deleted", "metadata": meta,
                                                 "updated_at": now_text(), "updated_by": st.actor_id})
            search.remove(st, entity_id)
            stored = st.get(core_entities, entity_id, "entity")
            record_change(st, "entity.deleted", stored._mapping)
            return _entity(stored)

    def query_entities(self, entity_type: str | None = None, entity_name: str | None = None,
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
        with self.db.read():
            st = self.store
            if search_text:
                if not entity_type:
                    raise ValidationError("entity_type", "is required to search")
                ids = search.find(st, entity_type, search_text, limit=n)
                # Fetched by id, filtered and sorted here: asked to, SQLite would walk every name of the type.
                rows = sorted((r for r in st.by_ids(t, ids)
                               if all(getattr(r, col) == value for col, value in equal.items())
                               and not (hide_deleted and r.status == "deleted")), key=_entity_name)
                return c.EntityPage(entities=[_entity(r) for r in rows])
            if cursor:
                after_at, after_id = cursors.decode(cursor)
                where.append(or_(t.c.created_at > after_at, and_(t.c.created_at == after_at, t.c.id > after_id)))
            rows = st.rows(st.select(t, *where).order_by(t.c.created_at, t.c.id).limit(n + 1))
        more = len(rows) > n
        rows = rows[:n]
        nxt = cursors.encode(rows[-1].created_at, rows[-1].id) if more else None
        return c.EntityPage(entities=[_entity(r) for r in rows], next_cursor=nxt)

    def search(self, entity_type: str, text: str, limit: int = 50) -> list[c.Entity]:
        """Entities of a type whose name, code, email or phone start with the words typed."""
        return self.query_entities(entity_type=entity_type, search_text=text, limit=limit).entities

    def _reindex(self, entity: c.Entity) -> None:
        st = self.store
        extra = st.rows(st.select(core_dynamic_data, core_dynamic_data.c.entity_id == entity.id,
                                  core_dynamic_data.c.field_name.in_(SEARCH_FIELDS),
                                  columns=[core_dynamic_data.c.field_value_text]))
        body = " ".join([entity.entity_name, entity.entity_code, *(r[0] or "" for r in extra)])
        search.index_entity(st, entity.id, entity.entity_type, body)

    # ------------------------------------------------------------------ dynamic fields

    def set_dynamic_field(self, entity_id: str, field_name: str, value: Any, smart_code: str) -> c.DynamicField:
        if not isinstance(field_name, str) or not re.fullmatch(r"[a-z][a-z0-9_]{0,99}", field_name or ""):
            raise ValidationError("field_name", "must be lower-case letters, digits and underscores, like credit_limit")
        _not_secret(field_name)
        validate_smart_code(smart_code)
        kind, values = typed_value(value)
        with self.db.write():
            st = self.store
            entity = st.get(core_entities, entity_id, "entity")
            self._not_a_user(entity.entity_type)
            now = now_text()
            existing = st.first(st.select(core_dynamic_data, core_dynamic_data.c.entity_id == entity_id,
                                          core_dynamic_data.c.field_name == field_name))
            if existing is None:
                row = {"id": new_id(), "entity_id": entity_id, "field_name": field_name, "field_type": kind,
                       **values, "smart_code": smart_code, "created_at": now, "updated_at": now,
                       "created_by": st.actor_id, "updated_by": st.actor_id, "version": 1}
                st.insert(core_dynamic_data, row)
            else:
                st.update(core_dynamic_data, existing.id, {"field_type": kind, **values, "smart_code": smart_code,
                                                           "updated_at": now, "updated_by": st.actor_id})
            if field_name in SEARCH_FIELDS and entity.entity_type in SEARCHABLE:
                self._reindex(_entity(entity))
            self._field_changed(entity_id, [field_name])
            return self._field(entity_id, field_name)  # type: ignore[return-value]

    def set_dynamic_fields(self, entity_id: str, fields: dict[str, tuple[Any, str]]) -> None:
        """Set several fields at once: {field_name: (value, smart_code)}; one check, one write per kind."""
        for name, pair in mapping("fields", fields, "field names to (value, smart code)").items():
            if not isinstance(pair, (tuple, list)) or len(pair) != 2:
                raise ValidationError(f"fields.{name[:40] if isinstance(name, str) else quoted(name)}",
                                      "must be a (value, smart code) pair")
            smart_code = pair[1]
            if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]{0,99}", name or ""):
                raise ValidationError("field_name", "must be lower-case letters, digits and underscores")
            _not_secret(name)
            validate_smart_code(smart_code)
        typed = {name: typed_value(value) for name, (value, _) in fields.items()}
        with self.db.write():
            st = self.store
            entity = st.get(core_entities, entity_id, "entity")
            self._not_a_user(entity.entity_type)
            existing = {r.field_name: r.id for r in st.rows(st.select(
                core_dynamic_data, core_dynamic_data.c.entity_id == entity_id,
                core_dynamic_data.c.field_name.in_(list(fields)),
                columns=[core_dynamic_data.c.field_name, core_dynamic_data.c.id]))}
            now = now_text()
            new_rows = []
            for name, (kind, values) in typed.items():
                smart_code = fields[name][1]
                if name in existing:
                    st.update(core_dynamic_data, existing[name], {"field_type": kind, **values, "smart_code": smart_code,
                                                                  "updated_at": now, "updated_by": st.actor_id})
                else:
                    new_rows.append({"id": new_id(), "entity_id": entity_id, "field_name": name, "field_type": kind,
                                     **values, "smart_code": smart_code, "created_at": now, "updated_at": now,
                                     "created_by": st.actor_id, "updated_by": st.actor_id, "version": 1})
            st.insert(core_dynamic_data, new_rows)
            if entity.entity_type in SEARCHABLE and set(fields) & set(SEARCH_FIELDS):
                self._reindex(_entity(entity))
            self._field_changed(entity_id, list(fields))

    def _field_changed(self, entity_id: str, field_names: list[str]) -> None:
        """The feed's events for fields just set: their rows as stored (the one event writer redacts secrets)."""
        st = self.store
        rows = st.rows(st.select(core_dynamic_data, core_dynamic_data.c.entity_id == entity_id,
                                 core_dynamic_data.c.field_name.in_(field_names)))
        order = {name: i for i, name in enumerate(field_names)}
        record_changes(st, [("dynamic_field.set", r._mapping)
                            for r in sorted(rows, key=lambda r: order[r.field_name])])

    def get_dynamic_field(self, entity_id: str, field_name: str) -> c.DynamicField | None:
        if not isinstance(field_name, str):
            raise ValidationError("field_name", "must be text")
        with self.db.read():
            self.store.get(core_entities, entity_id, "entity")
            return None if is_secret(field_name) else self._field(entity_id, field_name)

    def get_dynamic_fields(self, entity_id: str) -> dict[str, c.DynamicField]:
        with self.db.read():
            st = self.store
            st.get(core_entities, entity_id, "entity")
            rows = st.rows(st.select(core_dynamic_data, core_dynamic_data.c.entity_id == entity_id))
            return {r.field_name: c.DynamicField.model_validate(r._mapping) for r in rows if not is_secret(r.field_name)}

    def field_values(self, entity_ids: list[str], field_names: tuple[str, ...]) -> dict[str, dict[str, Any]]:
        """{entity_id: {field_name: value}} for many entities at once (lists and reports)."""
        entity_ids = checked_ids("entity_ids", entity_ids)
        names = listed("field_names", field_names, "field names")
        if not all(isinstance(n, str) for n in names):
            raise ValidationError("field_names", "must be a list of field names (text)")
        out: dict[str, dict[str, Any]] = {i: {} for i in entity_ids}
        field_names = tuple(n for n in names if not is_secret(n))
        if not entity_ids or not field_names:
            return out
        with self.db.read():
            st = self.store
            t = core_dynamic_data
            kinds = list(_VALUE_COLUMNS)
            for start in range(0, len(entity_ids), 500):
                chunk = entity_ids[start:start + 500]
                fast = len(chunk) <= InList.MAX
                if fast:  # a few entities (an order's items): a statement compiled once
                    rows = st.run_in(_fields_of(tuple(field_names)), chunk)
                else:
                    rows = st.rows(st.select(t, t.c.entity_id.in_(chunk), t.c.field_name.in_(field_names),
                                             columns=[t.c.entity_id, t.c.field_name, t.c.field_type,
                                                      *_VALUE_COLUMNS.values()]))
                for entity_id, name, kind, *values in rows:
                    value = values[kinds.index(kind)]
                    # JSON arrives as its text from SQLite's fast path (most fields are not JSON: no decoding)
                    text_json = fast and kind == "json" and value is not None and st.conn.dialect.name == "sqlite"
                    out[entity_id][name] = json.loads(value) if text_json else value
        return out

    def _put_fields(self, entity_id: str, fields: dict[str, tuple[Any, str]]) -> None:
        """Store derived values the services keep on an entity they have already checked
        ({field_name: (value, smart_code)}), in one statement per field: the same rows
        as set_dynamic_field, for the hot paths (stock on hand after every sale)."""
        st = self.store
        now = now_text()
        for field_name, (value, smart_code) in fields.items():
            if field_name in SEARCH_FIELDS:
                self.set_dynamic_field(entity_id, field_name, value, smart_code)
                continue
            kind, values = typed_value(value)
            changed = st.change(_UPDATE_FIELD, {
                "entity": entity_id, "name": field_name, "field_type": kind, **values,
                "smart_code": smart_code, "updated_at": now, "updated_by": st.actor_id})
            if not changed:
                st.insert(core_dynamic_data, {
                    "id": new_id(), "entity_id": entity_id, "field_name": field_name, "field_type": kind, **values,
                    "smart_code": smart_code, "created_at": now, "updated_at": now, "created_by": st.actor_id,
                    "updated_by": st.actor_id, "version": 1})

    def _field_value(self, entity_id: str, field_name: str) -> Any:
        """The typed value of one field, or None (a hot-path read: no result model)."""
        st = self.store
        rows = st.run(_FIELD_VALUE, {"entity": entity_id, "name": field_name})
        if not rows:
            return None
        kind, *values = rows[0]
        return values[list(_VALUE_COLUMNS).index(kind)]

    def _field(self, entity_id: str, field_name: str) -> c.DynamicField | None:
        st = self.store
        row = st.first(st.select(core_dynamic_data, core_dynamic_data.c.entity_id == entity_id,
                                 core_dynamic_data.c.field_name == field_name))
        return None if row is None else c.DynamicField.model_validate(row._mapping)

    # ------------------------------------------------------------------ relationships

    def create_relationship(self, payload: Any = None, **kwargs: Any) -> c.Relationship:
        data = c.parse(c.RelationshipCreate, payload, **kwargs)
        self._own(data)
        with self.db.write():
            st = self.store
            st.entity_types([data.from_entity_id], "from_entity_id")
            st.entity_types([data.to_entity_id], "to_entity_id")
            now = now_text()
            row = {"id": new_id(), "from_entity_id": data.from_entity_id, "to_entity_id": data.to_entity_id,
                   "relationship_type": data.relationship_type, "smart_code": data.smart_code, "is_active": True,
                   "metadata": normalize(data.metadata or {}), "created_at": now, "updated_at": now,
                   "created_by": st.actor_id, "updated_by": st.actor_id, "version": 1}
            st.insert(core_relationships, row)
            record_change(st, "relationship.created", row)
            return c.Relationship.model_validate(row)

    def query_relationships(self, from_entity_id: str | None = None, to_entity_id: str | None = None,
                            relationship_type: str | None = None, include_inactive: bool = False,
                            organization_id: str | None = None) -> c.RelationshipPage:
        if organization_id is not None and organization_id != self.store.organization_id:
            raise OrganizationMismatchError("organization_id is not the organization you are working in")
        t = core_relationships
        where: list[Any] = []
        for name, value in (("from_entity_id", from_entity_id), ("to_entity_id", to_entity_id),
                            ("relationship_type", relationship_type)):
            if value is not None:
                if not isinstance(value, str):
                    raise ValidationError(name, "must be text")
                where.append(t.c[name] == value)
        if not include_inactive:
            where.append(t.c.is_active.is_(True))
        with self.db.read():
            rows = self.store.rows(self.store.select(t, *where).order_by(t.c.created_at, t.c.id).limit(10000))
        return c.RelationshipPage(relationships=[c.Relationship.model_validate(r._mapping) for r in rows])

    def delete_relationship(self, relationship_id: str, reason: str) -> c.Relationship:
        if not isinstance(reason, str) or not reason.strip():
            raise ValidationError("reason", "a reason is required to end a relationship")
        with self.db.write():
            st = self.store
            current = st.get(core_relationships, relationship_id, "relationship")
            if not current.is_active:
                raise ValidationError("relationship_id", "this relationship has already ended")
            meta = {**(current.metadata or {}), "ended_reason": reason.strip()[:500], "ended_at": now_text()}
            st.update(core_relationships, relationship_id, {"is_active": False, "metadata": meta,
                                                            "updated_at": now_text(), "updated_by": st.actor_id})
            stored = st.get(core_relationships, relationship_id, "relationship")
            record_change(st, "relationship.ended", stored._mapping)
            return c.Relationship.model_validate(stored._mapping)


def _not_secret(field_name: str) -> None:
    if field_name in SECRET_FIELDS:
        raise ValidationError("field_name", f"{field_name} is kept by the users service: set a PIN with "
                                            f"users.create or users.change_pin")


_E = core_entities
_HIGHEST_CODE = OrgPrepared(select(_E.c.entity_code).where(
    _E.c.entity_type == bindparam("type"),
    _E.c.entity_code >= bindparam("low"), _E.c.entity_code <= bindparam("high"),
    func.length(_E.c.entity_code) == bindparam("length")).order_by(_E.c.entity_code.desc()).limit(1))


def code_prefix(column: Any, prefix: str) -> tuple[Any, Any]:
    """``column`` starts with ``prefix``, as a range the index can serve (SQLite's LIKE cannot)."""
    return column >= prefix, column < prefix[:-1] + chr(ord(prefix[-1]) + 1)


_D = core_dynamic_data
_VALUE_COLUMNS = {"text": _D.c.field_value_text, "number": _D.c.field_value_number,
                  "boolean": _D.c.field_value_boolean, "date": _D.c.field_value_date, "json": _D.c.field_value_json}
_THIS_FIELD = (_D.c.entity_id == bindparam("entity"), _D.c.field_name == bindparam("name"))
_FIELD_VALUE = OrgPrepared(select(_D.c.field_type, *_VALUE_COLUMNS.values()).where(*_THIS_FIELD))


@functools.lru_cache(maxsize=64)
def _fields_of(names: tuple[str, ...]) -> OrgInList:
    """Some fields of a few entities (a menu's prices, a customer's details), compiled once per set of names."""
    columns = [*list(_VALUE_COLUMNS.values())[:-1], type_coerce(_D.c.field_value_json, Text)]
    return OrgInList(lambda ids: select(_D.c.entity_id, _D.c.field_name, _D.c.field_type, *columns)
                     .where(_D.c.entity_id.in_(ids),
                            or_(*[_D.c.field_name == name for name in names])))


_UPDATE_FIELD = OrgPrepared(update(_D).where(*_THIS_FIELD).values(
    {col: bindparam(col) for col in ("field_type", *(c.key for c in _VALUE_COLUMNS.values()), "smart_code",
                                     "updated_at", "updated_by")} | {"version": _D.c.version + 1}))


def typed_value(value: Any) -> tuple[str, dict[str, Any]]:
    """Choose the typed column for a Python value: bool, number, date, json or text."""
    empty = {"field_value_text": None, "field_value_number": None, "field_value_boolean": None,
             "field_value_date": None, "field_value_json": None}
    if isinstance(value, bool):
        return "boolean", {**empty, "field_value_boolean": value}
    if isinstance(value, (int, float, Decimal)):
        return "number", {**empty, "field_value_number": D(value, "value")}
    if isinstance(value, (date, datetime)):
        return "date", {**empty, "field_value_date": value.isoformat()}
    if isinstance(value, (dict, list)):
        try:
            return "json", {**empty, "field_value_json": normalize(value)}
        except (TypeError, ValueError, RecursionError):
            raise ValidationError("value", "contains something that cannot be stored as JSON") from None
    if isinstance(value, str):
        if len(value) > 10000:
            raise ValidationError("value", "is longer than 10,000 characters")
        return "text", {**empty, "field_value_text": value}
    raise ValidationError("value", f"cannot store a {type(value).__name__}; use text, a number, "
                                   f"true/false, a date or JSON")


