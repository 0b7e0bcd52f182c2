"""Bulk journal import: checked entries written in one unit of work, in their stored form.

An import from another bookkeeping system brings thousands of entries. Each is
recorded exactly as ``s.journals.create_entry`` records it (same header, lines,
hash-chain link, idempotency fingerprint, ledger totals and change-feed event: a
test compares the two row by row), but without the general path's per-record
work that entries already checked by ``check_entry`` do not need: no payload
model, no mappings per row, and every value converted to its stored text once,
then hashed and written as it is.

Journal entries trigger no business rules: automatic posting skips GL journals
(they are postings already) and stock moves only on product lines, while every
line of a journal is on a GL account.
"""
from __future__ import annotations

import gc
from collections import defaultdict
from contextlib import contextmanager
from decimal import Decimal
from typing import Any, Iterator

from ..domain import contracts as c
from ..domain.contracts.journals import JournalResult
from ..domain.ids import new_ids, now_text
from ..domain.money import ZERO, to_text
from ..storage import caches
from ..storage.jsoncodec import canonical
from ..storage.prepared import StoredRows
from ..storage.schema import universal_transaction_lines as L
from ..storage.schema import universal_transactions as T
from ..universal import chain
from ..universal.feed import record_changes
from ..universal.transactions import EMIT_FIELDS, LINE_IN_FIELDS, business_time, payload_fingerprint
from .journals import JOURNAL_SC, LINE_KIND, Entry, as_payload, result

_HEADERS = StoredRows(T, (
    "id", "transaction_type", "transaction_code", "transaction_date", "total_amount", "currency",
    "reference", "description", "status", "smart_code", "business_context", "metadata", "idempotency_key",
    "idempotency_fingerprint", "terminal_id", "chain_seq", "prev_hash", "content_hash", "chain_format",
    "created_at", "updated_at", "created_by", "updated_by", "version"))
_LINES = StoredRows(L, (
    "id", "transaction_id", "line_number", "line_type", "entity_id", "line_amount", "dr_cr",
    "currency", "smart_code", "description", "metadata", "created_at", "created_by"))

# The hash chain and the fingerprint take values in these orders, and the lists below are built in them:
# a change there must be made here too.
if (chain.HEADER_FIELDS != (
        "id", "organization_id", "transaction_type", "transaction_code", "transaction_date", "source_entity_id",
        "target_entity_id", "total_amount", "currency", "reference", "description", "status", "smart_code",
        "business_context", "metadata", "idempotency_key", "reversal_of", "terminal_id", "chain_seq", "prev_hash",
        "created_at", "created_by")
        or chain.LINE_FIELDS != ("id", "line_number", "line_type", "entity_id", "quantity", "unit_price",
                                 "line_amount", "dr_cr", "currency", "smart_code", "description", "metadata")
        or LINE_IN_FIELDS != ("line_number", "line_type", "entity_id", "quantity", "unit_price", "line_amount",
                              "dr_cr", "currency", "smart_code", "description", "metadata")):
    raise RuntimeError("journal import: the hash chain's or the fingerprint's fields changed; update its rows")
_PAYLOAD = {f: None for f in EMIT_FIELDS} | {"transaction_type": "journal_entry", "smart_code": JOURNAL_SC,
                                             "require_balance": True}
_DATE, _REFERENCE, _DESCRIPTION, _CONTEXT, _KEY = (EMIT_FIELDS.index(f) for f in (
    "transaction_date", "reference", "description", "business_context", "idempotency_key"))


def fingerprint(entry: Entry) -> str:
    """The idempotency fingerprint of ``as_payload(entry)``, without building the payload."""
    values = list(_PAYLOAD.values())
    values[_DATE] = None if entry.moment is None else entry.moment.isoformat()
    values[_REFERENCE] = entry.reference
    values[_DESCRIPTION] = entry.description
    values[_CONTEXT] = entry.business_context_text
    values[_KEY] = entry.key
    for ln in entry.lines:
        line_type, smart_code = LINE_KIND[ln.side]
        values.append([ln.number, line_type, ln.account, None, None, ln.amount_text, ln.side, None, smart_code,
                       ln.description, _metadata(ln.reference)])
    return payload_fingerprint(values)


def _metadata(reference: str | None) -> str:
    """A line's metadata as stored and hashed: its reference, if it has one."""
    return canonical({"reference": reference}) if reference else "{}"


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused for a bulk operation (restored after, as it was).

    An import allocates hundreds of thousands of small objects that form no
    cycles, and each time enough pile up the collector walks every object the
    process holds, the caller's whole batch of entries included: a tenth of an
    import's time, for nothing to collect.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _new_entries(entries: list[Entry], seen: dict[str, Any]) -> int:
    """How many of the entries will be recorded: not already in the books, nor earlier in this import."""
    keys = set(seen)
    for entry in entries:
        keys.add(entry.key)
    return len(keys) - len(seen)


