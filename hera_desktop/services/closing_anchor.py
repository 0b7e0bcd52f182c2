"""What a Z report anchors: the chains' heads at the closing, the grand total of sales, the closing before.

A closing records, in its own transaction (so they are hashed with it), the head
of each of the organization's chains in these books just before it (this
terminal's, and any other terminal's whose transactions are here), a perpetual
grand total of sales and refunds, and the closing before it with that closing's
own link. The closing's own link (its number and hash) is the anchor the report
prints: kept outside the books, it shows later that they still hold it, and so
everything before it, unchanged.

The grand total adds, to the previous closing's, every restaurant sale and
refund recorded in each chain after the head the previous closing recorded for
it: each sale is counted by exactly one closing, whichever day it belongs to.
The first closing that records one counts every sale in the books.
"""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, or_, true

from ..domain.money import ZERO
from ..storage.schema import universal_transactions as T
from ..universal.chain import newest_links
from ..universal.transaction_writer import chain_head
from .restaurant import SALE_SC

if TYPE_CHECKING:
    from ..app import Scope


def anchor_record(scope: Scope) -> dict[str, Any]:
    """What the closing about to be written records as its anchor; inside its unit of work."""
    st = scope.store
    heads = newest_links(st)
    seq, prev = chain_head(st)  # this terminal's last link handed out (past any deleted tail)
    if seq > 1:
        heads[st.db.terminal_id] = (seq - 1, prev)
    previous = _previous_closing(scope)
    before = ((previous.business_context or {}).get("anchor") or {}) if previous is not None else {}
    counted = {h["terminal_id"]: int(h["chain_seq"]) for h in before.get("heads", [])}
    grand_total = Decimal(before["grand_total"]) if before else ZERO
    grand_total += _sales_after(scope, counted)
    return {"heads": [{"terminal_id": t, "chain_seq": s, "content_hash": h} for t, (s, h) in sorted(heads.items())],
            "grand_total": str(grand_total),
            "previous": None if previous is None else {
                "transaction_id": previous.id, "transaction_code": previous.transaction_code,
                "chain_seq": previous.chain_seq, "content_hash": previous.content_hash}}


def _previous_closing(scope: Scope) -> Any:
    st = scope.store
    return st.first(st.select(T, T.c.transaction_type == "day_close",
                              columns=[T.c.id, T.c.transaction_code, T.c.chain_seq, T.c.content_hash,
                                       T.c.business_context])
                    .order_by(T.c.created_at.desc(), T.c.id.desc()))


def _sales_after(scope: Scope, counted: dict[str, int]) -> Decimal:
    """Restaurant sales and refunds (net, tax included) recorded after each chain's counted head."""
    st = scope.store
    after = [and_(T.c.terminal_id == t, T.c.chain_seq > seq) for t, seq in counted.items()]
    uncounted = or_(*after, T.c.terminal_id.not_in(list(counted))) if counted else true()
    total = ZERO
    for smart_code, reversal_of, amount in st.rows(st.select(
            T, T.c.transaction_type == "sale", uncounted,
            columns=[T.c.smart_code, T.c.reversal_of, T.c.total_amount])):
        if reversal_of is not None or smart_code == SALE_SC:
            total += amount
    return total
