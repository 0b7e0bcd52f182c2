"""The books: trial balance, profit and loss, balance sheet and one account's general ledger.

Each function runs on a worker thread: it asks the service, checks for a
cancel between steps, and lays the answer out as a :class:`ReportTable`.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable

from ...domain.errors import ValidationError
from ...domain.money import ZERO, fmt
from .params import Params
from .table import MONEY, SECTION, TOTAL, Column, Line, ReportTable

Check = Callable[[], None]


def _verdict(left: Decimal, right: Decimal, currency: str) -> str:
    return "Balanced" if left == right else f"Does not balance: off by {fmt(abs(left - right), currency)}"


def _as_of(day: str | None) -> str:
    return f"At the end of {day}" if day else "Every posting so far"


def trial_balance(scope: Any, p: Params, check: Check) -> ReportTable:
    tb = scope.reports.trial_balance(as_of=p.as_of)
    check()
    lines = [Line((r.account_code, r.account_name, r.account_type, r.debit or None, r.credit or None))
             for r in tb.rows]
    lines.append(Line(("", "Total", "", tb.total_debits, tb.total_credits), TOTAL))
    return ReportTable(
        "Trial balance", f"{_as_of(tb.as_of)}, {tb.currency}",
        (Column("Account"), Column("Name", wide=True), Column("Type"), Column("Debit", MONEY), Column("Credit", MONEY)),
        tuple(lines), tb.currency, note=_verdict(tb.total_debits, tb.total_credits, tb.currency))


def _section(title: str, lines: list[Any], total_label: str, total: Decimal) -> list[Line]:
    out = [Line(("", title, None), SECTION)]
    out += [Line((ln.account_code, ln.account_name, ln.amount)) for ln in lines]
    out.append(Line(("", total_label, total), TOTAL))
    return out


STATEMENT_COLUMNS = (Column("Account"), Column("Name", wide=True), Column("Amount", MONEY))


def profit_and_loss(scope: Any, p: Params, check: Check) -> ReportTable:
    pl = scope.statements.profit_and_loss(p.date_from, p.date_to, checkpoint=check)
    lines = _section("Revenue", pl.revenue, "Total revenue", pl.total_revenue)
    lines += _section("Expenses", pl.expenses, "Total expenses", pl.total_expenses)
    lines.append(Line(("", "Net profit" if pl.net_income >= 0 else "Net loss", pl.net_income), TOTAL))
    return ReportTable("Profit and loss", f"{p.period()}, {pl.currency}", STATEMENT_COLUMNS, tuple(lines),
                       pl.currency)


def balance_sheet(scope: Any, p: Params, check: Check) -> ReportTable:
    bs = scope.statements.balance_sheet(p.as_of, checkpoint=check)
    lines = _section("Assets", bs.assets, "Total assets", bs.total_assets)
    lines += _section("Liabilities", bs.liabilities, "Total liabilities", bs.total_liabilities)
    equity = _section("Equity", bs.equity, "Total equity", bs.total_equity + bs.current_earnings)
    equity.insert(-1, Line(("", "Current earnings (profit not yet closed)", bs.current_earnings)))
    lines += equity
    lines.append(Line(("", "Total liabilities and equity", bs.total_liabilities_and_equity), TOTAL))
    return ReportTable("Balance sheet", f"{_as_of(bs.as_of)}, {bs.currency}", STATEMENT_COLUMNS,
                       tuple(lines), bs.currency,
                       note=_verdict(bs.total_assets, bs.total_liabilities_and_equity, bs.currency))


LEDGER_LIMIT = 10_000


def general_ledger(scope: Any, p: Params, check: Check) -> ReportTable:
    if not p.account_id:
        raise ValidationError("account", "choose the account whose ledger you want to see")
    gl = scope.reports.general_ledger(p.account_id, p.date_from, p.date_to, limit=LEDGER_LIMIT)
    check()
    columns = (Column("Date"), Column("Entry"), Column("Reference"), Column("Description", wide=True),
               Column("Debit", MONEY), Column("Credit", MONEY), Column("Balance", MONEY))
    lines = [Line(("", "", "", "Opening balance", None, None, gl.opening_balance), TOTAL)]
    lines += [Line((ln.transaction_date[:10], ln.transaction_code, ln.reference or "", ln.description or "",
                    ln.debit or None, ln.credit or None, ln.running_balance)) for ln in gl.lines]
    debits = sum((ln.debit for ln in gl.lines), ZERO)
    credits = sum((ln.credit for ln in gl.lines), ZERO)
    lines.append(Line(("", "", "", "Closing balance", debits, credits, gl.closing_balance), TOTAL))
    currency = scope.organization.currency
    note = f"Only the first {LEDGER_LIMIT:,} lines are shown" if len(gl.lines) >= LEDGER_LIMIT else ""
    return ReportTable(f"General ledger — {gl.account_code} {gl.account_name}", f"{p.period()}, {currency}",
                       columns, tuple(lines), currency, note=note)


__all__ = ["balance_sheet", "general_ledger", "profit_and_loss", "trial_balance"]
