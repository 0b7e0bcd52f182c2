"""Transactions and their lines (``s.txn``): emit, read, query, reverse. Never update, never delete.

Each emit is one database transaction: header, lines, hash-chain link, the
general-ledger balance cache, the change feed's event and whatever the business rules
attached to this kind of transaction (automatic posting, stock) all commit together.
"""
from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from operator import attrgetter
from typing import Any, Callable, NamedTuple

from sqlalchemy import and_, bindparam, or_, select

from ..domain import contracts as c
from ..domain.errors import (AlreadyReversedError, DuplicateError, IdempotencyConflictError,
                             OrganizationMismatchError, UnbalancedTransactionError, ValidationError)
from ..domain.arguments import listed
from ..domain.ids import new_id, now_text
from ..domain.money import ZERO, check_minor_unit, round_money, to_text
from ..domain.smart_codes import segment
from ..domain.smart_codes import validate as validate_smart_code
from ..storage.jsoncodec import canonical, canonical_by_value, dumps, normalize
from ..storage import caches
from ..storage.document_numbers import take_numbers
from ..storage.schema import universal_transaction_lines as L
from ..storage.schema import universal_transactions as T
from ..storage.scoped import OrgInList, OrgPrepared, OrgStore
from . import chain
from . import cursor as cursors
from .feed import record_changes

# A rule attached to emitted transactions: called inside the same unit of work.
Rule = Callable[["Recorded"], None]


class Recorded:
    """What was just written, handed to business rules (posting, stock) in the same unit of work."""

    def __init__(self, header: dict[str, Any], lines: list[dict[str, Any]], entity_types: dict[str, str]) -> None:
        self.header = header
        self.lines = lines
        self.entity_types = entity_types

    @property
    def id(self) -> str:
        return self.header["id"]


CODE_PREFIX = {"sale": "SALE", "payment": "PAY", "journal_entry": "JE", "status_change": "STAT",
               "inventory_adjustment": "INV", "day_close": "CLOSE"}
_NUMBERED = re.compile(r"[A-Z0-9]{1,20}-[0-9A-F]{4}-[0-9]{6,}\Z")


def is_gl_journal(smart_code: str) -> bool:
    return smart_code.startswith("HERA.FINANCE.GL.")


