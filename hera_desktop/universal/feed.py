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

from ..domain.contracts.events import TABLE_OF, ChangeEvent
from ..domain.hlc import ORIGIN, Reading, receive, ticks
from ..domain.sealed_events import seal
from ..domain.ids import new_ids, now_text
from ..storage.prepared import StoredRows
from ..storage.schema import core_entities
from ..storage.schema import hera_change_feed as F
from ..storage.schema import hera_feed_clocks as K
from ..storage.scoped import OrgPrepared, OrgStore

# One change: its kind (a ChangeEvent kind) and the record's state after it, as stored.
Change = tuple[str, Mapping[Any, Any]]

_FEED = StoredRows(F, ("id", "terminal_id", "change_seq", "kind", "record_table", "record_id", "record", "hlc_ms",
                       "hlc_counter", "actor_id", "payload_hash", "created_at", "attempts"))
_CLOCK = "feed clock"
_READ_CLOCK = OrgPrepared(select(K.c.last_seq, K.c.hlc_ms, K.c.hlc_counter).where(
    K.c.terminal_id == bindparam("terminal")))
_MOVE_CLOCK = OrgPrepared(update(K).where(K.c.terminal_id == bindparam("terminal"))
                          .values(last_seq=bindparam("seq"), hlc_ms=bindparam("ms"), hlc_counter=bindparam("counter")))


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def _note(st: OrgStore, changes: Sequence[Change]) -> None:
    """Tell the unit of work what changed, by kind of record: an entity's or a transaction's own type; a
    dynamic field or relationship counts as a change of its entity's type (a customer's credit limit)."""
    unit = st.db.unit
    if unit is None:
        return
    owners: dict[str, list[str]] = {}
    for kind, record in changes:
        if "entity_type" in record:
            unit.note(kind, record["entity_type"])
        elif "transaction_type" in record:
            unit.note(kind, record["transaction_type"])
        elif kind.startswith("organization."):
            unit.note(kind, "organization")
        else:
            owner = record.get("entity_id") or record.get("from_entity_id")
            owners.setdefault(str(owner), []).append(kind)
    if owners:
        for row in st.by_ids(core_entities, list(owners)):
            for kind in owners.pop(row.id, []):
                unit.note(kind, row.entity_type)
        for kinds in owners.values():
            for kind in kinds:
                unit.note(kind, "record")


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
    seq, last, stored = _clock(st)
    readings = ticks(last, now_ms(), len(changes))
    ids = new_ids(len(changes))
    created = now_text()
    actor = st.actor_id
    rows = []
    for (kind, record), event_id, reading in zip(changes, ids, readings):
        seq += 1
        # The record's canonical text is made once: stored as it is and hashed inside the event's.
        sealed = seal(event_id=event_id, organization_id=st.organization_id, kind=kind, record=record,
                      change_seq=seq, clock=reading, terminal_id=terminal, actor_id=actor)
        rows.append((event_id, terminal, seq, kind, TABLE_OF[kind], record["id"], sealed.record_text,
                     reading.physical_ms, reading.counter, actor, sealed.payload_hash, created, 0))
    st.insert_stored(_FEED, rows)
    _note(st, changes)
    _move_clock(st, seq, readings[-1], stored)


def record_or_hold(store: OrgStore, changes: Sequence[Change], held: list[Change] | None) -> None:
    """The events of these changes written now, or added to ``held`` for the caller to write with others
    (a bulk operation writes all its events in one statement)."""
    if held is None:
        record_changes(store, changes)
    else:
        held.extend(changes)


def _clock(st: OrgStore) -> tuple[int, Reading, bool]:
    """This terminal's last change number and clock reading, and whether its clock row exists yet: read once
    per unit of work, then carried forward in it."""
    state: tuple[int, Reading, bool] | None = st.db.unit_cache.get((_CLOCK, st.organization_id))
    if state is None:
        found = st.run(_READ_CLOCK, {"terminal": st.db.terminal_id})
        state = (found[0][0], Reading(found[0][1], found[0][2]), True) if found else (0, ORIGIN, False)
    return state


def _move_clock(st: OrgStore, seq: int, last: Reading, stored: bool) -> None:
    terminal = st.db.terminal_id
    if stored:
        st.change(_MOVE_CLOCK, {"terminal": terminal, "seq": seq, "ms": last.physical_ms, "counter": last.counter})
    else:
        st.insert(K, {"terminal_id": terminal, "last_seq": seq, "hlc_ms": last.physical_ms,
                      "hlc_counter": last.counter})
    st.db.unit_cache[(_CLOCK, st.organization_id)] = (seq, last, True)


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


def received(store: OrgStore, remote: Reading, own_seq: int = 0) -> None:
    """This terminal's clock moved past ``remote``, the latest reading among changes applied here from a feed,
    so its next change orders after them; ``own_seq`` is the highest change number among them that was this
    terminal's own (its feed replayed into new books), which its next change is numbered after. In the
    caller's unit of work."""
    seq, last, stored = _clock(store)
    _move_clock(store, max(seq, own_seq), receive(last, remote, now_ms()), stored)
