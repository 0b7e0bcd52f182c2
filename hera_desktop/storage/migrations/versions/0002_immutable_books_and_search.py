"""Transactions become immutable in the database itself; customer and product search index.

Revision ID: 0002
Revises: 0001
"""
from collections import defaultdict

import sqlalchemy as sa
from alembic import op

from hera_desktop.storage import search

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_GUARDED = ("universal_transactions", "universal_transaction_lines")
# What the search index covered when it was introduced: these kinds, by name, code, email and phone.
_SEARCHABLE = ("customer", "product", "menu_item", "gl_account", "location", "user")
_SEARCH_FIELDS = ("email", "phone")


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
        # Prefix queries on the words (see storage/search.py); the 'simple' configuration keeps every word as typed.
        op.execute("CREATE INDEX ix_hera_search_words ON hera_search USING gin (to_tsvector('simple', body))")
    _index_existing_entities()


def _index_existing_entities() -> None:
    """Entities stored before the index existed must be found by search too."""
    bind = op.get_bind()
    entities = sa.table("core_entities", sa.column("id"), sa.column("organization_id"), sa.column("entity_type"),
                        sa.column("entity_name"), sa.column("entity_code"), sa.column("status"))
    fields = sa.table("core_dynamic_data", sa.column("entity_id"), sa.column("field_name"),
                      sa.column("field_value_text"))
    contact: dict[str, list[str]] = defaultdict(list)
    for entity_id, value in bind.execute(sa.select(fields.c.entity_id, fields.c.field_value_text).where(
            fields.c.field_name.in_(_SEARCH_FIELDS), fields.c.field_value_text.is_not(None))):
        contact[entity_id].append(value)
    by_org: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for row in bind.execute(sa.select(entities).where(entities.c.entity_type.in_(_SEARCHABLE),
                                                      entities.c.status != "deleted")):
        body = " ".join([row.entity_name, row.entity_code, *contact[row.id]])
        by_org[row.organization_id].append((row.id, row.entity_type, body))
    for organization_id, rows in by_org.items():
        search.index_rows(bind, organization_id, rows)


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
