"""Sales and stock: sales by day, item, hour and server, and stock valuation, with their charts.

Like the ledger reports, each function runs on a worker thread and returns a
:class:`ReportTable`; the charts are the ones people would rather look at than
read: sales by day and by hour, the top items, and stock value by location. Where a report shows tax,
the tax at each rate follows its total.
"""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any, Callable

from ...domain.money import ZERO
from .params import Params
from .table import COST, COUNT, MONEY, QUANTITY, SECTION, TOTAL, ChartSpec, Column, Line, ReportTable

Check = Callable[[], None]
TOP_ITEMS = 10
DAYS_AS_BARS = 31  # beyond a month of days, bars get too thin to read: draw a line


def _sum(rows: list[Any], name: str) -> Decimal:
    return sum((getattr(r, name) for r in rows), ZERO)


AMOUNT_COLUMNS = (Column("Orders", COUNT), Column("Subtotal", MONEY), Column("Tax", MONEY), Column("Total", MONEY))


def _amounts(r: Any) -> tuple[Any, ...]:
    return r.orders, r.subtotal, r.tax, r.total


def _totals(rows: list[Any]) -> tuple[Any, ...]:
    return sum(r.orders for r in rows), _sum(rows, "subtotal"), _sum(rows, "tax"), _sum(rows, "total")


def _tax_by_rate(rows: list[Any]) -> list[Line]:
    """Below the total: the period's tax at each rate (in the Tax column), adding up to the total's tax."""
    taxes: dict[tuple[str, str], Decimal] = {}
    for r in rows:
        for t in r.taxes:
            taxes[(t.label, t.percent)] = taxes.get((t.label, t.percent), ZERO) + t.tax
    if not taxes:
        return []
    return [Line(("Tax by rate", None, None, None, None), SECTION)] + [
        Line((f"{label} {percent}%", None, None, tax, None)) for (label, percent), tax in taxes.items()]


def _every_day(p: Params, most: int = 400) -> list[str]:
    """Each day of the period, so that days without sales show as gaps in the chart."""
    if not (p.date_from and p.date_to) or not 0 <= (p.date_to - p.date_from).days < most:
        return []
    return [(p.date_from + timedelta(days=i)).isoformat() for i in range((p.date_to - p.date_from).days + 1)]


def sales_by_day(scope: Any, p: Params, check: Check) -> ReportTable:
    days = scope.reports.sales_by_day(p.date_from, p.date_to)
    check()
    lines = [Line((d.day, *_amounts(d))) for d in days] + [Line(("Total", *_totals(days)), TOTAL)]
    lines += _tax_by_rate(days)
    by_day = {d.day: d.total for d in days}
    shown = _every_day(p) or sorted(by_day)
    chart = ChartSpec("Sales by day (total with tax)", tuple(d[5:] for d in shown),
                      tuple(by_day.get(d, ZERO) for d in shown), "bar" if len(shown) <= DAYS_AS_BARS else "line")
    currency = scope.organization.currency
    return ReportTable("Sales by day", f"{p.period()}, {currency}", (Column("Day", wide=True), *AMOUNT_COLUMNS),
                       tuple(lines), currency, chart)


def sales_by_hour(scope: Any, p: Params, check: Check) -> ReportTable:
    hours = scope.sales_analysis.sales_by_hour(p.date_from, p.date_to, checkpoint=check)
    lines = [Line((f"{h.hour:02d}:00–{(h.hour + 1) % 24:02d}:00", *_amounts(h))) for h in hours]
    lines.append(Line(("Total", *_totals(hours)), TOTAL))
    lines += _tax_by_rate(hours)
    by_hour = {h.hour: h.total for h in hours}
    chart = ChartSpec("Sales by hour of the day", tuple(f"{h:02d}" for h in range(24)),
                      tuple(by_hour.get(h, ZERO) for h in range(24)))
    currency = scope.organization.currency
    return ReportTable("Sales by hour", f"{p.period()}, {currency}", (Column("Hour", wide=True), *AMOUNT_COLUMNS),
                       tuple(lines), currency, chart)


def sales_by_item(scope: Any, p: Params, check: Check) -> ReportTable:
    items = scope.sales_analysis.sales_by_item(p.date_from, p.date_to, checkpoint=check)
    lines = [Line((i.item_name, i.category, i.quantity, i.orders, i.sales)) for i in items]
    lines.append(Line(("Total", "", _sum(items, "quantity"), None, _sum(items, "sales")), TOTAL))
    top = items[:TOP_ITEMS]
    chart = ChartSpec(f"Top {len(top)} items by sales (before tax)", tuple(i.item_name for i in top),
                      tuple(i.sales for i in top), "hbar")
    currency = scope.organization.currency
    return ReportTable("Sales by item", f"{p.period()}, {currency}, before tax",
                       (Column("Item", wide=True), Column("Category"), Column("Quantity", QUANTITY),
                        Column("Orders", COUNT), Column("Sales", MONEY)), tuple(lines), currency, chart)


def sales_by_server(scope: Any, p: Params, check: Check) -> ReportTable:
    servers = scope.sales_analysis.sales_by_server(p.date_from, p.date_to, checkpoint=check)
    lines = [Line((s.server_name, *_amounts(s))) for s in servers] + [Line(("Total", *_totals(servers)), TOTAL)]
    lines += _tax_by_rate(servers)
    currency = scope.organization.currency
    return ReportTable("Sales by server", f"{p.period()}, {currency}", (Column("Server", wide=True), *AMOUNT_COLUMNS),
                       tuple(lines), currency)


def stock_valuation(scope: Any, p: Params, check: Check) -> ReportTable:
    sv = scope.reports.stock_valuation()
    check()
    lines = [Line((r.product_name, r.location_name, r.quantity, r.reorder_level, r.average_cost, r.value))
             for r in sv.rows]
    lines.append(Line(("Total", "", None, None, None, sv.total_value), TOTAL))
    places = sorted(sv.value_by_location)
    chart = ChartSpec("Stock value by location", tuple(places), tuple(sv.value_by_location[k] for k in places))
    currency = scope.organization.currency
    return ReportTable("Stock valuation", f"Now, at average cost, {currency}",
                       (Column("Product", wide=True), Column("Location"), Column("On hand", QUANTITY),
                        Column("Reorder level", QUANTITY), Column("Average cost", COST), Column("Value", MONEY)),
                       tuple(lines), currency, chart)
