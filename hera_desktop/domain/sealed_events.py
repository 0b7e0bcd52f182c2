"""An event sealed for the change feed from plain values: its record's stored text and its hash.

A record's text is its canonical JSON with its secrets (a PIN hash) taken out, since
events leave this computer; the hash is the SHA-256 of the whole event's canonical
payload (see ``contracts.events``). The feed's writer seals each change this way, and
so does the upgrade that gives records made before the feed their starting events,
so an event reads back and verifies the same whoever wrote it.
"""
from __future__ import annotations

import hashlib
from typing import Any, Mapping, NamedTuple

from .contracts.events import canonical_text, event_text
from .hlc import Reading
from .secrets import SECRET_FIELDS, redact


class SealedEvent(NamedTuple):
    """What the feed stores of an event besides its plain fields: the record's text and the payload's hash."""

    record_text: str
    payload_hash: str


def seal(*, event_id: str, organization_id: str, kind: str, record: Mapping[Any, Any], change_seq: int,
         clock: Reading, terminal_id: str, actor_id: str | None) -> SealedEvent:
    """The record's canonical text (secrets left out) and the event's hash; ``record["id"]`` is its record."""
    record_text = canonical_text(record if type(record) is dict else dict(record))
    # Only a record that names a secret somewhere is walked to take it out.
    if any(name in record_text for name in SECRET_FIELDS):
        record_text = canonical_text(redact(dict(record)))
    text = event_text(event_id=event_id, organization_id=organization_id, kind=kind, record_id=record["id"],
                      record_text=record_text, change_seq=change_seq, clock=clock, terminal_id=terminal_id,
                      actor_id=actor_id)
    return SealedEvent(record_text, hashlib.sha256(text.encode("utf-8")).hexdigest())