class TxnClient:
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
        results: list[c.Emitted | None] = [None] * len(batch)
        fingerprints = [self._fingerprint(d) if d.idempotency_key else None for d in batch]
        seen = self._priors([d.idempotency_key for d in batch if d.idempotency_key])
        reversing = reversal_of is not None
        types = st.entity_types({d.source_entity_id for d in batch}, "source_entity_id", allow_deleted=reversing)
        types.update(st.entity_types({d.target_entity_id for d in batch}, "target_entity_id", allow_deleted=reversing))
        types.update(st.entity_types({ln.entity_id for d in batch for ln in d.lines}, "lines.entity_id",
                                     allow_deleted=reversing))
        for i, data in enumerate(batch):
            if is_gl_journal(data.smart_code):
                self._check_ledger_lines(data, types, f"[{i}]." if len(batch) > 1 else "", reversing)
        seq, prev_hash = self._chain_head()
        now = now_text()
        headers: list[dict[str, Any]] = []
        all_lines: list[dict[str, Any]] = []
        recorded: list[Recorded] = []
        balances: dict[tuple[str, str, str], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
        for i, data in enumerate(batch):
            key = data.idempotency_key
            if key and key in seen:
                results[i] = self._replay(key, seen[key], fingerprints[i], lambda: data)
                continue
            if not data.lines:
                raise ValidationError("lines", "a transaction needs at least one line")
            currency = data.currency or self.currency
            lines = self._lines(data, currency)
            total = self._total(data, lines)
            txn_id = new_id()
            header = {
                "id": txn_id, "organization_id": st.organization_id, "transaction_type": data.transaction_type,
                "transaction_code": self._own_code(data.transaction_code, data.transaction_type, headers) or self._code(
                    data.transaction_type, reversal=reversing),
                "transaction_date": business_time(data.transaction_date), "source_entity_id": data.source_entity_id,
                "target_entity_id": data.target_entity_id, "total_amount": total, "currency": currency,
                "reference": data.reference, "description": data.description, "status": data.status or "posted",
                "smart_code": data.smart_code, "business_context": normalize(data.business_context or {}),
                "metadata": normalize(data.metadata or {}), "idempotency_key": key,
                "idempotency_fingerprint": fingerprints[i], "reversal_of": reversal_of,
                "terminal_id": self.db.terminal_id, "chain_seq": seq, "prev_hash": prev_hash,
                "chain_format": chain.FORMAT,
                "created_at": now, "updated_at": now, "created_by": st.actor_id, "updated_by": st.actor_id,
                "version": 1,
            }
            for line in lines:
                line.update(id=new_id(), transaction_id=txn_id, created_at=now, created_by=st.actor_id)
                if line["dr_cr"] and types.get(line["entity_id"]) == "gl_account":
                    cell = balances[(line["entity_id"], line["currency"], header["transaction_date"][:10])]
                    cell[0 if line["dr_cr"] == "DR" else 1] += line["line_amount"]
            header["content_hash"] = prev_hash = chain.content_hash(header, lines)
            seq += 1
            headers.append(header)
            all_lines.extend(lines)
            recorded.append(Recorded(header, lines, types))
            results[i] = c.Emitted(transaction_id=txn_id, transaction_code=header["transaction_code"],
                                   total_amount=total)
            if key:
                seen[key] = {"fingerprint": fingerprints[i], "result": results[i]}
        st.insert(T, headers)
        self.db.unit_cache[self._chain_key] = (seq, prev_hash)
        st.insert(L, all_lines)
        add_to_balances(st, balances)
        kind = "transaction.reversed" if reversal_of else "transaction.recorded"
        record_changes(st, [(kind, {**rec.header, "lines": rec.lines}) for rec in recorded])
        for rec in recorded:
            for rule in self.rules:
                rule(rec)
        return [r for r in results if r is not None]

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

    def _priors(self, keys: list[str]) -> dict[str, Any]:
        """The transactions already recorded under these idempotency keys, by key."""
        st = self.store
        seen: dict[str, Any] = {}
        for start in range(0, len(keys), 500):
            for row in st.run_in(_PRIOR_BY_KEY, keys[start:start + 500]):
                prior = _Prior(*row)
                seen[prior.idempotency_key] = prior
        return seen

    def _replay(self, key: str, prior: Any, fingerprint: str | None,
                payload: Callable[[], c.TxnEmit]) -> c.Emitted:
        """The first result again for a key already used with the same payload; a conflict otherwise.

        ``prior`` is a recorded transaction, or ``{"fingerprint", "result"}`` for one recorded earlier in
        the same batch. ``payload`` gives the payload as a model, needed only to compare it with the
        fingerprints earlier versions stored.
        """
        if isinstance(prior, dict):
            prior_fp, prior_result = prior["fingerprint"], prior["result"]
        else:
            prior_fp = prior.idempotency_fingerprint
            prior_result = c.Emitted(transaction_id=prior.id, transaction_code=prior.transaction_code,
                                     total_amount=prior.total_amount, replayed=True)
        if prior_fp != fingerprint and prior_fp not in self._earlier_fingerprints(payload()):
            raise IdempotencyConflictError(
                f"idempotency_key {key!r} was already used for a different transaction "
                f"({prior_result.transaction_code})", transaction_id=prior_result.transaction_id)
        return prior_result.model_copy(update={"replayed": True})

    @staticmethod
    def _fingerprint(data: c.TxnEmit) -> str:
        """What makes two payloads the same: every field, amounts compared by value.

        SHA-256 of one compact JSON array of the payload's values in field order,
        then each line's, amounts as exact text and mappings as canonical JSON
        text: the same comparison as the earlier fingerprints, at a third of
        their cost (an import fingerprints every entry).
        """
        values: list[Any] = list(_EMIT_VALUES(data))
        values[_EMIT_AMOUNT] = _by_value(values[_EMIT_AMOUNT])
        moment = values[_EMIT_DATE]
        values[_EMIT_DATE] = None if moment is None else moment.isoformat()
        for i in _EMIT_JSON:
            values[i] = _json_by_value(values[i])
        for ln in data.lines:
            row = list(_LINE_VALUES(ln))
            for i in _LINE_AMOUNTS:
                row[i] = _by_value(row[i])
            row[_LINE_JSON] = _json_by_value(row[_LINE_JSON])
            values.append(row)
        return payload_fingerprint(values)

    @staticmethod
    def _earlier_fingerprints(data: c.TxnEmit) -> tuple[str, str]:
        """The fingerprints earlier versions stored for the same payload, still honoured for their keys:
        canonical JSON of the whole payload with amounts by value, and before that with amounts as
        written ("1.50" was not 1.5)."""
        dumped = data.model_dump(exclude={"organization_id"})
        return (hashlib.sha256(canonical_by_value(dumped).encode()).hexdigest(),
                hashlib.sha256(canonical(dumped).encode()).hexdigest())

    def _lines(self, data: c.TxnEmit, currency: str) -> list[dict[str, Any]]:
        lines: list[dict[str, Any]] = []
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
            lines.append({"line_number": number, "line_type": ln.line_type, "entity_id": ln.entity_id,
                          "quantity": ln.quantity, "unit_price": ln.unit_price, "line_amount": amount,
                          "dr_cr": ln.dr_cr, "currency": line_currency, "smart_code": ln.smart_code,
                          "description": ln.description, "metadata": normalize(ln.metadata or {})})
        if balanced:
            check_balanced(lines)
        return lines

    def _total(self, data: c.TxnEmit, lines: list[dict[str, Any]]) -> Decimal:
        if any(ln["dr_cr"] for ln in lines):
            total = sum((ln["line_amount"] for ln in lines if ln["dr_cr"] == "DR"), ZERO)
        else:
            total = sum((ln["line_amount"] for ln in lines if ln["line_amount"] is not None), ZERO)
        if data.total_amount is not None and data.total_amount != total:
            raise ValidationError("total_amount", f"is {data.total_amount} but the lines add up to {total}")
        return total

    @property
    def _chain_key(self) -> tuple[str, str, str]:
        return ("chain head", self.store.organization_id, self.db.terminal_id)

    def _chain_head(self) -> tuple[int, str]:
        """The next number in this terminal's chain and the hash it follows.

        Read once per unit of work (whose write lock keeps other writers out),
        then carried forward as transactions are recorded.
        """
        head = self.db.unit_cache.get(self._chain_key)
        if head is None:
            rows = self.store.run(_CHAIN_HEAD, {"terminal": self.db.terminal_id})
            head = (1, chain.GENESIS) if not rows else (rows[0][0] + 1, rows[0][1])
        return head

    def _code(self, transaction_type: str, _chain_seq: int | None = None, reversal: bool = False) -> str:
        """The document's number: the next of its type on this terminal, taken in this unit of work.

        Numbers no longer follow the hash chain, so ``_chain_seq`` is not used (older callers pass it).
        A reversal is a document of its own type: a sale's is a refund (REF), others' REV<prefix>.
        """
        return self._codes(transaction_type, 1, reversal)[0]

    def _codes(self, transaction_type: str, count: int, reversal: bool = False) -> list[str]:
        """The next ``count`` document numbers of a type on this terminal, taken at once (imports)."""
        prefix = CODE_PREFIX.get(transaction_type) or segment(transaction_type)[:6].strip("_")
        if reversal:
            prefix = "REF" if transaction_type == "sale" else f"REV{prefix}"
        terminal = self.db.terminal_id[-4:].upper()
        return [f"{prefix}-{terminal}-{n:06d}" for n in
                take_numbers(self.store.conn, self.store.organization_id, self.db.terminal_id, prefix, count)]

    def _own_code(self, code: str | None, transaction_type: str, pending: list[dict[str, Any]]) -> str | None:
        """A code the caller chose, unless it has the form of this terminal's own numbers (it could repeat one)
        or a document of its type already has it (``pending``: the headers of this batch so far). The
        database holds codes unique per organization and type as well (migration 0008)."""
        if code is None:
            return None
        if _NUMBERED.match(code) and code.split("-")[1] == self.db.terminal_id[-4:].upper():
            raise ValidationError("transaction_code", f"{code} has the form of the numbers this terminal gives "
                                                      "documents; leave it out to get the next one, or choose another")
        st = self.store
        taken = any(h["transaction_code"] == code and h["transaction_type"] == transaction_type for h in pending) \
            or st.first(st.select(T, T.c.transaction_type == transaction_type, T.c.transaction_code == code,
                                  columns=[T.c.id])) is not None
        if taken:
            raise DuplicateError(f"transaction_code: another {transaction_type.replace('_', ' ')} is already "
                                 f"numbered {code}", field="transaction_code")
        return code

    # ------------------------------------------------------------------ read & query

    def read(self, transaction_id: str, include_lines: bool = True) -> c.Transaction:
        with self.db.read():
            st = self.store
            row = st.get(T, transaction_id, "transaction")
            return self._hydrate([row], include_lines)[0]

    def _hydrate(self, rows: list[Any], include_lines: bool) -> list[c.Transaction]:
        st = self.store
        ids = [r.id for r in rows]
        reversed_by: dict[str, str] = {}
        lines: dict[str, list[c.TxnLine]] = defaultdict(list)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for r in st.rows(st.select(T, T.c.reversal_of.in_(chunk), columns=[T.c.id, T.c.reversal_of])):
                reversed_by[r.reversal_of] = r.id
            if include_lines:
                for ln in st.rows(st.select(L, L.c.transaction_id.in_(chunk)).order_by(L.c.line_number)):
                    lines[ln.transaction_id].append(c.TxnLine.model_validate(ln._mapping))
        return [c.Transaction.model_validate({**r._mapping, "reversed_by": reversed_by.get(r.id),
                                              "lines": lines.get(r.id, [])}) for r in rows]

    def query(self, transaction_type: str | None = None, source_entity_id: str | None = None,
              target_entity_id: str | None = None, date_from: Any = None, date_to: Any = None,
              smart_code_like: str | None = None, reference: str | None = None, include_lines: bool = False,
              limit: int | None = None, cursor: str | None = None,
              organization_id: str | None = None) -> c.TransactionPage:
        if organization_id is not None and organization_id != self.store.organization_id:
            raise OrganizationMismatchError("organization_id is not the organization you are working in")
        n = cursors.page_limit(limit)
        where: list[Any] = []
        for name, value in (("transaction_type", transaction_type), ("source_entity_id", source_entity_id),
                            ("target_entity_id", target_entity_id), ("reference", reference)):
            if value is not None:
                if not isinstance(value, str):
                    raise ValidationError(name, "must be text")
                where.append(T.c[name] == value)
        if smart_code_like is not None:
            if not isinstance(smart_code_like, str):
                raise ValidationError("smart_code_like", "must be text")
            pattern = smart_code_like.replace("\\", "\\\\").replace("_", "\\_").replace("*", "%")
            if "%" not in pattern:
                pattern += "%"
            where.append(T.c.smart_code.like(pattern, escape="\\"))
        if date_from is not None:
            where.append(T.c.transaction_date >= _date_bound(date_from, "date_from"))
        if date_to is not None:
            bound = _date_bound(date_to, "date_to")
            where.append(T.c.transaction_date <= (bound + "T99" if len(bound) == 10 else bound))
        if cursor:
            after_at, after_id = cursors.decode(cursor)
            where.append(or_(T.c.created_at > after_at, and_(T.c.created_at == after_at, T.c.id > after_id)))
        with self.db.read():
            st = self.store
            rows = st.rows(st.select(T, *where).order_by(T.c.created_at, T.c.id).limit(n + 1))
            more = len(rows) > n
            rows = rows[:n]
            txns = self._hydrate(rows, include_lines)
        nxt = cursors.encode(rows[-1].created_at, rows[-1].id) if more else None
        return c.TransactionPage(transactions=txns, next_cursor=nxt)

    def latest_of(self, source_entity_id: str, limit: int = 200) -> list[c.Transaction]:
        """The most recent transactions whose source is this record (a customer's orders, say), newest first."""
        if not isinstance(source_entity_id, str):
            raise ValidationError("source_entity_id", "must be text")
        n = cursors.page_limit(limit)
        with self.db.read():
            st = self.store
            rows = st.rows(st.select(T, T.c.source_entity_id == source_entity_id)
                           .order_by(T.c.created_at.desc(), T.c.id.desc()).limit(n))
            return self._hydrate(rows, False)

    # ------------------------------------------------------------------ reverse

    def reverse(self, original_transaction_id: str, smart_code: str, reason: str,
                transaction_date: Any = None) -> c.Emitted:
        validate_smart_code(smart_code)
        if not isinstance(reason, str) or not reason.strip():
            raise ValidationError("reason", "a reason is required to reverse a transaction")
        with self.db.write():
            st = self.store
            original = st.get(T, original_transaction_id, "transaction")
            if original.reversal_of is not None:
                raise AlreadyReversedError(f"{original.transaction_code} is itself a reversal and cannot be reversed")
            done = st.first(st.select(T, T.c.reversal_of == original.id, columns=[T.c.transaction_code]))
            if done is not None:
                raise AlreadyReversedError(f"{original.transaction_code} was already reversed by {done.transaction_code}")
            lines = st.rows(st.select(L, L.c.transaction_id == original.id).order_by(L.c.line_number))
            mirrored = []
            for ln in lines:
                flip = ln.dr_cr is None
                mirrored.append({
                    "line_number": ln.line_number, "line_type": ln.line_type, "entity_id": ln.entity_id,
                    "quantity": -ln.quantity if flip and ln.quantity is not None else ln.quantity,
                    "unit_price": ln.unit_price,
                    "line_amount": -ln.line_amount if flip and ln.line_amount is not None else ln.line_amount,
                    "dr_cr": {"DR": "CR", "CR": "DR"}.get(ln.dr_cr or ""), "currency": ln.currency,
                    "smart_code": ln.smart_code, "description": ln.description,
                    "metadata": {**(ln.metadata or {}), "reversal_of_line": ln.id}})
            why = reason.strip()[:500]
            payload = c.parse(
                c.TxnEmit, transaction_type=original.transaction_type, smart_code=smart_code,
                transaction_date=transaction_date, source_entity_id=original.source_entity_id,
                target_entity_id=original.target_entity_id, currency=original.currency,
                reference=original.reference, description=f"Reversal of {original.transaction_code}: {why}",
                business_context={**(original.business_context or {}), "reversal_reason": why,
                                  "reversal_of": original.id, "reversal_of_code": original.transaction_code},
                metadata={"reversal_of": original.id}, lines=mirrored, require_balance=False)
            return self._emit(payload, reversal_of=original.id)


def check_balanced(lines: list[dict[str, Any]]) -> None:
    per_currency: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for ln in lines:
        if ln["dr_cr"]:
            per_currency[ln["currency"] or ""][0 if ln["dr_cr"] == "DR" else 1] += ln["line_amount"]
    for currency, (dr, cr) in per_currency.items():
        if dr != cr:
            raise UnbalancedTransactionError(dr, cr, currency)


def add_to_balances(store: OrgStore, sums: dict[tuple[str, str, str], list[Decimal]]) -> None:
    """Add DR/CR totals per (account, currency, day) to the trial balance's caches."""
    caches.add_to_gl(store, sums)


class _Prior(NamedTuple):
    id: str
    transaction_code: str
    total_amount: Decimal
    idempotency_key: str
    idempotency_fingerprint: str | None


_PRIOR_BY_KEY = OrgInList(lambda keys: select(T.c.id, T.c.transaction_code, T.c.total_amount, T.c.idempotency_key,
                                              T.c.idempotency_fingerprint)
                          .where(T.c.idempotency_key.in_(keys)))
_CHAIN_HEAD = OrgPrepared(select(T.c.chain_seq, T.c.content_hash)
                          .where(T.c.terminal_id == bindparam("terminal"))
                          .order_by(T.c.chain_seq.desc()).limit(1))


# A payload's fingerprint covers these fields, in this order, then its lines' LINE_IN_FIELDS.
EMIT_FIELDS = tuple(f for f in c.TxnEmit.model_fields if f not in ("organization_id", "lines"))
LINE_IN_FIELDS = tuple(c.TxnLineIn.model_fields)
_EMIT_VALUES = attrgetter(*EMIT_FIELDS)
_EMIT_AMOUNT = EMIT_FIELDS.index("total_amount")
_EMIT_DATE = EMIT_FIELDS.index("transaction_date")
_EMIT_JSON = (EMIT_FIELDS.index("business_context"), EMIT_FIELDS.index("metadata"))
_LINE_VALUES = attrgetter(*LINE_IN_FIELDS)
_LINE_AMOUNTS = tuple(LINE_IN_FIELDS.index(f) for f in ("quantity", "unit_price", "line_amount"))
_LINE_JSON = LINE_IN_FIELDS.index("metadata")


def payload_fingerprint(values: list[Any]) -> str:
    """A payload's idempotency fingerprint from its values: those of ``EMIT_FIELDS`` in order, then one list
    per line of its ``LINE_IN_FIELDS`` values; amounts as exact text (by value), the date as ISO text,
    mappings as canonical JSON text. Writers that hold a payload in that form hash it here directly."""
    return hashlib.sha256(dumps(["payload 2", *values]).encode()).hexdigest()


def _by_value(amount: Decimal | None) -> str | None:
    return None if amount is None else to_text(amount)


def _json_by_value(value: dict[str, Any] | None) -> str | None:
    if value is None:
        return None
    return canonical_by_value(value) if value else "{}"


def business_time(moment: datetime | None) -> str:
    """The business's wall-clock time of the transaction (its day is what reports group by)."""
    if moment is None:
        moment = datetime.now()
    elif moment.tzinfo is not None:
        moment = moment.astimezone().replace(tzinfo=None)
    return moment.isoformat(timespec="microseconds")  # as strftime("%Y-%m-%dT%H:%M:%S.%f"), in a third of the time


def _date_bound(value: Any, field: str) -> str:
    try:
        parsed = c._txn_date(value)
    except ValueError as exc:
        raise ValidationError(field, str(exc)) from None
    if isinstance(value, str) and len(value.strip()) == 10:
        return value.strip()
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()  # a day, like "2024-03-01": the whole day, as for text
    return business_time(parsed)