class JournalImport:
    def __init__(self, scope: Any) -> None:
        self.scope = scope

    def write(self, entries: list[Entry]) -> list[JournalResult]:
        """Record checked entries whose accounts were checked, inside the caller's unit of work."""
        txn = self.scope.internal.txn
        st = self.scope.store
        seen = txn._priors([e.key for e in entries])
        seq, prev_hash = txn._chain_head()
        now = now_text()
        org, terminal, actor, currency = st.organization_id, self.scope.db.terminal_id, st.actor_id, txn.currency
        headers: list[tuple[Any, ...]] = []
        lines: list[tuple[Any, ...]] = []
        events: list[tuple[str, dict[str, Any]]] = []
        balances: dict[tuple[str, str, str], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
        results = []
        ids = iter(new_ids(sum(len(e.lines) + 1 for e in entries)))  # each entry's and its lines'
        codes = iter(txn._codes("journal_entry", _new_entries(entries, seen)))  # taken in one statement
        for entry in entries:
            key = entry.key
            fp = fingerprint(entry)
            if key in seen:
                emitted = txn._replay(key, seen[key], fp, lambda entry=entry: as_payload(entry))
                results.append(result(emitted, entry.debits, entry.debits))
                continue
            txn_id = next(ids)
            day = business_time(entry.moment)
            cell_day = day[:10]
            chained_lines = []
            stored_lines = []
            for ln in entry.lines:
                line_id = next(ids)
                side = ln.side
                line_type, smart_code = LINE_KIND[side]
                amount = ln.amount_text
                metadata = _metadata(ln.reference)
                chained_lines.append([line_id, ln.number, line_type, ln.account, None, None, amount, side, currency,
                                      smart_code, ln.description, metadata])
                lines.append((line_id, txn_id, ln.number, line_type, ln.account, amount, side, currency, smart_code,
                              ln.description, metadata, now, actor))
                stored_lines.append({
                    "id": line_id, "organization_id": org, "transaction_id": txn_id, "line_number": ln.number,
                    "line_type": line_type, "entity_id": ln.account, "quantity": None, "unit_price": None,
                    "line_amount": amount, "dr_cr": side, "currency": currency, "smart_code": smart_code,
                    "description": ln.description, "metadata": {"reference": ln.reference} if ln.reference else {},
                    "created_at": now, "created_by": actor})
                balances[(ln.account, currency, cell_day)][0 if side == "DR" else 1] += ln.amount
            code = next(codes)
            total = to_text(entry.debits)
            context = entry.business_context_text
            link = chain.link([txn_id, org, "journal_entry", code, day, None, None, total, currency,
                               entry.reference, entry.description, "posted", JOURNAL_SC, context, "{}", key, None,
                               terminal, seq, prev_hash, now, actor], chained_lines)
            headers.append((txn_id, "journal_entry", code, day, total, currency, entry.reference, entry.description,
                            "posted", JOURNAL_SC, context, "{}", key, fp, terminal, seq, prev_hash, link,
                            chain.LINK_FORMAT, now, now, actor, actor, 1))
            events.append(("transaction.recorded", {
                "id": txn_id, "organization_id": org, "transaction_type": "journal_entry", "transaction_code": code,
                "transaction_date": day, "source_entity_id": None, "target_entity_id": None, "total_amount": total,
                "currency": currency, "reference": entry.reference, "description": entry.description,
                "status": "posted", "smart_code": JOURNAL_SC, "business_context": entry.business_context,
                "metadata": {}, "idempotency_key": key, "idempotency_fingerprint": fp, "reversal_of": None,
                "terminal_id": terminal, "chain_seq": seq, "prev_hash": prev_hash, "content_hash": link,
                "chain_format": chain.LINK_FORMAT, "created_at": now, "updated_at": now, "created_by": actor,
                "updated_by": actor, "version": 1, "lines": stored_lines}))
            emitted = c.Emitted(transaction_id=txn_id, transaction_code=code, total_amount=entry.debits)
            seen[key] = {"fingerprint": fp, "result": emitted}
            results.append(result(emitted, entry.debits, entry.debits))
            prev_hash = link
            seq += 1
        st.insert_stored(_HEADERS, headers)
        self.scope.db.unit_cache[txn._chain_key] = (seq, prev_hash)
        st.insert_stored(_LINES, lines)
        caches.add_to_gl(st, balances)
        record_changes(st, events)
        return results
