"""How customer facts read on screen: status names and colours, money, dates, history lines."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from PySide6.QtGui import QColor

from .. import theme
from ...domain.money import fmt



def status_text(status: str) -> str:
    return status.capitalize()


def status_colour(status: str) -> QColor:
    return QColor(theme.status(status)[0])


def badge_style(status: str) -> str:
    fg, bg = theme.status(status)
    return (f"color: {fg}; background: {bg}; border: 1px solid {fg}; border-radius: 9px;"
            " padding: 2px 10px; font-weight: 600;")


def money(amount: Decimal, currency: str = "") -> str:
    return fmt(amount, currency)


def when(iso: str) -> str:
    """'2026-11-25T01:34:33.739' -> '25 Nov 01:34' this year, '25 Nov 2025' before."""
    try:
        moment = datetime.fromisoformat(iso.rstrip("Z"))
    except ValueError:
        return iso
    return moment.strftime("%d %b %H:%M" if moment.year == datetime.now().year else "%d %b %Y")


def _status_name(text: str) -> str:
    return text.replace(" Status", "").strip()


def history_line(txn: Any) -> tuple[str, str]:
    """(what happened, details) for one of a customer's transactions, in plain words."""
    ctx = txn.business_context or {}
    kind = txn.transaction_type
    if kind == "status_change":
        change = (txn.description or "").split(":", 1)[-1]
        before, _, after = change.partition("→")
        details = f"{_status_name(before).capitalize()} → {_status_name(after).capitalize()}"
        if ctx.get("reason"):
            details += f": {ctx['reason']}"
        return "Status", details
    method = str(ctx.get("payment_method", "")).replace("_", " ")
    if kind == "sale":
        where = f"Table {ctx['table_number']}" if ctx.get("table_number") else "Counter"
        details = f"{where}, {method}" if method else where
        what = "Order"
    elif kind == "payment":
        details = (method or "payment").capitalize()
        if ctx.get("account_effect") == "settle":
            details += ", paid off the account"
        what = "Payment"
    else:
        what, details = kind.replace("_", " ").capitalize(), txn.description or txn.transaction_code
    if txn.reversal_of:
        what += " reversal"
    if txn.reversed_by:
        details += ", reversed"
    return what, details
