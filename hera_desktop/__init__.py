"""HERA Desktop: point of sale and back office on the HERA V2 universal API."""
from __future__ import annotations

from .app import Hera, Scope, open
from .domain.errors import (AlreadyReversedError, AuthenticationError, ChainBrokenError, ConcurrencyError,
                            CreditLimitExceededError, DuplicateError, HeraError, IdempotencyConflictError,
                            ImmutableTransactionError, InsufficientInventoryError, InvalidSmartCodeError,
                            InvalidStatusTransitionError, NotFoundError, OrganizationMismatchError,
                            PermissionDeniedError, StorageError, UnbalancedTransactionError, UserLockedError,
                            ValidationError)

__version__ = "0.1.0"

__all__ = [
    "AlreadyReversedError", "AuthenticationError", "ChainBrokenError", "ConcurrencyError",
    "CreditLimitExceededError", "DuplicateError", "Hera", "HeraError", "IdempotencyConflictError",
    "ImmutableTransactionError", "InsufficientInventoryError", "InvalidSmartCodeError",
    "InvalidStatusTransitionError", "NotFoundError", "OrganizationMismatchError", "PermissionDeniedError",
    "Scope", "StorageError", "UnbalancedTransactionError", "UserLockedError", "ValidationError", "open",
]
