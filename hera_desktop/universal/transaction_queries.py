"""Reading transactions (``s.txn.read``, ``query``, ``latest_of``): headers with their lines and who
reversed them, a keyset page at a time."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, or_

from ..domain import contracts as c
from ..domain.errors import OrganizationMismatchError, ValidationError
from ..storage.database import Database
from ..storage.schema import universal_transaction_lines as L
from ..storage.schema import universal_transactions as T
from ..storage.scoped import OrgStore
from . import cursor as cursors


def business_time(moment: datetime | None) -> str:
    """The business's wall-clock time of the transaction (its day is what reports group by)."""
    if moment is None:
        moment = datetime.now()
    elif moment.tzinfo is not None:
        moment = moment.astimezone().replace(tzinfo=None)
    return moment.isoformat(timespec="microseconds")  # as strftime("%Y-%m-%dT%H:%M:%S.%f"), in a third of the time


class TransactionQueries:
    """The reading half of ``TxnClient``."""

    store: OrgStore
    db: Database

    def read(self, transaction_id: str, include_lines: bool = True) -> c.Transaction:
        with self.db.read():
            st = self.store
            row = st.get(T, transaction_id, "transaction")
            return self._hydrate([row], include_lines)[0]

    def _hydrate(self, rows: list[Any], include_lines: bool) -> list[c.Transaction]:
        st = self.store
        ids = [r.id for r in rows]
        reversed_by: dict[str, str] = {}
        lines: dict[str, list[c.TxnLine]] = defaultdict(list)
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for r in st.rows(st.select(T, T.c.reversal_of.in_(chunk), columns=[T.c.id, T.c.reversal_of])):
                reversed_by[r.reversal_of] = r.id
            if include_lines:
                for ln in st.rows(st.select(L, L.c.transaction_id.in_(chunk)).order_by(L.c.line_number)):
                    lines[ln.transaction_id].append(c.TxnLine.model_validate(ln._mapping))
        return [c.Transaction.model_validate({**r._mapping, "reversed_by": reversed_by.get(r.id),
                                              "lines": lines.get(r.id, [])}) for r in rows]

    def query(self, transaction_type: str | None = None, source_entity_id: str | None = None,
              target_entity_id: str | None = None, date_from: Any = None, date_to: Any = None,
              smart_code_like: str | None = None, reference: str | None = None, include_lines: bool = False,
              limit: int | None = None, cursor: str | None = None,
              organization_id: str | None = None, newest_first: bool = False) -> c.TransactionPage:
        """Transactions matching the filters, oldest recorded first (or ``newest_first``), a page at a time:
        ``next_cursor`` goes on from where the page ended, in the same order."""
        if not isinstance(newest_first, bool):
            raise ValidationError("newest_first", "must be true or false")
        if organization_id is not None and organization_id != self.store.organization_id:
            raise OrganizationMismatchError("organization_id is not the organization you are working in")
        n = cursors.page_limit(limit)
        where: list[Any] = []
        for name, value in (("transaction_type", transaction_type), ("source_entity_id", source_entity_id),
                            ("target_entity_id", target_entity_id), ("reference", reference)):
            if value is not None:
                if not isinstance(value, str):
                    raise ValidationError(name, "must be text")
                where.append(T.c[name] == value)
        if smart_code_like is not None:
            if not isinstance(smart_code_like, str):
                raise ValidationError("smart_code_like", "must be text")
            pattern = smart_code_like.replace("\\", "\\\\").replace("_", "\\_").replace("*", "%")
            if "%" not in pattern:
                pattern += "%"
            where.append(T.c.smart_code.like(pattern, escape="\\"))
        if date_from is not None:
            where.append(T.c.transaction_date >= _date_bound(date_from, "date_from"))
        if date_to is not None:
            bound = _date_bound(date_to, "date_to")
            where.append(T.c.transaction_date <= (bound + "T99" if len(bound) == 10 else bound))
        if cursor:
            after_at, after_id = cursors.decode(cursor)
            # A newest-first page's cursor is marked, so it cannot go on in the other order by mistake.
            if after_at.startswith(_NEWEST) != newest_first:
                raise ValidationError("cursor", "belongs to a query in the other order (newest_first)")
            after_at = after_at.removeprefix(_NEWEST)
            if newest_first:
                where.append(or_(T.c.created_at < after_at, and_(T.c.created_at == after_at, T.c.id < after_id)))
            else:
                where.append(or_(T.c.created_at > after_at, and_(T.c.created_at == after_at, T.c.id > after_id)))
        order = (T.c.created_at.desc(), T.c.id.desc()) if newest_first else (T.c.created_at, T.c.id)
        with self.db.read():
            st = self.store
            rows = st.rows(st.select(T, *where).order_by(*order).limit(n + 1))
            more = len(rows) > n
            rows = rows[:n]
            txns = self._hydrate(rows, include_lines)
        mark = _NEWEST if newest_first else ""
        nxt = cursors.encode(mark + rows[-1].created_at, rows[-1].id) if more else None
        return c.TransactionPage(transactions=txns, next_cursor=nxt)

    def latest_of(self, source_entity_id: str, limit: int = 200) -> list[c.Transaction]:
        """The most recent transactions whose source is this record (a customer's orders, say), newest first."""
        if not isinstance(source_entity_id, str):
            raise ValidationError("source_entity_id", "must be text")
        n = cursors.page_limit(limit)
        with self.db.read():
            st = self.store
            rows = st.rows(st.select(T, T.c.source_entity_id == source_entity_id)
                           .order_by(T.c.created_at.desc(), T.c.id.desc()).limit(n))
            return self._hydrate(rows, False)


_NEWEST = "<"  # before a newest-first cursor's time (a timestamp never starts with it)


def _date_bound(value: Any, field: str) -> str:
    try:
        parsed = c._txn_date(value)
    except ValueError as exc:
        raise ValidationError(field, str(exc)) from None
    if isinstance(value, str) and len(value.strip()) == 10:
        return value.strip()
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()  # a day, like "2024-03-01": the whole day, as for text
    return business_time(parsed)
