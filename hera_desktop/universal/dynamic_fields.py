"""Dynamic fields: typed values an entity keeps by name (a customer's email, a product's stock on hand).

An entity has at most one field of a name, so a field's id is natural: the UUIDv5 of
its entity and name (``field_id``), the same on every terminal that sets it. Every
change of a field, one or thousands, is stored by ``write_fields`` with its event;
derived values (stock on hand, average cost) by ``put_derived``, without one, since
they are recomputed from the records. Secret fields (a PIN hash) are stored like any
other but never read back here, and the change feed leaves their values out.
"""
from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Mapping, NamedTuple

from sqlalchemy import Text, bindparam, delete, or_, select, type_coerce, update

from ..domain import contracts as c
from ..domain.arguments import listed, mapping, quoted
from ..domain.errors import NotFoundError, ValidationError
from ..domain.ids import checked_id, checked_ids, natural_id, now_text
from ..domain.money import D
from ..domain.secrets import SECRET_FIELDS, is_secret
from ..domain.smart_codes import validate as validate_smart_code
from ..storage.jsoncodec import normalize
from ..storage.prepared import InList
from ..storage.schema import core_dynamic_data as T
from ..storage.schema import core_entities
from ..storage.scoped import OrgInList, OrgPrepared, OrgStore
from .entities import SEARCH_FIELDS, SEARCHABLE, entity_of, refuse_user_records, reindex
from .feed import Change, record_change, record_or_hold

_NAME = re.compile(r"[a-z][a-z0-9_]{0,99}")
_CHUNK = 500
VALUE_COLUMNS = {"text": T.c.field_value_text, "number": T.c.field_value_number,
                 "boolean": T.c.field_value_boolean, "date": T.c.field_value_date, "json": T.c.field_value_json}
_KINDS = list(VALUE_COLUMNS)
_THIS_FIELD = (T.c.entity_id == bindparam("entity"), T.c.field_name == bindparam("name"))
_REMOVE_FIELD = OrgPrepared(delete(T).where(T.c.id == bindparam("field")))
_FIELD_VALUE = OrgPrepared(select(T.c.field_type, *VALUE_COLUMNS.values()).where(*_THIS_FIELD))
_UPDATE_FIELD = OrgPrepared(update(T).where(*_THIS_FIELD).values(
    {col: bindparam(col) for col in ("field_type", *(v.key for v in VALUE_COLUMNS.values()), "smart_code",
                                     "updated_at", "updated_by")} | {"version": T.c.version + 1}))


class FieldValue(NamedTuple):
    """One field to set: on which entity, its name, its value and the smart code that says what it is."""
    entity_id: str
    field_name: str
    value: Any
    smart_code: str


def field_id(organization_id: str, entity_id: str, field_name: str) -> str:
    """The id of an entity's field of this name, wherever it is set."""
    return natural_id(organization_id, "dynamic_field", entity_id, field_name)


