"""The reports a person can choose, in the order the Reports screen lists them."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from . import ledger_reports as ledger
from . import sales_reports as sales
from .params import ACCOUNT_PERIOD, AS_OF, NOTHING, PERIOD, Params
from .table import ReportTable


@dataclass(frozen=True)
class Report:
    key: str
    title: str
    asks: str  # which parameters: AS_OF, PERIOD, ACCOUNT_PERIOD or NOTHING
    build: Callable[[Any, Params, Callable[[], None]], ReportTable]
    about: str


REPORTS = (
    Report("trial_balance", "Trial balance", AS_OF, ledger.trial_balance,
           "Every account's debit or credit balance at the end of a day."),
    Report("profit_and_loss", "Profit and loss", PERIOD, ledger.profit_and_loss,
           "Revenue less expenses between two dates."),
    Report("balance_sheet", "Balance sheet", AS_OF, ledger.balance_sheet,
           "What the business owns and owes at the end of a day."),
    Report("general_ledger", "General ledger", ACCOUNT_PERIOD, ledger.general_ledger,
           "Every posting to one account, with its running balance."),
    Report("sales_by_day", "Sales by day", PERIOD, sales.sales_by_day, "Orders and sales per business day."),
    Report("sales_by_item", "Sales by item", PERIOD, sales.sales_by_item, "What sold, best sellers first."),
    Report("sales_by_hour", "Sales by hour", PERIOD, sales.sales_by_hour, "When in the day the sales come in."),
    Report("sales_by_server", "Sales by server", PERIOD, sales.sales_by_server, "Orders and sales per server."),
    Report("stock_valuation", "Stock valuation", NOTHING, sales.stock_valuation,
           "Stock on hand at each location, at average cost."),
)

BY_KEY = {r.key: r for r in REPORTS}
