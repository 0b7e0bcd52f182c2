"""Every failure a caller can see.

All of them derive from :class:`HeraError`, carry a stable machine-readable
``code`` and a message a person can act on. Validation errors name the field.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any


class HeraError(Exception):
    """Base of every error HERA Desktop raises on purpose."""

    code = "hera_error"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message,
                "details": {k: str(v) if isinstance(v, Decimal) else v for k, v in self.details.items()}}


class ValidationError(HeraError):
    code = "validation_error"

    def __init__(self, field: str, message: str, **details: Any) -> None:
        super().__init__(f"{field}: {message}", field=field, **details)
        self.field = field


class InvalidSmartCodeError(ValidationError):
    code = "invalid_smart_code"


class NotFoundError(HeraError):
    code = "not_found"


class OrganizationMismatchError(HeraError):
    code = "organization_mismatch"


class DuplicateError(HeraError):
    code = "duplicate"


class ConcurrencyError(HeraError):
    """The record changed since it was read (optimistic ``version`` check)."""

    code = "version_conflict"


class ImmutableTransactionError(HeraError):
    code = "immutable_transaction"


class AlreadyReversedError(HeraError):
    code = "already_reversed"


class UnbalancedTransactionError(HeraError):
    code = "unbalanced"

    def __init__(self, total_debits: Decimal, total_credits: Decimal, currency: str = "", entry: str = "") -> None:
        where = f" in {currency}" if currency else ""
        which = f"{entry}: " if entry else ""  # which of several entries, e.g. of an import
        super().__init__(
            f"{which}Entry is not balanced{where}: debits {total_debits} vs credits {total_credits} "
            f"(difference {total_debits - total_credits})",
            total_debits=total_debits, total_credits=total_credits, currency=currency,
            **({"entry": entry} if entry else {}))
        self.total_debits = total_debits
        self.total_credits = total_credits


class IdempotencyConflictError(HeraError):
    code = "idempotency_conflict"


class InvalidStatusTransitionError(HeraError):
    code = "invalid_status_transition"


class InsufficientInventoryError(HeraError):
    code = "insufficient_inventory"

    def __init__(self, product: str, available: Decimal, requested: Decimal, location: str = "") -> None:
        at = f" at {location}" if location else ""
        super().__init__(
            f"Insufficient inventory of {product}{at}: available {available}, requested {requested}",
            available=available, requested=requested, product=product, location=location)
        self.available = available
        self.requested = requested


class CreditLimitExceededError(HeraError):
    code = "credit_limit_exceeded"

    def __init__(self, customer: str, balance: Decimal, amount: Decimal, credit_limit: Decimal) -> None:
        super().__init__(
            f"{customer} cannot take {amount} on account: balance {balance} + {amount} = "
            f"{balance + amount} exceeds the credit limit {credit_limit}",
            balance=balance, amount=amount, credit_limit=credit_limit)
        self.balance = balance
        self.amount = amount
        self.credit_limit = credit_limit


class PermissionDeniedError(HeraError):
    code = "permission_denied"


class AuthenticationError(HeraError):
    code = "authentication_failed"


class UserLockedError(AuthenticationError):
    code = "user_locked"


class ChainBrokenError(HeraError):
    code = "chain_broken"


class StorageError(HeraError):
    """The database could not do what was asked (locked, full, corrupt)."""

    code = "storage_error"


class ConflictingDataError(StorageError):
    """The database refused a row that would repeat one it holds (an id or a number that must be unique)."""

    code = "conflicting_data"
