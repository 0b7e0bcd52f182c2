"""The change feed's event: one change to one record of the six tables, with the record's whole new state.

Sync pushes these to the server and pulls the others' from it; webhooks
deliver them. An event names its terminal's change number (gap-free, one
after another), its hybrid clock reading, who made the change, and the
SHA-256 of its canonical payload, so an event altered after it was written
(bit rot, a hand edit) is refused when it is read back.
"""
from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..hlc import Reading
from ..money import to_text

EventKind = Literal["entity.created", "entity.updated", "entity.deleted", "dynamic_field.set",
                    "dynamic_field.removed", "relationship.created", "relationship.ended",
                    "transaction.recorded", "transaction.reversed", "organization.settings_changed"]
RecordTable = Literal["core_organizations", "core_entities", "core_dynamic_data", "core_relationships",
                      "universal_transactions"]
# Which table each kind of change is to. A transaction's lines are part of its record (under "lines"): they
# are written with it, once, and never change.
TABLE_OF: dict[str, str] = {
    "entity.created": "core_entities", "entity.updated": "core_entities", "entity.deleted": "core_entities",
    "dynamic_field.set": "core_dynamic_data", "dynamic_field.removed": "core_dynamic_data",
    "relationship.created": "core_relationships", "relationship.ended": "core_relationships",
    "transaction.recorded": "universal_transactions", "transaction.reversed": "universal_transactions",
    "organization.settings_changed": "core_organizations",
}
_ID = Field(min_length=36, max_length=36)


class ClockReading(BaseModel):
    """A hybrid logical clock timestamp: physical milliseconds, a counter within them, the terminal's id."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    physical_ms: int = Field(ge=0)
    counter: int = Field(ge=0)
    terminal_id: str = _ID

    @property
    def reading(self) -> Reading:
        return Reading(self.physical_ms, self.counter)

    def order_key(self) -> tuple[int, int, str]:
        """How two terminals' changes are ordered (the same on every terminal)."""
        return (self.physical_ms, self.counter, self.terminal_id)


class ChangeEvent(BaseModel):
    """One change to the books, as it leaves this computer."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    event_id: str = _ID
    organization_id: str = _ID
    kind: EventKind
    record_table: RecordTable
    record_id: str = _ID
    record: dict[str, Any]
    change_seq: int = Field(ge=1)
    clock: ClockReading
    actor_id: str | None = None
    payload_hash: str = Field(min_length=64, max_length=64)

    @model_validator(mode="after")
    def _intact(self) -> "ChangeEvent":
        if TABLE_OF[self.kind] != self.record_table:
            raise ValueError(f"a {self.kind} event is a change to {TABLE_OF[self.kind]}, not {self.record_table}")
        if payload_hash(self.payload()) != self.payload_hash:
            raise ValueError(f"event {self.event_id} does not match its payload hash: it was altered after it "
                             f"was written")
        return self

    def payload(self) -> dict[str, Any]:
        """Everything the hash covers: the whole event but the hash."""
        return self.model_dump(mode="json", exclude={"payload_hash"})

    @classmethod
    def sealed(cls, *, event_id: str, organization_id: str, kind: str, record_id: str, record: dict[str, Any],
               change_seq: int, clock: Reading, terminal_id: str, actor_id: str | None) -> "ChangeEvent":
        """The event with these fields and the hash of their canonical payload."""
        body = event_payload(event_id=event_id, organization_id=organization_id, kind=kind, record_id=record_id,
                             record=json_safe(record), change_seq=change_seq, clock=clock,
                             terminal_id=terminal_id, actor_id=actor_id)
        return cls.model_validate({**body, "payload_hash": payload_hash(body)})


def event_payload(*, event_id: str, organization_id: str, kind: str, record_id: str, record: dict[str, Any],
                  change_seq: int, clock: Reading, terminal_id: str, actor_id: str | None) -> dict[str, Any]:
    """An event's payload as ``ChangeEvent.payload`` gives it, from its parts (``record`` already JSON-safe):
    what writers hash without building the model (an import writes thousands)."""
    return {"event_id": event_id, "organization_id": organization_id, "kind": kind,
            "record_table": TABLE_OF[kind], "record_id": record_id, "record": record, "change_seq": change_seq,
            "clock": {"physical_ms": clock.physical_ms, "counter": clock.counter, "terminal_id": terminal_id},
            "actor_id": actor_id}


def _json_value(value: object) -> str:
    if isinstance(value, Decimal):
        return to_text(value)
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot be carried in an event")


# Built once (json.dumps builds an encoder per call): sorted keys, no spaces, values as json_safe gives them.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False,
                              default=_json_value)


def canonical_text(payload: dict[str, Any]) -> str:
    """An event's canonical payload: JSON with sorted keys and no spaces, amounts and dates as ``json_safe``."""
    return _CANONICAL.encode(payload)


def event_text(*, event_id: str, organization_id: str, kind: str, record_id: str, record_text: str,
               change_seq: int, clock: Reading, terminal_id: str, actor_id: str | None) -> str:
    """``canonical_text`` of an event's payload, around its record's canonical text already made: what
    writers hash and store without encoding the record twice (an import writes thousands)."""
    e = _CANONICAL.encode
    return (f'{{"actor_id":{e(actor_id)},"change_seq":{int(change_seq)},"clock":{{"counter":{int(clock.counter)},'
            f'"physical_ms":{int(clock.physical_ms)},"terminal_id":{e(terminal_id)}}},"event_id":{e(event_id)},'
            f'"kind":{e(kind)},"organization_id":{e(organization_id)},"record":{record_text},'
            f'"record_id":{e(record_id)},"record_table":{e(TABLE_OF[kind])}}}')


def canonical_payload(payload: dict[str, Any]) -> bytes:
    """The bytes an event's hash is of: the canonical payload as UTF-8."""
    return canonical_text(payload).encode("utf-8")


def payload_hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_payload(payload)).hexdigest()


def json_safe(value: Any) -> Any:
    """A stored record as JSON carries it: Decimals as their canonical exact text (as SQLite stores them,
    the same from every database), dates as ISO text."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, Decimal):
        return to_text(value)
    if isinstance(value, date):
        return value.isoformat()
    return value
