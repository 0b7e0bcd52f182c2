"""Each hash chain's last number lives where deleting transactions cannot roll it back.

Revision ID: 0010
Revises: 0009

Until now the next link of a terminal's chain followed the highest ``chain_seq``
its transactions held, so deleting the newest transactions behind the app's
back handed their numbers out again and left a chain that verified.
``hera_chain_counters`` keeps, per (organization, terminal), the last number
handed out and its hash, advanced in the same database transaction as the
transactions it numbers.

Each counter starts at its chain's newest transaction as the books hold it now:
a tail deleted before this upgrade cannot be told from one never written.
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    counters = op.create_table(
        "hera_chain_counters",
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.Column("terminal_id", sa.String(length=36), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("organization_id", "terminal_id", name=op.f("pk_hera_chain_counters")),
    )
    txns = sa.table("universal_transactions", sa.column("organization_id"), sa.column("terminal_id"),
                    sa.column("chain_seq"), sa.column("content_hash"))
    newest = (sa.select(txns.c.organization_id, txns.c.terminal_id, sa.func.max(txns.c.chain_seq).label("seq"))
              .group_by(txns.c.organization_id, txns.c.terminal_id).subquery())
    rows = op.get_bind().execute(
        sa.select(txns.c.organization_id, txns.c.terminal_id, txns.c.chain_seq, txns.c.content_hash)
        .join(newest, sa.and_(newest.c.organization_id == txns.c.organization_id,
                              newest.c.terminal_id == txns.c.terminal_id, newest.c.seq == txns.c.chain_seq)))
    heads = [{"organization_id": o, "terminal_id": t, "last_seq": int(seq), "last_hash": h} for o, t, seq, h in rows]
    if heads:
        op.bulk_insert(counters, heads)


def downgrade() -> None:
    op.drop_table("hera_chain_counters")
