"""Document numbers without gaps: each (organization, terminal, document type) counts on its own.

A number is taken by one statement that advances the counter in the database
transaction that records the document: if that transaction rolls back, the
number was never taken; once it commits, the counter has moved past it for good.

A generated number reads ``SALE-1A2B-000042``: the document type, the last four hex
digits of the terminal's id, the number. Books rebuilt from a feed hold the documents
but not the counters, so ``continue_numbers`` sets each counter after the highest
number its documents carry.
"""
from __future__ import annotations

import re
from typing import Iterable

from sqlalchemy import Connection, select, text

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


# A generated document number: its type, its terminal's mark and the number.
NUMBERED = re.compile(r"([A-Z0-9]{1,20})-([0-9A-F]{4})-([0-9]{6,})\Z")
_AT_LEAST = Prepared(text(
    f"INSERT INTO {N.name} (organization_id, terminal_id, document_type, last_number) "
    "VALUES (:org, :terminal, :kind, :number) "
    "ON CONFLICT (organization_id, terminal_id, document_type) "
    f"DO UPDATE SET last_number = CASE WHEN {N.name}.last_number < excluded.last_number "
    f"THEN excluded.last_number ELSE {N.name}.last_number END"))


def terminal_mark(terminal_id: str) -> str:
    """The part of a terminal's id its document numbers carry."""
    return terminal_id[-4:].upper()


def highest_numbers(documents: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """The highest number each (terminal, document type) gave, from documents' (terminal id, code): codes of
    the generated form carrying their own terminal's mark (a code a caller chose counts for no terminal)."""
    highest: dict[tuple[str, str], int] = {}
    for terminal_id, code in documents:
        found = NUMBERED.match(code or "")
        if found is None or found[2] != terminal_mark(terminal_id):
            continue
        key = (terminal_id, found[1])
        highest[key] = max(highest.get(key, 0), int(found[3]))
    return highest


def continue_numbers(conn: Connection, organization_id: str, highest: dict[tuple[str, str], int]) -> None:
    """Each (terminal, document type) counter moved on to at least its number in ``highest``, never back."""
    if highest:
        _AT_LEAST.execute(conn, [{"org": organization_id, "terminal": terminal, "kind": kind, "number": number}
                                 for (terminal, kind), number in sorted(highest.items())])


def last_numbers(conn: Connection, organization_id: str) -> dict[tuple[str, str], int]:
    """The last number each (terminal, document type) of an organization gave."""
    rows = conn.execute(select(N.c.terminal_id, N.c.document_type, N.c.last_number)
                        .where(N.c.organization_id == organization_id))
    return {(str(t), str(k)): int(n) for t, k, n in rows}
