"""The request bodies of the main routes, as OpenAPI shows them at ``/docs``.

These models only describe; bodies are read by ``wire.parse`` (exact decimals, limits) and checked by
the core, whose refusals name the field.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Literal, Optional

from pydantic import BaseModel, Field


class _Body(BaseModel):
    organization_id: Optional[str] = Field(None, description="The token's organization; any other is 403 ORG_MISMATCH")


class EmitLine(BaseModel):
    line_number: Optional[int] = None
    line_type: str
    smart_code: str
    entity_id: Optional[str] = None
    quantity: Optional[Decimal] = None
    unit_price: Optional[Decimal] = Field(None, description="unit_amount is accepted as an alias")
    line_amount: Optional[Decimal] = None
    description: Optional[str] = None
    dr_cr: Optional[Literal["DR", "CR", "dr", "cr"]] = None
    metadata: Optional[dict[str, Any]] = None


class EmitBody(_Body):
    id: Optional[str] = Field(None, description="A client-made UUIDv7, kept as the transaction's id (extension)")
    transaction_type: str
    smart_code: str
    transaction_code: Optional[str] = None
    transaction_date: Optional[str] = None
    source_entity_id: Optional[str] = None
    target_entity_id: Optional[str] = None
    total_amount: Optional[Decimal] = Field(None, description="Checked exactly against the lines, never recomputed")
    transaction_status: Optional[str] = None
    reference_number: Optional[str] = None
    external_reference: Optional[str] = None
    business_context: Optional[dict[str, Any]] = None
    metadata: Optional[dict[str, Any]] = None
    lines: list[EmitLine]
    require_balance: bool = False
    idempotency_key: Optional[str] = Field(None, description="Same key and body: the first result again; "
                                                             "another body: 422 IDEMPOTENCY_CONFLICT")


class ReverseBody(_Body):
    original_transaction_id: str
    smart_code: str
    reason: str


class EntityUpsertBody(_Body):
    entity_id: Optional[str] = Field(None, description="Changes this entity if it exists; else creates it with this id")
    entity_type: str
    entity_name: str
    smart_code: str
    entity_code: Optional[str] = None
    entity_description: Optional[str] = None
    parent_entity_id: Optional[str] = None
    status: Optional[str] = None
    tags: Optional[list[str]] = None
    metadata: Optional[dict[str, Any]] = None
    attributes: Optional[dict[str, Any]] = None


class FieldUpsertBody(_Body):
    entity_id: str
    field_name: str
    field_type: Literal["text", "number", "boolean", "date", "datetime", "json"]
    field_value_text: Optional[str] = None
    field_value_number: Optional[Decimal] = None
    field_value_boolean: Optional[bool] = None
    field_value_date: Optional[str] = None
    field_value_datetime: Optional[str] = None
    field_value_json: Optional[Any] = None
    smart_code: str


class RelationshipUpsertBody(_Body):
    from_entity_id: str
    to_entity_id: str
    relationship_type: str
    smart_code: str
    relationship_direction: Optional[str] = "forward"
    relationship_strength: Optional[Decimal] = None
    relationship_data: Optional[dict[str, Any]] = None
    effective_date: Optional[str] = None
    expiration_date: Optional[str] = None
