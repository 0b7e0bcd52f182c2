"""The event outbox: events written in the same database transaction as the change they describe.

Webhook delivery and sync read from here later, so an event is never lost to a
crash between "saved" and "sent" (the usage guide's setTimeout retry is).
"""
from __future__ import annotations

from typing import Any

from ..domain.ids import new_id, now_text
from ..domain.secrets import redact
from ..storage.jsoncodec import normalize
from ..storage.schema import hera_event_outbox
from ..storage.scoped import OrgStore


def record_event(store: OrgStore, event_type: str, aggregate_id: str, data: dict[str, Any]) -> None:
    # Events leave this computer (webhooks, sync): a PIN hash in one could be cracked anywhere.
    store.insert(hera_event_outbox, {"id": new_id(), "event_type": event_type, "aggregate_id": aggregate_id,
                                     "payload": normalize({"actor_id": store.actor_id, **redact(data)}),
                                     "created_at": now_text(), "attempts": 0})
