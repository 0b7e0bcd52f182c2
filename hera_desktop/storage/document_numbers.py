"""Document numbers without gaps: each (organization, terminal, document type) counts on its own.

A number is taken by one statement that advances the counter in the database
transaction that records the document: if that transaction rolls back, the
number was never taken; once it commits, the counter has moved past it for good.
"""
from __future__ import annotations

from sqlalchemy import Connection, text

from .prepared import Prepared
from .schema import hera_document_numbers as N

_NEXT = Prepared(text(
    f"INSERT INTO {N.name} (organization_id, terminal_id, document_type, last_number) "
    "VALUES (:org, :terminal, :kind, :count) "
    "ON CONFLICT (organization_id, terminal_id, document_type) "
    f"DO UPDATE SET last_number = {N.name}.last_number + :count RETURNING last_number"))


def take_numbers(conn: Connection, organization_id: str, terminal_id: str, document_type: str,
                 count: int) -> range:
    """The next ``count`` numbers of this kind of document on this terminal, taken in one statement; call it
    inside the unit of work that records the documents."""
    if count <= 0:
        return range(0)
    last = _NEXT.rows(conn, {"org": organization_id, "terminal": terminal_id, "kind": document_type,
                             "count": count})[0][0]
    return range(last - count + 1, last + 1)
