"""Column types that keep values exact on every database.

SQLite has no decimal type (its NUMERIC is a binary float), so money and
quantities are stored there as canonical decimal text; PostgreSQL gets NUMERIC.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable

from sqlalchemy import Dialect, Numeric, String
from sqlalchemy.types import TypeDecorator, TypeEngine

from ..domain.money import to_text


class ExactDecimal(TypeDecorator[Decimal]):
    impl = String
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(Numeric(asdecimal=True))
        return dialect.type_descriptor(String(64))

    def bind_processor(self, dialect: Dialect) -> Callable[[Decimal | None], Any] | None:
        if dialect.name == "postgresql":
            return super().bind_processor(dialect)
        return _exact_text  # the same as process_bind_param, minus the layers around it (hot path)

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Decimal | str | None:
        if value is None:
            return None
        if dialect.name == "postgresql":
            return Decimal(value)
        return to_text(Decimal(value))

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], Decimal | None] | None:
        if dialect.name == "postgresql":
            return super().result_processor(dialect, coltype)
        return _decimal  # the same as process_result_value, minus the layers around it (reports read many)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)


def _exact_text(value: Decimal | None) -> str | None:
    if value is None:
        return None
    return to_text(value if type(value) is Decimal else Decimal(value))


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)
