"""Entity codes: the number a record is known by (CUST-000042, GL 1000), one per entity type.

A code is unique among an organization's entities of one type. New entities without
one are numbered PREFIX-000001 upwards; codes people typed (CUST-VIP) are stepped over.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from sqlalchemy import bindparam, func, select

from ..domain.arguments import whole_number
from ..domain.errors import ValidationError
from ..storage.schema import core_entities as E
from ..storage.scoped import OrgPrepared, OrgStore

CODE_PREFIX = {"customer": "CUST", "product": "PROD", "menu_item": "MENU", "location": "LOC",
               "user": "USER", "gl_account": "GL", "workflow_status": "STATUS"}
_CHUNK = 500

HIGHEST_CODE = OrgPrepared(select(E.c.entity_code).where(
    E.c.entity_type == bindparam("type"),
    E.c.entity_code >= bindparam("low"), E.c.entity_code <= bindparam("high"),
    func.length(E.c.entity_code) == bindparam("length")).order_by(E.c.entity_code.desc()).limit(1))


def next_number(store: OrgStore, entity_type: str, prefix: str, width: int = 6) -> int:
    """One more than the highest number of ``width`` or more digits after ``prefix`` among this type's
    codes (1 if none): the numbers this type's codes are made with (PREFIX-000042 for width 6).

    An index seek, however many codes there are: the highest code of one width is where a descending
    walk of the (organization, type, code) index starts. Numbers only grow a digit once every number
    of the width is used, so a wider one is looked for only then. Codes of other shapes people typed
    (CUST-42, CUST-VIP) are not numbers of this sequence; a clash with one is stepped over by the caller.
    """
    if not isinstance(entity_type, str) or not isinstance(prefix, str) or not prefix:
        raise ValidationError("prefix", "entity_type and prefix must be text, the prefix not empty")
    whole_number("width", width, 1, 18)
    number = 0
    for digits in range(width, 19):
        found = store.run(HIGHEST_CODE, {"type": entity_type, "low": prefix + "0" * digits,
                                         "high": prefix + "9" * digits, "length": len(prefix) + digits})
        tail = str(found[0][0])[len(prefix):] if found else ""
        if not (tail.isascii() and tail.isdigit()):
            break
        number = int(tail)
        if tail != "9" * digits:
            break
    return number + 1


def new_codes(store: OrgStore, entity_type: str, count: int, also_taken: Iterable[str] = ()) -> list[str]:
    """``count`` free PREFIX-000001 style codes for new entities of a type, in order, stepping over codes
    already stored and ``also_taken`` (codes given to other new entities of the same write)."""
    prefix = CODE_PREFIX.get(entity_type) or re.sub(r"[^A-Z0-9]", "", entity_type.upper())[:6] or "ENT"
    number = next_number(store, entity_type, f"{prefix}-")
    given = set(also_taken)
    out: list[str] = []
    while len(out) < count:  # the candidates a window at a time, each window checked in one query
        window = [f"{prefix}-{n:06d}" for n in range(number, number + min(count - len(out), _CHUNK))]
        stored = taken_among(store, entity_type, window)
        out.extend(code for code in window if code not in given and code not in stored)
        number += len(window)
    return out


def first_taken(store: OrgStore, entity_type: str, codes: Sequence[str]) -> str | None:
    """One of ``codes`` an entity of this type already has, or None."""
    for start in range(0, len(codes), _CHUNK):
        taken = store.scalar(store.select(E, E.c.entity_type == entity_type,
                                          E.c.entity_code.in_(list(codes[start:start + _CHUNK])),
                                          columns=[E.c.entity_code]).limit(1))
        if taken is not None:
            return str(taken)
    return None


def taken_among(store: OrgStore, entity_type: str, codes: Sequence[str]) -> set[str]:
    """Those of ``codes`` entities of this type already have."""
    out: set[str] = set()
    for start in range(0, len(codes), _CHUNK):
        out.update(str(r[0]) for r in store.rows(store.select(
            E, E.c.entity_type == entity_type, E.c.entity_code.in_(list(codes[start:start + _CHUNK])),
            columns=[E.c.entity_code])))
    return out
