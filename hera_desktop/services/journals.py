"""Journal entries (``s.journals``): balanced, exact, on the organization's GL accounts.

Posting the same reference again with the same lines returns the first entry;
with different lines it is refused, naming the entry that already has it.
"""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..domain import contracts as c
from ..domain.smart_codes import GL_ACCOUNT_SMART_CODE
from ..domain.contracts.journals import JournalResult
from ..domain.errors import HeraError, UnbalancedTransactionError, ValidationError
from ..storage.schema import core_entities
from .journal_entry import JOURNAL_SC, REVERSAL_SC, Entry, as_payload, check_entry
from .import_chunks import Cancel, ChunkedWrite, ImportCancelled, ImportUndone, Progress
from .journal_import import JournalImport, collector_paused

if TYPE_CHECKING:
    from ..app import Scope

__all__ = ["JOURNAL_SC", "REVERSAL_SC", "Journals", "as_payload", "check_entry", "result"]


def result(emitted: c.Emitted, debits: Decimal, credits: Decimal) -> JournalResult:
    return JournalResult.model_validate({"journal_entry": emitted, "balance_validation": {
        "total_debits": debits, "total_credits": credits, "balanced": debits == credits}})


class Journals:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.store = scope.store

    def create_entry(self, date: Any = None, reference: str | None = None, description: str | None = None,
                     lines: list[dict[str, Any]] | None = None, entry_type: str = "manual") -> JournalResult:
        self.scope.require("journals.post", "post journal entries")
        entry = check_entry(date, reference, description, lines, entry_type, self.scope.internal.txn.currency)
        payload = as_payload(entry)
        with self.scope.db.write():
            self._check_account_ids({ln.account for ln in entry.lines})
            emitted = self.scope.internal.txn.emit(payload)
        return result(emitted, entry.debits, entry.debits)

    def import_entries(self, entries: list[dict[str, Any]], progress: Progress | None = None,
                       cancel: Cancel | None = None) -> list[JournalResult]:
        """Post many entries at once (all or none), e.g. from another bookkeeping system.

        Every entry is checked before anything is written (its lines, its accounts, a reference used
        twice); then ``JournalImport`` writes them with the same rows, hash chain, idempotency and events
        as ``create_entry``, in chunks that each hold the write lock for a tenth of a second or so
        (``import_chunks``), so tills keep selling meanwhile. ``progress`` is called with (done, total)
        after each chunk; ``cancel`` (a function, or a cancel token) is asked between chunks. If the import
        stops half-way (cancelled, or a chunk fails) the entries it wrote are reversed, so none of it
        counts in the balances, and the error says so (``ImportCancelled`` when cancelled).
        """
        self.scope.require("journals.post", "post journal entries")
        if not isinstance(entries, list):
            raise ValidationError("entries", "must be a list of journal entries")
        chunks: ChunkedWrite[c.Emitted] = ChunkedWrite(self.scope.db, len(entries), progress, cancel)
        writer = JournalImport(self.scope)
        with collector_paused():
            checked = self._checked(entries)
            with self.scope.db.read():
                self._check_account_ids({ln.account for e in checked for ln in e.lines})
                prints = writer.fingerprints(checked)
            try:
                chunks.run(lambda start, stop: writer.write(checked[start:stop], prints[start:stop]))
            except HeraError as exc:
                if self.scope.db.unit is not None:  # the caller's unit of work: it rolls back as a whole
                    raise
                written = [e.transaction_id for e in chunks.results if not e.replayed]
                undone = self._undo(writer, written, exc)
                if isinstance(exc, ImportCancelled):
                    raise ImportCancelled(exc.done, exc.total, f"The import was cancelled after {exc.done:,} of "
                                                               f"{exc.total:,} entries; {undone}") from None
                if written:
                    raise ImportUndone(f"The import stopped after {chunks.done:,} of {chunks.total:,} entries "
                                       f"({exc.message}); {undone}") from exc
                raise
        return [result(emitted, entry.debits, entry.debits) for emitted, entry in zip(chunks.results, checked)]

    def _undo(self, writer: JournalImport, written: list[str], cause: HeraError) -> str:
        """Reverse what a stopped import wrote, in chunks of its own; what became of it, in a sentence."""
        if not written:
            return "nothing had been posted"
        reason = "import cancelled" if isinstance(cause, ImportCancelled) else f"import failed: {cause.message}"
        undo: ChunkedWrite[str] = ChunkedWrite(self.scope.db, len(written))
        undo.run(lambda start, stop: writer.undo(written[start:stop], reason))
        return (f"the {len(written):,} entries it had posted were reversed ({undo.results[0]} to "
                f"{undo.results[-1]}), so none of it counts in the balances")

    def _checked(self, entries: list[Any]) -> list[Entry]:
        checked = []
        currency = self.scope.internal.txn.currency
        for i, e in enumerate(entries):
            if not isinstance(e, dict):
                raise ValidationError(f"entries.{i}", "must be {date, reference, description, lines}")
            try:
                checked.append(check_entry(e.get("date"), e.get("reference"), e.get("description"), e.get("lines"),
                                           e.get("entry_type", "imported"), currency))
            except ValidationError as exc:
                raise type(exc)(f"entries.{i}.{exc.field}", exc.message.split(": ", 1)[-1]) from None
            except UnbalancedTransactionError as exc:
                raise UnbalancedTransactionError(exc.total_debits, exc.total_credits, currency,
                                                 entry=f"entries.{i} ({str(e.get('reference')).strip()[:40]})") from None
        return checked

    def reverse(self, entry_id: str, reason: str, date: Any = None) -> c.Emitted:
        self.scope.require("journals.reverse", "reverse journal entries")
        with self.scope.db.write():
            return self.scope.internal.txn.reverse(entry_id, REVERSAL_SC, reason, transaction_date=date)

    def _check_account_ids(self, ids: set[str | None]) -> None:
        types = self.store.entity_types(ids, "gl_account_id")
        for account_id, kind in types.items():
            if kind != "gl_account":
                raise ValidationError("gl_account_id", f"{account_id} is not a GL account")
        st = self.store
        e = core_entities
        inactive = st.rows(st.select(e, e.c.id.in_(list(types)), e.c.status != "active",
                                     columns=[e.c.entity_code, e.c.entity_name]))
        if inactive:
            a = inactive[0]
            raise ValidationError("gl_account_id", f"account {a.entity_code} {a.entity_name} is deactivated; "
                                                   f"reactivate it in the chart of accounts or choose another")

    # ------------------------------------------------------------------ accounts

    def accounts(self) -> list[c.Entity]:
        """The chart of accounts, by account number."""
        uni = self.scope.internal.universal
        with self.scope.db.read():
            out = []
            page = uni.query_entities(entity_type="gl_account", limit=1000)
            out.extend(page.entities)
            while page.next_cursor:
                page = uni.query_entities(entity_type="gl_account", limit=1000, cursor=page.next_cursor)
                out.extend(page.entities)
        return sorted(out, key=lambda e: e.entity_code)

    def account_by_code(self, code: str) -> c.Entity:
        found = self.scope.internal.universal.query_entities(entity_type="gl_account", entity_code=code, limit=1).entities
        if not found:
            from ..domain.errors import NotFoundError
            raise NotFoundError(f"No GL account with number {code}")
        return found[0]

    def add_account(self, code: str, name: str, account_type: str) -> c.Entity:
        self.scope.require("accounts.manage", "change the chart of accounts")
        if account_type not in ("asset", "liability", "equity", "revenue", "expense"):
            raise ValidationError("account_type", "must be asset, liability, equity, revenue or expense")
        if not isinstance(code, str) or not code.strip().isalnum():
            raise ValidationError("code", "an account number is letters and digits, like 6300")
        uni = self.scope.internal.universal
        with self.scope.db.write():
            account = uni.create_entity(entity_type="gl_account", entity_name=name, entity_code=code.strip(),
                                        smart_code=GL_ACCOUNT_SMART_CODE.format(type=account_type.upper()),
                                        classification=account_type)
            uni.set_dynamic_field(account.id, "account_type", account_type, "HERA.FINANCE.GL.DYN.TYPE.V1")
        self.scope.internal.posting.forget_accounts()
        return account