def typed_value(value: Any) -> tuple[str, dict[str, Any]]:
    """Choose the typed column for a Python value: bool, number, date, json or text."""
    empty: dict[str, Any] = {"field_value_text": None, "field_value_number": None, "field_value_boolean": None,
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


def write_fields(store: OrgStore, values: Sequence[tuple[str, str, Any, str]], new_entities: bool = False,
                 events: list[Change] | None = None) -> list[Mapping[Any, Any]]:
    """Set fields (``FieldValue``s, or plain tuples in their order) of entities already checked, one or
    thousands, in a few statements: new ones inserted
    (with their natural ids), existing ones updated, each with its change-feed event, inside the
    caller's unit of work. ``new_entities``: the entities were created in this unit of work, so none
    has a field yet. ``events``: where to leave the events for the caller to record with the rest of
    its write, in one go. Returns the rows as stored, in the order given."""
    keys = [(entity_id, name) for entity_id, name, _, _ in values]
    if len(set(keys)) != len(keys):
        raise ValidationError("field_name", "a field is set twice on one entity in the same change")
    typed = [typed_value(value) for _, _, value, _ in values]
    existing = set() if new_entities else _existing(store, keys)
    now, actor, org = now_text(), store.actor_id, store.organization_id
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for (entity_id, name, _, smart_code), (kind, columns) in zip(values, typed):
        if (entity_id, name) in existing:
            updates.append({"entity": entity_id, "name": name, "field_type": kind, **columns,
                            "smart_code": smart_code, "updated_at": now, "updated_by": actor})
        else:
            inserts.append({"id": field_id(org, entity_id, name), "entity_id": entity_id, "field_name": name,
                            "field_type": kind, **columns, "smart_code": smart_code, "created_at": now,
                            "updated_at": now, "created_by": actor, "updated_by": actor, "version": 1})
    store.insert(T, inserts)
    stored: dict[tuple[str, str], Mapping[Any, Any]] = {(r["entity_id"], r["field_name"]): r for r in inserts}
    if updates:
        store.change(_UPDATE_FIELD, updates)
        stored.update(_rows_of(store, [(u["entity"], u["name"]) for u in updates]))
    rows = [stored[key] for key in keys]
    record_or_hold(store, [("dynamic_field.set", row) for row in rows], events)
    return rows


def _existing(store: OrgStore, keys: list[tuple[str, str]]) -> set[tuple[str, str]]:
    return set(_rows_of(store, keys, columns=[T.c.entity_id, T.c.field_name]))


def _rows_of(store: OrgStore, keys: list[tuple[str, str]],
             columns: list[Any] | None = None) -> dict[tuple[str, str], Mapping[Any, Any]]:
    """The stored rows (or ``columns`` of them) of these (entity, field name) pairs that exist."""
    wanted = set(keys)
    names = sorted({name for _, name in keys})
    entity_ids = sorted({entity_id for entity_id, _ in keys})
    out: dict[tuple[str, str], Mapping[Any, Any]] = {}
    for start in range(0, len(entity_ids), _CHUNK):
        for row in store.rows(store.select(T, T.c.entity_id.in_(entity_ids[start:start + _CHUNK]),
                                           T.c.field_name.in_(names), columns=columns)):
            key = (row.entity_id, row.field_name)
            if key in wanted:
                out[key] = row._mapping
    return out


def put_derived(store: OrgStore, entity_id: str, fields: dict[str, tuple[Any, str]]) -> None:
    """Store derived values of an entity already checked ({field_name: (value, smart_code)}) in one
    statement per field, for the hot paths (stock on hand after every sale). They are recomputed from
    the records, so the change feed does not carry them."""
    now = now_text()
    for field_name, (value, smart_code) in fields.items():
        kind, values = typed_value(value)
        changed = store.change(_UPDATE_FIELD, {
            "entity": entity_id, "name": field_name, "field_type": kind, **values,
            "smart_code": smart_code, "updated_at": now, "updated_by": store.actor_id})
        if not changed:
            store.insert(T, {
                "id": field_id(store.organization_id, entity_id, field_name), "entity_id": entity_id,
                "field_name": field_name, "field_type": kind, **values, "smart_code": smart_code,
                "created_at": now, "updated_at": now, "created_by": store.actor_id, "updated_by": store.actor_id,
                "version": 1})


def field_value(store: OrgStore, entity_id: str, field_name: str) -> Any:
    """The typed value of one field, or None (a hot-path read: no result model)."""
    rows = store.run(_FIELD_VALUE, {"entity": entity_id, "name": field_name})
    if not rows:
        return None
    kind, *values = rows[0]
    return values[_KINDS.index(kind)]


def _checked_name(name: Any, field: str = "field_name") -> str:
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise ValidationError(field, "must be lower-case letters, digits and underscores, like credit_limit")
    if name in SECRET_FIELDS:
        raise ValidationError(field, f"{name} is kept by the users service: set a PIN with "
                                     f"users.create or users.change_pin")
    return name


@functools.lru_cache(maxsize=64)
def _fields_of(names: tuple[str, ...]) -> OrgInList:
    """Some fields of a few entities (a menu's prices, a customer's details), compiled once per set of names."""
    columns = [*list(VALUE_COLUMNS.values())[:-1], type_coerce(T.c.field_value_json, Text)]
    return OrgInList(lambda ids: select(T.c.entity_id, T.c.field_name, T.c.field_type, *columns)
                     .where(T.c.entity_id.in_(ids), or_(*[T.c.field_name == name for name in names])))


class DynamicFields:
    """The dynamic fields of one organization's entities: set and read (secrets never read)."""

    def __init__(self, store: OrgStore, users_records: bool = False) -> None:
        self.store = store
        self.users_records = users_records

    def set_one(self, entity_id: str, field_name: str, value: Any, smart_code: str) -> c.DynamicField:
        _checked_name(field_name)
        validate_smart_code(smart_code)
        typed_value(value)
        with self.store.db.write():
            row = self._write(entity_id, {field_name: (value, smart_code)})[0]
            return c.DynamicField.model_validate(row)

    def set_many(self, entity_id: str, fields: dict[str, tuple[Any, str]]) -> None:
        """Set several fields at once: {field_name: (value, smart_code)}; one check, one write."""
        for name, pair in mapping("fields", fields, "field names to (value, smart code)").items():
            if not isinstance(pair, (tuple, list)) or len(pair) != 2:
                raise ValidationError(f"fields.{name[:40] if isinstance(name, str) else quoted(name)}",
                                      "must be a (value, smart code) pair")
            _checked_name(name)
            validate_smart_code(pair[1])
        for value, _ in fields.values():
            typed_value(value)
        with self.store.db.write():
            self._write(entity_id, fields)

    def _write(self, entity_id: str, fields: dict[str, tuple[Any, str]]) -> list[Mapping[Any, Any]]:
        st = self.store
        entity = st.get(core_entities, entity_id, "entity")
        refuse_user_records(entity.entity_type, self.users_records)
        rows = write_fields(st, [FieldValue(entity_id, name, value, smart_code)
                                 for name, (value, smart_code) in fields.items()])
        if entity.entity_type in SEARCHABLE and set(fields) & set(SEARCH_FIELDS):
            reindex(st, entity_of(entity))
        return rows

    def remove(self, entity_id: str | None = None, field_name: str | None = None,
               dynamic_field_id: str | None = None) -> list[c.DynamicField]:
        """Remove one field (by its id, or its entity and name) or every field of an entity (its id alone),
        each with its ``dynamic_field.removed`` event carrying the field's last state; the fields removed."""
        if dynamic_field_id is None and entity_id is None:
            raise ValidationError("entity_id", "name the field's entity (with field_name for one field), or give "
                                               "dynamic_field_id")
        if field_name is not None and not isinstance(field_name, str):
            raise ValidationError("field_name", "must be text")
        with self.store.db.write():
            st = self.store
            if dynamic_field_id is not None:
                row = st.get(T, checked_id("dynamic_field_id", dynamic_field_id), "dynamic_field")
                if entity_id is not None and row.entity_id != entity_id:
                    raise NotFoundError(f"Entity {entity_id} has no field with id {dynamic_field_id}",
                                        field="dynamic_field_id")
                rows: list[Any] = [row]
            else:
                where = [T.c.entity_id == entity_id] + ([T.c.field_name == field_name] if field_name else [])
                rows = st.rows(st.select(T, *where))
            entity = st.get(core_entities, rows[0].entity_id if rows else entity_id, "entity")
            refuse_user_records(entity.entity_type, self.users_records)
            if field_name is not None and not rows or field_name is not None and is_secret(field_name):
                raise NotFoundError(f"Entity {entity.id} has no field {field_name}", field="field_name")
            rows = [r for r in rows if not is_secret(r.field_name)]
            for row in rows:
                st.change(_REMOVE_FIELD, {"field": row.id})
                record_change(st, "dynamic_field.removed", row._mapping)
            if entity.entity_type in SEARCHABLE and {r.field_name for r in rows} & set(SEARCH_FIELDS):
                reindex(st, entity_of(entity))
            return [c.DynamicField.model_validate(r._mapping) for r in rows]

    def get_one(self, entity_id: str, field_name: str) -> c.DynamicField | None:
        if not isinstance(field_name, str):
            raise ValidationError("field_name", "must be text")
        with self.store.db.read():
            st = self.store
            st.get(core_entities, entity_id, "entity")
            if is_secret(field_name):
                return None
            row = st.first(st.select(T, T.c.entity_id == entity_id, T.c.field_name == field_name))
            return None if row is None else c.DynamicField.model_validate(row._mapping)

    def get_all(self, entity_id: str) -> dict[str, c.DynamicField]:
        with self.store.db.read():
            st = self.store
            st.get(core_entities, entity_id, "entity")
            rows = st.rows(st.select(T, T.c.entity_id == entity_id))
            return {r.field_name: c.DynamicField.model_validate(r._mapping) for r in rows if not is_secret(r.field_name)}

    def values(self, entity_ids: list[str], field_names: tuple[str, ...]) -> dict[str, dict[str, Any]]:
        """{entity_id: {field_name: value}} for many entities at once (lists and reports)."""
        entity_ids = checked_ids("entity_ids", entity_ids)
        names = listed("field_names", field_names, "field names")
        if not all(isinstance(n, str) for n in names):
            raise ValidationError("field_names", "must be a list of field names (text)")
        out: dict[str, dict[str, Any]] = {i: {} for i in entity_ids}
        wanted = tuple(n for n in names if not is_secret(n))
        if not entity_ids or not wanted:
            return out
        with self.store.db.read():
            st = self.store
            for start in range(0, len(entity_ids), _CHUNK):
                chunk = entity_ids[start:start + _CHUNK]
                fast = len(chunk) <= InList.MAX
                if fast:  # a few entities (an order's items): a statement compiled once
                    rows = st.run_in(_fields_of(wanted), chunk)
                else:
                    rows = [tuple(r) for r in st.rows(st.select(
                        T, T.c.entity_id.in_(chunk), T.c.field_name.in_(wanted),
                        columns=[T.c.entity_id, T.c.field_name, T.c.field_type, *VALUE_COLUMNS.values()]))]
                for entity_id, name, kind, *values in rows:
                    value = values[_KINDS.index(kind)]
                    # JSON arrives as its text from SQLite's fast path (most fields are not JSON: no decoding)
                    text_json = fast and kind == "json" and value is not None and st.conn.dialect.name == "sqlite"
                    out[entity_id][name] = json.loads(value) if text_json else value
        return out
