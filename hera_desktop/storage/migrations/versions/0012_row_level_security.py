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
# Row-level security is not forced on the search index: its owner skips it. PostgreSQL evaluates a condition
# that might reveal its arguments (a function not LEAKPROOF, as the word match ``@@`` is not) only after the
# policies, so under a policy a word search cannot use the index of words: it reads every index row of the
# organization and kind (49 ms instead of 4 ms for 20,000 customers). The server's role searches through
# ``hera_search_find`` instead, which runs as the owner and is itself held to the transaction's organization.
OWNER_SKIPS = ("hera_search",)
ACTING = "current_setting('hera.organization_id', true)"
# After a transaction that set it ends, the setting reads '' for the rest of the session; before, NULL.
NOT_ACTING = f"coalesce({ACTING}, '') = ''"


# The words of one kind of the organization's entities (``storage/search.py``): for the organization the
# transaction acts for, or, in one that acts for none, for the tables' owner alone (and those with its rights).
FIND_SIGNATURE = "hera_search_find(varchar, varchar, tsquery, integer)"
FIND = """
CREATE FUNCTION hera_search_find(organization varchar, kind varchar, words tsquery, n integer)
RETURNS SETOF varchar LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
BEGIN
    IF organization IS DISTINCT FROM current_setting('hera.organization_id', true)
       AND NOT (coalesce(current_setting('hera.organization_id', true), '') = ''
                AND pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = 'hera_search'::regclass),
                                'USAGE')) THEN
        RETURN;
    END IF;
    -- Planned for these words and this limit at each call: a plan for any words would read the whole table.
    RETURN QUERY EXECUTE 'SELECT entity_id FROM hera_search WHERE organization_id = $1 AND entity_type = $2 '
                         'AND to_tsvector(''simple'', body) @@ $3 LIMIT $4' USING organization, kind, words, n;
END
$$"""


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    quote = bind.dialect.identifier_preparer.quote
    # Named by the owners the tables have now, whoever runs this (a superuser may, for the owner).
    owners = dict(bind.execute(sa.text("SELECT tablename, tableowner FROM pg_tables "
                                       "WHERE schemaname = current_schema() AND tablename = ANY(:t)"),
                               {"t": list(TABLES)}).all())
    op.execute(FIND.format(schema=quote(bind.execute(sa.text("SELECT current_schema()")).scalar_one())))
    op.execute(f"ALTER FUNCTION {FIND_SIGNATURE} OWNER TO {quote(owners['hera_search'])}")
    op.execute(f"REVOKE ALL ON FUNCTION {FIND_SIGNATURE} FROM PUBLIC")
    for table, column in TABLES.items():
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY hera_organization ON {table} "
                   f"USING ({column} = {ACTING}) WITH CHECK ({column} = {ACTING})")
        if table in OWNER_SKIPS:
            continue
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY hera_owner ON {table} TO {quote(owners[table])} "
                   f"USING ({NOT_ACTING}) WITH CHECK ({NOT_ACTING})")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP FUNCTION {FIND_SIGNATURE}")
    for table in TABLES:
        if table not in OWNER_SKIPS:
            op.execute(f"DROP POLICY hera_owner ON {table}")
            op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
        op.execute(f"DROP POLICY hera_organization ON {table}")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
