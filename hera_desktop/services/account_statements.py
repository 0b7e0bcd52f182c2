"""A customer's statement of account, read from the books' own record of it.

What a customer owes moves with two kinds of payment transaction whose source is
the customer: an order charged to the account (``account_effect`` "charge") and a
payment received on it ("settle"); a refund is the reversal of a charge, with a
negative amount. The statement places each on its business day (the organization's
time zone, cutoff and closed days, as every report does), so the opening balance is
everything before the first day and the closing balance everything up to the last:
the same figure as the account's balance once the last day is today.
"""
from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..domain.contracts.account_statements import AccountStatement, StatementEntry
from ..domain.days import named_day
from ..domain.errors import ValidationError
from ..domain.money import ZERO
from ..storage.schema import universal_transactions as T
from .business_calendar import BusinessCalendar

if TYPE_CHECKING:
    from ..app import Scope

METHOD_WORDS = {"cash": "in cash", "card": "by card"}


def account_statement(scope: Scope, customer: Any, date_from: Any, date_to: Any) -> AccountStatement:
    """The statement of ``customer`` (a customer row) from ``date_from`` (None: since the start) to
    ``date_to`` (None: today); read inside the caller's unit of work."""
    calendar = BusinessCalendar(scope)
    first = named_day("date_from", date_from)
    last = named_day("date_to", date_to)
    start = first.isoformat() if first else None
    end = last.isoformat() if last else calendar.today()
    if start is not None and start > end:
        raise ValidationError("date_to", f"{end} is before the statement's first day {start}")
    st = scope.store
    rows = st.rows(st.select(
        T, T.c.source_entity_id == customer.id, T.c.transaction_type == "payment",
        columns=[T.c.id, T.c.transaction_code, T.c.transaction_date, T.c.created_at, T.c.total_amount,
                 T.c.reference, T.c.reversal_of, T.c.business_context]).order_by(T.c.transaction_date, T.c.created_at))
    moves = []  # (day, row, effect) of what moved the account, up to the last day
    for row in rows:
        context = row.business_context or {}
        effect = context.get("account_effect")
        if effect in ("charge", "settle"):
            day = calendar.day_of(row.transaction_date, row.created_at)
            if day <= end:
                moves.append((day, row, effect))
    opening = sum((_owed(row, effect) for day, row, effect in moves if start is not None and day < start), ZERO)
    sales = payments = ZERO
    entries: list[StatementEntry] = []
    for day, row, effect in sorted((m for m in moves if start is None or m[0] >= start), key=lambda m: m[0]):
        if effect == "charge":
            sales += row.total_amount
        else:
            payments += row.total_amount
        entries.append(StatementEntry(
            day=day, transaction_id=row.id, transaction_code=row.transaction_code,
            kind="sale" if effect == "charge" else "payment",
            description=_description(row, effect, row.business_context or {}),
            reference=row.reference, amount=row.total_amount, balance=opening + sales - payments))
    return AccountStatement(
        customer_id=customer.id, customer_name=customer.entity_name, customer_code=customer.entity_code,
        currency=scope.organization.currency, date_from=start, date_to=end, opening_balance=opening,
        sales=sales, payments=payments, closing_balance=opening + sales - payments, entries=entries)


def _owed(row: Any, effect: str) -> Decimal:
    return row.total_amount if effect == "charge" else -row.total_amount


def _description(row: Any, effect: str, context: dict[str, Any]) -> str:
    if effect == "charge":
        order = f"order {row.reference}" if row.reference else "an order"
        return f"Refund of {order}" if row.reversal_of else f"Bought on account, {order}"
    paid = f"Payment {METHOD_WORDS.get(context.get('payment_method'), 'received')}"
    return f"Payment taken back ({context.get('reversal_reason')})" if row.reversal_of else paid
