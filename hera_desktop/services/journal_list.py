"""Posted journals for reading (``s.journal_list``): newest first, filtered, a page at a time.

A page is found by a keyset on (transaction date, id), so the first page of a
hundred thousand entries costs what the first page of ten does. Each row says
where an automatic posting came from: the till transaction it posts and the
order that transaction belongs to, so a bookkeeper can trace a line to a sale.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from ..domain.contracts.journals import EntryDetail, JournalPage, JournalRow, OrderTrace, ReferenceUse
from ..domain.days import named_day
from ..domain.errors import ValidationError
from ..domain.ids import checked_id
from ..storage.schema import universal_transaction_lines as L
from ..storage.schema import universal_transactions as T
from ..universal import cursor as cursors
from .journal_trace import entry_detail, order_trace, sources

if TYPE_CHECKING:
    from ..app import Scope

AUTOMATIC_LIKE = "HERA.FINANCE.GL.AUTO.%"
KINDS = ("all", "manual", "automatic")


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _matcher(dialect: str) -> Any:
    """column LIKE pattern, letters in either case as SQLite's LIKE has it (PostgreSQL's LIKE tells case apart)."""
    if dialect == "postgresql":
        return lambda column, pattern: column.ilike(pattern, escape="\\")
    return lambda column, pattern: column.like(pattern, escape="\\")


class JournalList:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.store = scope.store

    def page(self, date_from: Any = None, date_to: Any = None, account_id: str | None = None,
             reference: str | None = None, text: str | None = None, kind: str = "all",
             limit: int = 200, cursor: str | None = None) -> JournalPage:
        """Journal entries newest first; ``reference`` matches its start, ``text`` any description or code."""
        self.scope.require("reports.view", "read the journals")
        if kind not in KINDS:
            raise ValidationError("kind", f"must be one of {', '.join(KINDS)}")
        for field, value in (("reference", reference), ("text", text)):
            if value is not None and not isinstance(value, str):
                raise ValidationError(field, "must be text to look for, or left out")
        if account_id:
            checked_id("account_id", account_id)
        n = cursors.page_limit(limit)
        like = _matcher(self.scope.db.dialect)
        where: list[Any] = [T.c.transaction_type == "journal_entry"]
        if date_from:
            where.append(T.c.transaction_date >= _day(date_from, "date_from"))
        if date_to:
            where.append(T.c.transaction_date <= _day(date_to, "date_to") + "T99")
        if reference and reference.strip():
            where.append(like(T.c.reference, _like(reference.strip())[1:]))
        if kind != "all":
            auto = T.c.smart_code.like(AUTOMATIC_LIKE)
            where.append(auto if kind == "automatic" else ~auto)
        st = self.store
        if account_id:
            where.append(T.c.id.in_(st.select(L, L.c.entity_id == account_id, columns=[L.c.transaction_id])))
        if text and text.strip():
            pattern = _like(text.strip())
            # Lines are matched by a plain scan (no index helps a substring); the organization is enforced by
            # the outer query, whose ids are this organization's alone. Scoping the scan too would make
            # SQLite walk the organization index with a lookup per line: several times slower.
            in_lines = select(L.c.transaction_id).where(like(L.c.description, pattern))
            where.append(like(T.c.description, pattern) | like(T.c.reference, pattern)
                         | like(T.c.transaction_code, pattern) | T.c.id.in_(in_lines))
        if cursor:
            after_date, after_id = cursors.decode(cursor)
            where.append((T.c.transaction_date < after_date)
                         | ((T.c.transaction_date == after_date) & (T.c.id < after_id)))
        columns = [T.c.id, T.c.transaction_code, T.c.transaction_date, T.c.reference, T.c.description,
                   T.c.total_amount, T.c.currency, T.c.smart_code, T.c.business_context]
        with self.scope.db.read():
            rows = st.rows(st.select(T, *where, columns=columns)
                           .order_by(T.c.transaction_date.desc(), T.c.id.desc()).limit(n + 1))
            more = len(rows) > n
            rows = rows[:n]
            ids = [r.id for r in rows]
            reversed_by = {r.reversal_of: r.transaction_code for r in st.rows(
                st.select(T, T.c.reversal_of.in_(ids), columns=[T.c.reversal_of, T.c.transaction_code]))} if ids else {}
            traced = sources(st, [(r.business_context or {}).get("source_transaction_id") for r in rows])
        out = []
        for r in rows:
            ctx = r.business_context or {}
            src = traced.get(ctx.get("source_transaction_id") or "")
            out.append(JournalRow(
                id=r.id, transaction_code=r.transaction_code, transaction_date=r.transaction_date,
                reference=r.reference, description=r.description, total_amount=r.total_amount, currency=r.currency,
                automatic=r.smart_code.startswith(AUTOMATIC_LIKE[:-1]), reversal_of_code=ctx.get("reversal_of_code"),
                reversed_by_code=reversed_by.get(r.id), source_code=src.code if src else None,
                order_id=src.order_id if src else None, order_code=src.order_code if src else None))
        nxt = cursors.encode(rows[-1].transaction_date, rows[-1].id) if more else None
        return JournalPage(rows=out, next_cursor=nxt)

    def entry_with_reference(self, reference: str) -> ReferenceUse | None:
        """The posted entry that already uses this reference (a reference can be posted once), if any."""
        if not isinstance(reference, str) or not reference.strip():
            return None
        with self.scope.db.read():
            st = self.store
            # The journal service keys an entry's idempotency by its reference; that key is what refuses a repeat.
            row = st.first(st.select(T, T.c.idempotency_key == f"je-{reference.strip()}",
                                     columns=[T.c.id, T.c.transaction_code, T.c.transaction_date]))
        return None if row is None else ReferenceUse(id=row.id, transaction_code=row.transaction_code,
                                                     transaction_date=row.transaction_date)

    def detail(self, entry_id: str) -> EntryDetail:
        """One entry with its lines on named accounts, what reversed it, and where it came from."""
        self.scope.require("reports.view", "read the journals")
        return entry_detail(self.scope, entry_id)

    def order(self, order_id: str) -> OrderTrace:
        """A till order with its payments, stock movements and the journals they posted."""
        self.scope.require("reports.view", "read the journals")
        return order_trace(self.scope, order_id)


def _day(value: Any, field: str) -> str:
    return named_day(field, value).isoformat()  # type: ignore[union-attr]  # None is never passed

