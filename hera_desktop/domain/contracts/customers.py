"""Customers as results: an onboarding, a status change, a customer as a screen shows one, a page of them."""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

from pydantic import BaseModel, ConfigDict

from ..money import ZERO
from . import Entity


class OnboardResult(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)
    customer: Entity
    customer_code: str
    status: str
    message: str


class TransitionResult(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)
    success: bool
    previous_status: str
    new_status: str
    transition_date: str
    audit_transaction_id: str


class CustomerView(BaseModel):
    """A customer as a screen shows one: the entity with its details and status."""
    model_config = ConfigDict(frozen=True, defer_build=True)
    id: str
    entity_name: str
    entity_code: str
    email: Optional[str] = None
    phone: Optional[str] = None
    credit_limit: Decimal = ZERO
    payment_terms: Optional[str] = None
    account_balance: Decimal = ZERO
    status: str
    version: int


class CustomerPage(BaseModel):
    """One page of customers; ``next_cursor`` is None on the last page (and for search results)."""
    model_config = ConfigDict(frozen=True, defer_build=True)
    rows: list[CustomerView]
    next_cursor: Optional[str] = None
