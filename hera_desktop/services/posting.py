"""Automatic posting to the general ledger, by rules kept as data in the organization's records.

A rule is keyed by the smart code of the transaction it posts, and lists the
journal lines to make: a side, an account code (or a choice of account by a
business-context value such as the payment method) and an amount expression:
``total``, ``-total``, or ``lines:<LINE_TYPE>``. A negative amount posts to the
opposite side, so one rule serves a stock count that went up or down. With
``{"by_line": key, "default": code}`` as the account, each line of the type posts to
the account its metadata names under ``key`` (a sale's tax lines, each to its rate's
account), and a line that names none to ``default``.
"""
from __future__ import annotations

from collections import defaultdict
from contextlib import contextmanager
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Iterator

from ..domain import contracts as c
from ..domain.errors import NotFoundError, ValidationError
from ..domain.money import ZERO
from ..domain.smart_codes import validate as validate_smart_code
from ..storage.schema import core_dynamic_data, core_entities
from ..domain.callers import current_caller
from ..universal.transactions import Recorded, is_gl_journal

if TYPE_CHECKING:
    from ..app import Scope

AUTO_JOURNAL = "HERA.FINANCE.GL.AUTO.POSTING.V1"
AUTO_REVERSAL = "HERA.FINANCE.GL.AUTO.REVERSAL.V1"


class Posting:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.store = scope.store
        self._rules: dict[str, dict[str, Any]] | None = None
        self._rules_stamp: object = None  # the stamp of the rules when they were read (storage.standing)
        self._accounts: dict[str, str] | None = None

    # ------------------------------------------------------------------ rules as data

    def set_rule(self, smart_code: str, name: str, lines: list[dict[str, Any]]) -> c.Entity:
        validate_smart_code(smart_code)
        _check_rule_lines(lines)
        uni = self.scope.internal.universal
        with self.scope.db.write():
            found = uni.query_entities(entity_type="posting_rule", entity_code=smart_code).entities
            entity = found[0] if found else uni.create_entity(
                entity_type="posting_rule", entity_name=name, entity_code=smart_code,
                smart_code="HERA.FINANCE.POSTING.RULE.V1", classification="system")
            uni.set_dynamic_field(entity.id, "rule", {"lines": lines}, "HERA.FINANCE.POSTING.RULE.DEF.V1")
        self._rules = None
        return entity

    def rules(self) -> dict[str, dict[str, Any]]:
        """The rules as the books hold them, checked once per public call: a rule changed in another window,
        process or server worker applies from the next call on, here as there. They are read again only
        when the stamp the door read with the caller's role (``storage.standing``) has moved."""
        caller = current_caller()
        stamp = caller.stamps[1] if caller is not None and caller.door is self.scope else None
        if self._rules is None or stamp is None or stamp != self._rules_stamp:
            st = self.store
            e, d = core_entities, core_dynamic_data
            with self.scope.db.read():
                rows = st.rows(st.select(e, e.c.entity_type == "posting_rule", e.c.status == "active",
                                         columns=[e.c.entity_code, d.c.field_value_json])
                               .join(d, (d.c.entity_id == e.c.id) & (d.c.field_name == "rule")))
            self._rules = {r.entity_code: r.field_value_json for r in rows}
            self._rules_stamp = stamp
        return self._rules

    def forget_accounts(self) -> None:
        """The chart of accounts changed (an account added, renamed, deactivated): look codes up afresh."""
        self._accounts = None

    def _account_id(self, code: str) -> str:
        if self._accounts is None or code not in self._accounts:
            st = self.store
            e = core_entities
            self._accounts = {r.entity_code: r.id for r in st.rows(st.select(
                e, e.c.entity_type == "gl_account", e.c.status == "active", columns=[e.c.entity_code, e.c.id]))}
        if code not in self._accounts:
            raise NotFoundError(f"Posting needs GL account {code}, which this organization does not have "
                                f"(or has deactivated); add it in the chart of accounts")
        return self._accounts[code]

    # ------------------------------------------------------------------ the rule that runs on every emit

    def on_recorded(self, recorded: list[Recorded]) -> None:
        """Post what was just recorded: the journals of one write (or of everything recorded inside
        ``together``) are recorded together, in one write of their own."""
        journals = []
        for rec in recorded:
            header = rec.header
            if is_gl_journal(header["smart_code"]):
                continue
            if header["reversal_of"]:
                self._reverse_posting_of(header)
                continue
            journal = self._journal(rec)
            if journal is not None:
                journals.append(journal)
        if not journals:
            return
        held = self.scope.db.unit_cache.get(self._held_key)
        if held is not None:
            held.extend(journals)
        else:
            self.scope.internal.txn.emit_many(journals)

    @contextmanager
    def together(self) -> Iterator[None]:
        """Inside, the automatic journals of what is recorded wait, and are recorded in one write at the
        end (an order's sale, payment and stock issue: one write of three journals instead of three).
        Nothing inside may read the ledger expecting them; an error inside leaves them unwritten with
        the rest of the unit of work."""
        with self.scope.db.write():
            cache = self.scope.db.unit_cache
            if self._held_key in cache:  # already inside: the outer block records them
                yield
                return
            held: list[c.TxnEmit] = []
            cache[self._held_key] = held
            try:
                yield
            finally:
                cache.pop(self._held_key, None)
            if held:
                self.scope.internal.txn.emit_many(held)

    @property
    def _held_key(self) -> tuple[str, str]:
        """Where the unit of work keeps the journals waiting for the end of ``together``."""
        return ("journals held", self.store.organization_id)

    def _journal(self, rec: Recorded) -> c.TxnEmit | None:
        header = rec.header
        rule = self.rules().get(header["smart_code"])
        if rule is None:
            return None
        sums: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
        for spec in rule["lines"]:
            for account, amount in _amounts(spec, header, rec.lines):
                if amount == 0:
                    continue
                side = spec["side"]
                if amount < 0:
                    side, amount = ("CR" if side == "DR" else "DR"), -amount
                sums[(account, side)] += amount
        if not sums:
            return None
        lines = [{"line_type": side.lower(), "entity_id": self._account_id(code), "line_amount": amount,
                  "dr_cr": side, "smart_code": f"HERA.FINANCE.GL.{side}.V1",
                  "metadata": {"gl_account_code": code}}
                 for (code, side), amount in sums.items()]
        return c.TxnEmit(
            transaction_type="journal_entry", smart_code=AUTO_JOURNAL,
            transaction_date=_parse_time(header["transaction_date"]), reference=header["transaction_code"],
            description=f"Posting of {header['transaction_code']}" + (f": {header['description']}" if header["description"] else ""),
            currency=header["currency"],
            business_context={"entry_type": "automatic", "source_transaction_id": header["id"],
                              "source_smart_code": header["smart_code"]},
            lines=[c.TxnLineIn.model_validate(ln) for ln in lines], require_balance=True)

    def _reverse_posting_of(self, header: dict[str, Any]) -> None:
        from ..storage.schema import universal_transactions as T

        st = self.store
        original = st.get(T, header["reversal_of"], "transaction")
        postings = st.rows(st.select(T, T.c.reference == original.transaction_code, T.c.smart_code == AUTO_JOURNAL,
                                     columns=[T.c.id, T.c.business_context]))
        for p in postings:
            if (p.business_context or {}).get("source_transaction_id") == original.id:
                self.scope.internal.txn.reverse(p.id, AUTO_REVERSAL, f"Reversal of {original.transaction_code}",
                                       transaction_date=_parse_time(header["transaction_date"]))

    def posting_of(self, transaction_id: str) -> c.Transaction | None:
        """The automatic journal that posted a transaction, if any (to trace a sale to the ledger)."""
        txn = self.scope.internal.txn.read(transaction_id, include_lines=False)
        page = self.scope.internal.txn.query(reference=txn.transaction_code, smart_code_like=AUTO_JOURNAL, include_lines=True)
        for j in page.transactions:
            if j.business_context.get("source_transaction_id") == transaction_id:
                return j
        return None


