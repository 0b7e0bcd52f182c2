"""One error envelope for every refusal, with the HTTP status a client can act on.

``{"api_version": "v2", "success": false, "error": "<CODE>", "message": "...", "details": [{"field", "code"}]}``:
validation 422 naming the field, unauthenticated 401, not permitted or another organization named 403,
not found (in this organization) 404, conflicts 409, too large 413, too many 429. An unexpected
failure is logged with its traceback and answered 500 with a reference to the log line, never the
traceback itself.
"""
from __future__ import annotations

import logging
from typing import Any

from ..domain import errors as e
from . import wire

API_VERSION = "v2"
_log = logging.getLogger("hera_desktop.server")


class ApiError(Exception):
    """A refusal decided by the HTTP layer itself (a bad token, another organization, a route's own check)."""

    def __init__(self, status: int, code: str, message: str, details: list[dict[str, Any]] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.details = details or []
        self.headers = headers or {}


def invalid(field: str, message: str, code: str = "invalid") -> ApiError:
    return ApiError(422, "VALIDATION_ERROR", f"{field}: {message}", [{"field": field, "code": code}])


def org_mismatch(where: str) -> ApiError:
    return ApiError(403, "ORG_MISMATCH", f"{where} names another organization than the token's",
                    [{"field": where, "code": "organization_mismatch"}])


# The core's errors, by class (most specific first), as (status, code).
_CORE: list[tuple[type[e.HeraError], int, str]] = [
    (e.InvalidSmartCodeError, 422, "INVALID_SMART_CODE"),
    (e.ValidationError, 422, "VALIDATION_ERROR"),
    (wire.BodyTooLarge, 413, "PAYLOAD_TOO_LARGE"),
    (wire.BadJson, 422, "INVALID_JSON"),
    (e.UserLockedError, 401, "UNAUTHORIZED"),
    (e.AuthenticationError, 401, "UNAUTHORIZED"),
    (e.PermissionDeniedError, 403, "PERMISSION_DENIED"),
    # A record of another organization is invisible: naming one is answered as naming none.
    (e.OrganizationMismatchError, 404, "NOT_FOUND"),
    (e.NotFoundError, 404, "NOT_FOUND"),
    (e.IdempotencyConflictError, 422, "IDEMPOTENCY_CONFLICT"),
    (e.UnbalancedTransactionError, 422, "UNBALANCED"),
    (e.AlreadyReversedError, 409, "ALREADY_REVERSED"),
    (e.ImmutableTransactionError, 409, "IMMUTABLE_TRANSACTION"),
    (e.ConcurrencyError, 409, "VERSION_CONFLICT"),
    (e.DuplicateError, 409, "DUPLICATE"),
    (e.InvalidStatusTransitionError, 409, "INVALID_STATUS_TRANSITION"),
    (e.InsufficientInventoryError, 409, "INSUFFICIENT_INVENTORY"),
    (e.CreditLimitExceededError, 409, "CREDIT_LIMIT_EXCEEDED"),
    (e.ChainBrokenError, 409, "CHAIN_BROKEN"),
    (e.ConflictingDataError, 409, "DUPLICATE"),
    (e.StorageError, 503, "STORAGE_UNAVAILABLE"),
]
NOT_FOUND_MESSAGE = "No such record in this organization"


def from_core(exc: e.HeraError, not_found: str = "NOT_FOUND") -> ApiError:
    """The envelope of one of the core's errors; ``not_found`` is the route's own code for a missing record
    (``TXN_NOT_FOUND``, ``ENTITY_NOT_FOUND``)."""
    for kind, status, code in _CORE:
        if isinstance(exc, kind):
            break
    else:
        status, code = 422, exc.code.upper()
    field = getattr(exc, "field", None) or exc.details.get("field")
    details = [{"field": field, "code": exc.code}] if isinstance(field, str) else []
    message = exc.message
    if isinstance(exc, e.OrganizationMismatchError):
        # The core says the record belongs elsewhere; a client learns only that it is not here.
        message, details = NOT_FOUND_MESSAGE, ([{"field": field, "code": "not_found"}] if isinstance(field, str)
                                               else [])
    if isinstance(exc, e.ConflictingDataError):
        # The database's own words name its constraints; a client learns only what it can act on.
        message = ("The change repeats an id or a number that must be unique and is already taken; nothing was "
                   "saved (send a new id)")
    if status == 404:
        code = not_found
    headers = {"Retry-After": "1"} if status == 503 else {}
    return ApiError(status, code, message, details, headers)


def body(err: ApiError) -> dict[str, Any]:
    return {"api_version": API_VERSION, "success": False, "error": err.code, "message": err.message,
            "details": err.details}


def unexpected(exc: BaseException, route: str) -> ApiError:
    _log.error("unexpected error in %s", route, exc_info=exc, extra={"route": route})
    return ApiError(500, "INTERNAL_ERROR", "The server could not complete the request; it was logged "
                                           "(nothing was saved unless a success was returned)")
