"""Where each hash chain's last number lives: a counter a deleted transaction cannot roll back.

The counter of an (organization, terminal) chain holds the number and hash of the
last link handed out. The transaction writer reads it once per unit of work and
moves it on with one statement as that unit commits, in the database
transaction that records the transactions: a rollback takes the numbers back with the rows,
a commit moves the counter past them for good. Deleting the newest transactions
behind the app's back leaves the counter ahead of the chain, and the next link
follows the counter, so no number is handed out twice and ``verify`` names the
missing tail.

Books rebuilt from a feed hold the transactions but not the counters, so
``continue_chains`` sets each counter at least to its chain's newest link.
"""
from __future__ import annotations

from typing import Mapping

from sqlalchemy import Connection, bindparam, select, text

from .prepared import Prepared
from .schema import hera_chain_counters as C

Head = tuple[int, str]  # a chain's last link: its number and its hash

_ADVANCE = Prepared(text(
    f"INSERT INTO {C.name} (organization_id, terminal_id, last_seq, last_hash) "
    "VALUES (:org, :terminal, :seq, :hash) "
    "ON CONFLICT (organization_id, terminal_id) "
    "DO UPDATE SET last_seq = excluded.last_seq, last_hash = excluded.last_hash"))
_AT_LEAST = Prepared(text(
    f"INSERT INTO {C.name} (organization_id, terminal_id, last_seq, last_hash) "
    "VALUES (:org, :terminal, :seq, :hash) "
    "ON CONFLICT (organization_id, terminal_id) "
    f"DO UPDATE SET last_seq = excluded.last_seq, last_hash = excluded.last_hash "
    f"WHERE {C.name}.last_seq < excluded.last_seq"))
_ONE = Prepared(select(C.c.last_seq, C.c.last_hash).where(C.c.organization_id == bindparam("org"),
                                                           C.c.terminal_id == bindparam("terminal")))


def last_link(conn: Connection, organization_id: str, terminal_id: str) -> Head | None:
    """The counter of one chain: its last link handed out, or None if it never handed one out."""
    rows = _ONE.rows(conn, {"org": organization_id, "terminal": terminal_id})
    return (int(rows[0][0]), str(rows[0][1])) if rows else None


def advance(conn: Connection, organization_id: str, terminal_id: str, head: Head) -> None:
    """The chain's counter moved to ``head``, the last link just written; inside the unit of work that writes it."""
    _ADVANCE.execute(conn, {"org": organization_id, "terminal": terminal_id, "seq": head[0], "hash": head[1]})


def counters(conn: Connection, organization_id: str) -> dict[str, Head]:
    """Every chain counter of an organization, by terminal."""
    rows = conn.execute(select(C.c.terminal_id, C.c.last_seq, C.c.last_hash)
                        .where(C.c.organization_id == organization_id))
    return {str(t): (int(seq), str(h)) for t, seq, h in rows}


def continue_chains(conn: Connection, organization_id: str, heads: Mapping[str, Head]) -> None:
    """Each terminal's counter moved on to at least its head in ``heads``, never back."""
    if heads:
        _AT_LEAST.execute(conn, [{"org": organization_id, "terminal": t, "seq": h[0], "hash": h[1]}
                                 for t, h in sorted(heads.items())])
