"""HERA V2's universal routes: transactions, entities, dynamic data and relationships.

Same paths, field names and success bodies as HERA's own routes, over the same core as the desktop.
Where we do better (kept client ids, honoured idempotency keys, exact totals, keyset cursors, every
route authenticated) the wire stays HERA's; the differences are in docs/server.md.
"""
from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any

from . import errors, shapes
from .calls import Call, route
from .schemas import EmitBody, EntityUpsertBody, FieldUpsertBody, RelationshipUpsertBody, ReverseBody

V2 = "/api/v2/universal"
API = {"api_version": "v2"}
MAX_OFFSET = 100_000

# ------------------------------------------------------------------ transactions

_HEADER = {"transaction_type", "smart_code", "transaction_code", "transaction_date", "source_entity_id",
           "target_entity_id", "total_amount", "currency", "description", "business_context", "metadata",
           "require_balance", "idempotency_key", "organization_id", "id"}
# HERA's names for what our core calls otherwise, and what it keeps in the transaction's metadata.
_RENAMED = {"transaction_status": "status", "reference_number": "reference", "reference": "reference",
            "status": "status"}
_INTO_METADATA = ("external_reference", "approval_required", "approved_by", "approved_at")
_LINE = {"line_number", "line_type", "smart_code", "entity_id", "quantity", "unit_price", "line_amount",
         "description", "dr_cr", "metadata", "currency", "id"}
_LINE_RENAMED = {"unit_amount": "unit_price", "line_entity_id": "entity_id"}


def emit_payload(body: dict[str, Any]) -> dict[str, Any]:
    """A HERA txn-emit body as the core's ``TxnEmit`` (HERA's names mapped, unknown members refused)."""
    out: dict[str, Any] = {}
    metadata = dict(body.get("metadata") or {}) if isinstance(body.get("metadata"), dict) else body.get("metadata")
    for name, value in body.items():
        if name in _HEADER:
            if name != "metadata":
                out[name] = value
        elif name in _RENAMED:
            out[_RENAMED[name]] = value
        elif name in _INTO_METADATA:
            if value is not None:
                if not isinstance(metadata, dict):
                    metadata = {}
                metadata[name] = value
        elif name != "lines":
            raise errors.invalid(name, "is not a field of a transaction", "unknown_field")
    if metadata is not None:
        out["metadata"] = metadata
    lines = body.get("lines", [])
    if not isinstance(lines, list):
        raise errors.invalid("lines", "must be a list of lines", "type")
    out["lines"] = [_line(i, ln) for i, ln in enumerate(lines)]
    return out


def _line(i: int, ln: Any) -> dict[str, Any]:
    if not isinstance(ln, dict):
        raise errors.invalid(f"lines.{i}", "must be an object", "type")
    out: dict[str, Any] = {}
    for name, value in ln.items():
        if name in _LINE:
            out[name] = value
        elif name in _LINE_RENAMED:
            out[_LINE_RENAMED[name]] = value
        elif name in ("discount_amount", "tax_amount") and value in (None, 0):
            continue
        else:
            raise errors.invalid(f"lines.{i}.{name}", "is not a field of a transaction line", "unknown_field")
    return out


class _InFlight:
    """Idempotency keys being emitted in this worker now: the same key again meanwhile is answered 409
    (once the first is recorded, the same key replays it, in every worker)."""

    def __init__(self) -> None:
        self._keys: set[tuple[str, str]] = set()
        self._lock = threading.Lock()

    def claim(self, org: str, key: str) -> None:
        with self._lock:
            if (org, key) in self._keys:
                raise errors.ApiError(409, "IDEMPOTENCY_IN_FLIGHT", "A request with this idempotency_key is "
                                      "being recorded now; retry in a moment to get its result",
                                      [{"field": "idempotency_key", "code": "in_flight"}], {"Retry-After": "1"})
            self._keys.add((org, key))

    def release(self, org: str, key: str) -> None:
        with self._lock:
            self._keys.discard((org, key))


IN_FLIGHT = _InFlight()


@route("POST", f"{V2}/txn-emit", "Record a transaction with its lines", "transactions", 201, "TXN_NOT_FOUND",
       EmitBody)
