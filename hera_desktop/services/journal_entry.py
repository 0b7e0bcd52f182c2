"""A journal entry as checked (``check_entry``): every value as it will be recorded, amounts exact, lines
balanced, fields named as a bookkeeper typed or imported them. What ``s.journals`` records one at a time
and ``journal_import`` records by the thousand."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple

from ..domain import contracts as c
from ..domain.errors import UnbalancedTransactionError, ValidationError
from ..domain.money import D, ZERO, check_minor_unit, to_text
from ..storage.jsoncodec import dumps

JOURNAL_SC = "HERA.FINANCE.GL.JOURNAL.ENTRY.V1"
REVERSAL_SC = "HERA.FINANCE.GL.JOURNAL.REVERSAL.V1"
# A line's line_type and smart code, by its side.
LINE_KIND = {"DR": ("dr", "HERA.FINANCE.GL.DR.V1"), "CR": ("cr", "HERA.FINANCE.GL.CR.V1")}
MAX_REFERENCE = 197  # its idempotency key, "je-" and the reference, holds at most 200 characters


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
