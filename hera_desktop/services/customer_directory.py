"""The customer directory (``s.customer_directory``): customers a page at a time, in name order.

A list of customers must open and scroll as fast at 100,000 customers as at ten,
so it never loads them all: each page is one indexed keyset query on
(entity_name, id) followed by the details and status of just that page. The
cursor is opaque to callers and stays valid while customers are added.
"""
from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, not_

from ..domain.contracts.customers import CustomerPage
from ..domain.errors import ValidationError
from ..storage.schema import core_entities

if TYPE_CHECKING:
    from ..app import Scope

PAGE_SIZE = 200
MAX_PAGE = 1000


def _encode(name: str, record_id: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([name, record_id]).encode()).decode().rstrip("=")


def _decode(cursor: str) -> tuple[str, str]:
    try:
        name, record_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if isinstance(name, str) and isinstance(record_id, str):
            return name, record_id
    except (ValueError, TypeError, UnicodeDecodeError):
        pass
    raise ValidationError("cursor", "is not a cursor returned by a previous page")


def _limit(limit: Any) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ValidationError("limit", f"must be a whole number from 1 to {MAX_PAGE}")
    return min(limit, MAX_PAGE)


class CustomerDirectory:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.store = scope.store

    def _listed(self) -> list[Any]:
        e = core_entities
        return [e.c.entity_type == "customer", e.c.status != "deleted"]

    def page(self, cursor: str | None = None, limit: int = PAGE_SIZE) -> CustomerPage:
        """Customers in name order, starting after ``cursor`` (None = the first page)."""
        self.scope.require("customers.view", "see customers")
        n = _limit(limit)
        e = core_entities
        st = self.store
        where = self._listed()
        if cursor:
            after_name, after_id = _decode(cursor)
            # ">= name" keeps the (organization_id, entity_type, entity_name) index usable; ties go by id.
            where += [e.c.entity_name >= after_name, not_(and_(e.c.entity_name == after_name, e.c.id <= after_id))]
        with self.scope.db.read():
            columns = [e.c.id, e.c.entity_name, e.c.entity_code, e.c.version]
            found = st.rows(st.select(e, *where, columns=columns).order_by(e.c.entity_name, e.c.id).limit(n + 1))
            more = len(found) > n
            found = found[:n]
            rows = self.scope.internal.customers.views_of(found)
        nxt = _encode(found[-1].entity_name, found[-1].id) if more else None
        return CustomerPage(rows=rows, next_cursor=nxt)

    def find(self, text: str, limit: int = PAGE_SIZE) -> CustomerPage:
        """Customers whose name, code, email or phone start with the words typed, in name order."""
        self.scope.require("customers.view", "see customers")
        found = self.scope.internal.universal.search("customer", text, limit=_limit(limit))
        rows = self.scope.internal.customers.views_of(found)
        return CustomerPage(rows=sorted(rows, key=lambda v: (v.entity_name, v.id)))
