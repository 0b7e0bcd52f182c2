"""Customer and product search: prefix queries on a full-text index (FTS5 on SQLite, tsvector on PostgreSQL).

The search index is machinery, rebuilt from entities and their dynamic fields
whenever they change. On SQLite each entity owns one FTS row whose rowid is
derived from the random part of its UUIDv7, so updates find it without a scan
and a VACUUM cannot renumber it. On PostgreSQL each entity owns the row keyed by
its id, and a GIN index over ``to_tsvector('simple', body)`` answers prefix
queries (``'mar':*``), which need no extension a non-superuser could not create.
There the body is stored as FTS5 would see it: lower case, accents removed,
split into the same words, so both databases find the same entities.
"""
from __future__ import annotations

import re
import unicodedata

from sqlalchemy import Connection, text

from .prepared import Prepared
from .scoped import OrgStore

_TOKEN = re.compile(r"\w+", re.UNICODE)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)  # FTS5's unicode61 words: letters and digits (an underscore splits)
_FIND = Prepared(text("SELECT entity_id FROM hera_search WHERE hera_search MATCH :m "
                      "AND organization_id = :o AND entity_type = :t LIMIT :n"))
_PG_STORE = text("INSERT INTO hera_search(entity_id, organization_id, entity_type, body) VALUES (:e, :o, :t, :b) "
                 "ON CONFLICT (entity_id) DO UPDATE SET organization_id = excluded.organization_id, "
                 "entity_type = excluded.entity_type, body = excluded.body")
# Through a function of the books' owner (migration 0012): under row-level security the word index could not
# be used, and the function holds the search to the organization the transaction acts for itself.
_PG_FIND = text("SELECT hera_search_find(:o, :t, to_tsquery('simple', :q), :n)")


def words(body: str) -> list[str]:
    """The words FTS5 indexes (``remove_diacritics 2``): lower case, accents removed."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", body.casefold()) if not unicodedata.combining(c))
    return _WORD.findall(folded)


def _rowid(entity_id: str) -> int:
    return int(entity_id.replace("-", "")[-15:], 16)


def index_entity(store: OrgStore, entity_id: str, entity_type: str, body: str) -> None:
    """Make an entity of this store's organization findable by the words of ``body`` (replacing what it had)."""
    conn, organization_id = store.conn, store.organization_id
    if conn.dialect.name == "sqlite":
        conn.execute(text("DELETE FROM hera_search WHERE rowid = :r"), {"r": _rowid(entity_id)})
        conn.execute(text("INSERT INTO hera_search(rowid, entity_id, organization_id, entity_type, body) "
                          "VALUES (:r, :e, :o, :t, :b)"),
                     {"r": _rowid(entity_id), "e": entity_id, "o": organization_id, "t": entity_type, "b": body})
    else:
        conn.execute(_PG_STORE, {"e": entity_id, "o": organization_id, "t": entity_type, "b": " ".join(words(body))})


def index_many(store: OrgStore, rows: list[tuple[str, str, str]]) -> None:
    """Index freshly created entities (no previous row to remove): [(entity_id, entity_type, body)]."""
    index_rows(store.conn, store.organization_id, rows)


def index_rows(conn: Connection, organization_id: str, rows: list[tuple[str, str, str]]) -> None:
    """``index_many`` for a connection and an organization's id (the migrations, which have no store)."""
    if not rows:
        return
    if conn.dialect.name == "sqlite":
        conn.execute(text("INSERT INTO hera_search(rowid, entity_id, organization_id, entity_type, body) "
                          "VALUES (:r, :e, :o, :t, :b)"),
                     [{"r": _rowid(e), "e": e, "o": organization_id, "t": t, "b": b} for e, t, b in rows])
    else:
        conn.execute(_PG_STORE, [{"e": e, "o": organization_id, "t": t, "b": " ".join(words(b))} for e, t, b in rows])


def remove(store: OrgStore, entity_id: str) -> None:
    """Make an entity of this store's organization no longer findable."""
    conn = store.conn
    if conn.dialect.name == "sqlite":
        conn.execute(text("DELETE FROM hera_search WHERE rowid = :r AND organization_id = :o"),
                     {"r": _rowid(entity_id), "o": store.organization_id})
    else:
        conn.execute(text("DELETE FROM hera_search WHERE entity_id = :e AND organization_id = :o"),
                     {"e": entity_id, "o": store.organization_id})


def find(store: OrgStore, entity_type: str, query: str, limit: int = 50) -> list[str]:
    """Ids of this store's organization's entities whose name, code or contact details start with every word
    typed."""
    tokens = _TOKEN.findall(query)[:8]
    if not tokens:
        return []
    conn, organization_id = store.conn, store.organization_id
    if conn.dialect.name == "sqlite":
        match = " ".join(f'"{t}"*' for t in tokens)
        return [r[0] for r in _FIND.rows(conn, {"m": match, "o": organization_id, "t": entity_type, "n": limit})]
    typed = words(" ".join(tokens))  # each typed word, as the index holds it; every one must begin a word
    if not typed:
        return []
    query = " & ".join(f"{w}:*" for w in typed)
    return list(conn.execute(_PG_FIND, {"q": query, "o": organization_id, "t": entity_type, "n": limit}).scalars())
