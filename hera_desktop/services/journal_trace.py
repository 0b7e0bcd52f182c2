"""Tracing journals: an entry's lines on named accounts, its reversal, and the till order behind it.

An automatic posting names the transaction it posts (``source_transaction_id``);
a payment or a stock issue names the order it belongs to (``related_sale``). The
order view gathers everything the order caused, so the ledger and the till tell
one story.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

from ..domain.contracts.journals import DetailLine, EntryDetail, OrderItem, OrderTrace, RelatedEntry, SourceRef
from ..domain.errors import ValidationError
from ..domain.money import ZERO
from ..storage.schema import core_entities as E
from ..storage.schema import universal_transactions as T

if TYPE_CHECKING:
    from ..app import Scope

KIND_LABELS = {"sale": "Order", "payment": "Payment", "inventory_adjustment": "Stock movement",
               "day_close": "Day close"}
PAYMENT_WORDS = {"cash": "Paid in cash", "card": "Paid by card", "on_account": "Charged to the customer's account"}


def sources(st: Any, ids: Iterable[str | None]) -> dict[str, SourceRef]:
    """{source transaction id: where it came from}, with the order each belongs to."""
    wanted = list({i for i in ids if i})
    if not wanted:
        return {}
    rows = st.rows(st.select(T, T.c.id.in_(wanted), columns=[T.c.id, T.c.transaction_code, T.c.transaction_type,
                                                              T.c.business_context]))
    order_of = {r.id: r.id if r.transaction_type == "sale" else (r.business_context or {}).get("related_sale")
                for r in rows}
    codes = {r.id: r.transaction_code for r in rows}
    missing = [o for o in set(order_of.values()) if o and o not in codes]
    if missing:
        codes.update({r.id: r.transaction_code for r in st.rows(
            st.select(T, T.c.id.in_(missing), columns=[T.c.id, T.c.transaction_code]))})
    return {r.id: SourceRef(id=r.id, code=r.transaction_code,
                            kind=KIND_LABELS.get(r.transaction_type, r.transaction_type.replace("_", " ").title()),
                            order_id=order_of[r.id], order_code=codes.get(order_of[r.id] or ""))
            for r in rows}


def _names(st: Any, ids: Iterable[str | None]) -> dict[str, Any]:
    wanted = list({i for i in ids if i})
    if not wanted:
        return {}
    return {r.id: r for r in st.rows(st.select(E, E.c.id.in_(wanted),
                                               columns=[E.c.id, E.c.entity_code, E.c.entity_name]))}


def _related(t: Any) -> RelatedEntry:
    ctx = t.business_context or {}
    description = t.description
    if not description and t.transaction_type == "payment" and ctx.get("payment_method"):
        method = str(ctx["payment_method"])
        description = PAYMENT_WORDS.get(method, f"Paid by {method.replace('_', ' ')}")
    return RelatedEntry(id=t.id, transaction_code=t.transaction_code, transaction_date=t.transaction_date,
                        description=description, total_amount=t.total_amount,
                        kind=KIND_LABELS.get(t.transaction_type, t.transaction_type.replace("_", " ").title()),
                        reason=ctx.get("reversal_reason") if t.reversal_of else None)


def entry_detail(scope: Scope, entry_id: str) -> EntryDetail:
    with scope.db.read():
        st = scope.store
        entry = scope.internal.txn.read(entry_id)
        if entry.transaction_type != "journal_entry":
            raise ValidationError("entry_id", f"{entry.transaction_code} is not a journal entry")
        names = _names(st, [ln.entity_id for ln in entry.lines] + [entry.created_by])
        reversed_by = scope.internal.txn.read(entry.reversed_by, include_lines=False) if entry.reversed_by else None
        original = scope.internal.txn.read(entry.reversal_of, include_lines=False) if entry.reversal_of else None
        source = sources(st, [entry.business_context.get("source_transaction_id")])
    lines = []
    for ln in entry.lines:
        acct = names.get(ln.entity_id or "")
        amount = ln.line_amount or ZERO
        lines.append(DetailLine(line_number=ln.line_number, account_id=ln.entity_id,
                                account_code=acct.entity_code if acct else "", account_name=acct.entity_name if acct else "",
                                debit=amount if ln.dr_cr == "DR" else ZERO, credit=amount if ln.dr_cr == "CR" else ZERO,
                                description=ln.description))
    poster = names.get(entry.created_by or "")
    return EntryDetail(
        id=entry.id, transaction_code=entry.transaction_code, transaction_date=entry.transaction_date,
        reference=entry.reference, description=entry.description, currency=entry.currency,
        automatic=entry.smart_code.startswith("HERA.FINANCE.GL.AUTO."),
        posted_by=poster.entity_name if poster else None, lines=lines,
        total_debits=sum((ln.debit for ln in lines), ZERO), total_credits=sum((ln.credit for ln in lines), ZERO),
        reversed_by=_related(reversed_by) if reversed_by else None, reversal_of=_related(original) if original else None,
        source=next(iter(source.values()), None))


def order_trace(scope: Scope, order_id: str) -> OrderTrace:
    with scope.db.read():
        st = scope.store
        sale = scope.internal.txn.read(order_id)
        if sale.transaction_type != "sale" or sale.reversal_of:
            raise ValidationError("order_id", f"{sale.transaction_code} is not an order")
        around = st.rows(st.select(T, (T.c.reference == sale.transaction_code) | (T.c.reversal_of == sale.id),
                                   T.c.transaction_type != "journal_entry").order_by(T.c.created_at, T.c.id))
        related = [_related(t) for t in around]
        codes = [sale.transaction_code, *(t.transaction_code for t in around)]
        ids = {sale.id, *(t.id for t in around)}
        journals = st.rows(st.select(T, T.c.transaction_type == "journal_entry", T.c.reference.in_(codes))
                           .order_by(T.c.created_at, T.c.id))
        postings = [_related(j) for j in journals if (j.business_context or {}).get("source_transaction_id") in ids]
        server_id = sale.business_context.get("server_id")
        names = _names(st, [sale.source_entity_id, server_id])
    items = [OrderItem(description=ln.description or "", quantity=ln.quantity, unit_price=ln.unit_price,
                       amount=ln.line_amount or ZERO) for ln in sale.lines if ln.line_type == "ITEM"]
    refund = next((t for t in around if t.reversal_of == sale.id), None)
    return OrderTrace(
        id=sale.id, transaction_code=sale.transaction_code, transaction_date=sale.transaction_date,
        currency=sale.currency,
        customer=names[sale.source_entity_id].entity_name if sale.source_entity_id in names else None,
        server=names[server_id].entity_name if server_id in names else None,
        table_number=sale.business_context.get("table_number"), items=items,
        tax=sum((ln.line_amount or ZERO for ln in sale.lines if ln.line_type == "TAX"), ZERO),
        total_amount=sale.total_amount, refunded_by=refund.transaction_code if refund else None,
        related=related, postings=postings)
