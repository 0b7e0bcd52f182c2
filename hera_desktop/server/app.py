"""The HERA server's HTTP application: every request authenticated, limited and answered in one envelope.

Each request, in order: its size (413 above 8 MiB, before it is read), its bearer token (401), the token's
rate limit (429), the organization it names in ``X-HERA-Org-Id`` or its body (403 ``ORG_MISMATCH`` unless
the token's), its JSON (422, within depth and string limits), then the route, which calls the same services
as the desktop, as the token's user. Core work runs in a worker thread, one unit of work per call.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from ..domain.errors import HeraError
from ..logbook import event
from ..services import api_tokens
from . import errors, wire
from .calls import ROUTES, Call, Route
from .errors import ApiError
from .limits import RateLimit

if TYPE_CHECKING:
    from ..app import Hera, Scope

TOKEN_RECHECK_S = 2.0  # a revoked token is refused on every worker within this (and a request's own time)
_log = logging.getLogger("hera_desktop.server")


def _json(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    # Which worker process answered: for the operator reading a proxy's log (and the tests of several workers).
    return Response(content=wire.dumps(body), status_code=status, media_type="application/json",
                    headers={**(headers or {}), "X-HERA-Worker": str(os.getpid())})


class Callers:
    """Bearer tokens to (token, scope), looked up again at least every ``TOKEN_RECHECK_S`` seconds."""

    def __init__(self, hera: "Hera") -> None:
        self.hera = hera
        self._known: dict[str, tuple[api_tokens.Token, "Scope", float]] = {}
        self._lock = threading.Lock()

    def identify(self, authorization: str | None) -> tuple[api_tokens.Token, "Scope"]:
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError(401, "UNAUTHORIZED", "Send the request with an Authorization: Bearer <token> header",
                           headers={"WWW-Authenticate": "Bearer"})
        key = api_tokens.digest(token.strip())
        now = time.monotonic()
        with self._lock:
            known = self._known.get(key)
        if known is not None and now - known[2] < TOKEN_RECHECK_S:
            return known[0], known[1]
        try:
            found = api_tokens.identify(self.hera.db, token.strip())
        except HeraError as exc:
            with self._lock:
                self._known.pop(key, None)
            raise ApiError(401, "UNAUTHORIZED", exc.message, headers={"WWW-Authenticate": "Bearer"}) from None
        if known is not None and known[0].user_id == found.user_id:
            scope = known[1]
        else:
            with self.hera.db.acting_for(found.organization_id):
                scope = self.hera.scope(found.organization_id, actor_id=found.user_id)
        with self._lock:
            if len(self._known) > 10_000:
                self._known.clear()
            self._known[key] = (found, scope, now)
        return found, scope


def create_app(hera: "Hera", rate_limit: RateLimit | None = None) -> FastAPI:
    """The HTTP application over these books (``hera_desktop.open(url)``)."""
    from . import business_routes, universal_routes  # noqa: F401  (their @route declarations fill ROUTES)

    app = FastAPI(title="HERA server", version="2", summary="HERA V2 universal API over HERA Desktop's core",
                  description="Every route but /api/v2/health needs `Authorization: Bearer <token>` "
                              "(`hera-desktop serve-admin token create`). Errors come in one envelope: "
                              "`{api_version, success: false, error, message, details: [{field, code}]}`.")
    callers = Callers(hera)
    limits = rate_limit or RateLimit()

    @app.get("/api/v2/health", tags=["server"], summary="Whether the database answers, and its schema version")
    def health() -> Response:
        try:
            revision = hera.db.revision()
            row_security = _row_security(hera)
        except Exception as exc:  # noqa: BLE001 - whatever the database said, the answer is "unavailable"
            _log.warning("health check: the database did not answer (%s)", type(exc).__name__)
            return _json(503, {"api_version": "v2", "success": False, "error": "DATABASE_UNAVAILABLE",
                               "message": "The database did not answer", "details": []})
        return _json(200, {"api_version": "v2", "success": True, "status": "ok", "database": "reachable",
                           "dialect": hera.db.dialect, "schema_version": revision,
                           "row_level_security": row_security})

    for declared in ROUTES:
        _add(app, hera, callers, limits, declared)

    @app.exception_handler(404)
    async def unknown_route(request: Request, exc: Exception) -> Response:
        return _json(404, errors.body(ApiError(404, "ROUTE_NOT_FOUND", f"There is no route {request.url.path}")))

    @app.exception_handler(405)
    async def wrong_method(request: Request, exc: Exception) -> Response:
        return _json(405, errors.body(ApiError(405, "METHOD_NOT_ALLOWED",
                                               f"{request.method} is not how {request.url.path} is called")))

    return app


def _row_security(hera: "Hera") -> str:
    """"enforced" when the server's role is held to one organization per transaction by PostgreSQL itself;
    otherwise why not ("not on SQLite", or the role's way around it: superuser, owner, ...)."""
    if hera.db.dialect != "postgresql":
        return "not on SQLite"
    from ..storage.row_security import role_bypass, row_security_enabled

    with hera.db.engine.connect() as conn:
        if not row_security_enabled(conn):
            return "not enabled"
        bypass = role_bypass(conn)
    return "enforced" if bypass is None else f"not enforced for this role ({bypass})"


def _add(app: FastAPI, hera: "Hera", callers: Callers, limits: RateLimit, declared: Route) -> None:
    async def endpoint(request: Request) -> Response:
        started = time.perf_counter()
        status, caller_id = 500, None
        try:
            length = request.headers.get("content-length", "")
            if length.isdigit() and int(length) > wire.MAX_BODY_BYTES:
                raise ApiError(413, "PAYLOAD_TOO_LARGE", "The request body is larger than 8 MiB")
            raw = await _body(request)
            token, scope = await run_in_threadpool(callers.identify, request.headers.get("authorization"))
            caller_id = token.id
            limits.admit(token.id)
            named = request.headers.get("x-hera-org-id")
            if named is not None and named.strip() != token.organization_id:
                raise errors.org_mismatch("X-HERA-Org-Id")
            body = wire.parse(raw)
            if not isinstance(body, dict):
                raise errors.invalid("body", "must be a JSON object", "type")
            query = dict(request.query_params)
            for where in (body, query):
                org = where.get("organization_id")
                if org is not None and org != token.organization_id:
                    raise errors.org_mismatch("organization_id")
            call = Call(hera, scope, token, body, query)
            status, out = await run_in_threadpool(_run, declared, call)
            return _json(status, out)
        except ApiError as err:
            status = err.status
            return _json(err.status, errors.body(err), err.headers)
        except HeraError as exc:  # the body's own limits (size, JSON)
            err = errors.from_core(exc)
            status = err.status
            return _json(err.status, errors.body(err), err.headers)
        finally:
            if status >= 400:  # what succeeded is in the log already, as the business operation it was
                event(_log, logging.INFO, f"{declared.method} {declared.path}: {status}", event="request",
                      route=declared.path, status=status, ms=round((time.perf_counter() - started) * 1000, 1),
                      client_id=caller_id)

    extra = {"requestBody": {"content": {"application/json": {"schema": declared.request_schema}}}} \
        if declared.request_schema is not None and declared.method != "GET" else None
    app.add_api_route(declared.path, endpoint, methods=[declared.method], summary=declared.summary,
                      tags=[declared.tag], status_code=declared.status, openapi_extra=extra,
                      response_class=Response)


async def _body(request: Request) -> bytes:
    """The body, refused as soon as it grows past the limit (a client may not say its length)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > wire.MAX_BODY_BYTES:
            raise ApiError(413, "PAYLOAD_TOO_LARGE", "The request body is larger than 8 MiB")
        chunks.append(chunk)
    return b"".join(chunks)


def _run(declared: Route, call: Call) -> tuple[int, dict[str, Any]]:
    """The route's work, in this worker thread, every unit of work in it acting for the token's organization
    (on PostgreSQL, row-level security then holds each to that organization's rows)."""
    try:
        with call.hera.db.acting_for(call.token.organization_id):
            return declared.handler(call)
    except ApiError:
        raise
    except HeraError as exc:
        raise errors.from_core(exc, declared.not_found) from None
    except Exception as exc:  # noqa: BLE001 - logged with its traceback; the client gets the envelope
        raise errors.unexpected(exc, declared.path) from None
