"""Transactions become immutable in the database itself; customer and product search index.

Revision ID: 0002
Revises: 0001
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_GUARDED = ("universal_transactions", "universal_transaction_lines")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for table in _GUARDED:
            for action in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, 'transactions are immutable: correct them by reversal'); END")
        op.execute(
            "CREATE VIRTUAL TABLE hera_search USING fts5("
            "entity_id UNINDEXED, organization_id UNINDEXED, entity_type UNINDEXED, body, "
            "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')")
    elif dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION hera_refuse_change() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'transactions are immutable: correct them by reversal'; END $$ LANGUAGE plpgsql")
        for table in _GUARDED:
            op.execute(f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
                       f"FOR EACH ROW EXECUTE FUNCTION hera_refuse_change()")
        op.execute(
            "CREATE TABLE hera_search (entity_id varchar(36) PRIMARY KEY, organization_id varchar(36) NOT NULL, "
            "entity_type varchar(100) NOT NULL, body text NOT NULL)")
        op.execute("CREATE INDEX ix_hera_search_org_type ON hera_search (organization_id, entity_type)")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.execute("DROP TABLE hera_search")
    for table in _GUARDED:
        if dialect == "sqlite":
            op.execute(f"DROP TRIGGER {table}_no_update")
            op.execute(f"DROP TRIGGER {table}_no_delete")
        else:
            op.execute(f"DROP TRIGGER {table}_immutable ON {table}")
    if dialect == "postgresql":
        op.execute("DROP FUNCTION hera_refuse_change()")