def txn_emit(call: Call) -> tuple[int, dict[str, Any]]:
    payload = emit_payload(call.body)
    key = payload.get("idempotency_key")
    org = call.token.organization_id
    if isinstance(key, str):
        IN_FLIGHT.claim(org, key)
    try:
        emitted = call.scope.txn.emit(payload)
    finally:
        if isinstance(key, str):
            IN_FLIGHT.release(org, key)
    return 201, {**API, "transaction_id": emitted.transaction_id, "actor_stamped": True,
                 "actor_user_id": call.token.user_id, "transaction_code": emitted.transaction_code,
                 "total_amount": emitted.total_amount, "replayed": emitted.replayed}


@route("POST", f"{V2}/txn-read", "Read a transaction and its lines", "transactions", 200, "TXN_NOT_FOUND")
def txn_read(call: Call) -> tuple[int, dict[str, Any]]:
    txn_id = call.text("transaction_id", required=True)
    include = call.flag("include_lines", True)
    txn = call.scope.txn.read(txn_id, include_lines=include)
    return 200, {**API, "transaction": shapes.transaction(txn, include)}


@route("POST", f"{V2}/txn-query", "Find transactions (offset or keyset cursor paging)", "transactions")
def txn_query(call: Call) -> tuple[int, dict[str, Any]]:
    limit = call.number("limit", 100, 1, 1000)
    offset = call.number("offset", 0, 0, MAX_OFFSET)
    include = call.flag("include_lines", False)
    filters = {name: call.get(name) for name in ("transaction_type", "source_entity_id", "target_entity_id",
                                                 "smart_code_like", "date_from", "date_to")}
    if call.get("reference_number") is not None or call.get("reference") is not None:
        filters["reference"] = call.get("reference_number", call.get("reference"))

    order = call.text("order", default="newest")
    if order not in ("newest", "oldest"):
        raise errors.invalid("order", "must be newest (HERA's order, the default) or oldest", "type")

    def fetch(n: int, cursor: str | None) -> tuple[list[Any], str | None]:
        found = call.scope.txn.query(**filters, include_lines=include, limit=n, cursor=cursor,
                                     newest_first=order == "newest")
        return found.transactions, found.next_cursor

    rows, more, nxt, total = _paged(fetch, limit, offset, call.text("cursor"))
    return 200, {**API, "transactions": [shapes.transaction(t, include) for t in rows], "total": total,
                 "limit": limit, "offset": offset, "has_more": more, "next_cursor": nxt}


@route("POST", f"{V2}/txn-reverse", "Reverse a transaction (its lines mirrored, debits and credits swapped)",
       "transactions", 201, "TXN_NOT_FOUND", ReverseBody)
def txn_reverse(call: Call) -> tuple[int, dict[str, Any]]:
    original = call.text("original_transaction_id", required=True)
    smart_code = call.text("smart_code", required=True)
    reason = call.text("reason")
    if reason is None or not reason.strip():
        raise errors.ApiError(422, "REVERSAL_REASON_REQUIRED", "reason: a reason is required to reverse a "
                                   "transaction", [{"field": "reason", "code": "required"}])
    done = call.scope.txn.reverse(original, smart_code, reason, reversal_id=call.text("reversal_transaction_id"))
    reversal = call.scope.txn.read(done.transaction_id, include_lines=True)
    return 201, {**API, "reversal_transaction_id": done.transaction_id, "original_transaction_id": original,
                 "lines_reversed": len(reversal.lines), "reversal_reason": reason}


def _paged(fetch: Any, limit: int, offset: int, cursor: str | None) -> tuple[list[Any], bool, str | None,
                                                                                int | None]:
    """One page by keyset ``cursor``, or by ``offset`` (walked with the cursor from the start). ``total`` is
    known when the walk reached the end; with a cursor it is left out (null), as counting would cost a scan."""
    if cursor is not None:
        if offset:
            raise errors.invalid("offset", "cannot be combined with cursor; a cursor already says where to go on")
        rows, nxt = fetch(limit, cursor)
        return rows, nxt is not None, nxt, None
    skipped, position = 0, None
    while skipped < offset:
        chunk, position = fetch(min(1000, offset - skipped), position)
        skipped += len(chunk)
        if position is None:
            return [], False, None, skipped
    rows, nxt = fetch(limit, position)
    total = None if nxt is not None else offset + len(rows)
    return rows, nxt is not None, nxt, total


