"""The change feed: one event per change, with the record's whole state, numbered per terminal.

Revision ID: 0007
Revises: 0006

``hera_change_feed`` replaces ``hera_event_outbox``. The outbox held summaries
(an entity's changed field names, a deletion's reason) from three writers, and
nothing for dynamic fields or relationships, so it could not rebuild a record
elsewhere; nothing ever delivered it. Its rows are not carried over (a summary
cannot be turned into a record's state); the backup made before this upgrade
keeps them.

``hera_feed_clocks`` holds, per (organization, terminal), the last change number
handed out and the hybrid logical clock's last reading. Both advance in the
same database transaction as the change they number.
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hera_change_feed",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.Column("terminal_id", sa.String(length=36), nullable=False),
        sa.Column("change_seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("record_table", sa.String(length=64), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("hlc_ms", sa.BigInteger(), nullable=False),
        sa.Column("hlc_counter", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.String(length=36), nullable=True),
        sa.Column("payload_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("delivered_at", sa.String(length=32), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hera_change_feed")),
    )
    with op.batch_alter_table("hera_change_feed", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hera_change_feed_organization_id_terminal_id_change_seq"),
                              ["organization_id", "terminal_id", "change_seq"], unique=True)
        batch_op.create_index(batch_op.f("ix_hera_change_feed_organization_id_record_id"),
                              ["organization_id", "record_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_hera_change_feed_organization_id_delivered_at_id"),
                              ["organization_id", "delivered_at", "id"], unique=False)
    op.create_table(
        "hera_feed_clocks",
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.Column("terminal_id", sa.String(length=36), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("hlc_ms", sa.BigInteger(), nullable=False),
        sa.Column("hlc_counter", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("organization_id", "terminal_id", name=op.f("pk_hera_feed_clocks")),
    )
    with op.batch_alter_table("hera_event_outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hera_event_outbox_organization_id_delivered_at_id"))
    op.drop_table("hera_event_outbox")


def downgrade() -> None:
    op.create_table(
        "hera_event_outbox",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.Column("event_type", sa.String(length=100), nullable=False),
        sa.Column("aggregate_id", sa.String(length=36), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("delivered_at", sa.String(length=32), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hera_event_outbox")),
    )
    with op.batch_alter_table("hera_event_outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hera_event_outbox_organization_id_delivered_at_id"),
                              ["organization_id", "delivered_at", "id"], unique=False)
    op.drop_table("hera_feed_clocks")
    op.drop_table("hera_change_feed")
