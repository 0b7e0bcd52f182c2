"""A transaction code is given once per organization and kind of document.

Revision ID: 0008
Revises: 0007

Generated codes were unique already (their counter's primary key, 0006), and the API now
refuses a caller's code that a document of its type already has; this index makes the
database itself hold it, whoever writes.

Books in which callers of the raw API gave two documents one code before this version keep
them: transactions are immutable and their codes are in the hash chain. There the index
holds for everything recorded after the last such repeat (a partial index from its
``created_at`` on), and the API's check keeps new codes off the old ones.
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TABLE = "universal_transactions"
COLUMNS = ["organization_id", "transaction_type", "transaction_code"]
NAME = "ix_universal_transactions_organization_id_transaction_type_transaction_code"


def upgrade() -> None:
    txns = sa.table(TABLE, *(sa.column(c) for c in [*COLUMNS, "created_at"]))
    repeated = (sa.select(txns.c.organization_id, txns.c.transaction_type, txns.c.transaction_code)
                .group_by(*(txns.c[c] for c in COLUMNS)).having(sa.func.count() > 1).subquery())
    last_repeat = op.get_bind().execute(
        sa.select(sa.func.max(txns.c.created_at)).select_from(txns.join(repeated, sa.and_(
            *(txns.c[c] == repeated.c[c] for c in COLUMNS))))).scalar()
    where = {} if last_repeat is None else {
        f"{dialect}_where": sa.text(f"created_at > '{last_repeat}'") for dialect in ("sqlite", "postgresql")}
    op.create_index(op.f(NAME), TABLE, COLUMNS, unique=True, **where)


def downgrade() -> None:
    op.drop_index(op.f(NAME), table_name=TABLE)
