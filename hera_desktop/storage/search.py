"""Customer and product search: FTS5 prefix queries on SQLite, a LIKE scan elsewhere.

The search index is machinery, rebuilt from entities and their dynamic fields
whenever they change. Each entity owns one FTS row whose rowid is derived from
the random part of its UUIDv7, so updates find it without a scan and a VACUUM
cannot renumber it.
"""
from __future__ import annotations

import re

from sqlalchemy import Connection, text

from .prepared import Prepared

_TOKEN = re.compile(r"\w+", re.UNICODE)
_FIND = Prepared(text("SELECT entity_id FROM hera_search WHERE hera_search MATCH :m "
                      "AND organization_id = :o AND entity_type = :t LIMIT :n"))


def _rowid(entity_id: str) -> int:
    return int(entity_id.replace("-", "")[-15:], 16)


def index_entity(conn: Connection, organization_id: str, entity_id: str, entity_type: str, body: str) -> None:
    if conn.dialect.name == "sqlite":
        conn.execute(text("DELETE FROM hera_search WHERE rowid = :r"), {"r": _rowid(entity_id)})
        conn.execute(text("INSERT INTO hera_search(rowid, entity_id, organization_id, entity_type, body) "
                          "VALUES (:r, :e, :o, :t, :b)"),
                     {"r": _rowid(entity_id), "e": entity_id, "o": organization_id, "t": entity_type, "b": body})
    else:
        conn.execute(text("DELETE FROM hera_search WHERE entity_id = :e"), {"e": entity_id})
        conn.execute(text("INSERT INTO hera_search(entity_id, organization_id, entity_type, body) "
                          "VALUES (:e, :o, :t, :b)"),
                     {"e": entity_id, "o": organization_id, "t": entity_type, "b": body.lower()})


def index_many(conn: Connection, organization_id: str, rows: list[tuple[str, str, str]]) -> None:
    """Index freshly created entities (no previous row to remove): [(entity_id, entity_type, body)]."""
    if not rows:
        return
    if conn.dialect.name == "sqlite":
        conn.execute(text("INSERT INTO hera_search(rowid, entity_id, organization_id, entity_type, body) "
                          "VALUES (:r, :e, :o, :t, :b)"),
                     [{"r": _rowid(e), "e": e, "o": organization_id, "t": t, "b": b} for e, t, b in rows])
    else:
        for e, t, b in rows:
            index_entity(conn, organization_id, e, t, b)


def remove(conn: Connection, entity_id: str) -> None:
    if conn.dialect.name == "sqlite":
        conn.execute(text("DELETE FROM hera_search WHERE rowid = :r"), {"r": _rowid(entity_id)})
    else:
        conn.execute(text("DELETE FROM hera_search WHERE entity_id = :e"), {"e": entity_id})


def find(conn: Connection, organization_id: str, entity_type: str, query: str, limit: int = 50) -> list[str]:
    """Ids of entities whose name, code or contact details start with every word typed."""
    tokens = _TOKEN.findall(query)[:8]
    if not tokens:
        return []
    if conn.dialect.name == "sqlite":
        match = " ".join(f'"{t}"*' for t in tokens)
        rows = _FIND.rows(conn, {"m": match, "o": organization_id, "t": entity_type, "n": limit})
    else:
        conds = " AND ".join(f"(body LIKE :p{i} OR body LIKE :q{i})" for i in range(len(tokens)))
        params = {"o": organization_id, "t": entity_type, "n": limit}
        for i, t in enumerate(tokens):
            params[f"p{i}"] = f"{t.lower()}%"
            params[f"q{i}"] = f"% {t.lower()}%"
        rows = conn.execute(text(f"SELECT entity_id FROM hera_search WHERE organization_id = :o "
                                 f"AND entity_type = :t AND {conds} LIMIT :n"), params)
    return [r[0] for r in rows]
