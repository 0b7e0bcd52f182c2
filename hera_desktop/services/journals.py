"""Journal entries (``s.journals``): balanced, exact, on the organization's GL accounts.

Posting the same reference again with the same lines returns the first entry;
with different lines it is refused, naming the entry that already has it.
"""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple

from ..domain import contracts as c
from ..domain.contracts.journals import JournalResult
from ..domain.errors import UnbalancedTransactionError, ValidationError
from ..domain.money import D, ZERO, check_minor_unit, to_text
from ..storage.jsoncodec import dumps
from ..storage.schema import core_entities

JOURNAL_SC = "HERA.FINANCE.GL.JOURNAL.ENTRY.V1"
REVERSAL_SC = "HERA.FINANCE.GL.JOURNAL.REVERSAL.V1"
# A line's line_type and smart code, by its side.
LINE_KIND = {"DR": ("dr", "HERA.FINANCE.GL.DR.V1"), "CR": ("cr", "HERA.FINANCE.GL.CR.V1")}
MAX_REFERENCE = 197  # its idempotency key, "je-" and the reference, holds at most 200 characters


def result(emitted: c.Emitted, debits: Decimal, credits: Decimal) -> JournalResult:
    return JournalResult.model_validate({"journal_entry": emitted, "balance_validation": {
        "total_debits": debits, "total_credits": credits, "balanced": debits == credits}})


class EntryLine(NamedTuple):
    number: int
    side: str  # DR or CR
    account: str
    amount: Decimal
    description: str | None
    reference: str | None
    amount_text: str  # the amount as stored: exact text


class Entry(NamedTuple):
    """A journal entry as checked: every value as it will be recorded."""
    moment: datetime | None  # None: now
    reference: str
    description: str | None
    entry_type: str
    lines: list[EntryLine]
    debits: Decimal

    @property
    def key(self) -> str:
        return f"je-{self.reference}"

    @property
    def business_context(self) -> dict[str, Any]:
        return {"entry_type": self.entry_type, "balanced": True, "total_amount": str(self.debits)}

    @property
    def business_context_text(self) -> str:
        """``canonical(self.business_context)``, written out (the total's text needs no escaping)."""
        return f'{{"balanced":true,"entry_type":{dumps(self.entry_type)},"total_amount":"{self.debits}"}}'


def _text(value: Any, field: str, limit: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError(field, "must be text")
    value = value.strip()
    if len(value) > limit:
        raise ValidationError(field, f"is too long (at most {limit} characters)")
    return value


def check_entry(date: Any, reference: Any, description: Any, lines: Any, entry_type: Any,
                currency: str) -> Entry:
    """Check a journal entry as a bookkeeper typed or imported it; errors name the field.

    Everything a transaction payload would refuse is refused here, with the
    journal's own field names, so an entry that passes always records.
    """
    if not isinstance(reference, str) or not reference.strip():
        raise ValidationError("reference", "a journal entry needs a reference, like INV-12345")
    reference = _text(reference, "reference", MAX_REFERENCE)  # type: ignore[assignment]
    try:
        moment = c._txn_date(date)
    except ValueError as exc:
        raise ValidationError("date", str(exc)) from None
    description = _text(description, "description", 2000)
    if not isinstance(entry_type, str) or not entry_type.strip():
        raise ValidationError("entry_type", "must be text, like imported")
    entry_type = _text(entry_type, "entry_type", 100)  # type: ignore[assignment]
    if not isinstance(lines, list) or len(lines) < 2:
        raise ValidationError("lines", "a journal entry needs at least two lines")
    if len(lines) > 10000:
        raise ValidationError("lines", "has too many lines (at most 10000)")
    out = []
    debits = credits = ZERO
    for i, ln in enumerate(lines):
        if not isinstance(ln, dict):
            raise ValidationError(f"lines.{i}", "must be {gl_account_id, amount, dr_cr, description}")
        side = ln.get("dr_cr", ln.get("drCr"))
        side = side.upper() if isinstance(side, str) else side
        if side not in ("DR", "CR"):
            raise ValidationError(f"lines.{i}.dr_cr", "must be DR or CR")
        amount = check_minor_unit(D(ln.get("amount"), f"lines.{i}.amount"), currency, f"lines.{i}.amount")
        if amount <= 0:
            raise ValidationError(f"lines.{i}.amount", "must be more than zero")
        if side == "DR":
            debits += amount
        else:
            credits += amount
        account = ln.get("gl_account_id")
        if not isinstance(account, str) or not account.strip():
            raise ValidationError(f"lines.{i}.gl_account_id", "each line needs a GL account")
        out.append(EntryLine(i + 1, side, account.strip(), amount,
                             _text(ln.get("description"), f"lines.{i}.description", 2000),
                             _text(ln.get("reference") or None, f"lines.{i}.reference", 200), to_text(amount)))
    if debits != credits:
        raise UnbalancedTransactionError(debits, credits, currency)
    return Entry(moment, reference, description, entry_type, out, debits)  # type: ignore[arg-type]


def as_payload(entry: Entry) -> c.TxnEmit:
    """The entry as the universal API records it: a balanced GL journal keyed by its reference."""
    return c.parse(c.TxnEmit, {
        "transaction_type": "journal_entry", "smart_code": JOURNAL_SC, "transaction_date": entry.moment,
        "reference": entry.reference, "description": entry.description,
        "business_context": entry.business_context,
        "lines": [{"line_number": ln.number, "line_type": LINE_KIND[ln.side][0], "entity_id": ln.account,
                   "line_amount": ln.amount, "dr_cr": ln.side, "smart_code": LINE_KIND[ln.side][1],
                   "description": ln.description, "metadata": {"reference": ln.reference} if ln.reference else {}}
                  for ln in entry.lines],
        "require_balance": True, "idempotency_key": entry.key})


class Journals:
    def __init__(self, scope: Any) -> None:
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

    def import_entries(self, entries: list[dict[str, Any]]) -> list[JournalResult]:
        """Post many entries at once (all or none), e.g. from another bookkeeping system.

        Every entry is checked before anything is written; then they are written
        by ``JournalImport`` in one unit of work, with the same rows, hash chain,
        idempotency and events as ``create_entry``, at several thousand a second.
        """
        from .journal_import import JournalImport, collector_paused

        self.scope.require("journals.post", "post journal entries")
        if not isinstance(entries, list):
            raise ValidationError("entries", "must be a list of journal entries")
        with collector_paused():
            checked = self._checked(entries)
            with self.scope.db.write(bulk=True):
                self._check_account_ids({ln.account for e in checked for ln in e.lines})
                return JournalImport(self.scope).write(checked)

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
        from .setup import GL_ACCOUNT_SMART_CODE

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
        self.scope.internal.posting._accounts = None
        return account


