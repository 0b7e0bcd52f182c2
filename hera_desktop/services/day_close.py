"""Closing the business day (``s.day_close``): the X report (figures so far) and the Z report (the closing).

The figures are read from the day's sales and payments: net sales, tax (and the tax
at each rate), refunds,
what came in by payment method, and the cash that should be in the drawer (cash
taken, account settlements in cash included, less cash refunded). The opening
float is not part of it: the drawer is counted less its float.

A Z report writes one ``day_close`` transaction with the figures, one line per
payment method, and its anchor (``closing_anchor``: the chains' heads, the grand
total of sales, the closing before). When the counted cash differs from the
expected, a ``CASH_OVER_SHORT`` line carries the difference and the
organization's posting rule for day closings moves it between Cash on hand and
Cash over and short, in the same unit of work. A day closes once: its idempotency key is made from
the day, and a second closing is refused naming the first.

Days are business days (``services.business_calendar``). A closed day is frozen:
its report is the figures recorded in its closing, read back as they were, and
whatever is recorded after the closing belongs to the next day.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone, tzinfo
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Iterator

from ..domain import business_day as bd
from ..domain import contracts as c
from ..domain.contracts.day_close import ClosingAnchor, DayClosing, DayFigures
from ..domain.errors import IdempotencyConflictError, PermissionDeniedError, ValidationError
from ..domain.money import D, ZERO, fmt, round_money
from ..domain.pricing import TaxTally
from ..domain.rules import PAYMENT_METHODS
from ..storage.schema import universal_transactions as T
from .business_calendar import BusinessCalendar, closing_key
from .closing_anchor import anchor_record
from .reports import taxes_at_rates
from .restaurant import SALE_SC

if TYPE_CHECKING:
    from ..app import Scope

DAY_CLOSE_SC = "HERA.RESTAURANT.DAY.CLOSE.V1"
TENDER_LINE_SC = "HERA.RESTAURANT.DAY.CLOSE.LINE.TENDER.V1"
OVER_SHORT_LINE_SC = "HERA.RESTAURANT.DAY.CLOSE.LINE.OVERSHORT.V1"
OVER_SHORT = "CASH_OVER_SHORT"


class DayClose:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.store = scope.store

    def today(self) -> str:
        """The business day sales made now belong to (a declared read: the date, no figures)."""
        with self.scope.db.read():
            return BusinessCalendar(self.scope).today()

    def x_report(self, day: Any = None) -> DayFigures:
        """The day's figures so far, or as recorded at its closing once it is closed; writes nothing."""
        if not (self.scope.allows("day.close") or self.scope.allows("reports.view")):
            raise PermissionDeniedError(f"A {self.scope.role} may not see the day's takings", permission="day.close")
        with self.scope.db.read():
            calendar = BusinessCalendar(self.scope)
            the_day = calendar.check_day(day)
            row = self._closing_row(closing_key(the_day))
            if row is not None:
                return recorded_figures(self.scope.internal.txn.read(row.id, include_lines=False))
            return self._figures(the_day, calendar)

    def z_report(self, counted_cash: Any, day: Any = None) -> DayClosing:
        """Close the day: record its figures and the counted cash, and post any difference."""
        self.scope.require("day.close", "close the day")
        counted = D(counted_cash, "counted_cash")
        currency = self.scope.organization.currency
        if counted < 0 or counted != round_money(counted, currency):
            raise ValidationError("counted_cash", f"must be an amount of money like 812.40, not {counted}")
        with self.scope.db.write():
            calendar = BusinessCalendar(self.scope)
            the_day = calendar.check_day(day, to_close=True)
            key = closing_key(the_day)
            self._refuse_if_closed(the_day, key)
            self._ensure_rule()
            figures = self._figures(the_day, calendar)
            difference = counted - figures.cash_expected
            closing = self.scope.internal.txn.emit(c.TxnEmit(
                transaction_type="day_close", smart_code=DAY_CLOSE_SC, idempotency_key=key,
                transaction_date=None if the_day == calendar.clock_day() else _last_moment(the_day, calendar),
                description=f"Day closing {the_day}", reference=f"Z {the_day}",
                business_context={**_context(figures), "counted_cash": str(counted), "difference": str(difference),
                                  "anchor": anchor_record(self.scope)},
                lines=_lines(figures, difference)))
            anchor = ClosingAnchor.of_closing(self.scope.internal.txn.read(closing.transaction_id, include_lines=False))
        if self.scope.db.unit is None:  # committed: the day just closed is in the backup
            from .backups import after_day_close
            after_day_close(self.scope.db)
        return DayClosing(figures=figures, counted_cash=counted, difference=difference, closing=closing,
                          anchor=anchor)

    def closing_of(self, day: Any = None) -> c.Transaction | None:
        """The day's closing record, if the day was closed (``None``: the business day the clock is in)."""
        with self.scope.db.read():
            calendar = BusinessCalendar(self.scope)
            the_day = calendar.clock_day() if day is None else calendar.check_day(day)
            row = self._closing_row(closing_key(the_day))
            return None if row is None else self.scope.internal.txn.read(row.id, include_lines=True)

    # ------------------------------------------------------------------ inside

    def _closing_row(self, key: str) -> Any:
        st = self.store
        return st.first(st.select(T, T.c.idempotency_key == key, columns=[T.c.id, T.c.transaction_code,
                                                                         T.c.created_at, T.c.created_by]))

    def _refuse_if_closed(self, day: str, key: str) -> None:
        row = self._closing_row(key)
        if row is None:
            return
        who = self.scope.internal.universal.get_entity(row.created_by).entity_name if row.created_by else "the system"
        raise IdempotencyConflictError(
            f"{day} was already closed by {row.transaction_code} ({who}, "
            f"{local_time(row.created_at, _zone(self.scope))}); "
            f"a day is closed once. Its figures can still be read with an X report.",
            transaction_id=row.id)

    def _ensure_rule(self) -> None:
        """Books made before day closings existed get the default rule for the cash difference."""
        posting = self.scope.internal.posting
        if DAY_CLOSE_SC not in posting.rules():
            from .setup import resource
            rule = next(r for r in resource("posting_rules.json") if r["smart_code"] == DAY_CLOSE_SC)
            posting.set_rule(DAY_CLOSE_SC, rule["name"], rule["lines"])

    def _figures(self, day: str, calendar: BusinessCalendar) -> DayFigures:
        subtotal = tax = refunds_total = ZERO
        orders = refunds = payments = 0
        by_rate = TaxTally()
        for sale in self._day_txns("sale", day, calendar, include_lines=True):
            if sale.reversal_of is None and sale.smart_code != SALE_SC:
                continue  # not a restaurant order
            for ln in sale.lines:
                amount = ln.line_amount or ZERO
                if ln.line_type == "ITEM":
                    subtotal += amount
                elif ln.line_type == "TAX":
                    tax += amount
                    by_rate.add(ln.description, ln.metadata, amount)
            if sale.reversal_of is None:
                orders += 1
            else:
                refunds += 1
                refunds_total -= sale.total_amount
        by_method = {m: ZERO for m in PAYMENT_METHODS}
        cash_in = cash_out = ZERO
        for pay in self._day_txns("payment", day, calendar):
            method = pay.business_context.get("payment_method") or "other"
            by_method[method] = by_method.get(method, ZERO) + pay.total_amount
            if pay.reversal_of is None:
                payments += 1
            if method == "cash":
                if pay.total_amount >= 0:
                    cash_in += pay.total_amount
                else:
                    cash_out -= pay.total_amount
        return DayFigures(day=day, currency=self.scope.organization.currency, orders=orders, refunds=refunds,
                          payments=payments, subtotal=subtotal, tax=tax, total=subtotal + tax,
                          refunds_total=refunds_total, by_method=by_method, cash_payments=cash_in,
                          cash_refunds=cash_out, cash_expected=cash_in - cash_out,
                          negative_stock=self.scope.internal.inventory.negative_stock(),
                          taxes=taxes_at_rates(by_rate))

    def _day_txns(self, kind: str, day: str, calendar: BusinessCalendar,
                  include_lines: bool = False) -> Iterator[c.Transaction]:
        """The business day's transactions of one kind: those dated in it, less any recorded after it was
        closed, plus those recorded after the day before was closed."""
        start, end = calendar.bounds(day, day)
        cursor = None
        while True:
            page = self.scope.internal.txn.query(transaction_type=kind, date_from=start, date_to=end, limit=1000,
                                        include_lines=include_lines, cursor=cursor)
            yield from (t for t in page.transactions if calendar.day_of(t.transaction_date, t.created_at) == day)
            cursor = page.next_cursor
            if cursor is None:
                break
        moved = calendar.moved_in(day)
        if moved is not None:
            st = self.store
            rows = st.rows(st.select(T, T.c.transaction_type == kind, T.c.created_at > moved[0],
                                     T.c.transaction_date < moved[1], columns=[T.c.id])
                           .order_by(T.c.created_at, T.c.id))
            for r in rows:
                t = self.scope.internal.txn.read(r.id, include_lines=include_lines)
                if calendar.day_of(t.transaction_date, t.created_at) == day:
                    yield t


