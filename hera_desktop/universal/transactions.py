"""Transactions and their lines (``s.txn``): emit, read, query, reverse. Never update, never delete.

Each emit is one database transaction: header, lines, hash-chain link, the
general-ledger balance cache, the change feed's event and whatever the business rules
attached to this kind of transaction (automatic posting, stock) all commit together.
Here payloads are checked and turned into drafts; ``transaction_writer`` records them
(as it records every transaction), ``idempotency`` answers repeated keys,
``transaction_queries`` reads and ``reversals`` reverses.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from ..domain import contracts as c
from ..domain.arguments import listed
from ..domain.errors import (DuplicateError, OrganizationMismatchError, UnbalancedTransactionError,
                             ValidationError)
from ..domain.money import ZERO, check_minor_unit, optional_text, round_money
from ..storage.document_numbers import NUMBERED, terminal_mark
from ..storage.jsoncodec import normalize
from ..storage.schema import universal_transactions as T
from ..storage.scoped import OrgStore
from . import idempotency
from .reversals import TransactionReversals
from .transaction_queries import TransactionQueries, business_time
from .transaction_writer import CODE_PREFIX, Draft, DraftLine, Recorded, Rule, json_text, write

__all__ = ["CODE_PREFIX", "Recorded", "Rule", "TxnClient", "business_time", "check_balanced", "is_gl_journal"]


def is_gl_journal(smart_code: str) -> bool:
    return smart_code.startswith("HERA.FINANCE.GL.")


class TxnClient(TransactionQueries, TransactionReversals):
    """Transactions of one organization: recorded once, hash-chained, corrected only by reversal.
    Who may call it is decided at the door (``public_calls``)."""

    def __init__(self, store: OrgStore, currency: str, rules: list[Rule] | None = None) -> None:
        self.store = store
        self.db = store.db
        self.currency = currency
        self.rules = rules if rules is not None else []

    # ------------------------------------------------------------------ emit

    def emit(self, payload: Any = None, **kwargs: Any) -> c.Emitted:
        data = c.parse(c.TxnEmit, payload, **kwargs)
        if data.organization_id is not None and data.organization_id != self.store.organization_id:
            raise OrganizationMismatchError("organization_id of the transaction is not the organization you are working in")
        with self.db.write():
            return self._emit(data)

    def _emit(self, data: c.TxnEmit, reversal_of: str | None = None) -> c.Emitted:
        return self._record([data], reversal_of)[0]

    def emit_many(self, payloads: list[Any]) -> list[c.Emitted]:
        """Emit many transactions in one unit of work with batched writes (imports): all or none."""
        batch = []
        for i, payload in enumerate(listed("payloads", payloads, "transaction payloads")):
            try:
                data = c.parse(c.TxnEmit, payload)
            except ValidationError as exc:
                raise type(exc)(f"[{i}].{exc.field}", exc.message.split(": ", 1)[-1]) from None
            if data.organization_id is not None and data.organization_id != self.store.organization_id:
                raise OrganizationMismatchError(f"[{i}].organization_id is not the organization you are working in")
            batch.append(data)
        with self.db.write():
            return self._record(batch)

    def _record(self, batch: list[c.TxnEmit], reversal_of: str | None = None) -> list[c.Emitted]:
        st = self.store
        fingerprints = [idempotency.fingerprint(d) if d.idempotency_key else None for d in batch]
        keyed = idempotency.KeyedResults(st, [d.idempotency_key for d in batch])
        reversing = reversal_of is not None
        types = st.entity_types({d.source_entity_id for d in batch}, "source_entity_id", allow_deleted=reversing)
        types.update(st.entity_types({d.target_entity_id for d in batch}, "target_entity_id", allow_deleted=reversing))
        types.update(st.entity_types({ln.entity_id for d in batch for ln in d.lines}, "lines.entity_id",
                                     allow_deleted=reversing))
        drafts: list[Draft] = []
        for i, data in enumerate(batch):
            if keyed.answered(i, data.idempotency_key, fingerprints[i], data):
                continue
            if is_gl_journal(data.smart_code):
                self._check_ledger_lines(data, types, f"[{i}]." if len(batch) > 1 else "", reversing)
            drafts.append(self._draft(data, fingerprints[i], reversal_of, drafts))
        return keyed.emitted(rec.header for rec in write(st, drafts, types, self.rules, reversing))

    def _draft(self, data: c.TxnEmit, fingerprint: str | None, reversal_of: str | None,
               pending: list[Draft]) -> Draft:
        if not data.lines:
            raise ValidationError("lines", "a transaction needs at least one line")
        currency = data.currency or self.currency
        lines = self._lines(data, currency)
        total = self._total(data, lines)
        context = normalize(data.business_context or {})
        metadata = normalize(data.metadata or {})
        return Draft(
            data.transaction_type, self._own_code(data.transaction_code, data.transaction_type, pending),
            business_time(data.transaction_date), data.source_entity_id, data.target_entity_id, total, currency,
            data.reference, data.description, data.status or "posted", data.smart_code, context, json_text(context),
            metadata, json_text(metadata), data.idempotency_key, fingerprint, reversal_of, lines, data.id)

    def _check_ledger_lines(self, data: c.TxnEmit, types: dict[str, str], where: str, reversing: bool) -> None:
        """A general-ledger journal posts only to this organization's GL accounts, active ones unless it is
        a reversal (which repeats what the original posted): otherwise the trial balance stops balancing."""
        for j, ln in enumerate(data.lines):
            field = f"{where}lines.{j}.entity_id"
            if ln.entity_id is None:
                raise ValidationError(field, "a general-ledger line must name the GL account it posts to")
            kind = types.get(ln.entity_id)
            if kind != "gl_account":
                raise ValidationError(field, f"{ln.entity_id} is a {kind}, not a GL account; a general-ledger "
                                             f"line posts to one of the chart of accounts")
            status = self.store.entity_status(ln.entity_id)
            if status != "active" and not reversing:
                raise ValidationError(field, f"GL account {ln.entity_id} is {status}; reactivate it in the chart "
                                             f"of accounts or choose another")

    def _lines(self, data: c.TxnEmit, currency: str) -> list[DraftLine]:
        lines: list[DraftLine] = []
        numbers: set[int] = set()
        balanced = data.require_balance or is_gl_journal(data.smart_code)
        mirroring = bool((data.metadata or {}).get("reversal_of"))
        for i, ln in enumerate(data.lines):
            number = ln.line_number or i + 1
            if number in numbers:
                raise ValidationError(f"lines.{i}.line_number", f"line number {number} is used twice")
            numbers.add(number)
            amount, line_currency = ln.line_amount, ln.currency or currency
            if amount is None and ln.quantity is not None and ln.unit_price is not None:
                # Valued as sales and stock movements value their lines: half-up to the currency's minor unit.
                amount = round_money(ln.quantity * ln.unit_price, line_currency)
            elif amount is not None and not (mirroring and (ln.metadata or {}).get("reversal_of_line")):
                # Every line amount is money in the line's currency; finer is float noise or a slip, and is
                # refused rather than rounded into another amount. A reversal mirrors what was recorded.
                check_minor_unit(amount, line_currency, f"lines.{i}.line_amount")
            if balanced:
                if ln.dr_cr is None:
                    raise ValidationError(f"lines.{i}.dr_cr", "every line of a balanced entry must be DR or CR")
                if amount is None or amount <= 0:
                    raise ValidationError(f"lines.{i}.line_amount", "must be a positive amount")
            elif ln.dr_cr is not None and amount is None:
                raise ValidationError(f"lines.{i}.line_amount", "a DR or CR line needs an amount")
            metadata = normalize(ln.metadata or {})
            lines.append(DraftLine(number, ln.line_type, ln.entity_id, ln.quantity, ln.unit_price, amount,
                                   optional_text(amount), ln.dr_cr, line_currency, ln.smart_code, ln.description,
                                   metadata, json_text(metadata), ln.id))
        if balanced:
            check_balanced(lines)
        return lines

    def _total(self, data: c.TxnEmit, lines: list[DraftLine]) -> Decimal:
        if any(ln.dr_cr for ln in lines):
            total = sum((ln.line_amount or ZERO for ln in lines if ln.dr_cr == "DR"), ZERO)
        else:
            total = sum((ln.line_amount for ln in lines if ln.line_amount is not None), ZERO)
        if data.total_amount is not None and data.total_amount != total:
            raise ValidationError("total_amount", f"is {data.total_amount} but the lines add up to {total}")
        return total

    def _own_code(self, code: str | None, transaction_type: str, pending: list[Draft]) -> str | None:
        """A code the caller chose, unless it has the form of this terminal's own numbers (it could repeat one)
        or a document of its type already has it (``pending``: the drafts of this batch so far). The
        database holds codes unique per organization and type as well (migration 0008)."""
        if code is None:
            return None
        numbered = NUMBERED.match(code)
        if numbered is not None and numbered[2] == terminal_mark(self.db.terminal_id):
            raise ValidationError("transaction_code", f"{code} has the form of the numbers this terminal gives "
                                                      "documents; leave it out to get the next one, or choose another")
        st = self.store
        taken = any(d.transaction_code == code and d.transaction_type == transaction_type for d in pending) \
            or st.first(st.select(T, T.c.transaction_type == transaction_type, T.c.transaction_code == code,
                                  columns=[T.c.id])) is not None
        if taken:
            raise DuplicateError(f"transaction_code: another {transaction_type.replace('_', ' ')} is already "
                                 f"numbered {code}", field="transaction_code")
        return code


def check_balanced(lines: list[DraftLine]) -> None:
    per_currency: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for ln in lines:
        if ln.dr_cr and ln.line_amount is not None:
            per_currency[ln.currency or ""][0 if ln.dr_cr == "DR" else 1] += ln.line_amount
    for currency, (dr, cr) in per_currency.items():
        if dr != cr:
            raise UnbalancedTransactionError(dr, cr, currency)
