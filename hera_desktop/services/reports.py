"""Reports (``s.reports``): trial balance, general ledger, stock on hand and value, sales by day.

The trial balance reads the GL totals kept in step with every posting: as of
today one running total per account, as of an earlier date the daily totals up
to it, so its cost grows with accounts (× days), never with the lines posted.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple, Optional

from sqlalchemy import bindparam, select

from ..domain.contracts.reports import (GeneralLedger, LedgerLine, SalesDay, StockRow, StockValuation, TaxAtRate,
                                       TrialBalance, TrialBalanceRow)
from ..domain.days import named_day
from ..domain.errors import ValidationError
from ..domain.money import ZERO, currency_code
from ..domain.pricing import TaxTally
from ..storage.schema import core_entities as E
from ..storage.caches import gl_totals_up_to
from ..storage.scoped import OrgPrepared
from ..storage.schema import hera_gl_account_balances as GT
from ..storage.schema import hera_gl_daily_balances as G
from ..storage.schema import universal_transaction_lines as L
from ..storage.schema import universal_transactions as T

if TYPE_CHECKING:
    from ..app import Scope


class _Account(NamedTuple):
    id: str
    entity_code: str
    entity_name: str
    classification: Optional[str]


_GL_ACCOUNTS = OrgPrepared(select(E.c.id, E.c.entity_code, E.c.entity_name, E.c.classification)
                           .where(E.c.entity_type == "gl_account"))
_ACCOUNT_TOTALS = OrgPrepared(select(GT.c.account_id, GT.c.debit, GT.c.credit)
                              .where(GT.c.currency == bindparam("currency")))


def report_currency(scope: Scope, currency: object) -> str:
    """The currency a report is in: the one asked for, or the organization's."""
    return currency_code("currency", currency) if currency else scope.organization.currency


def _day(value: Any, field: str) -> str | None:
    day = named_day(field, value)
    return None if day is None else day.isoformat()