# ------------------------------------------------------------------ entities

_ENTITY_IN = {"entity_type", "entity_name", "entity_code", "smart_code", "status", "metadata", "classification",
              "organization_id"}
_ENTITY_INTO_METADATA = ("entity_description", "parent_entity_id", "tags", "attributes")


@route("POST", f"{V2}/entity-upsert", "Create an entity, or change it when entity_id names one",
       "entities", 201, "ENTITY_NOT_FOUND", EntityUpsertBody)
def entity_upsert(call: Call) -> tuple[int, dict[str, Any]]:
    body = dict(call.body)
    entity_id = body.pop("entity_id", None)
    metadata = body.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise errors.invalid("metadata", "must be an object", "type")
    extra = {name: body.pop(name) for name in _ENTITY_INTO_METADATA if body.get(name) is not None}
    for name in _ENTITY_INTO_METADATA:
        body.pop(name, None)
    for name in body:
        if name not in _ENTITY_IN:
            raise errors.invalid(name, "is not a field of an entity", "unknown_field")
    if extra:
        body["metadata"] = {**(metadata or {}), **extra}
    uni = call.scope.universal
    if entity_id is not None:
        if not isinstance(entity_id, str):
            raise errors.invalid("entity_id", "must be text", "type")
        if _exists(lambda: uni.get_entity(entity_id)):
            changes = {k: v for k, v in body.items() if k not in ("entity_type", "organization_id")}
            updated = uni.update_entity(entity_id, changes)
            return 201, {**API, "entity_id": updated.id, "is_update": True, "version": updated.version}
        body["id"] = entity_id
    for required in ("entity_type", "entity_name", "smart_code"):
        if body.get(required) is None:
            raise errors.invalid(required, "is required", "required")
    created = uni.create_entity(body)
    return 201, {**API, "entity_id": created.id, "is_update": False, "version": created.version}


def _exists(read: Any) -> bool:
    from ..domain.errors import NotFoundError

    try:
        read()
        return True
    except NotFoundError:
        return False


@route("GET", f"{V2}/entity-read", "Read an entity (with its dynamic data and relationships), or a list",
       "entities", 200, "ENTITY_NOT_FOUND")
def entity_read(call: Call) -> tuple[int, dict[str, Any]]:
    uni = call.scope.universal
    entity_id = call.text("entity_id")
    with_fields = call.flag("include_dynamic_data", False)
    with_links = call.flag("include_relationships", False)
    if entity_id is not None:
        found = uni.get_entity(entity_id)
        return 200, {**API, "success": True, "data": _entity(call, found, with_fields, with_links)}
    limit = call.number("limit", 100, 1, 1000)
    offset = call.number("offset", 0, 0, MAX_OFFSET)
    filters = {"entity_type": call.text("entity_type"), "entity_code": call.text("entity_code"),
               "status": call.text("status")}
    smart_code = call.text("smart_code")
    rows, more, nxt, total = _paged(_entity_fetch(call, filters, smart_code), limit, offset, call.text("cursor"))
    return 200, {**API, "success": True, "data": [_entity(call, e, with_fields, with_links) for e in rows],
                 "metadata": shapes.page(limit, offset, len(rows), more, total, nxt)}


def _entity_fetch(call: Call, filters: dict[str, Any], smart_code: str | None,
                  search: str | None = None) -> Any:
    uni = call.scope.universal

    def fetch(n: int, cursor: str | None) -> tuple[list[Any], str | None]:
        page = uni.query_entities(**filters, search_text=search, limit=n, cursor=cursor)
        found = page.entities if smart_code is None else [e for e in page.entities if e.smart_code == smart_code]
        return found, page.next_cursor
    return fetch


