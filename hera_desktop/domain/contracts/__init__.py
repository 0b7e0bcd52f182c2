"""Payloads and results of the universal API, with the usage guide's field names.

Payload models validate what a caller sends (a mapping, keyword arguments or
the model itself); result models are frozen snapshots of stored records. The services' results live
beside them, a module per business area (``restaurant``, ``customers``, ``inventory``, ``journals``,
``journal_drafts``, ``accounts``, ``reports``, ``statements``, ``account_statements``, ``day_close``,
``batch``), and the change feed's events in ``events``: importing any of them loads no storage, services or SQLAlchemy.
"""
from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, Optional, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic import ValidationError as PydanticValidationError

from .. import ids, money, smart_codes, text
from ..errors import ValidationError

class _FieldProblem(ValueError):
    """A domain validation failure raised inside pydantic, re-raised with the field's full path."""

    def __init__(self, error: ValidationError) -> None:
        super().__init__(error.message.split(": ", 1)[-1])
        self.error = error


def _domain(check: Any) -> Any:
    def run(v: Any) -> Any:
        try:
            return check(v)
        except ValidationError as exc:
            raise _FieldProblem(exc) from None
    return BeforeValidator(run)


def _shown_as_stored(value: str) -> str:
    why = text.problem(value)
    if why is not None:
        raise ValueError(why)
    return value


Shown = AfterValidator(_shown_as_stored)  # text people read back: no NUL, no direction overrides
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255), Shown]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), Shown]
Text = Annotated[str, StringConstraints(max_length=2000), Shown]
SmartCode = Annotated[str, _domain(smart_codes.validate)]
# The id a caller chose for a new record, kept as given: a UUIDv7, as records made offline have theirs.
NewId = Annotated[str, _domain(ids.client_id)]
# A relationship's: a single-valued one's id is natural (version 5), and may be given as such.
NewRelationshipId = Annotated[str, _domain(lambda v: ids.client_id(v, natural=True))]


def _decimal_or_none(v: Any) -> Optional[Decimal]:
    return None if v is None else money.D(v, "value")


Amount = Annotated[Optional[Decimal], _domain(_decimal_or_none)]


def _json_scalar(value: Any) -> Any:
    if isinstance(value, (Decimal, date)):
        return str(value)
    raise TypeError(f"a {type(value).__name__} cannot be stored as JSON")


_FLAT_SCALARS = frozenset((int, bool, type(None)))


def _storable_json(value: dict[str, Any]) -> dict[str, Any]:
    """Refuse, before anything is written, what the books cannot store as portable JSON."""
    if all(type(k) is str and k.isascii() and (type(v) in _FLAT_SCALARS or (type(v) is str and v.isascii()))
           for k, v in value.items()):
        return value  # plain text, whole numbers, true/false and null always store (the common case)
    try:
        json.dumps(value, default=_json_scalar, allow_nan=False)
    except (TypeError, ValueError, RecursionError) as exc:
        reason = "NaN and Infinity are not JSON numbers" if "Out of range" in str(exc) else str(exc)
        raise ValueError(f"cannot be stored as JSON ({reason}); use text, numbers, true/false, "
                         f"lists and mappings") from None
    return value


JsonObject = Annotated[dict[str, Any], AfterValidator(_storable_json)]


class Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True)


class Result(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)


P = TypeVar("P", bound=BaseModel)


def parse(model: type[P], payload: Any = None, **kwargs: Any) -> P:
    """Build ``model`` from a mapping, keyword arguments or an instance; errors name the field."""
    if isinstance(payload, model) and not kwargs:
        return payload
    if isinstance(payload, BaseModel):
        payload = payload.model_dump(exclude_unset=True)
    if payload is not None and not isinstance(payload, dict):
        raise ValidationError("payload", f"expected a mapping of fields, got {type(payload).__name__}")
    data = {**(payload or {}), **kwargs}
    try:
        return model.model_validate(data)
    except PydanticValidationError as exc:
        raise validation_error_from(exc) from None


