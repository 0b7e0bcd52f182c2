"""Bulk journal import: checked entries recorded by the transaction writer in one unit of work.

An import from another bookkeeping system brings thousands of entries. Each is
recorded exactly as ``s.journals.create_entry`` records it (the same writer, so
the same header, lines, hash-chain link, idempotency fingerprint, ledger totals
and change-feed event), but without the per-entry work a payload model costs:
an entry checked by ``check_entry`` becomes a writer's draft directly, with
every value already in its stored text.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator

from ..domain import contracts as c
from ..storage.jsoncodec import canonical
from ..universal import idempotency
from ..universal.transaction_queries import business_time
from ..universal.transaction_writer import Draft, DraftLine, write
from .journal_entry import JOURNAL_SC, LINE_KIND, Entry, as_payload

if TYPE_CHECKING:
    from ..app import Scope

_PAYLOAD = {f: None for f in idempotency.EMIT_FIELDS} | {"transaction_type": "journal_entry",
                                                         "smart_code": JOURNAL_SC, "require_balance": True}
_DATE, _REFERENCE, _DESCRIPTION, _CONTEXT, _KEY = (idempotency.EMIT_FIELDS.index(f) for f in (
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
        values.append(idempotency.line_values(ln.number, line_type, ln.account, None, None, ln.amount_text, ln.side,
                                              None, smart_code, ln.description, _metadata_text(ln.reference)))
    return idempotency.payload_fingerprint(values)


def _metadata_text(reference: str | None) -> str:
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


class JournalImport:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope

    def write(self, entries: list[Entry]) -> list[c.Emitted]:
        """Record checked entries whose accounts were checked (all GL accounts), inside the caller's unit of
        work; what each recorded, or what an entry already in the books (same key and lines) recorded."""
        txn = self.scope.internal.txn
        st = self.scope.store
        currency = txn.currency
        keyed = idempotency.KeyedResults(st, [e.key for e in entries])
        drafts: list[Draft] = []
        accounts: dict[str, str] = {}
        for i, entry in enumerate(entries):
            key = entry.key
            fp = fingerprint(entry)
            if keyed.answered(i, key, fp, lambda entry=entry: as_payload(entry)):
                continue
            lines = []
            for ln in entry.lines:
                line_type, smart_code = LINE_KIND[ln.side]
                accounts[ln.account] = "gl_account"
                lines.append(DraftLine(ln.number, line_type, ln.account, None, None, ln.amount, ln.amount_text,
                                       ln.side, currency, smart_code, ln.description,
                                       {"reference": ln.reference} if ln.reference else {},
                                       _metadata_text(ln.reference)))
            drafts.append(Draft("journal_entry", None, business_time(entry.moment), None, None, entry.debits,
                                currency, entry.reference, entry.description, "posted", JOURNAL_SC,
                                entry.business_context, entry.business_context_text, {}, "{}", key, fp, None,
                                lines))
        # Journal entries trigger no business rules: automatic posting skips GL journals (they are postings
        # already) and stock moves only on product lines, while every line of a journal is on a GL account.
        return keyed.emitted(rec.header for rec in write(st, drafts, accounts))
