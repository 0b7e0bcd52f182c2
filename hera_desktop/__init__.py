"""HERA Desktop: point of sale and back office on the HERA V2 universal API.

The facade (``open``, ``Hera``, ``Scope``) loads when first named, so importing a part of the package for
its types alone (``hera_desktop.domain.contracts``, a server's response models) loads no storage,
services or SQLAlchemy.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .domain.errors import (AlreadyReversedError, AuthenticationError, ChainBrokenError, ConcurrencyError,
                            CreditLimitExceededError, DuplicateError, HeraError, IdempotencyConflictError,
                            ImmutableTransactionError, InsufficientInventoryError, InvalidSmartCodeError,
                            InvalidStatusTransitionError, NotFoundError, OrganizationMismatchError,
                            PermissionDeniedError, StorageError, UnbalancedTransactionError, UserLockedError,
                            ValidationError)

if TYPE_CHECKING:
    from .app import Hera, Scope, open

__version__ = "0.1.0"
_FACADE = ("Hera", "Scope", "open")

__all__ = [
    "AlreadyReversedError", "AuthenticationError", "ChainBrokenError", "ConcurrencyError",
    "CreditLimitExceededError", "DuplicateError", "Hera", "HeraError", "IdempotencyConflictError",
    "ImmutableTransactionError", "InsufficientInventoryError", "InvalidSmartCodeError",
    "InvalidStatusTransitionError", "NotFoundError", "OrganizationMismatchError", "PermissionDeniedError",
    "Scope", "StorageError", "UnbalancedTransactionError", "UserLockedError", "ValidationError", "open",
]


def __getattr__(name: str) -> object:
    if name in _FACADE:
        from . import app
        return getattr(app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_FACADE})
