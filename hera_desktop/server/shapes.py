"""The core's results in the shapes HERA V2's routes answer with (``HERA-V2-WIRE``'s field names).

HERA's fields come first, spelled as HERA spells them; ours (the chain link, the reversal links) follow
under their own names, which a HERA client ignores.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..domain import contracts as c

ZERO = Decimal(0)


def transaction(txn: c.Transaction, include_lines: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": txn.id, "organization_id": txn.organization_id, "transaction_type": txn.transaction_type,
        "transaction_code": txn.transaction_code, "transaction_date": txn.transaction_date,
        "source_entity_id": txn.source_entity_id, "target_entity_id": txn.target_entity_id,
        "total_amount": txn.total_amount, "currency": txn.currency, "smart_code": txn.smart_code,
        "reference": txn.reference, "description": txn.description, "status": txn.status,
        "business_context": txn.business_context, "metadata": txn.metadata, "created_at": txn.created_at,
        "updated_at": txn.created_at, "version": 1,
        # ours:
        "created_by": txn.created_by, "idempotency_key": txn.idempotency_key, "reversal_of": txn.reversal_of,
        "reversed_by": txn.reversed_by, "terminal_id": txn.terminal_id, "chain_seq": txn.chain_seq,
        "content_hash": txn.content_hash,
    }
    if include_lines:
        out["lines"] = [line(ln, txn) for ln in txn.lines]
    return out


def line(ln: c.TxnLine, txn: c.Transaction) -> dict[str, Any]:
    return {
        "id": ln.id, "line_number": ln.line_number, "line_type": ln.line_type, "line_entity_id": ln.entity_id,
        "quantity": ln.quantity, "unit_price": ln.unit_price, "line_amount": ln.line_amount,
        "discount_amount": ZERO, "tax_amount": ZERO, "total_amount": ln.line_amount,
        "currency": ln.currency or txn.currency, "dr_cr": ln.dr_cr, "smart_code": ln.smart_code,
        "description": ln.description, "status": "active", "metadata": ln.metadata,
        "created_at": txn.created_at, "updated_at": txn.created_at, "version": 1,
    }


def entity(found: c.Entity) -> dict[str, Any]:
    meta = found.metadata or {}
    return {
        "id": found.id, "entity_id": found.id, "organization_id": found.organization_id,
        "entity_type": found.entity_type, "entity_name": found.entity_name, "entity_code": found.entity_code,
        "entity_description": meta.get("entity_description"), "parent_entity_id": meta.get("parent_entity_id"),
        "smart_code": found.smart_code, "status": found.status, "tags": meta.get("tags") or [],
        "metadata": meta, "created_at": found.created_at, "updated_at": found.updated_at,
        "created_by": found.created_by, "updated_by": found.updated_by, "version": found.version,
        "classification": found.classification,
    }


def field(found: c.DynamicField) -> dict[str, Any]:
    return {
        "id": found.id, "organization_id": found.organization_id, "entity_id": found.entity_id,
        "field_name": found.field_name, "field_type": found.field_type,
        "field_value_text": found.field_value_text, "field_value_number": found.field_value_number,
        "field_value_boolean": found.field_value_boolean, "field_value_date": found.field_value_date,
        "field_value_json": found.field_value_json, "smart_code": found.smart_code,
        "updated_at": found.updated_at, "version": found.version,
    }


def relationship(found: c.Relationship) -> dict[str, Any]:
    meta = found.metadata or {}
    return {
        "id": found.id, "relationship_id": found.id, "organization_id": found.organization_id,
        "from_entity_id": found.from_entity_id, "to_entity_id": found.to_entity_id,
        "relationship_type": found.relationship_type, "smart_code": found.smart_code,
        "relationship_direction": meta.get("relationship_direction", "forward"),
        "relationship_strength": meta.get("relationship_strength", 1),
        "relationship_data": meta.get("relationship_data", {}), "is_active": found.is_active,
        "effective_date": meta.get("effective_date"), "expiration_date": meta.get("expiration_date"),
        "metadata": meta, "created_at": found.created_at, "created_by": found.created_by,
    }


def page(limit: int, offset: int, returned: int, more: bool, total: int | None,
         next_cursor: str | None) -> dict[str, Any]:
    """HERA's paging block, and ours: ``next_cursor`` for keyset paging that stays stable while rows are added."""
    pages = None if total is None else max(1, -(-total // limit))
    return {"total": total, "limit": limit, "offset": offset, "page": offset // limit + 1, "total_pages": pages,
            "has_more": more, "next_cursor": next_cursor, "returned": returned}
