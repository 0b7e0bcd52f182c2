"""Row-level security on a database server: the database's own guard of each organization's rows.

``OrgStore`` keeps every statement of the core to its organization. On
PostgreSQL the database holds the same line behind it (migration 0012): every
table with an organization's rows shows and accepts, to a role that is not the
tables' owner, only the rows of the organization its transaction acts for
(``Database.acting_for``), and none at all outside one.

The HERA server connects as such a role. ``grant_server_role`` gives it exactly
what the core does with each table: it reads and adds rows, changes only what
the core changes (never a transaction or its lines), deletes only the rows of
the caches the core rebuilds, and owns nothing, so it can neither alter the
tables nor turn their security off. ``row_security_enabled`` and ``role_bypass``
let a health check say whether the guard is up and holds the connected role.
"""
from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Connection, Engine, text

from ..domain.errors import StorageError, ValidationError
from .schema import metadata

UNGUARDED = ("hera_api_tokens",)  # looked up by a token's hash before its organization is known
# Tables of organizations' rows that schema.py does not declare (made by migration 0002 on PostgreSQL).
SERVER_ONLY = {"hera_search": "organization_id"}
ORGANIZATION_TABLES: dict[str, str] = {
    "core_organizations": "id",
    **{t.name: "organization_id" for t in metadata.sorted_tables
       if "organization_id" in t.c and t.name not in UNGUARDED},
    **SERVER_ONLY,
}
# Tables whose owner skips row-level security (not FORCEd): a word search needs its index (migration 0012).
NOT_FORCED = ("hera_search",)

_READ_ADD = ("SELECT", "INSERT")
_READ_ADD_CHANGE = ("SELECT", "INSERT", "UPDATE")
_CACHE = ("SELECT", "INSERT", "UPDATE", "DELETE")  # rebuilt from the records: its rows are deleted and made again
# What the server's role may do with each table: what the core does with it, no more.
PRIVILEGES: dict[str, tuple[str, ...]] = {
    "core_organizations": _READ_ADD_CHANGE,
    "core_entities": _READ_ADD_CHANGE,
    "core_dynamic_data": (*_READ_ADD_CHANGE, "DELETE"),  # a field removed (its last state stays in the feed)
    "core_relationships": _READ_ADD_CHANGE,  # a relationship ends by is_active, never by DELETE
    "universal_transactions": _READ_ADD,  # immutable: a correction is a reversal
    "universal_transaction_lines": _READ_ADD,
    "hera_change_feed": (*_READ_ADD, "UPDATE (delivered_at, attempts)"),  # an event's delivery, never its content
    "hera_feed_clocks": _READ_ADD_CHANGE,
    "hera_applied_events": _READ_ADD,
    "hera_gl_daily_balances": _READ_ADD_CHANGE,
    "hera_gl_account_balances": _READ_ADD_CHANGE,
    "hera_stock_levels": _CACHE,
    "hera_document_numbers": _READ_ADD_CHANGE,
    "hera_chain_counters": _READ_ADD_CHANGE,
    "hera_search": _CACHE,
    "hera_settings": _READ_ADD,  # the terminal's id, written once
    "hera_api_tokens": _READ_ADD_CHANGE,  # revoking stamps revoked_at
    "alembic_version": ("SELECT",),  # opening the books checks their schema; only the owner upgrades it
}
# Functions the core calls: the word search runs as the owner, held to the transaction's organization (0012).
FUNCTIONS = ("hera_search_find(varchar, varchar, tsquery, integer)",)
_ROLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_$]{0,62}")


def row_security_enabled(conn: Connection) -> bool:
    """Whether every table of organizations' rows has row-level security enabled (and forced, but for
    ``NOT_FORCED``) with its policy (False on SQLite, which has none)."""
    if conn.dialect.name != "postgresql":
        return False
    guarded = conn.execute(text(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relname = ANY(:tables) "
        "AND c.relrowsecurity AND (c.relforcerowsecurity OR c.relname = ANY(:not_forced)) "
        "AND EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'hera_organization')"),
        {"tables": list(ORGANIZATION_TABLES), "not_forced": list(NOT_FORCED)}).scalar_one()
    return bool(guarded == len(ORGANIZATION_TABLES))


