"""The six universal tables, plus the machinery tables that hold no business data.

Every table carries ``organization_id`` and every index starts with it, so a
database can later be sharded by organization. Timestamps are UTC ISO text.
"""
from __future__ import annotations

from typing import Any, TypedDict

from sqlalchemy import (JSON, BigInteger, Boolean, Column, ForeignKey, Index, Integer, MetaData, String, Table, Text,
                        TextClause, text)

from .types import ExactDecimal

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

def ID() -> String:
    """The type of an id column (a UUID's 36 characters)."""
    return String(36)


def _audit() -> list[Column[Any]]:
    return [
        Column("created_at", String(32), nullable=False),
        Column("updated_at", String(32), nullable=False),
        Column("created_by", ID()),
        Column("updated_by", ID()),
        Column("version", Integer, nullable=False, server_default=text("1")),
    ]


class _PartialIndex(TypedDict):
    """An index's condition on each database (the keywords ``Index`` takes for them)."""

    sqlite_where: TextClause
    postgresql_where: TextClause


def _only_set(column: str) -> _PartialIndex:
    """A partial index's condition: only rows where ``column`` has a value (smaller, and cheaper to write)."""
    return {"sqlite_where": text(f"{column} IS NOT NULL"), "postgresql_where": text(f"{column} IS NOT NULL")}


core_organizations = Table(
    "core_organizations", metadata,
    Column("id", ID(), primary_key=True),
    Column("organization_name", String(255), nullable=False),
    Column("organization_code", String(100), nullable=False, unique=True),
    Column("currency", String(3), nullable=False),
    Column("status", String(32), nullable=False),
    Column("settings", JSON, nullable=False),
    Column("metadata", JSON, nullable=False),
    *_audit(),
)

core_entities = Table(
    "core_entities", metadata,
    Column("id", ID(), primary_key=True),
    Column("organization_id", ID(), ForeignKey("core_organizations.id"), nullable=False),
    Column("entity_type", String(100), nullable=False),
    Column("entity_name", String(255), nullable=False),
    Column("entity_code", String(100), nullable=False),
    Column("smart_code", String(200), nullable=False),
    Column("classification", String(100)),
    Column("status", String(100), nullable=False),
    Column("metadata", JSON, nullable=False),
    *_audit(),
    Index(None, "organization_id", "entity_type", "entity_code", unique=True),
    Index(None, "organization_id", "entity_type", "entity_name"),
    Index(None, "organization_id", "created_at", "id"),
    Index(None, "organization_id", "entity_type", "created_at", "id"),
)

core_dynamic_data = Table(
    "core_dynamic_data", metadata,
    Column("id", ID(), primary_key=True),
    Column("organization_id", ID(), ForeignKey("core_organizations.id"), nullable=False),
    Column("entity_id", ID(), ForeignKey("core_entities.id"), nullable=False),
    Column("field_name", String(100), nullable=False),
    Column("field_type", String(16), nullable=False),
    Column("field_value_text", Text),
    Column("field_value_number", ExactDecimal()),
    Column("field_value_boolean", Boolean),
    Column("field_value_date", String(32)),
    Column("field_value_json", JSON),
    Column("smart_code", String(200), nullable=False),
    *_audit(),
    Index(None, "organization_id", "entity_id", "field_name", unique=True),
    Index(None, "organization_id", "field_name", "field_value_text"),
)

core_relationships = Table(
    "core_relationships", metadata,
    Column("id", ID(), primary_key=True),
    Column("organization_id", ID(), ForeignKey("core_organizations.id"), nullable=False),
    Column("from_entity_id", ID(), ForeignKey("core_entities.id"), nullable=False),
    Column("to_entity_id", ID(), ForeignKey("core_entities.id"), nullable=False),
    Column("relationship_type", String(100), nullable=False),
    Column("smart_code", String(200), nullable=False),
    Column("is_active", Boolean, nullable=False),
    Column("metadata", JSON, nullable=False),
    *_audit(),
    Index(None, "organization_id", "from_entity_id", "relationship_type"),
    Index(None, "organization_id", "to_entity_id", "relationship_type"),
)

