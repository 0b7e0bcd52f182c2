"""Sales analysis (``s.sales_analysis``): what sold, at which hour, and by whom.

Like ``sales_by_day``, these read the sale transactions themselves, over business days: a refund is a
reversal with mirrored (negative) lines, so it counts against the item, hour and
server of the refund, and an order is counted once, by its original sale.
"""
from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any, Iterator

from ..domain.contracts.reports import HourSales, ItemSales, ServerSales
from ..domain.money import ZERO
from ..domain.pricing import TaxTally
from ..storage.schema import core_entities as E
from ..storage.schema import universal_transaction_lines as L
from ..storage.schema import universal_transactions as T
from .business_calendar import BusinessCalendar
from .progress import Checkpoint, chunked
from .reports import _day, taxes_at_rates
from .restaurant import SALE_SC

if TYPE_CHECKING:
    from ..app import Scope


class _Totals:
    def __init__(self) -> None:
        self.orders: set[str] = set()
        self.subtotal = ZERO
        self.tax = ZERO
        self.by_rate = TaxTally()

    def add(self, r: Any) -> None:
        if r.smart_code == SALE_SC:
            self.orders.add(r.id)
        if r.line_type == "TAX":
            self.tax += r.line_amount or ZERO
            self.by_rate.add(r.description, r.metadata, r.line_amount)
        elif r.line_type == "ITEM":
            self.subtotal += r.line_amount or ZERO


class SalesAnalysis:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.store = scope.store

    def _sale_lines(self, date_from: Any, date_to: Any, checkpoint: Checkpoint | None,
                    line_types: tuple[str, ...] = ("ITEM", "TAX"), context: bool = False) -> Iterator[Any]:
        """Sale lines in the period (call inside a read unit of work)."""
        self.scope.require("reports.view", "see reports")
        start, end = _day(date_from, "date_from"), _day(date_to, "date_to")
        st = self.store
        calendar = self.calendar = BusinessCalendar(self.scope)
        where = [T.c.transaction_type == "sale", L.c.line_type.in_(line_types), *calendar.recorded_in(start, end)]
        columns = [T.c.id, T.c.transaction_date, T.c.created_at, T.c.smart_code, L.c.line_type, L.c.entity_id,
                   L.c.quantity, L.c.line_amount, L.c.description, L.c.metadata]
        if context:
            columns.append(T.c.business_context)
        stmt = st.select(T, *where, columns=columns).join(L, L.c.transaction_id == T.c.id)
        for _day_of, r in calendar.within(chunked(st.conn.execute(stmt), checkpoint), start, end):
            yield r

    def sales_by_item(self, date_from: Any = None, date_to: Any = None,
                      checkpoint: Checkpoint | None = None) -> list[ItemSales]:
        """Quantity and sales before tax per menu item, best sellers first."""
        with self.scope.db.read():
            acc: dict[str | None, dict[str, Any]] = defaultdict(
                lambda: {"quantity": ZERO, "sales": ZERO, "orders": set(), "name": "", "category": ""})
            for r in self._sale_lines(date_from, date_to, checkpoint, ("ITEM",)):
                a = acc[r.entity_id]
                a["quantity"] += r.quantity or ZERO
                a["sales"] += r.line_amount or ZERO
                a["name"] = a["name"] or r.description or ""
                a["category"] = a["category"] or (r.metadata or {}).get("category") or ""
                if r.smart_code == SALE_SC:
                    a["orders"].add(r.id)
            names = self._names([k for k in acc if k])
        out = [ItemSales(menu_item_id=k, item_name=names.get(k or "", v["name"]) or "(unnamed item)",
                         category=v["category"], quantity=v["quantity"], orders=len(v["orders"]), sales=v["sales"])
               for k, v in acc.items()]
        out.sort(key=lambda x: (-x.sales, x.item_name))
        return out

    def sales_by_hour(self, date_from: Any = None, date_to: Any = None,
                      checkpoint: Checkpoint | None = None) -> list[HourSales]:
        """Orders and sales per hour of the day over the period (hours without sales left out)."""
        hours: dict[int, _Totals] = defaultdict(_Totals)
        with self.scope.db.read():
            for r in self._sale_lines(date_from, date_to, checkpoint):
                hours[self.calendar.hour(r.transaction_date)].add(r)
        return [HourSales(hour=h, orders=len(t.orders), subtotal=t.subtotal, tax=t.tax, total=t.subtotal + t.tax,
                          taxes=taxes_at_rates(t.by_rate))
                for h, t in sorted(hours.items())]

    def sales_by_server(self, date_from: Any = None, date_to: Any = None,
                        checkpoint: Checkpoint | None = None) -> list[ServerSales]:
        """Orders and sales per server (the user who served the table), biggest first."""
        servers: dict[str | None, _Totals] = defaultdict(_Totals)
        with self.scope.db.read():
            for r in self._sale_lines(date_from, date_to, checkpoint, context=True):
                servers[(r.business_context or {}).get("server_id")].add(r)
            names = self._names([k for k in servers if k])
        out = [ServerSales(server_id=k, server_name=names.get(k, "(unknown user)") if k else "(no server)",
                           orders=len(t.orders), subtotal=t.subtotal, tax=t.tax, total=t.subtotal + t.tax,
                           taxes=taxes_at_rates(t.by_rate))
               for k, t in servers.items()]
        out.sort(key=lambda x: (-x.total, x.server_name))
        return out

    def _names(self, ids: list[str]) -> dict[str, str]:
        st = self.store
        out: dict[str, str] = {}
        for start in range(0, len(ids), 500):
            rows = st.rows(st.select(E, E.c.id.in_(ids[start:start + 500]), columns=[E.c.id, E.c.entity_name]))
            out.update({r.id: r.entity_name for r in rows})
        return out


__all__ = ["SalesAnalysis"]
