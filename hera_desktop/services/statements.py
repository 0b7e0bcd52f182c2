"""Financial statements (``s.statements``): profit and loss between dates, balance sheet as of a date.

Both read the daily GL totals the trial balance reads, so they cost accounts ×
days, not lines posted. Nothing is closed at year end yet, so every profit or
loss to date shows on the balance sheet as *current earnings*; that is what
makes assets = liabilities + equity + current earnings hold exactly.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..domain.contracts.statements import BalanceSheet, ProfitAndLoss, StatementLine
from ..domain.errors import ValidationError
from ..domain.money import ZERO
from ..storage.schema import core_entities as E
from ..storage.schema import hera_gl_daily_balances as G
from .progress import Checkpoint, chunked
from .reports import _day, report_currency

if TYPE_CHECKING:
    from ..app import Scope

# The side on which each kind of account normally carries its balance.
CREDIT_NORMAL = ("liability", "equity", "revenue")


def _total(lines: list[StatementLine]) -> Decimal:
    return sum((ln.amount for ln in lines), ZERO)


class Statements:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.store = scope.store

    def profit_and_loss(self, date_from: Any = None, date_to: Any = None, currency: str | None = None,
                        checkpoint: Checkpoint | None = None) -> ProfitAndLoss:
        """Revenue less expenses posted from ``date_from`` to ``date_to`` (both days included)."""
        self.scope.require("reports.view", "see reports")
        start, end = _day(date_from, "date_from"), _day(date_to, "date_to")
        if start and end and start > end:
            raise ValidationError("date_to", f"{end} is before {start}")
        cur = report_currency(self.scope, currency)
        lines = self._lines(start, end, cur, checkpoint)
        revenue = [ln for ln in lines if ln.account_type == "revenue"]
        expenses = [ln for ln in lines if ln.account_type == "expense"]
        total_revenue, total_expenses = _total(revenue), _total(expenses)
        return ProfitAndLoss(date_from=start, date_to=end, currency=cur, revenue=revenue, expenses=expenses,
                             total_revenue=total_revenue, total_expenses=total_expenses,
                             net_income=total_revenue - total_expenses)

    def balance_sheet(self, as_of: Any = None, currency: str | None = None,
                      checkpoint: Checkpoint | None = None) -> BalanceSheet:
        """What the business owns and owes at the end of ``as_of`` (today's position when None)."""
        self.scope.require("reports.view", "see reports")
        day = _day(as_of, "as_of")
        cur = report_currency(self.scope, currency)
        lines = self._lines(None, day, cur, checkpoint)
        kind = defaultdict(list)
        for ln in lines:
            kind[ln.account_type].append(ln)
        earnings = _total(kind["revenue"]) - _total(kind["expense"])
        return BalanceSheet(as_of=day, currency=cur, assets=kind["asset"], liabilities=kind["liability"],
                            equity=kind["equity"], total_assets=_total(kind["asset"]),
                            total_liabilities=_total(kind["liability"]), total_equity=_total(kind["equity"]),
                            current_earnings=earnings)

    def _lines(self, start: str | None, end: str | None, currency: str,
               checkpoint: Checkpoint | None) -> list[StatementLine]:
        """Each account's movement over the days, on its normal side; accounts without one are left out."""
        with self.scope.db.read():
            st = self.store
            where = [G.c.currency == currency]
            if start:
                where.append(G.c.posting_date >= start)
            if end:
                where.append(G.c.posting_date <= end)
            net: dict[str, Decimal] = defaultdict(lambda: ZERO)
            rows = st.conn.execute(st.select(G, *where, columns=[G.c.account_id, G.c.debit, G.c.credit]))
            for r in chunked(rows, checkpoint):
                net[r.account_id] += r.debit - r.credit
            accounts = {r.id: r for r in st.rows(st.select(
                E, E.c.entity_type == "gl_account",
                columns=[E.c.id, E.c.entity_code, E.c.entity_name, E.c.classification]))}
        out = []
        for account_id, balance in net.items():
            acct = accounts[account_id]
            kind = acct.classification or ""
            amount = -balance if kind in CREDIT_NORMAL else balance
            if amount:
                out.append(StatementLine(account_id=account_id, account_code=acct.entity_code,
                                         account_name=acct.entity_name, account_type=kind, amount=amount))
        out.sort(key=lambda ln: ln.account_code)
        return out


__all__ = ["Statements"]
