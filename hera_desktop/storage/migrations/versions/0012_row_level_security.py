"""On a database server, the database itself keeps each organization's rows to that organization.

Revision ID: 0012
Revises: 0011

Row-level security is enabled and forced on every table that holds an
organization's rows (enabled alone on the search index: see ``OWNER_SKIPS``). A row is visible and writable only in a transaction that
acts for its organization: one that ran
``set_config('hera.organization_id', <id>, true)`` (``Database.acting_for``). A
role that is not the tables' owner sees nothing outside such a transaction: the
HERA server connects as such a role, so a query that forgot its organization
filter, or a request naming another organization, finds nothing there.

The tables' owner (who runs the migrations, administers the server and runs the
desktop's own tests) keeps every row while its transaction acts for no
organization (``hera_owner``); inside ``acting_for`` it is held to that
organization too, so a server connected as the owner by mistake still keeps
requests apart. With FORCE the owner is subject to the policies; without it the
owner would skip them altogether.

``hera_api_tokens`` stays without: a request's token is looked up by its hash
before anyone knows its organization. ``hera_settings`` holds no organization's
rows. Nothing changes on SQLite, which has no roles. The rows themselves are not
touched, so books holding data upgrade in an instant.
"""
import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# Each table with an organization's rows, and the column naming the organization (as the tables were at 0011).
TABLES = {
    "core_organizations": "id",
    "core_entities": "organization_id",
    "core_dynamic_data": "organization_id",
    "core_relationships": "organization_id",
    "universal_transactions": "organization_id",
    "universal_transaction_lines": "organization_id",
    "hera_change_feed": "organization_id",
    "hera_feed_clocks": "organization_id",
    "hera_applied_events": "organization_id",
    "hera_gl_daily_balances": "organization_id",
    "hera_gl_account_balances": "organization_id",
    "hera_stock_levels": "organization_id",
    "hera_document_numbers": "organization_id",
    "hera_chain_counters": "organization_id",
    "hera_search": "organization_id",
}
# Row-level security is not forced on the search index: its owner skips it. A word search (``@@``) can use the
# index of words only where no policy stands before it, since PostgreSQL evaluates a function that might reveal
# its arguments (one not LEAKPROOF, as ``@@`` is not) only after the policies; forced, the owner's searches
# would read every index row of the organization and kind. The server's role is held by the policy all the same.
OWNER_SKIPS = ("hera_search",)
ACTING = "current_setting('hera.organization_id', true)"
# After a transaction that set it ends, the setting reads '' for the rest of the session; before, NULL.
NOT_ACTING = f"coalesce({ACTING}, '') = ''"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    quote = bind.dialect.identifier_preparer.quote
    for table, column in TABLES.items():
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY hera_organization ON {table} "
                   f"USING ({column} = {ACTING}) WITH CHECK ({column} = {ACTING})")
        if table in OWNER_SKIPS:
            continue
        owner = bind.execute(sa.text("SELECT tableowner FROM pg_tables "
                                     "WHERE schemaname = current_schema() AND tablename = :t"), {"t": table}).scalar_one()
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        # Named by the owner the table has now, whoever runs this (a superuser may, for the owner).
        op.execute(f"CREATE POLICY hera_owner ON {table} TO {quote(owner)} "
                   f"USING ({NOT_ACTING}) WITH CHECK ({NOT_ACTING})")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        if table not in OWNER_SKIPS:
            op.execute(f"DROP POLICY hera_owner ON {table}")
            op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"DROP POLICY hera_organization ON {table}")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
