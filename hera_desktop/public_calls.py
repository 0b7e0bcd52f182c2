"""How a caller may call the books: the checks every public method gets before it runs.

A caller reaches the books through the ``Hera`` facade and a ``Scope``'s services.
At this door, on every call:

- who is calling: the scope's user, with their role and status read from the
  books now (a user demoted or deactivated in another window or process loses the
  rights at their next call), is the ``Caller`` of everything the call does;
- whether they may: the method's decision in ``domain/roles.METHODS``; a method
  with none is refused to everyone;
- what they sent: keyword arguments are bound against the method's signature (an
  unknown or camelCase keyword, a missing argument or one too many becomes a
  ``ValidationError`` naming it), and a payload model's own complaint is worded as
  the field it is about. The methods themselves check what the values mean.

Every call that changes the books (or tries to) is logged as it ends, arguments never included: its kind,
organization, caller, record id, duration and outcome (``hera_desktop.logbook``).

Services call each other through ``scope.internal``, the same services without
this door: the public call that got them there was checked already.
"""
from __future__ import annotations

import functools
import inspect
import logging
import types
from time import perf_counter
from typing import Any, Callable, TypeVar

from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from .domain.contracts import validation_error_from
from .domain.errors import HeraError, PermissionDeniedError, ValidationError
from .domain.callers import CALLER as _CALLER
from .domain.callers import Caller, Door, current_caller
from .domain.roles import INTERNAL, PERMISSIONS, SERVICE_PATHS, Decision, decision
from .domain.text import snake_case

F = TypeVar("F", bound=Callable[..., Any])
S = TypeVar("S")
SERVICE_MODULES = ("hera_desktop.services.", "hera_desktop.universal.")
_log = logging.getLogger("hera_desktop.operations")


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


def caller_of(door: Door) -> Caller:
    """The caller acting through ``door``: the call in progress, or one read from the books now."""
    caller = _CALLER.get()
    if caller is not None and caller.door is door:
        return caller
    role, stamps = door.standing_now()
    permissions = None if door.actor_id is None else PERMISSIONS.get(role or "", frozenset())
    return Caller(door, door.actor_id, door.organization_id, role, permissions, stamps)


def _guarded(fn: Callable[..., Any], door: Door, method: str, decided: Decision | None) -> Callable[..., Any]:
    logged = decided is None or not decided.read  # calls that change the books (or try to) reach the log

    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        outer = _CALLER.get()
        caller = caller_of(door)
        token = _CALLER.set(caller) if caller is not outer else None
        started = perf_counter() if logged and outer is None and _log.isEnabledFor(logging.INFO) else None
        outcome, result = "ok", None
        try:
            if decided is None or decided.permission == INTERNAL:
                raise PermissionDeniedError(f"{method} is the books' own machinery, not open to callers",
                                            method=method)
            if not caller.may(decided.permission):
                raise PermissionDeniedError(f"A {caller.role or 'user without a role'} may not {decided.action}",
                                            permission=decided.permission)
            result = fn(*args, **kwargs)
            return result
        except HeraError as exc:
            outcome = exc.code
            raise
        except BaseException as exc:
            outcome = f"unexpected {type(exc).__name__}"
            raise
        finally:
            if token is not None:
                _CALLER.reset(token)
            if started is not None:
                _log_call(method, caller, started, outcome, result)

    return call


def _log_call(method: str, caller: Caller, started: float, outcome: str, result: Any) -> None:
    """One line of the log for a call that changes the books: what, for whom, on which record, how long,
    how it went. Never its arguments (a PIN is one)."""
    ms = round((perf_counter() - started) * 1000, 1)
    level = logging.INFO if outcome == "ok" or not outcome.startswith("unexpected") else logging.ERROR
    _log.log(level, f"{method}: {outcome}", extra={"hera": {
        "kind": method, "organization_id": caller.organization_id, "actor_id": caller.actor_id,
        "role": caller.role, "record_id": _record_id(result), "ms": ms, "outcome": outcome}})


_RECORD_HOLDERS = ("closing", "sales_transaction", "transaction", "entity")


def _record_id(result: Any) -> str | None:
    """The id of the record a call made or changed, when its result names one (an entity, a transaction,
    an emitted transaction, an order's sale, a day's closing)."""
    for candidate in (result, *(getattr(result, name, None) for name in _RECORD_HOLDERS)):
        for field in ("id", "transaction_id"):
            found = getattr(candidate, field, None)
            if isinstance(found, str):
                return found
    return None


def _is_machinery(value: Any) -> bool:
    """The books' own objects (a scope, its store, the database): never handed out past the door."""
    return type(value).__module__.startswith("hera_desktop.") and not isinstance(value, (type, BaseModel))


def _is_service(value: Any) -> bool:
    return (type(value).__module__.startswith(SERVICE_MODULES) and not isinstance(value, (type, BaseModel))
            and hasattr(value, "__dict__") and not callable(value))


class PublicService:
    """A service as callers see it, at ``path`` ("restaurant", "restaurant.menu") of ``door``'s scope:
    every public method behind the door (see the module), its sub-services too. Underscored names
    are not part of it."""

    def __init__(self, service: Any, door: Door, path: str) -> None:
        object.__setattr__(self, "_service", service)
        object.__setattr__(self, "_door", door)
        object.__setattr__(self, "_path", path)

    def __getattr__(self, name: str) -> Any:
        service = object.__getattribute__(self, "_service")
        path = object.__getattribute__(self, "_path")
        if name.startswith("_"):
            raise AttributeError(f"{name} is not part of the public API of {path}")
        value = getattr(service, name)
        found = inspect.getattr_static(type(service), name, None)
        door = object.__getattribute__(self, "_door")
        where = f"{path}.{name}"
        if name in vars(service) and not _is_service(value) and not _is_machinery(value):
            return value  # plain data, or a stand-in set on this one service (a test's): as it is
        if inspect.isfunction(found):
            value = types.MethodType(_guarded(_checked_function(found), door, where, decision(where)), service)
        elif _is_service(value):
            if where not in SERVICE_PATHS:  # a service's own helpers (its scope, its store) stay inside
                raise AttributeError(f"{name} is not part of the public API of {path}")
            value = PublicService(value, door, where)
        elif _is_machinery(value):
            raise AttributeError(f"{name} is not part of the public API of {path}")
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
        return [n for n in dir(object.__getattribute__(self, "_service")) if not n.startswith("_")]

    def __repr__(self) -> str:
        return f"PublicService({object.__getattribute__(self, '_path')})"


def public(service: S, door: Door, path: str) -> S:
    """``service`` as callers get it from a Scope: see ``PublicService``."""
    return PublicService(service, door, path)  # type: ignore[return-value]  # it offers what the service offers


@functools.lru_cache(maxsize=None)
def _checked_function(fn: Callable[..., Any]) -> Callable[..., Any]:
    return checked(fn)