def local_time(recorded_at: str, in_zone: tzinfo | None = None) -> str:
    """A record's ``created_at`` (UTC) as the business's wall-clock time (this computer's if no zone), to the minute."""
    moment = datetime.fromisoformat(recorded_at.rstrip("Z")).replace(tzinfo=timezone.utc)
    return moment.astimezone(in_zone).strftime("%Y-%m-%d %H:%M")


def _zone(scope: Scope) -> tzinfo | None:
    return BusinessCalendar(scope).zone


def recorded_figures(closing: c.Transaction) -> DayFigures:
    """A closed day's figures exactly as its closing recorded them (never worked out again)."""
    ctx = closing.business_context
    return DayFigures.model_validate({**{k: v for k, v in ctx.items() if k in DayFigures.model_fields},
                                      "currency": closing.currency})


def _last_moment(day: str, calendar: BusinessCalendar) -> datetime:
    """The last moment of a business day, as transaction dates are recorded."""
    following = bd.day_starts(date.fromisoformat(day) + bd.ONE_DAY, calendar.zone, calendar.starts)
    return following - timedelta(microseconds=1)


def _context(f: DayFigures) -> dict[str, Any]:
    return {"day": f.day, "orders": f.orders, "refunds": f.refunds, "payments": f.payments,
            "subtotal": str(f.subtotal), "tax": str(f.tax), "total": str(f.total),
            "refunds_total": str(f.refunds_total), "by_method": {m: str(v) for m, v in f.by_method.items()},
            "cash_payments": str(f.cash_payments), "cash_refunds": str(f.cash_refunds),
            "cash_expected": str(f.cash_expected),
            "negative_stock": [n.model_dump(mode="json") for n in f.negative_stock],
            "taxes": [t.model_dump(mode="json") for t in f.taxes]}


def _lines(f: DayFigures, difference: Decimal) -> list[c.TxnLineIn]:
    lines = [c.TxnLineIn(line_number=i + 1, line_type="TENDER", line_amount=amount, smart_code=TENDER_LINE_SC,
                         description=f"Taken by {method.replace('_', ' ')}", metadata={"payment_method": method})
             for i, (method, amount) in enumerate(f.by_method.items())]
    if difference:
        word = "over" if difference > 0 else "short"
        lines.append(c.TxnLineIn(line_number=len(lines) + 1, line_type=OVER_SHORT, line_amount=difference,
                                 smart_code=OVER_SHORT_LINE_SC,
                                 description=f"Cash {word} by {fmt(abs(difference), f.currency)}"))
    return lines