def _entity(call: Call, found: Any, with_fields: bool, with_links: bool) -> dict[str, Any]:
    out = shapes.entity(found)
    uni = call.scope.universal
    if with_fields:
        out["dynamic_data"] = [shapes.field(f) for f in uni.get_dynamic_fields(found.id).values()]
    if with_links:
        links = uni.query_relationships(from_entity_id=found.id).relationships + \
            uni.query_relationships(to_entity_id=found.id).relationships
        out["relationships"] = [shapes.relationship(r) for r in links]
    return out


@route("POST", f"{V2}/entity-query", "Find entities by filters and search words", "entities")
def entity_query(call: Call) -> tuple[int, dict[str, Any]]:
    filters_in = call.mapping("filters") or {}
    allowed = {"entity_type", "entity_name", "entity_code", "status", "classification", "smart_code"}
    for name in filters_in:
        if name not in allowed:
            raise errors.invalid(f"filters.{name}", f"is not a filter; filter by {', '.join(sorted(allowed))}",
                                 "unknown_field")
        if not isinstance(filters_in[name], str):
            raise errors.invalid(f"filters.{name}", "must be text", "type")
    smart_code = filters_in.get("smart_code")
    filters = {k: v for k, v in filters_in.items() if k != "smart_code"}
    joins = call.get("joins") or []
    if not isinstance(joins, list) or any(j not in ("dynamic_data", "relationships") for j in joins):
        raise errors.invalid("joins", 'must list any of "dynamic_data", "relationships"', "type")
    limit = call.number("limit", 100, 1, 1000)
    offset = call.number("offset", 0, 0, MAX_OFFSET)
    search = call.text("search")
    rows, more, nxt, total = _paged(_entity_fetch(call, filters, smart_code, search or None), limit, offset,
                                    call.text("cursor"))
    data = [_entity(call, e, "dynamic_data" in joins, "relationships" in joins) for e in rows]
    return 200, {**API, "data": data, "metadata": shapes.page(limit, offset, len(rows), more, total, nxt)}


@route("DELETE", f"{V2}/entity-delete", "Delete an entity (kept, marked deleted: records are never erased)",
       "entities", 200, "ENTITY_NOT_FOUND")
def entity_delete(call: Call) -> tuple[int, dict[str, Any]]:
    entity_id = call.text("entity_id", required=True)
    if call.flag("hard_delete", False):
        raise errors.invalid("hard_delete", "records are never erased (the books keep their history); "
                                            "leave it out to mark the entity deleted", "unsupported")
    if call.flag("cascade", False):
        raise errors.invalid("cascade", "is not supported: end the entity's relationships first", "unsupported")
    uni = call.scope.universal
    found = uni.get_entity(entity_id)
    if found.status == "deleted":
        raise errors.ApiError(409, "ENTITY_ALREADY_DELETED", f"Entity {entity_id} is already deleted",
                              [{"field": "entity_id", "code": "already_deleted"}])
    reason = call.text("reason") or "deleted through the HERA V2 API"
    done = uni.delete_entity(entity_id, reason)
    return 200, {**API, "success": True, "entity_id": done.id, "deleted": True, "status": done.status}


# ------------------------------------------------------------------ dynamic data

_VALUE_OF = {"text": "field_value_text", "number": "field_value_number", "boolean": "field_value_boolean",
             "date": "field_value_date", "datetime": "field_value_datetime", "json": "field_value_json"}


def _field_value(where: str, item: dict[str, Any]) -> Any:
    kind = item.get("field_type")
    if kind is None:
        given = [k for k in _VALUE_OF if item.get(_VALUE_OF[k]) is not None]
        if len(given) != 1:
            raise errors.invalid(f"{where}field_type", "is required (text, number, boolean, date, datetime or json)",
                                 "required")
        kind = given[0]
    if kind not in _VALUE_OF:
        raise errors.invalid(f"{where}field_type", "must be text, number, boolean, date, datetime or json", "type")
    value = item.get(_VALUE_OF[kind])
    if value is None:
        value = item.get("field_value")
    if kind == "number" and isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return Decimal(value)
    if kind == "number" and isinstance(value, str):
        try:
            return Decimal(value)
        except ArithmeticError:
            raise errors.invalid(f"{where}field_value_number", "must be a number", "type") from None
    if kind == "boolean" and not isinstance(value, bool):
        raise errors.invalid(f"{where}field_value_boolean", "must be true or false", "type")
    if kind in ("text", "date", "datetime") and not isinstance(value, str):
        raise errors.invalid(f"{where}{_VALUE_OF[kind]}", "must be text", "type")
    if kind == "json":
        return value if isinstance(value, (dict, list)) else {"value": value}
    return value


