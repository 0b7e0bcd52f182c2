"""Hash-chain links name their format; the reversal and source indexes cover only rows that have one.

Revision ID: 0005
Revises: 0004

``chain_format`` says how a transaction's link was hashed (see
``universal/chain.py``). Every transaction already recorded was hashed with the
first format, which is the column's default, so old chains keep verifying.

Most transactions reverse nothing and have no source record (journal entries,
stock movements), yet every one of them was written into the indexes on
``reversal_of`` and ``source_entity_id``. Those indexes now hold only the rows
that have a value, which is every row a query of them can find.

The index by source also carries (created_at, id): a customer's history lists
their newest transactions first, and without the order in the index SQLite
walked all of the organization's transactions, newest first, to find them.
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TABLE = "universal_transactions"
PREFIX = "ix_universal_transactions_organization_id_"
# (column, unique, the columns after it in the new index)
PARTIAL = (("reversal_of", True, []), ("source_entity_id", False, ["created_at", "id"]))


def upgrade() -> None:
    # Not in batch mode: SQLite adds a column in place, and a rebuilt table would lose its immutability triggers.
    op.add_column(TABLE, sa.Column("chain_format", sa.Integer(), server_default=sa.text("1"), nullable=False))
    for column, unique, more in PARTIAL:
        op.drop_index(op.f(PREFIX + column), table_name=TABLE)
        condition = sa.text(f"{column} IS NOT NULL")
        # op.f: the naming convention's name, which PostgreSQL (63 characters at most) shortens as 0001's were.
        op.create_index(op.f("_".join([PREFIX + column, *more])), TABLE, ["organization_id", column, *more], unique=unique,
                        sqlite_where=condition, postgresql_where=condition)


def downgrade() -> None:
    for column, unique, more in PARTIAL:
        op.drop_index(op.f("_".join([PREFIX + column, *more])), table_name=TABLE)
        op.create_index(op.f(PREFIX + column), TABLE, ["organization_id", column], unique=unique)
    op.drop_column(TABLE, "chain_format")