universal_transactions = Table(
    "universal_transactions", metadata,
    Column("id", ID(), primary_key=True),
    Column("organization_id", ID(), ForeignKey("core_organizations.id"), nullable=False),
    Column("transaction_type", String(100), nullable=False),
    Column("transaction_code", String(100), nullable=False),
    Column("transaction_date", String(32), nullable=False),
    Column("source_entity_id", ID(), ForeignKey("core_entities.id")),
    Column("target_entity_id", ID(), ForeignKey("core_entities.id")),
    Column("total_amount", ExactDecimal(), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("reference", String(200)),
    Column("description", Text),
    Column("status", String(32), nullable=False),
    Column("smart_code", String(200), nullable=False),
    Column("business_context", JSON, nullable=False),
    Column("metadata", JSON, nullable=False),
    Column("idempotency_key", String(200)),
    Column("idempotency_fingerprint", String(64)),
    Column("reversal_of", ID(), ForeignKey("universal_transactions.id")),
    Column("terminal_id", ID(), nullable=False),
    Column("chain_seq", Integer, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("chain_format", Integer, nullable=False, server_default=text("1")),  # see universal/chain.py
    *_audit(),
    Index(None, "organization_id", "idempotency_key", unique=True),
    Index(None, "organization_id", "terminal_id", "chain_seq", unique=True),
    Index(None, "organization_id", "transaction_type", "transaction_code", unique=True),  # 0008
    # Most transactions reverse nothing and have no source record: these two index only those that do. A
    # record's transactions are listed newest first (a customer's history), so that index carries the order.
    Index(None, "organization_id", "reversal_of", unique=True, **_only_set("reversal_of")),
    Index(None, "organization_id", "transaction_type", "transaction_date"),
    Index(None, "organization_id", "transaction_date"),
    Index(None, "organization_id", "source_entity_id", "created_at", "id", **_only_set("source_entity_id")),
    Index(None, "organization_id", "reference"),
    Index(None, "organization_id", "created_at", "id"),
)

universal_transaction_lines = Table(
    "universal_transaction_lines", metadata,
    Column("id", ID(), primary_key=True),
    Column("organization_id", ID(), ForeignKey("core_organizations.id"), nullable=False),
    Column("transaction_id", ID(), ForeignKey("universal_transactions.id"), nullable=False),
    Column("line_number", Integer, nullable=False),
    Column("line_type", String(100), nullable=False),
    Column("entity_id", ID(), ForeignKey("core_entities.id")),
    Column("quantity", ExactDecimal()),
    Column("unit_price", ExactDecimal()),
    Column("line_amount", ExactDecimal()),
    Column("dr_cr", String(2)),
    Column("currency", String(3)),
    Column("smart_code", String(200), nullable=False),
    Column("description", Text),
    Column("metadata", JSON, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("created_by", ID()),
    Index(None, "organization_id", "transaction_id", "line_number", unique=True),
    Index(None, "organization_id", "entity_id"),
)

# ------------------------------------------------------------------ machinery

hera_settings = Table(
    "hera_settings", metadata,
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)

# The change feed: one event per change to the six tables, written in the same database transaction as the
# change, carrying the record's whole new state (see domain/contracts/events.py). Sync pushes it by
# (terminal, change_seq); webhooks deliver it (delivered_at, attempts).
hera_change_feed = Table(
    "hera_change_feed", metadata,
    Column("id", ID(), primary_key=True),
    Column("organization_id", ID(), nullable=False),
    Column("terminal_id", ID(), nullable=False),
    Column("change_seq", Integer, nullable=False),
    Column("kind", String(40), nullable=False),
    Column("record_table", String(64), nullable=False),
    Column("record_id", ID(), nullable=False),
    Column("record", JSON, nullable=False),
    Column("hlc_ms", BigInteger, nullable=False),
    Column("hlc_counter", Integer, nullable=False),
    Column("actor_id", ID()),
    Column("payload_hash", String(64), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("delivered_at", String(32)),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Index(None, "organization_id", "terminal_id", "change_seq", unique=True),
    Index(None, "organization_id", "record_id"),
    Index(None, "organization_id", "delivered_at", "id"),
)

# Each terminal's place in the feed: the last change number it gave and its hybrid clock's last reading,
# advanced in the same database transaction as the events, so numbers have no gaps and the clock never
# goes back across restarts or a computer clock set back.
hera_feed_clocks = Table(
    "hera_feed_clocks", metadata,
    Column("organization_id", ID(), primary_key=True),
    Column("terminal_id", ID(), primary_key=True),
    Column("last_seq", Integer, nullable=False),
    Column("hlc_ms", BigInteger, nullable=False),
    Column("hlc_counter", Integer, nullable=False),
)

# Each event applied here from a feed (another terminal's, or this one's into new books), so that applying it
# again changes nothing; a terminal's change number is applied once (migration 0009).
hera_applied_events = Table(
    "hera_applied_events", metadata,
    Column("organization_id", ID(), primary_key=True),
    Column("event_id", ID(), primary_key=True),
    Column("terminal_id", ID(), nullable=False),
    Column("change_seq", Integer, nullable=False),
    Column("payload_hash", String(64), nullable=False),
    Column("applied_at", String(32), nullable=False),
    Index(None, "organization_id", "terminal_id", "change_seq", unique=True),
)

# Derived caches: rebuildable from transaction lines at any time.
hera_gl_daily_balances = Table(
    "hera_gl_daily_balances", metadata,
    Column("organization_id", ID(), primary_key=True),
    Column("account_id", ID(), primary_key=True),
    Column("posting_date", String(10), primary_key=True),
    Column("currency", String(3), primary_key=True),
    Column("debit", ExactDecimal(), nullable=False),
    Column("credit", ExactDecimal(), nullable=False),
)

# The same totals summed over all days: the trial balance of today reads one row per account.
hera_gl_account_balances = Table(
    "hera_gl_account_balances", metadata,
    Column("organization_id", ID(), primary_key=True),
    Column("account_id", ID(), primary_key=True),
    Column("currency", String(3), primary_key=True),
    Column("debit", ExactDecimal(), nullable=False),
    Column("credit", ExactDecimal(), nullable=False),
)

hera_stock_levels = Table(
    "hera_stock_levels", metadata,
    Column("organization_id", ID(), primary_key=True),
    Column("product_id", ID(), primary_key=True),
    Column("location_id", String(36), primary_key=True),  # '' = no location given
    Column("quantity", ExactDecimal(), nullable=False),
)

# Document numbers: the last number each terminal gave each kind of document (named by its code's prefix:
# SALE, REF, PAY, ...). Advanced in the same database transaction as the document, so numbers have no gaps
# and none is given twice.
hera_document_numbers = Table(
    "hera_document_numbers", metadata,
    Column("organization_id", ID(), primary_key=True),
    Column("terminal_id", ID(), primary_key=True),
    Column("document_type", String(20), primary_key=True),
    Column("last_number", Integer, nullable=False),
)

# Each hash chain's last link handed out: its number and hash, per (organization, terminal). Advanced in the
# same database transaction as the transactions it numbers, so the next link follows it even when the newest
# transactions were deleted behind the app's back; the chain then ends before the counter, and verify says so.
hera_chain_counters = Table(
    "hera_chain_counters", metadata,
    Column("organization_id", ID(), primary_key=True),
    Column("terminal_id", ID(), primary_key=True),
    Column("last_seq", Integer, nullable=False),
    Column("last_hash", String(64), nullable=False),
)

# The HERA server's bearer tokens (``serve-admin token create``): only each token's SHA-256 is kept, with the
# organization it acts in and the user entity whose role limits it. Looked up by hash before the organization
# is known, so its unique index is the one that does not start with ``organization_id``.
hera_api_tokens = Table(
    "hera_api_tokens", metadata,
    Column("id", ID(), primary_key=True),
    Column("organization_id", ID(), nullable=False),
    Column("user_id", ID(), nullable=False),
    Column("name", String(255), nullable=False),
    Column("role", String(40), nullable=False),
    Column("token_sha256", String(64), nullable=False, unique=True),
    Column("created_at", String(32), nullable=False),
    Column("revoked_at", String(32)),
    Index("ix_hera_api_tokens_organization", "organization_id", "created_at"),
)