def _field_smart_code(where: str, item: dict[str, Any]) -> str:
    code = item.get("smart_code")
    if not isinstance(code, str):
        raise errors.invalid(f"{where}smart_code", "is required", "required")
    return code


@route("POST", f"{V2}/dynamic-data-upsert", "Set one dynamic field of an entity", "dynamic data", 201,
       "ENTITY_NOT_FOUND", FieldUpsertBody)
def dynamic_data_upsert(call: Call) -> tuple[int, dict[str, Any]]:
    entity_id = call.text("entity_id", required=True)
    name = call.text("field_name", required=True)
    stored = call.scope.universal.set_dynamic_field(entity_id, name, _field_value("", call.body),
                                                    _field_smart_code("", call.body))
    return 201, {**API, "success": True, "dynamic_field_id": stored.id, "field_name": stored.field_name,
                 "is_update": stored.version > 1}


def _batch(call: Call) -> tuple[int, dict[str, Any]]:
    entity_id = call.text("entity_id", required=True)
    fields = call.get("fields")
    if not isinstance(fields, list) or not fields:
        raise errors.invalid("fields", "must be a list of one or more fields", "type")
    values: dict[str, tuple[Any, str]] = {}
    for i, item in enumerate(fields):
        where = f"fields.{i}."
        if not isinstance(item, dict) or not isinstance(item.get("field_name"), str):
            raise errors.invalid(f"{where}field_name", "is required", "required")
        if item["field_name"] in values:
            raise errors.invalid(f"{where}field_name", f"{item['field_name']} is set twice", "duplicate")
        values[item["field_name"]] = (_field_value(where, item), _field_smart_code(where, item))
    uni = call.scope.universal
    with call.scope.db.write():
        uni.set_dynamic_fields(entity_id, values)
        stored = uni.get_dynamic_fields(entity_id)
    out = [{"field_name": n, "dynamic_field_id": stored[n].id, "is_update": stored[n].version > 1}
           for n in values if n in stored]
    return 201, {**API, "success": True, "entity_id": entity_id, "fields": out}


route("PUT", f"{V2}/dynamic-data-upsert/batch", "Set several dynamic fields of an entity at once",
      "dynamic data", 201, "ENTITY_NOT_FOUND")(_batch)
route("PUT", f"{V2}/dynamic-data-batch", "Set several dynamic fields of an entity at once (same as "
      "dynamic-data-upsert/batch)", "dynamic data", 201, "ENTITY_NOT_FOUND")(_batch)


@route("GET", f"{V2}/dynamic-data-read", "Read an entity's dynamic fields, or one of them", "dynamic data", 200,
       "FIELD_NOT_FOUND")
def dynamic_data_read(call: Call) -> tuple[int, dict[str, Any]]:
    entity_id = call.text("entity_id", required=True)
    name = call.text("field_name")
    uni = call.scope.universal
    if name is not None:
        found = uni.get_dynamic_field(entity_id, name)
        if found is None:
            uni.get_entity(entity_id)  # an entity of another organization is not found, not "no field"
            raise errors.ApiError(404, "FIELD_NOT_FOUND", f"Entity {entity_id} has no field {name}",
                                  [{"field": "field_name", "code": "not_found"}])
        return 200, {**API, "success": True, "data": shapes.field(found)}
    uni.get_entity(entity_id)
    return 200, {**API, "success": True, "data": [shapes.field(f) for f in uni.get_dynamic_fields(entity_id).values()]}


@route("DELETE", f"{V2}/dynamic-data-delete", "Remove a dynamic field (by its id, or entity and name), or all "
       "of an entity's", "dynamic data", 200, "FIELD_NOT_FOUND")