def _amounts(spec: dict[str, Any], header: dict[str, Any], lines: list[dict[str, Any]]) -> list[tuple[str, Decimal]]:
    """[(account code, amount)] a rule line posts: one amount, or with ``{"by_line": key, "default": code}``
    one per account its lines name in their metadata (each tax rate's tax to the rate's own account)."""
    account = spec["account"]
    if not (isinstance(account, dict) and "by_line" in account):
        return [(_account(account, header), _amount(spec["amount"], header, lines))]
    kind = spec["amount"][6:]
    sums: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for ln in lines:
        if ln["line_type"] == kind:
            sums[(ln["metadata"] or {}).get(account["by_line"]) or account["default"]] += ln["line_amount"] or ZERO
    return list(sums.items())


def _amount(expr: str, header: dict[str, Any], lines: list[dict[str, Any]]) -> Decimal:
    if expr == "total":
        return header["total_amount"]
    if expr == "-total":
        return -header["total_amount"]
    if expr.startswith("lines:"):
        kind = expr[6:]
        return sum((ln["line_amount"] or ZERO for ln in lines if ln["line_type"] == kind), ZERO)
    raise ValidationError("rule.amount", f"unknown amount {expr!r}")


def _account(spec: Any, header: dict[str, Any]) -> str:
    if isinstance(spec, str):
        return spec
    key = header["business_context"].get(spec["by"])
    if key not in spec:
        raise ValidationError(spec["by"], f"{key!r} has no account in the posting rule for {header['smart_code']}")
    return spec[key]


def _check_rule_lines(lines: Any) -> None:
    if not isinstance(lines, list) or not lines:
        raise ValidationError("lines", "a posting rule needs at least one line")
    for i, spec in enumerate(lines):
        if not isinstance(spec, dict) or spec.get("side") not in ("DR", "CR"):
            raise ValidationError(f"lines.{i}.side", "must be DR or CR")
        amount = spec.get("amount")
        if amount not in ("total", "-total") and not (isinstance(amount, str) and amount.startswith("lines:")):
            raise ValidationError(f"lines.{i}.amount", "must be total, -total or lines:<LINE_TYPE>")
        account = spec.get("account")
        if isinstance(account, dict) and "by_line" in account:
            if not (isinstance(amount, str) and amount.startswith("lines:")):
                raise ValidationError(f"lines.{i}.amount", "an account taken from each line needs lines:<LINE_TYPE>")
            if not isinstance(account.get("default"), str) or not account["default"]:
                raise ValidationError(f"lines.{i}.account", "an account taken from each line needs a default code "
                                                            "for lines that name none")
        elif not isinstance(account, (str, dict)) or (isinstance(account, dict) and "by" not in account):
            raise ValidationError(f"lines.{i}.account", "must be an account code, a choice {by: ..., value: code} "
                                                        "or {by_line: metadata key, default: code}")


def _parse_time(text: str) -> Any:
    from datetime import datetime
    return datetime.fromisoformat(text)
