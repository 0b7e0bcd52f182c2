"""Running totals per GL account: the trial balance reads one row per account, not one per account and day.

Revision ID: 0003
Revises: 0002

A derived cache like ``hera_gl_daily_balances``, filled here from it (exactly, in
Decimal) and kept in step with every posting from now on.
"""
from collections import defaultdict
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

from hera_desktop.storage.types import ExactDecimal

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    totals = op.create_table(
        "hera_gl_account_balances",
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("debit", ExactDecimal(), nullable=False),
        sa.Column("credit", ExactDecimal(), nullable=False),
        sa.PrimaryKeyConstraint("organization_id", "account_id", "currency", name=op.f("pk_hera_gl_account_balances")),
    )
    daily = sa.table("hera_gl_daily_balances", sa.column("organization_id"), sa.column("account_id"),
                     sa.column("currency"), sa.column("debit", ExactDecimal()), sa.column("credit", ExactDecimal()))
    sums: dict[tuple[str, str, str], list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for row in op.get_bind().execute(sa.select(daily)):
        cell = sums[(row.organization_id, row.account_id, row.currency)]
        cell[0] += row.debit
        cell[1] += row.credit
    if sums:
        op.bulk_insert(totals, [{"organization_id": o, "account_id": a, "currency": c, "debit": dr, "credit": cr}
                                for (o, a, c), (dr, cr) in sums.items()])


def downgrade() -> None:
    op.drop_table("hera_gl_account_balances")
