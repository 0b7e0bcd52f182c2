"""HERA V2's universal API of one organization (``s.universal``): entities, their codes, dynamic fields
and relationships, as one object with the seed's method names.

Each kind of record lives in its own module with its one writer (``entities``, ``entity_codes``,
``dynamic_fields``, ``relationships``); this class parses what callers give and hands it to them.
"""
from __future__ import annotations

from typing import Any

from ..domain import contracts as c
from ..storage.scoped import OrgStore
from . import dynamic_fields, entity_codes
from .dynamic_fields import DynamicFields
from .entities import Entities
from .relationships import Relationships


class UniversalAPI:
    """HERA V2's universal records of one organization. Who may call it is decided at the door
    (``public_calls``); what it refuses to everyone is in the parts: users' records change only through
    the users service, which gets its own instance with ``users_records=True``."""

    def __init__(self, store: OrgStore, users_records: bool = False) -> None:
        self.store = store
        self.db = store.db
        self.users_records = users_records
        self._entities = Entities(store, users_records)
        self._fields = DynamicFields(store, users_records)
        self._relationships = Relationships(store)

    # ------------------------------------------------------------------ entities

    def create_entity(self, payload: Any = None, **kwargs: Any) -> c.Entity:
        return self._entities.create(c.parse(c.EntityCreate, payload, **kwargs))

    def insert_entities(self, payloads: list[c.EntityCreate], bodies: list[str] | None = None) -> list[c.Entity]:
        """Many checked payloads at once (bulk onboarding): the rows, search entries (``bodies``, or name
        and code) and events create_entity leaves, in batched statements."""
        return self._entities.insert(payloads, bodies)

    def next_number(self, entity_type: str, prefix: str, width: int = 6) -> int:
        """The next number of this type's codes after ``prefix`` (see ``entity_codes.next_number``)."""
        return entity_codes.next_number(self.store, entity_type, prefix, width)

    def get_entity(self, entity_id: str, include_deleted: bool = True) -> c.Entity:
        return self._entities.get(entity_id)

    def update_entity(self, entity_id: str, payload: Any = None, **kwargs: Any) -> c.Entity:
        return self._entities.update(entity_id, c.parse(c.EntityUpdate, payload, **kwargs))

    def delete_entity(self, entity_id: str, reason: str) -> c.Entity:
        return self._entities.delete(entity_id, reason)

    def query_entities(self, entity_type: str | None = None, entity_name: str | None = None,
                       entity_code: str | None = None, status: str | None = None,
                       classification: str | None = None, search_text: str | None = None,
                       include_deleted: bool = False, limit: int | None = None,
                       cursor: str | None = None, organization_id: str | None = None) -> c.EntityPage:
        return self._entities.query(entity_type, entity_name, entity_code, status, classification, search_text,
                                    include_deleted, limit, cursor, organization_id)

    def search(self, entity_type: str, text: str, limit: int = 50) -> list[c.Entity]:
        """Entities of a type whose name, code, email or phone start with the words typed."""
        return self._entities.query(entity_type=entity_type, search_text=text, limit=limit).entities

    # ------------------------------------------------------------------ dynamic fields

    def set_dynamic_field(self, entity_id: str, field_name: str, value: Any, smart_code: str) -> c.DynamicField:
        return self._fields.set_one(entity_id, field_name, value, smart_code)

    def set_dynamic_fields(self, entity_id: str, fields: dict[str, tuple[Any, str]]) -> None:
        """Set several fields at once: {field_name: (value, smart_code)}; one check, one write."""
        self._fields.set_many(entity_id, fields)

    def delete_dynamic_field(self, entity_id: str | None = None, field_name: str | None = None,
                             dynamic_field_id: str | None = None) -> list[c.DynamicField]:
        """Remove a field (by id, or entity and name) or all of an entity's fields; returns what was removed."""
        return self._fields.remove(entity_id, field_name, dynamic_field_id)

    def get_dynamic_field(self, entity_id: str, field_name: str) -> c.DynamicField | None:
        return self._fields.get_one(entity_id, field_name)

    def get_dynamic_fields(self, entity_id: str) -> dict[str, c.DynamicField]:
        return self._fields.get_all(entity_id)

    def field_values(self, entity_ids: list[str], field_names: tuple[str, ...]) -> dict[str, dict[str, Any]]:
        """{entity_id: {field_name: value}} for many entities at once (lists and reports)."""
        return self._fields.values(entity_ids, field_names)

    # ------------------------------------------------------------------ relationships

    def create_relationship(self, payload: Any = None, **kwargs: Any) -> c.Relationship:
        return self._relationships.create(c.parse(c.RelationshipCreate, payload, **kwargs))

    def query_relationships(self, from_entity_id: str | None = None, to_entity_id: str | None = None,
                            relationship_type: str | None = None, include_inactive: bool = False,
                            organization_id: str | None = None) -> c.RelationshipPage:
        return self._relationships.query(from_entity_id, to_entity_id, relationship_type, include_inactive,
                                         organization_id)

    def get_relationship(self, relationship_id: str) -> c.Relationship:
        return self._relationships.get(relationship_id)

    def delete_relationship(self, relationship_id: str, reason: str) -> c.Relationship:
        return self._relationships.end(relationship_id, reason)