def validation_error_from(exc: PydanticValidationError) -> ValidationError:
    errors = exc.errors(include_url=False)
    missing = {e["loc"] for e in errors if e["type"] == "missing"}
    for e in errors:  # entityType for entity_type: say so, rather than that entity_type is missing
        name = e["loc"][-1] if e["type"] == "extra_forbidden" and e["loc"] else None
        if isinstance(name, str) and (*e["loc"][:-1], text.snake_case(name)) in missing:
            field = ".".join(str(p) for p in e["loc"])
            return ValidationError(field, f"is not a known field; did you mean {text.snake_case(name)}?")
    first = errors[0]
    field = ".".join(str(p) for p in first["loc"]) or "payload"
    cause = first.get("ctx", {}).get("error")
    if isinstance(cause, _FieldProblem):
        return type(cause.error)(field, str(cause))
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] == "string_too_short":
        message = "must not be empty"
    elif first["type"] == "string_too_long":
        message = f"is too long (at most {first.get('ctx', {}).get('max_length')} characters)"
    elif first["type"] == "extra_forbidden":
        message = "is not a known field"
    elif first["type"] == "missing":
        message = "is required"
    return ValidationError(field, message)


# ---------------------------------------------------------------- organizations

class Organization(Result):
    id: str
    organization_name: str
    organization_code: str
    currency: str
    status: str
    settings: dict[str, Any]
    created_at: str


# ---------------------------------------------------------------- entities

class EntityCreate(Payload):
    organization_id: Optional[str] = None
    id: Optional[NewId] = None
    entity_type: ShortText
    entity_name: Name
    entity_code: Optional[ShortText] = None
    smart_code: SmartCode
    classification: Optional[ShortText] = None
    status: Optional[ShortText] = None
    metadata: Optional[JsonObject] = None


class EntityUpdate(Payload):
    organization_id: Optional[str] = None
    id: Optional[str] = None
    entity_name: Optional[Name] = None
    entity_code: Optional[ShortText] = None
    smart_code: Optional[SmartCode] = None
    classification: Optional[ShortText] = None
    status: Optional[ShortText] = None
    metadata: Optional[JsonObject] = None
    version: Optional[int] = Field(default=None, ge=1, le=2**62)


class Entity(Result):
    id: str
    organization_id: str
    entity_type: str
    entity_name: str
    entity_code: str
    smart_code: str
    classification: Optional[str] = None
    status: str
    metadata: dict[str, Any] = Field(default_factory=dict)
    created_at: str
    updated_at: str
    created_by: Optional[str] = None
    updated_by: Optional[str] = None
    version: int


class EntityPage(Result):
    entities: list[Entity]
    next_cursor: Optional[str] = None


class DynamicField(Result):
    id: str
    organization_id: str
    entity_id: str
    field_name: str
    field_type: Literal["text", "number", "boolean", "date", "json"]
    field_value_text: Optional[str] = None
    field_value_number: Optional[Decimal] = None
    field_value_boolean: Optional[bool] = None
    field_value_date: Optional[str] = None
    field_value_json: Optional[Any] = None
    smart_code: str
    updated_at: str
    version: int

    @property
    def value(self) -> Any:
        return {"text": self.field_value_text, "number": self.field_value_number,
                "boolean": self.field_value_boolean, "date": self.field_value_date,
                "json": self.field_value_json}[self.field_type]


# ---------------------------------------------------------------- relationships

class RelationshipCreate(Payload):
    organization_id: Optional[str] = None
    id: Optional[NewRelationshipId] = None
    from_entity_id: str
    to_entity_id: str
    relationship_type: ShortText
    smart_code: SmartCode
    metadata: Optional[JsonObject] = None


class Relationship(Result):
    id: str
    organization_id: str
    from_entity_id: str
    to_entity_id: str
    relationship_type: str
    smart_code: str
    is_active: bool
    metadata: dict[str, Any] = Field(default_factory=dict)
    created_at: str
    created_by: Optional[str] = None


class RelationshipPage(Result):
    relationships: list[Relationship]


