"""How a caller may call the books: the checks every public method gets before it runs.

A caller reaches the books through the ``Hera`` facade and a ``Scope``'s services.
Whatever they send, what comes back is a ``HeraError`` naming the argument:
keyword arguments are bound against the method's signature here (an unknown or
camelCase keyword, a missing argument or one too many becomes a
``ValidationError`` naming it), and a payload model's own complaint is worded as
the field it is about. The methods themselves check what the values mean.
"""
from __future__ import annotations

import functools
import inspect
import types
from typing import Any, Callable, TypeVar

from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from .domain.contracts import validation_error_from
from .domain.errors import ValidationError
from .domain.text import snake_case

F = TypeVar("F", bound=Callable[..., Any])
S = TypeVar("S")
SERVICE_MODULES = ("hera_desktop.services.", "hera_desktop.universal.")


class _Signature:
    """What a method accepts, kept in the few sets a call is checked against."""

    def __init__(self, fn: Callable[..., Any]) -> None:
        params = [p for p in inspect.signature(fn).parameters.values() if p.name != "self"]
        kinds = inspect.Parameter
        self.positional = [p.name for p in params if p.kind in (kinds.POSITIONAL_ONLY, kinds.POSITIONAL_OR_KEYWORD)]
        self.any_positional = any(p.kind == kinds.VAR_POSITIONAL for p in params)
        self.any_keyword = any(p.kind == kinds.VAR_KEYWORD for p in params)
        self.keywords = frozenset(p.name for p in params if p.kind in (kinds.POSITIONAL_OR_KEYWORD,
                                                                      kinds.KEYWORD_ONLY))
        self.required = [p.name for p in params if p.default is p.empty
                         and p.kind not in (kinds.VAR_POSITIONAL, kinds.VAR_KEYWORD)]

    def check(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        if len(args) > len(self.positional) and not self.any_positional:
            raise ValidationError("arguments", f"takes at most {len(self.positional)} arguments in order "
                                               f"({', '.join(self.positional) or 'none'}), got {len(args)}")
        given = self.positional[:len(args)]
        if kwargs:
            if not self.any_keyword:
                for name in kwargs:
                    if name not in self.keywords:
                        raise self.unknown(name)
            for name in given:
                if name in kwargs:
                    raise ValidationError(name, "was given twice, in order and by name")
        for name in self.required:
            if name not in kwargs and name not in given:
                raise ValidationError(name, "is required")

    def unknown(self, name: Any) -> ValidationError:
        shown = name if isinstance(name, str) and len(name) <= 60 else repr(name)[:60]
        snake = snake_case(name) if isinstance(name, str) else ""
        hint = f"; did you mean {snake}?" if snake in self.keywords else ""
        return ValidationError(shown, f"is not an argument of this call{hint}")


def checked(fn: F) -> F:
    """``fn`` with its arguments bound against its signature and payload errors naming the field."""
    signature = _Signature(fn)

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        signature.check(args[1:], kwargs)  # args[0] is the instance
        try:
            return fn(*args, **kwargs)
        except PydanticValidationError as exc:
            raise validation_error_from(exc) from None

    return call  # type: ignore[return-value]


def _is_service(value: Any) -> bool:
    return (type(value).__module__.startswith(SERVICE_MODULES) and not isinstance(value, (type, BaseModel))
            and hasattr(value, "__dict__") and not callable(value))


class PublicService:
    """A service as callers see it: every public method checked (see ``checked``), its sub-services too.

    Underscored attributes pass straight through: they are how services reach
    each other's internals, already past these checks.
    """

    def __init__(self, service: Any) -> None:
        object.__setattr__(self, "_service", service)

    def __getattr__(self, name: str) -> Any:
        service = object.__getattribute__(self, "_service")
        value = getattr(service, name)
        if name.startswith("_"):
            return value
        found = inspect.getattr_static(type(service), name, None)
        if name in vars(service) and not _is_service(value):  # a stand-in set on this one service: as it is
            return value
        if inspect.isfunction(found):
            value = types.MethodType(_checked_function(found), service)
        elif _is_service(value):
            value = PublicService(value)
        else:
            return value  # plain data (a currency, a setting): read it fresh each time
        object.__setattr__(self, name, value)  # found in __dict__ from now on: no second lookup
        return value

    def __delattr__(self, name: str) -> None:
        delattr(object.__getattribute__(self, "_service"), name)
        self.__dict__.pop(name, None)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(object.__getattribute__(self, "_service"), name, value)
        self.__dict__.pop(name, None)  # what was looked up before is not what is there now

    def __dir__(self) -> list[str]:
        return dir(object.__getattribute__(self, "_service"))

    def __repr__(self) -> str:
        return f"PublicService({object.__getattribute__(self, '_service')!r})"


def public(service: S) -> S:
    """``service`` as callers get it from a Scope: see ``PublicService``."""
    return PublicService(service)  # type: ignore[return-value]  # it offers what the service offers


@functools.lru_cache(maxsize=None)
def _checked_function(fn: Callable[..., Any]) -> Callable[..., Any]:
    return checked(fn)
