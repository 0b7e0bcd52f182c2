"""Document numbers count per terminal and kind of document, without gaps.

Revision ID: 0006
Revises: 0005

Until now a transaction's code carried its place in the terminal's hash chain
(``SALE-1A2B-000042``), a sequence shared by every kind of transaction, so
receipt numbers jumped. ``hera_document_numbers`` keeps one counter per
(organization, terminal, document type), the type named by the code's prefix.

Books made before keep their codes (transactions are immutable and their codes
are in the hash chain). So that no new code repeats an old one, each counter
starts after the highest chain position its prefix was used at on that
terminal: every old generated code of that prefix had a number no higher.

There is no unique index on ``universal_transactions.transaction_code``: callers
of the API may give their own codes, and existing books hold repeated ones that
can be neither renamed nor refused now. Generated codes are unique by their
counter's primary key, and a given code may not take the form of this terminal's
generated codes.
"""
import re

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# How 0005's code chose a transaction's prefix (kept here as it was: a migration does not change with the code).
OLD_PREFIX = {"sale": "SALE", "payment": "PAY", "journal_entry": "JE", "status_change": "STAT",
              "inventory_adjustment": "INV", "day_close": "CLOSE"}


def old_prefix(transaction_type: str) -> str:
    segment = re.sub(r"[^A-Z0-9]+", "_", transaction_type.upper()).strip("_") or "X"
    return OLD_PREFIX.get(transaction_type) or segment[:6].strip("_")


def upgrade() -> None:
    numbers = op.create_table(
        "hera_document_numbers",
        sa.Column("organization_id", sa.String(length=36), nullable=False),
        sa.Column("terminal_id", sa.String(length=36), nullable=False),
        sa.Column("document_type", sa.String(length=20), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("organization_id", "terminal_id", "document_type",
                                name=op.f("pk_hera_document_numbers")),
    )
    txns = sa.table("universal_transactions", sa.column("organization_id"), sa.column("terminal_id"),
                    sa.column("transaction_type"), sa.column("chain_seq"))
    highest: dict[tuple[str, str, str], int] = {}
    rows = op.get_bind().execute(
        sa.select(txns.c.organization_id, txns.c.terminal_id, txns.c.transaction_type, sa.func.max(txns.c.chain_seq))
        .group_by(txns.c.organization_id, txns.c.terminal_id, txns.c.transaction_type))
    for org, terminal, kind, seq in rows:
        key = (org, terminal, old_prefix(kind)[:20])
        highest[key] = max(highest.get(key, 0), int(seq))
    if highest:
        op.bulk_insert(numbers, [{"organization_id": o, "terminal_id": t, "document_type": k, "last_number": n}
                                 for (o, t, k), n in highest.items()])


def downgrade() -> None:
    op.drop_table("hera_document_numbers")