def dynamic_data_delete(call: Call) -> tuple[int, dict[str, Any]]:
    removed = call.scope.universal.delete_dynamic_field(
        entity_id=call.text("entity_id"), field_name=call.text("field_name"),
        dynamic_field_id=call.text("dynamic_field_id") or call.text("id"))
    return 200, {**API, "success": True, "deleted_count": len(removed),
                 "deleted": [{"dynamic_field_id": f.id, "entity_id": f.entity_id, "field_name": f.field_name}
                             for f in removed]}


# ------------------------------------------------------------------ relationships

_LINK_INTO_METADATA = ("relationship_direction", "relationship_strength", "relationship_data", "effective_date",
                       "expiration_date")


@route("POST", f"{V2}/relationship-upsert", "Relate two entities", "relationships", 201, "ENTITY_NOT_FOUND",
       RelationshipUpsertBody)
def relationship_upsert(call: Call) -> tuple[int, dict[str, Any]]:
    body = dict(call.body)
    if body.pop("is_active", True) is not True:
        raise errors.invalid("is_active", "a relationship is created active; end it with relationship-delete",
                             "unsupported")
    extra = {n: body.pop(n) for n in _LINK_INTO_METADATA if body.get(n) is not None}
    for n in _LINK_INTO_METADATA:
        body.pop(n, None)
    if "relationship_id" in body:
        body["id"] = body.pop("relationship_id")
    metadata = body.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise errors.invalid("metadata", "must be an object", "type")
    if extra:
        body["metadata"] = {**(metadata or {}), **extra}
    for required in ("from_entity_id", "to_entity_id", "relationship_type", "smart_code"):
        if body.get(required) is None:
            raise errors.invalid(required, "is required", "required")
    made = call.scope.universal.create_relationship(body)
    return 201, {**API, "success": True, "relationship_id": made.id, "from_entity_id": made.from_entity_id,
                 "to_entity_id": made.to_entity_id, "relationship_type": made.relationship_type}


@route("POST", f"{V2}/relationship-query", "Find an entity's relationships", "relationships")
def relationship_query(call: Call) -> tuple[int, dict[str, Any]]:
    entity_id = call.text("entity_id")
    side = call.text("side", default="either")
    if side not in ("either", "from", "to"):
        raise errors.invalid("side", "must be either, from or to", "type")
    kind = call.text("relationship_type")
    active_only = call.flag("active_only", True)
    limit = call.number("limit", 100, 1, 1000)
    offset = call.number("offset", 0, 0, MAX_OFFSET)
    uni = call.scope.universal
    found: dict[str, Any] = {}
    if entity_id is None or side in ("either", "from"):
        for r in uni.query_relationships(from_entity_id=entity_id, relationship_type=kind,
                                         include_inactive=not active_only).relationships:
            found[r.id] = r
    if entity_id is not None and side in ("either", "to"):
        for r in uni.query_relationships(to_entity_id=entity_id, relationship_type=kind,
                                         include_inactive=not active_only).relationships:
            found[r.id] = r
    rows = sorted(found.values(), key=lambda r: (r.created_at, r.id))
    window = rows[offset:offset + limit]
    return 200, {**API, "success": True, "data": [shapes.relationship(r) for r in window],
                 "metadata": shapes.page(limit, offset, len(window), offset + limit < len(rows), len(rows), None)}


def _relationship(call: Call, relationship_id: str) -> Any:
    return call.scope.universal.get_relationship(relationship_id)


@route("POST", f"{V2}/relationship-read", "Read one relationship", "relationships", 200, "RELATIONSHIP_NOT_FOUND")
def relationship_read(call: Call) -> tuple[int, dict[str, Any]]:
    found = _relationship(call, call.text("relationship_id", required=True) or "")
    return 200, {**API, "success": True, "data": shapes.relationship(found)}


@route("DELETE", f"{V2}/relationship-delete", "End a relationship (kept, no longer active)", "relationships",
       200, "RELATIONSHIP_NOT_FOUND")
def relationship_delete(call: Call) -> tuple[int, dict[str, Any]]:
    relationship_id = call.text("relationship_id", required=True) or ""
    _relationship(call, relationship_id)
    ended = call.scope.universal.delete_relationship(relationship_id, call.text("reason") or
                                                     "ended through the HERA V2 API")
    return 200, {**API, "success": True, "relationship_id": ended.id, "is_active": ended.is_active}