class Reports:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.store = scope.store

    def _require(self) -> None:
        self.scope.require("reports.view", "see reports")

    def _accounts(self) -> dict[str, Any]:
        st = self.store
        return {r[0]: _Account(*r) for r in st.run(_GL_ACCOUNTS)}

    def trial_balance(self, as_of: Any = None, currency: str | None = None) -> TrialBalance:
        self._require()
        day = _day(as_of, "as_of")
        cur = report_currency(self.scope, currency)
        with self.scope.db.read():
            st = self.store
            # Today's balance is one running total per account; an earlier date sums the days up to it.
            cells = gl_totals_up_to(st, cur, day) if day else st.run(_ACCOUNT_TOTALS, {"currency": cur})
            totals: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
            for account_id, debit, credit in cells:
                cell = totals[account_id]
                cell[0] += debit
                cell[1] += credit
            accounts = self._accounts()
        rows = []
        for account_id, (dr, cr) in totals.items():
            acct = accounts[account_id]
            balance = dr - cr
            rows.append(TrialBalanceRow(account_id=account_id, account_code=acct.entity_code,
                                        account_name=acct.entity_name, account_type=acct.classification or "",
                                        debit=balance if balance > 0 else ZERO,
                                        credit=-balance if balance < 0 else ZERO, balance=balance))
        rows.sort(key=lambda r: r.account_code)
        return TrialBalance(as_of=day, currency=cur, rows=rows, total_debits=sum((r.debit for r in rows), ZERO),
                            total_credits=sum((r.credit for r in rows), ZERO))

    def general_ledger(self, account_id: str, date_from: Any = None, date_to: Any = None,
                       limit: int = 10000) -> GeneralLedger:
        self._require()
        start, end = _day(date_from, "date_from"), _day(date_to, "date_to")
        with self.scope.db.read():
            st = self.store
            acct = st.get(E, account_id, "gl_account")
            if acct.entity_type != "gl_account":
                raise ValidationError("account_id", f"{acct.entity_name} is not a GL account")
            opening = ZERO
            if start:
                for r in st.rows(st.select(G, G.c.account_id == account_id, G.c.posting_date < start,
                                           columns=[G.c.debit, G.c.credit])):
                    opening += r.debit - r.credit
            where = [L.c.entity_id == account_id, L.c.dr_cr.is_not(None)]
            if start:
                where.append(T.c.transaction_date >= start)
            if end:
                where.append(T.c.transaction_date <= end + "T99")
            stmt = (st.select(L, *where, columns=[T.c.id, T.c.transaction_code, T.c.transaction_date, T.c.reference,
                                                  T.c.description, L.c.line_amount, L.c.dr_cr, L.c.description.label("line_description")])
                    .join(T, T.c.id == L.c.transaction_id)
                    .order_by(T.c.transaction_date, T.c.created_at, L.c.line_number).limit(limit))
            running = opening
            lines = []
            for r in st.rows(stmt):
                dr = r.line_amount if r.dr_cr == "DR" else ZERO
                cr = r.line_amount if r.dr_cr == "CR" else ZERO
                running += dr - cr
                lines.append(LedgerLine(transaction_id=r.id, transaction_code=r.transaction_code,
                                        transaction_date=r.transaction_date, reference=r.reference,
                                        description=r.line_description or r.description, debit=dr, credit=cr,
                                        running_balance=running))
        return GeneralLedger(account_id=account_id, account_code=acct.entity_code, account_name=acct.entity_name,
                             opening_balance=opening, lines=lines, closing_balance=running)

    def stock_valuation(self) -> StockValuation:
        self._require()
        from ..domain.money import round_money

        with self.scope.db.read():
            st = self.store
            levels = self.scope.internal.inventory.ledger.all_levels()
            ids = list({r.product_id for r in levels} | {r.location_id for r in levels if r.location_id})
            names = {r.id: r for r in st.rows(st.select(E, E.c.id.in_(ids),
                                                          columns=[E.c.id, E.c.entity_name, E.c.entity_code]))} if ids else {}
            values = self.scope.internal.universal.field_values(list({r.product_id for r in levels}),
                                                       ("average_cost", "reorder_level"))
        rows = []
        by_location: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for r in levels:
            avg = values[r.product_id].get("average_cost") or ZERO
            value = round_money(r.quantity * avg, self.scope.organization.currency)
            location_name = names[r.location_id].entity_name if r.location_id in names else "(no location)"
            rows.append(StockRow(product_id=r.product_id, product_name=names[r.product_id].entity_name,
                                 product_code=names[r.product_id].entity_code, location_id=r.location_id or None,
                                 location_name=location_name, quantity=r.quantity, average_cost=avg, value=value,
                                 reorder_level=values[r.product_id].get("reorder_level")))
            by_location[location_name] += value
        rows.sort(key=lambda x: (x.product_name, x.location_name))
        return StockValuation(rows=rows, value_by_location=dict(by_location),
                              total_value=sum(by_location.values(), ZERO))

    def sales_by_day(self, date_from: Any = None, date_to: Any = None) -> list[SalesDay]:
        """Orders, subtotal, tax and total per business day; refunds count against their day."""
        self._require()
        from .restaurant import SALE_SC

        from .business_calendar import BusinessCalendar

        start, end = _day(date_from, "date_from"), _day(date_to, "date_to")
        with self.scope.db.read():
            st = self.store
            calendar = BusinessCalendar(self.scope)
            where = [T.c.transaction_type == "sale", *calendar.recorded_in(start, end)]
            stmt = (st.select(T, *where, columns=[T.c.id, T.c.transaction_date, T.c.created_at, T.c.smart_code,
                                                  T.c.reversal_of, L.c.line_type, L.c.line_amount, L.c.description,
                                                  L.c.metadata])
                    .join(L, L.c.transaction_id == T.c.id))
            days: dict[str, dict[str, Any]] = defaultdict(lambda: {"orders": set(), "subtotal": ZERO, "tax": ZERO,
                                                                   "by_rate": TaxTally()})
            for day, r in calendar.within(st.rows(stmt), start, end):
                d = days[day]
                if r.smart_code == SALE_SC:
                    d["orders"].add(r.id)
                if r.line_type == "TAX":
                    d["tax"] += r.line_amount or ZERO
                    d["by_rate"].add(r.description, r.metadata, r.line_amount)
                elif r.line_type == "ITEM":
                    d["subtotal"] += r.line_amount or ZERO
        return [SalesDay(day=k, orders=len(v["orders"]), subtotal=v["subtotal"], tax=v["tax"],
                         total=v["subtotal"] + v["tax"], taxes=taxes_at_rates(v["by_rate"]))
                for k, v in sorted(days.items())]


def taxes_at_rates(tally: TaxTally) -> list[TaxAtRate]:
    """A sales report row's tax, rate by rate."""
    return [TaxAtRate(label=label, rate=rate, tax=tax) for label, rate, tax in tally.rows()]


