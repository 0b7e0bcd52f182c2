"""Journal entries (``s.journals``): balanced, exact, on the organization's GL accounts.

Posting the same reference again with the same lines returns the first entry;
with different lines it is refused, naming the entry that already has it.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict

from ..domain import contracts as c
from ..domain.errors import ValidationError
from ..domain.money import D, ZERO
from ..storage.schema import core_entities

JOURNAL_SC = "HERA.FINANCE.GL.JOURNAL.ENTRY.V1"
REVERSAL_SC = "HERA.FINANCE.GL.JOURNAL.REVERSAL.V1"


class BalanceValidation(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)
    total_debits: Decimal
    total_credits: Decimal
    balanced: bool


class JournalResult(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)
    journal_entry: c.Emitted
    balance_validation: BalanceValidation


class Journals:
    def __init__(self, scope: Any) -> None:
        self.scope = scope
        self.store = scope.store

    def create_entry(self, date: Any = None, reference: str | None = None, description: str | None = None,
                     lines: list[dict[str, Any]] | None = None, entry_type: str = "manual") -> JournalResult:
        self.scope.require("journals.post", "post journal entries")
        payload = self._payload(date, reference, description, lines, entry_type)
        with self.scope.db.write():
            self._check_accounts(payload)
            emitted = self.scope.txn._emit(payload)
        return self._result(emitted, payload)

    def import_entries(self, entries: list[dict[str, Any]]) -> list[JournalResult]:
        """Post many entries at once (all or none), e.g. from another bookkeeping system."""
        self.scope.require("journals.post", "post journal entries")
        payloads = []
        for i, e in enumerate(entries):
            try:
                payloads.append(self._payload(e.get("date"), e.get("reference"), e.get("description"),
                                              e.get("lines"), e.get("entry_type", "imported")))
            except ValidationError as exc:
                raise ValidationError(f"entries.{i}.{exc.field}", exc.message.split(": ", 1)[-1]) from None
        with self.scope.db.write():
            accounts = {ln.entity_id for p in payloads for ln in p.lines}
            self._check_account_ids(accounts)
            emitted = self.scope.txn._record(payloads)
        return [self._result(e, p) for e, p in zip(emitted, payloads)]

    def reverse(self, entry_id: str, reason: str, date: Any = None) -> c.Emitted:
        self.scope.require("journals.reverse", "reverse journal entries")
        with self.scope.db.write():
            return self.scope.txn.reverse(entry_id, REVERSAL_SC, reason, transaction_date=date)

    # ------------------------------------------------------------------ building

    def _payload(self, date: Any, reference: Any, description: Any, lines: Any, entry_type: str) -> c.TxnEmit:
        if not isinstance(reference, str) or not reference.strip():
            raise ValidationError("reference", "a journal entry needs a reference, like INV-12345")
        if not isinstance(lines, list) or len(lines) < 2:
            raise ValidationError("lines", "a journal entry needs at least two lines")
        out = []
        debits = credits = ZERO
        for i, ln in enumerate(lines):
            if not isinstance(ln, dict):
                raise ValidationError(f"lines.{i}", "must be {gl_account_id, amount, dr_cr, description}")
            side = ln.get("dr_cr", ln.get("drCr"))
            side = side.upper() if isinstance(side, str) else side
            if side not in ("DR", "CR"):
                raise ValidationError(f"lines.{i}.dr_cr", "must be DR or CR")
            amount = D(ln.get("amount"), f"lines.{i}.amount")
            if amount <= 0:
                raise ValidationError(f"lines.{i}.amount", "must be more than zero")
            if side == "DR":
                debits += amount
            else:
                credits += amount
            account = ln.get("gl_account_id")
            if not isinstance(account, str) or not account:
                raise ValidationError(f"lines.{i}.gl_account_id", "each line needs a GL account")
            meta = {"reference": ln["reference"]} if ln.get("reference") else {}
            out.append({"line_number": i + 1, "line_type": side.lower(), "entity_id": account, "line_amount": amount,
                        "dr_cr": side, "smart_code": f"HERA.FINANCE.GL.{side}.V1",
                        "description": ln.get("description"), "metadata": meta})
        return c.parse(c.TxnEmit, {
            "transaction_type": "journal_entry", "smart_code": JOURNAL_SC, "transaction_date": date,
            "reference": reference.strip(), "description": description,
            "business_context": {"entry_type": entry_type, "balanced": debits == credits,
                                 "total_amount": str(debits)},
            "lines": out, "require_balance": True, "idempotency_key": f"je-{reference.strip()}"})

    def _check_accounts(self, payload: c.TxnEmit) -> None:
        self._check_account_ids({ln.entity_id for ln in payload.lines})

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

    @staticmethod
    def _result(emitted: c.Emitted, payload: c.TxnEmit) -> JournalResult:
        debits = credits = ZERO
        for ln in payload.lines:
            if ln.dr_cr == "DR":
                debits += ln.line_amount
            else:
                credits += ln.line_amount
        return JournalResult.model_validate({"journal_entry": emitted, "balance_validation": {
            "total_debits": debits, "total_credits": credits, "balanced": True}})

    # ------------------------------------------------------------------ accounts

    def accounts(self) -> list[c.Entity]:
        """The chart of accounts, by account number."""
        uni = self.scope.universal
        with self.scope.db.read():
            out = []
            page = uni.query_entities(entity_type="gl_account", limit=1000)
            out.extend(page.entities)
            while page.next_cursor:
                page = uni.query_entities(entity_type="gl_account", limit=1000, cursor=page.next_cursor)
                out.extend(page.entities)
        return sorted(out, key=lambda e: e.entity_code)

    def account_by_code(self, code: str) -> c.Entity:
        found = self.scope.universal.query_entities(entity_type="gl_account", entity_code=code, limit=1).entities
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
        uni = self.scope.universal
        with self.scope.db.write():
            account = uni.create_entity(entity_type="gl_account", entity_name=name, entity_code=code.strip(),
                                        smart_code=GL_ACCOUNT_SMART_CODE.format(type=account_type.upper()),
                                        classification=account_type)
            uni.set_dynamic_field(account.id, "account_type", account_type, "HERA.FINANCE.GL.DYN.TYPE.V1")
        self.scope.posting._accounts = None
        return account