def role_bypass(conn: Connection) -> str | None:
    """Why the role this connection logged in as is not held to one organization's rows, or None when it is
    (a server's health check: the server must not run as a superuser or as the tables' owner)."""
    if conn.dialect.name != "postgresql":
        return "SQLite books have no row-level security"
    row = conn.execute(text(
        "SELECT r.rolsuper, r.rolbypassrls, pg_has_role(current_user, t.tableowner, 'USAGE') "
        "FROM pg_roles r, pg_tables t WHERE r.rolname = current_user "
        "AND t.schemaname = current_schema() AND t.tablename = 'core_entities'")).first()
    if row is None:
        return "these books have no tables yet (their owner opens them once to make them)"
    if row[0]:
        return f"{_current(conn)} is a superuser: it sees every organization's rows"
    if row[1]:
        return f"{_current(conn)} may bypass row-level security (BYPASSRLS): it sees every organization's rows"
    if row[2]:
        return (f"{_current(conn)} owns the books' tables: outside a request it sees every organization's rows, "
                "and it could turn row-level security off")
    return None


def grant_server_role(target: Engine | Connection, role: str) -> None:
    """Give the login role ``role`` exactly what the HERA server does with the books, and take away anything
    more it had on them. Run as the tables' owner (or a superuser), after the books are upgraded.

    Given an engine, or a connection outside a transaction, it commits; inside the connection's
    transaction, the caller commits."""
    if isinstance(target, Engine):
        with target.begin() as conn:
            _grant(conn, role)
    elif target.in_transaction():
        _grant(target, role)
    else:
        with target.begin():
            _grant(target, role)


def _grant(conn: Connection, role: str) -> None:
    if conn.dialect.name != "postgresql":
        raise StorageError("Server roles are PostgreSQL's: SQLite books have no roles to grant")
    if not isinstance(role, str) or not _ROLE_NAME.fullmatch(role):
        raise ValidationError("role", f"{role!r} is not a role name (letters, digits, _ and $, up to 63, "
                                      "not starting with a digit)")
    _check_role(conn, role)
    if not conn.execute(text(
            "SELECT rolsuper OR pg_has_role(current_user, t.tableowner, 'USAGE') FROM pg_roles, pg_tables t "
            "WHERE rolname = current_user AND t.schemaname = current_schema() AND t.tablename = 'core_entities'"
    )).scalar_one():
        raise StorageError(f"{_current(conn)} does not own the books' tables: grant the server's role as their owner")
    if not row_security_enabled(conn):
        raise StorageError("These books have no row-level security yet: open them once as their owner "
                           "(that upgrades them), then grant the server's role")
    quote = conn.dialect.identifier_preparer.quote
    grantee = quote(role)
    schema = quote(conn.execute(text("SELECT current_schema()")).scalar_one())
    conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA {schema} TO {grantee}")
    for table, privileges in PRIVILEGES.items():
        conn.exec_driver_sql(f"REVOKE ALL ON {schema}.{quote(table)} FROM {grantee}")
        conn.exec_driver_sql(f"GRANT {', '.join(privileges)} ON {schema}.{quote(table)} TO {grantee}")
    for function in FUNCTIONS:
        conn.exec_driver_sql(f"GRANT EXECUTE ON FUNCTION {schema}.{function} TO {grantee}")


def _check_role(conn: Connection, role: str) -> None:
    found: Any = conn.execute(text(
        "SELECT r.rolsuper, r.rolbypassrls, pg_has_role(:role, t.tableowner, 'USAGE') "
        "FROM pg_roles r, pg_tables t WHERE r.rolname = :role "
        "AND t.schemaname = current_schema() AND t.tablename = 'core_entities'"), {"role": role}).first()
    if found is None:
        known = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :role"), {"role": role}).first()
        if known is None:
            raise ValidationError("role", f"there is no role named {role!r}: create it first "
                                          f"(CREATE ROLE {role} LOGIN PASSWORD '...')")
        raise StorageError("These books have no tables yet: open them once as their owner, then grant the "
                           "server's role")
    if found[0] or found[1]:
        raise ValidationError("role", f"{role!r} is a superuser or may bypass row-level security: the server "
                                      "needs a role that sees only the organization of each request")
    if found[2]:
        raise ValidationError("role", f"{role!r} owns the books' tables (or has their owner's rights): the "
                                      "server needs a role of its own, which owns nothing")


def _current(conn: Connection) -> str:
    return repr(conn.execute(text("SELECT current_user")).scalar_one())
