"""Reversing a transaction (``s.txn.reverse``): the only correction there is. The reversal mirrors every
line of the original (the other side, or the negated quantity and amount), refers to it, and is a
document of its own type (a sale's is a refund); a transaction is reversed at most once, and a
reversal is never reversed."""
from __future__ import annotations

from typing import Any, Callable

from ..domain import contracts as c
from ..domain.errors import AlreadyReversedError, ValidationError
from ..domain.ids import client_id
from ..domain.smart_codes import validate as validate_smart_code
from ..storage.database import Database
from ..storage.schema import universal_transaction_lines as L
from ..storage.schema import universal_transactions as T
from ..storage.scoped import OrgStore


class TransactionReversals:
    """The reversing part of ``TxnClient``."""

    store: OrgStore
    db: Database

    _emit: Callable[..., c.Emitted]  # TxnClient's: records a payload as the reversal of another transaction

    def reverse(self, original_transaction_id: str, smart_code: str, reason: str,
                transaction_date: Any = None, reversal_id: str | None = None) -> c.Emitted:
        """Record the reversal of a transaction; ``reversal_id``: the id its caller chose for it (a UUIDv7
        no record has), else a new one."""
        validate_smart_code(smart_code)
        if not isinstance(reason, str) or not reason.strip():
            raise ValidationError("reason", "a reason is required to reverse a transaction")
        if reversal_id is not None:
            client_id(reversal_id, field="reversal_id")
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
                metadata={"reversal_of": original.id}, lines=mirrored, require_balance=False, id=reversal_id)
            return self._emit(payload, reversal_of=original.id)
