"""The HERA server's bearer tokens: who may call its HTTP API, for which organization.

Revision ID: 0011
Revises: 0010

A token is shown once when it is made (``serve-admin token create``); only its
SHA-256 is kept here, with the organization it acts in and the user entity whose
role limits what it may call. Revoking stamps ``revoked_at``; every request looks
its token up, so a revocation holds at the next request on every worker.
Machinery, not business data: the books on a desktop hold none.
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hera_api_tokens",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("revoked_at", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hera_api_tokens")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_hera_api_tokens_token_sha256")),
    )
    op.create_index("ix_hera_api_tokens_organization", "hera_api_tokens", ["organization_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_hera_api_tokens_organization", table_name="hera_api_tokens")
    op.drop_table("hera_api_tokens")
