"""The change feed's one writer, and reading it back: every change to the six tables, as it was made.

Each change writes one event in the same database transaction as the change
itself, with the record's whole new state (secrets left out), this terminal's
next change number and hybrid clock reading (both kept in ``hera_feed_clocks``
and advanced in that transaction), the actor and the payload's SHA-256. Sync
pushes the feed; webhooks deliver it. Derived values (stock levels, average
cost, ledger balances, caches) are never in it: they are recomputed from the
records (see ``replay``).
"""
from __future__ import annotations

import time
from typing import Any, Mapping, Sequence

from sqlalchemy import bindparam, select, update

from ..domain.contracts.events import TABLE_OF, ChangeEvent, event_payload, json_safe, payload_hash
from ..domain.hlc import ORIGIN, Reading, ticks
from ..domain.ids import new_ids, now_text
from ..domain.secrets import redact
from ..storage.prepared import Prepared
from ..storage.schema import hera_change_feed as F
from ..storage.schema import hera_feed_clocks as K
from ..storage.scoped import OrgStore

# One change: its kind (a ChangeEvent kind) and the record's state after it, as stored.
Change = tuple[str, Mapping[Any, Any]]

_CLOCK = "feed clock"
_READ_CLOCK = Prepared(select(K.c.last_seq, K.c.hlc_ms, K.c.hlc_counter).where(
    K.c.organization_id == bindparam("org"), K.c.terminal_id == bindparam("terminal")))
_MOVE_CLOCK = Prepared(update(K).where(K.c.organization_id == bindparam("org"),
                                       K.c.terminal_id == bindparam("terminal"))
                       .values(last_seq=bindparam("seq"), hlc_ms=bindparam("ms"), hlc_counter=bindparam("counter")))


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def record_change(store: OrgStore, kind: str, record: Mapping[Any, Any]) -> None:
    """One change's event (see ``record_changes``)."""
    record_changes(store, [(kind, record)])


def record_changes(store: OrgStore, changes: Sequence[Change]) -> None:
    """The events of these changes, in order, in the caller's unit of work (thousands at once for imports).

    A record is the row as stored, with ``organization_id``; a transaction's carries its lines under
    ``lines``. Its secrets (a PIN hash) are left out: events leave this computer.
    """
    if not changes:
        return
    st = store
    terminal = st.db.terminal_id
    key = (_CLOCK, st.organization_id)
    cache = st.db.unit_cache
    state: tuple[int, Reading, bool] | None = cache.get(key)
    if state is None:
        found = _READ_CLOCK.rows(st.conn, {"org": st.organization_id, "terminal": terminal})
        state = (found[0][0], Reading(found[0][1], found[0][2]), True) if found else (0, ORIGIN, False)
    seq, last, stored = state
    readings = ticks(last, now_ms(), len(changes))
    ids = new_ids(len(changes))
    created = now_text()
    actor = st.actor_id
    rows = []
    for (kind, record), event_id, reading in zip(changes, ids, readings):
        seq += 1
        state_now = json_safe(redact(dict(record)))
        body = event_payload(event_id=event_id, organization_id=st.organization_id, kind=kind,
                             record_id=state_now["id"], record=state_now, change_seq=seq, clock=reading,
                             terminal_id=terminal, actor_id=actor)
        rows.append({"id": event_id, "terminal_id": terminal, "change_seq": seq, "kind": kind,
                     "record_table": TABLE_OF[kind], "record_id": state_now["id"], "record": state_now,
                     "hlc_ms": reading.physical_ms, "hlc_counter": reading.counter, "actor_id": actor,
                     "payload_hash": payload_hash(body), "created_at": created, "attempts": 0})
    st.insert(F, rows)
    last = readings[-1]
    clock = {"org": st.organization_id, "terminal": terminal, "seq": seq, "ms": last.physical_ms,
             "counter": last.counter}
    if stored:
        _MOVE_CLOCK.execute(st.conn, clock)
    else:
        st.insert(K, {"terminal_id": terminal, "last_seq": seq, "hlc_ms": last.physical_ms,
                      "hlc_counter": last.counter})
    cache[key] = (seq, last, True)


def organization_changed(store: OrgStore) -> None:
    """The event of the organization's record just created or changed (its settings), in the caller's unit
    of work."""
    from ..storage.schema import core_organizations as O

    row = store.conn.execute(select(O).where(O.c.id == store.organization_id)).one()
    record_change(store, "organization.settings_changed", row._mapping)


def events(store: OrgStore, after_seq: int = 0, terminal_id: str | None = None) -> list[ChangeEvent]:
    """This organization's events from one terminal (this one unless named) after ``after_seq``, in order.

    Each is checked against its hash as it is read: an altered event is a ValidationError naming it.
    """
    from pydantic import ValidationError as PydanticValidationError

    from ..domain.errors import ValidationError

    terminal = terminal_id or store.db.terminal_id
    rows = store.rows(store.select(F, F.c.terminal_id == terminal, F.c.change_seq > after_seq)
                      .order_by(F.c.change_seq))
    out = []
    for r in rows:
        try:
            out.append(ChangeEvent.model_validate(
                {"event_id": r.id, "organization_id": r.organization_id, "kind": r.kind,
                 "record_table": r.record_table, "record_id": r.record_id, "record": r.record,
                 "change_seq": r.change_seq, "actor_id": r.actor_id, "payload_hash": r.payload_hash,
                 "clock": {"physical_ms": r.hlc_ms, "counter": r.hlc_counter, "terminal_id": r.terminal_id}}))
        except PydanticValidationError as exc:
            raise ValidationError("change_feed", f"event {r.change_seq} of terminal {terminal} is damaged: "
                                                 f"{exc.errors()[0]['msg']}") from None
    return out

