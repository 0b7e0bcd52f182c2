"""Relationships between entities (a customer has_status Active Status, a menu item consumes a product).

A relationship is ended, never removed: its row stays with ``is_active`` false and the
reason, so a customer's status history reads back whole. Every new relationship, one
or thousands, is stored by ``write_relationships`` with its event.

A single-valued relationship (``SINGLE_VALUED``: a customer has one current status)
is replaced, not added to: the current one is ended and the next written. Its id is
natural, the UUIDv5 of (from entity, type, sequence), where the sequence counts that
entity's relationships of the type ever written, ended ones included (1 for the
first status, 2 for the first change...). It is unique because rows are never
removed, and two terminals that change the same customer's status offline write
the same id for the same change, whatever status each chose: sync keeps one of the
two (last writer wins, the other kept as a conflict), never two current statuses.
A caller may send a relationship's id: any other relationship keeps it (a UUIDv7,
checked unused); a single-valued one's must be its natural id, or is refused.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import func

from ..domain import contracts as c
from ..domain.errors import OrganizationMismatchError, ValidationError
from ..domain.ids import client_id, natural_id, new_ids, now_text
from ..storage.jsoncodec import normalize
from ..storage.schema import core_relationships as T
from ..storage.scoped import OrgStore
from .entities import check_organization
from .feed import Change, record_change, record_or_hold

SINGLE_VALUED = frozenset({"has_status"})
_CHUNK = 500


class NewRelationship(NamedTuple):
    """A relationship to write (checked): from which entity to which, its type, smart code and metadata."""
    from_entity_id: str
    to_entity_id: str
    relationship_type: str
    smart_code: str
    metadata: dict[str, Any] | None = None
    id: str | None = None  # the id its caller chose, or None for a new one (or the natural one)

    @classmethod
    def of(cls, data: c.RelationshipCreate) -> NewRelationship:
        return cls(data.from_entity_id, data.to_entity_id, data.relationship_type, data.smart_code, data.metadata,
                   data.id)


def single_valued_id(organization_id: str, from_entity_id: str, relationship_type: str, sequence: int) -> str:
    """The id of the ``sequence``-th relationship of a single-valued type from an entity."""
    return natural_id(organization_id, "relationship", from_entity_id, relationship_type, sequence)


def write_relationships(store: OrgStore, payloads: Sequence[NewRelationship], checked: bool = False,
                        new_entities: bool = False, events: list[Change] | None = None) -> list[dict[str, Any]]:
    """Store new relationships, one or thousands, in a few statements: their rows and change-feed events,
    inside the caller's unit of work; returns the rows as stored. ``checked``: the caller has made sure
    both ends are this organization's entities (it has just created them); ``new_entities``: every
    from-entity was created in this unit of work, so none has a relationship yet. ``events``: where to
    leave the events for the caller to record with the rest of its write, in one go."""
    if not checked:
        store.entity_types([p.from_entity_id for p in payloads], "from_entity_id")
        store.entity_types([p.to_entity_id for p in payloads], "to_entity_id")
    single = [(p.from_entity_id, p.relationship_type) for p in payloads if p.relationship_type in SINGLE_VALUED]
    written = {} if new_entities or not single else _written(store, single)
    now, actor, org = now_text(), store.actor_id, store.organization_id
    fresh = iter(new_ids(len(payloads) - len(single)))
    chosen = []
    rows = []
    for p in payloads:
        if p.relationship_type in SINGLE_VALUED:
            key = (p.from_entity_id, p.relationship_type)
            written[key] = written.get(key, 0) + 1
            record_id = single_valued_id(org, p.from_entity_id, p.relationship_type, written[key])
            if p.id is not None and p.id != record_id:
                raise ValidationError("id", f"a {p.relationship_type} relationship's id is natural: this one is "
                                            f"{record_id} (change {written[key]} of this entity's); leave id out "
                                            f"or send that one")
        elif p.id is not None:
            client_id(p.id)  # a natural id (version 5) is only a single-valued relationship's
            chosen.append(record_id := p.id)
        else:
            record_id = next(fresh)
        rows.append({"id": record_id, "from_entity_id": p.from_entity_id, "to_entity_id": p.to_entity_id,
                     "relationship_type": p.relationship_type, "smart_code": p.smart_code, "is_active": True,
                     "metadata": normalize(p.metadata or {}), "created_at": now, "updated_at": now,
                     "created_by": actor, "updated_by": actor, "version": 1})
    if chosen:
        store.refuse_used_ids(T, chosen)
    store.insert(T, rows)
    record_or_hold(store, [("relationship.created", row) for row in rows], events)
    return rows


def _written(store: OrgStore, keys: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """How many relationships of each (from entity, type) have ever been written, ended ones included."""
    out: dict[tuple[str, str], int] = {}
    from_ids = sorted({f for f, _ in keys})
    types = sorted({t for _, t in keys})
    for start in range(0, len(from_ids), _CHUNK):
        stmt = store.select(T, T.c.from_entity_id.in_(from_ids[start:start + _CHUNK]),
                            T.c.relationship_type.in_(types),
                            columns=[T.c.from_entity_id, T.c.relationship_type, func.count()])
        for row in store.rows(stmt.group_by(T.c.from_entity_id, T.c.relationship_type)):
            from_id, kind, count = tuple(row)
            out[(from_id, kind)] = int(count)
    return out


def end_relationship(store: OrgStore, relationship_id: str, reason: str) -> c.Relationship:
    """End an active relationship (inside the caller's unit of work), with its event."""
    current = store.get(T, relationship_id, "relationship")
    if not current.is_active:
        raise ValidationError("relationship_id", "this relationship has already ended")
    meta = {**(current.metadata or {}), "ended_reason": reason.strip()[:500], "ended_at": now_text()}
    store.update(T, relationship_id, {"is_active": False, "metadata": meta,
                                      "updated_at": now_text(), "updated_by": store.actor_id})
    stored = store.get(T, relationship_id, "relationship")
    record_change(store, "relationship.ended", stored._mapping)
    return c.Relationship.model_validate(stored._mapping)


def replace_single(store: OrgStore, payload: c.RelationshipCreate, reason: str) -> c.Relationship:
    """A single-valued relationship's next value: the current one(s) ended for ``reason``, the new one
    written with its natural id (inside the caller's unit of work)."""
    if payload.relationship_type not in SINGLE_VALUED:
        raise ValidationError("relationship_type", f"{payload.relationship_type} can hold several at once")
    for current in active(store, payload.from_entity_id, payload.relationship_type):
        end_relationship(store, current.id, reason)
    return c.Relationship.model_validate(write_relationships(store, [NewRelationship.of(payload)])[0])


def active(store: OrgStore, from_entity_id: str | None = None, relationship_type: str | None = None,
           to_entity_id: str | None = None, include_inactive: bool = False) -> list[c.Relationship]:
    """The relationships matching what is given, oldest first (active ones unless ``include_inactive``)."""
    where: list[Any] = []
    for name, value in (("from_entity_id", from_entity_id), ("to_entity_id", to_entity_id),
                        ("relationship_type", relationship_type)):
        if value is not None:
            if not isinstance(value, str):
                raise ValidationError(name, "must be text")
            where.append(T.c[name] == value)
    if not include_inactive:
        where.append(T.c.is_active.is_(True))
    rows = store.rows(store.select(T, *where).order_by(T.c.created_at, T.c.id).limit(10000))
    return [c.Relationship.model_validate(r._mapping) for r in rows]


class Relationships:
    """The relationships of one organization's entities: create, query, end."""

    def __init__(self, store: OrgStore) -> None:
        self.store = store

    def create(self, data: c.RelationshipCreate) -> c.Relationship:
        check_organization(self.store, data.organization_id)
        with self.store.db.write():
            return c.Relationship.model_validate(write_relationships(self.store, [NewRelationship.of(data)])[0])

    def query(self, from_entity_id: str | None = None, to_entity_id: str | None = None,
              relationship_type: str | None = None, include_inactive: bool = False,
              organization_id: str | None = None) -> c.RelationshipPage:
        if organization_id is not None and organization_id != self.store.organization_id:
            raise OrganizationMismatchError("organization_id is not the organization you are working in")
        with self.store.db.read():
            found = active(self.store, from_entity_id, relationship_type, to_entity_id, include_inactive)
        return c.RelationshipPage(relationships=found)

    def get(self, relationship_id: str) -> c.Relationship:
        """One relationship by id, active or ended; another organization's is not found."""
        with self.store.db.read():
            return c.Relationship.model_validate(self.store.get(T, relationship_id, "relationship")._mapping)

    def end(self, relationship_id: str, reason: str) -> c.Relationship:
        if not isinstance(reason, str) or not reason.strip():
            raise ValidationError("reason", "a reason is required to end a relationship")
        with self.store.db.write():
            return end_relationship(self.store, relationship_id, reason)
