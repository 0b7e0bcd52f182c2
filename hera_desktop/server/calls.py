"""What a route handler is given, and how routes are declared.

A route is a plain function ``handler(call) -> (status, body)``, declared with ``@route(...)`` in the
routes modules. ``call.scope`` is the token's organization acting as the token's user: every service
call a handler makes goes through the same door (permissions by role) as the desktop's.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from . import errors

if TYPE_CHECKING:
    from ..app import Hera, Scope
    from ..services.api_tokens import Token


@dataclass
class Call:
    hera: "Hera"
    scope: "Scope"
    token: "Token"
    body: dict[str, Any]
    query: dict[str, str]

    def get(self, name: str, default: Any = None) -> Any:
        """A value of the body (or, for GET, the query string)."""
        if name in self.body:
            return self.body[name]
        return self.query.get(name, default)

    def text(self, name: str, required: bool = False, default: str | None = None) -> str | None:
        value = self.get(name)
        if value is None:
            if required:
                raise errors.invalid(name, "is required", "required")
            return default
        if not isinstance(value, str):
            raise errors.invalid(name, "must be text", "type")
        return value

    def flag(self, name: str, default: bool) -> bool:
        value = self.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
            return value.lower() in ("true", "1")
        raise errors.invalid(name, "must be true or false", "type")

    def number(self, name: str, default: int, low: int, high: int) -> int:
        value = self.get(name)
        if value is None:
            return default
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise errors.invalid(name, f"must be a whole number from {low} to {high}", "range")
        return value

    def mapping(self, name: str) -> dict[str, Any] | None:
        value = self.get(name)
        if value is not None and not isinstance(value, dict):
            raise errors.invalid(name, "must be an object", "type")
        return value


Handler = Callable[[Call], tuple[int, dict[str, Any]]]


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    handler: Handler
    summary: str
    tag: str
    status: int = 200
    not_found: str = "NOT_FOUND"
    request_schema: dict[str, Any] | None = field(default=None, hash=False, compare=False)


ROUTES: list[Route] = []


def route(method: str, path: str, summary: str, tag: str, status: int = 200, not_found: str = "NOT_FOUND",
          schema: Any = None) -> Callable[[Handler], Handler]:
    def add(handler: Handler) -> Handler:
        shown = schema.model_json_schema() if schema is not None else None
        ROUTES.append(Route(method, path, handler, summary, tag, status, not_found, shown))
        return handler
    return add