# ---------------------------------------------------------------- transactions

DrCr = Annotated[Optional[Literal["DR", "CR"]], BeforeValidator(lambda v: v.upper() if isinstance(v, str) else v)]


class TxnLineIn(Payload):
    id: Optional[NewId] = None
    line_number: Optional[int] = Field(default=None, ge=1, le=100000)
    line_type: ShortText
    entity_id: Optional[str] = None
    quantity: Amount = None
    unit_price: Amount = None
    line_amount: Amount = None
    dr_cr: DrCr = None
    currency: Optional[Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]] = None
    smart_code: SmartCode
    description: Optional[Text] = None
    metadata: Optional[JsonObject] = None


def _txn_date(v: Any) -> Any:
    if v is None:
        return v
    if isinstance(v, datetime):
        moment = v
    elif isinstance(v, date):
        moment = datetime(v.year, v.month, v.day)
    elif isinstance(v, str):
        try:
            moment = datetime.fromisoformat(v.strip().replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"{v[:40]!r} is not a date; use YYYY-MM-DD or an ISO date-time") from None
    else:
        raise ValueError(f"expected a date, got {type(v).__name__}")
    try:  # it is kept as local time, as four-digit-year text that sorts by time
        year = (moment.astimezone() if moment.tzinfo else moment).year
    except (OverflowError, ValueError):
        year = 0
    if not 1000 <= year <= 9999:
        raise ValueError("must fall between the years 1000 and 9999")
    return moment


TxnDate = Annotated[Optional[datetime], BeforeValidator(_txn_date)]


class TxnEmit(Payload):
    organization_id: Optional[str] = None
    id: Optional[NewId] = None
    transaction_type: ShortText
    smart_code: SmartCode
    transaction_code: Optional[ShortText] = None
    transaction_date: TxnDate = None
    source_entity_id: Optional[str] = None
    target_entity_id: Optional[str] = None
    total_amount: Amount = None
    currency: Optional[Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]] = None
    reference: Optional[Annotated[str, StringConstraints(max_length=200), Shown]] = None
    description: Optional[Text] = None
    status: Optional[ShortText] = None
    business_context: Optional[JsonObject] = None
    metadata: Optional[JsonObject] = None
    lines: list[TxnLineIn] = Field(default_factory=list, max_length=10000)
    require_balance: bool = False
    idempotency_key: Optional[Annotated[str, StringConstraints(min_length=1, max_length=200)]] = None


class TxnLine(Result):
    id: str
    transaction_id: str
    line_number: int
    line_type: str
    entity_id: Optional[str] = None
    quantity: Optional[Decimal] = None
    unit_price: Optional[Decimal] = None
    line_amount: Optional[Decimal] = None
    dr_cr: Optional[str] = None
    currency: Optional[str] = None
    smart_code: str
    description: Optional[str] = None
    metadata: dict[str, Any] = Field(default_factory=dict)


class Transaction(Result):
    id: str
    organization_id: str
    transaction_type: str
    transaction_code: str
    transaction_date: str
    source_entity_id: Optional[str] = None
    target_entity_id: Optional[str] = None
    total_amount: Decimal
    currency: str
    reference: Optional[str] = None
    description: Optional[str] = None
    status: str
    smart_code: str
    business_context: dict[str, Any] = Field(default_factory=dict)
    metadata: dict[str, Any] = Field(default_factory=dict)
    idempotency_key: Optional[str] = None
    reversal_of: Optional[str] = None
    reversed_by: Optional[str] = None
    terminal_id: str
    chain_seq: int
    content_hash: str
    chain_format: int = 1
    created_at: str
    created_by: Optional[str] = None
    lines: list[TxnLine] = Field(default_factory=list)

    @property
    def is_reversed(self) -> bool:
        return self.reversed_by is not None


class Emitted(Result):
    transaction_id: str
    transaction_code: str
    total_amount: Decimal
    replayed: bool = False


class TransactionPage(Result):
    transactions: list[Transaction]
    next_cursor: Optional[str] = None
