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
from collections import defaultdict
from typing import TYPE_CHECKING, Any, Iterator, Sequence

from ..domain import contracts as c
from ..domain.errors import ValidationError
from ..domain.money import to_text
from ..storage.jsoncodec import canonical
from ..storage.schema import universal_transaction_lines as L
from ..storage.schema import universal_transactions as T
from ..universal import idempotency
from ..universal.transaction_queries import business_time
from ..universal.transaction_writer import Draft, DraftLine, write
from .journal_entry import JOURNAL_SC, LINE_KIND, REVERSAL_SC, Entry, as_payload

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

    def fingerprints(self, entries: list[Entry]) -> list[str]:
        """Each entry's idempotency fingerprint, once a reference used twice (in the entries or already in
        the books) has been found to be the same entry; otherwise the conflict, before anything is written."""
        prints = [fingerprint(e) for e in entries]
        keyed = idempotency.KeyedResults(self.scope.store, [e.key for e in entries])
        for i, (entry, fp) in enumerate(zip(entries, prints)):
            keyed.answered(i, entry.key, fp, lambda entry=entry: as_payload(entry))
        self._refuse_reversed(entries, keyed.seen)
        return prints

    def _refuse_reversed(self, entries: list[Entry], seen: dict[str, idempotency.Prior]) -> None:
        """An entry whose reference belongs to an entry since reversed (an import that was cancelled, say)
        would only answer with the reversed one and post nothing: say so instead."""
        st = self.scope.store
        by_id = {prior.id: key for key, prior in seen.items()}
        ids = list(by_id)
        for start in range(0, len(ids), 500):
            reversed_ = st.rows(st.select(T, T.c.reversal_of.in_(ids[start:start + 500]),
                                          columns=[T.c.reversal_of, T.c.transaction_code]))
            if reversed_:
                key = by_id[reversed_[0].reversal_of]
                i, entry = next((i, e) for i, e in enumerate(entries) if e.key == key)
                raise ValidationError(f"entries.{i}.reference", f"{entry.reference} was posted before and reversed "
                                      f"by {reversed_[0].transaction_code}; give the entry a new reference to post "
                                      f"it again" + (f" ({len(reversed_)} such entries)" if len(reversed_) > 1
                                                      else ""))

    def write(self, entries: Sequence[Entry], prints: Sequence[str] | None = None) -> list[c.Emitted]:
        """Record checked entries whose accounts were checked (all GL accounts), inside the caller's unit of
        work; what each recorded, or what an entry already in the books (same key and lines) recorded.
        ``prints``: their fingerprints, if known already."""
        txn = self.scope.internal.txn
        st = self.scope.store
        currency = txn.currency
        keyed = idempotency.KeyedResults(st, [e.key for e in entries])
        drafts: list[Draft] = []
        accounts: dict[str, str] = {}
        for i, entry in enumerate(entries):
            key = entry.key
            fp = fingerprint(entry) if prints is None else prints[i]
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

    def undo(self, transaction_ids: Sequence[str], reason: str) -> list[str]:
        """Reverse these journal entries, just written by an import that did not finish, inside the
        caller's unit of work: each reversal is what ``s.journals.reverse`` records (mirrored lines, the
        other side, linked by ``reversal_of``), in batched statements. Their transaction codes."""
        st = self.scope.store
        ids = list(transaction_ids)
        headers = {h.id: h for start in range(0, len(ids), 500)
                   for h in st.rows(st.select(T, T.c.id.in_(ids[start:start + 500])))}
        lines: dict[str, list[Any]] = defaultdict(list)
        for start in range(0, len(ids), 500):
            for ln in st.rows(st.select(L, L.c.transaction_id.in_(ids[start:start + 500]))
                              .order_by(L.c.transaction_id, L.c.line_number)):
                lines[ln.transaction_id].append(ln)
        why = reason.strip()[:500]
        accounts: dict[str, str] = {}
        drafts = []
        for original in (headers[i] for i in ids):
            mirrored = []
            for ln in lines[original.id]:
                accounts[ln.entity_id] = "gl_account"
                metadata = {**(ln.metadata or {}), "reversal_of_line": ln.id}
                mirrored.append(DraftLine(ln.line_number, ln.line_type, ln.entity_id, None, None, ln.line_amount,
                                          to_text(ln.line_amount), {"DR": "CR", "CR": "DR"}[ln.dr_cr], ln.currency,
                                          ln.smart_code, ln.description, metadata, canonical(metadata)))
            context = {**(original.business_context or {}), "reversal_reason": why, "reversal_of": original.id,
                       "reversal_of_code": original.transaction_code}
            metadata = {"reversal_of": original.id}
            drafts.append(Draft("journal_entry", None, business_time(None), None, None, original.total_amount,
                                original.currency, original.reference,
                                f"Reversal of {original.transaction_code}: {why}", "posted", REVERSAL_SC,
                                context, canonical(context), metadata, canonical(metadata), None, None, original.id,
                                mirrored))
        return [rec.header["transaction_code"] for rec in write(st, drafts, accounts, reversal=True)]
