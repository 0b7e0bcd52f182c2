"""The usage guide's batch processor (``s.batch``), with an atomic mode.

Row by row, each operation runs in its own savepoint: a failure is reported at
its index and leaves no trace, the others are kept. Atomic, the first failure
rolls every operation back.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from ..domain.arguments import quoted
from ..domain.contracts.batch import BatchError, BatchResult
from ..domain.errors import HeraError, ValidationError

if TYPE_CHECKING:
    from ..app import Scope


class _RollBack(Exception):
    pass


OPTIONS = {"type", "operation", "data", "onSuccess", "onError", "on_success", "on_error"}
CALLBACKS = (("onSuccess", "on_success"), ("onError", "on_error"))


def _check_options(index: int, op: Any) -> None:
    """Refuse what the batch would otherwise ignore: unknown keys, callbacks that cannot be called."""
    if not isinstance(op, dict):
        return  # reported at its index when it runs
    for key in op:
        if key not in OPTIONS:
            raise ValidationError(f"operations.{index}.{key[:40] if isinstance(key, str) else quoted(key)}",
                                  f"is not an option of an operation; use {', '.join(sorted(OPTIONS))}")
    for names in CALLBACKS:
        for name in names:
            if op.get(name) is not None and not callable(op[name]):
                raise ValidationError(f"operations.{index}.{name}", "must be a function")


def _call_back(index: int, total: int, op: Any, result: Any, failure: Optional[HeraError],
               progress: Any) -> Optional[str]:
    """Tell the caller how an operation went; why the batch must stop if their callback raised, else None."""
    calls: list[tuple[str, Any, tuple[Any, ...]]] = []
    if isinstance(op, dict):
        success, error = (op.get(a) or op.get(b) for a, b in CALLBACKS)
        if failure is None and success is not None:
            calls.append(("onSuccess", success, (result,)))
        if failure is not None and error is not None:
            calls.append(("onError", error, (failure,)))
    if progress is not None:
        calls.append(("progress", progress, (index + 1, total)))
    for name, callback, args in calls:
        try:
            callback(*args)
        except Exception as exc:  # noqa: BLE001 - the caller's own code: reported, never a half-done batch
            return (f"the {name} callback of operation {index} raised {type(exc).__name__}: {str(exc)[:200]}; "
                    f"operations after {index} were not run")
    return None


class Batch:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope

    def process(self, operations: list[dict[str, Any]], atomic: bool = False,
                progress: Any = None) -> BatchResult:
        """Run the operations in order. Each may carry the guide's ``onSuccess`` / ``onError`` callbacks
        (or ``on_success`` / ``on_error``), called with its result or its HeraError; ``progress`` is called
        with (done, total). Callbacks are the caller's code: if one raises, the batch stops there, keeps
        what was done (unless atomic) and says so in ``stopped``."""
        self.scope.require("batch.run", "run batch imports")
        if not isinstance(operations, list):
            raise ValidationError("operations", "must be a list of {type, operation, data}")
        if progress is not None and not callable(progress):
            raise ValidationError("progress", "must be a function called with (done, total)")
        for i, op in enumerate(operations):
            _check_options(i, op)
        results: list[Any] = [None] * len(operations)
        errors: list[Optional[BatchError]] = [None] * len(operations)
        rolled_back = False
        stopped: Optional[str] = None
        try:
            with self.scope.db.write() as conn:
                for i, op in enumerate(operations):
                    failure: Optional[HeraError] = None
                    try:
                        if atomic:
                            results[i] = self._run(op)
                        else:
                            with conn.begin_nested():
                                results[i] = self._run(op)
                    except HeraError as exc:
                        failure = exc
                        errors[i] = BatchError(index=i, code=exc.code, message=exc.message,
                                               field=getattr(exc, "field", None))
                        if atomic:
                            raise _RollBack from exc
                    stopped = _call_back(i, len(operations), op, results[i], failure, progress)
                    if stopped is not None:
                        if atomic:
                            raise _RollBack
                        break
        except _RollBack:
            rolled_back = True
            results = [None] * len(operations)
        failed = sum(e is not None for e in errors)
        return BatchResult(successful=sum(r is not None for r in results), failed=failed, results=results,
                           errors=errors, rolled_back=rolled_back, stopped=stopped)

    def _run(self, op: Any) -> Any:
        if not isinstance(op, dict):
            raise ValidationError("operation", "must be {type, operation, data}")
        kind, action, data = op.get("type"), op.get("operation"), op.get("data")
        if not isinstance(data, dict):
            raise ValidationError("data", "must be a mapping of fields")
        uni, txn = self.scope.universal, self.scope.txn
        handlers = {
            ("entity", "create"): lambda: uni.create_entity(data),
            ("entity", "update"): lambda: uni.update_entity(data.get("id"), {k: v for k, v in data.items() if k != "id"}),
            ("entity", "delete"): lambda: uni.delete_entity(data.get("id"), data.get("reason")),
            ("dynamic_data", "create"): lambda: uni.set_dynamic_field(
                data.get("entity_id"), data.get("field_name"), data.get("field_value"), data.get("smart_code")),
            ("dynamic_data", "update"): lambda: uni.set_dynamic_field(
                data.get("entity_id"), data.get("field_name"), data.get("field_value"), data.get("smart_code")),
            ("relationship", "create"): lambda: uni.create_relationship(data),
            ("relationship", "delete"): lambda: uni.delete_relationship(data.get("id"), data.get("reason")),
            ("transaction", "create"): lambda: txn.emit(data),
            ("customer", "create"): lambda: self.scope.customers.onboard(**data),
            ("customers", "create"): lambda: self.scope.customers.onboard(**data),
            ("menu_items", "create"): lambda: self.scope.restaurant.menu.add_item(
                data["name"], data["price"], data["category"], data.get("kitchen_station"),
                data.get("classification"), data.get("code")),
            ("menu_items", "update"): lambda: self.scope.restaurant.menu.update_item(
                data["id"], data.get("name"), data.get("price"), data.get("category"), data.get("kitchen_station"),
                data.get("classification")),
            ("products", "create"): lambda: self.scope.inventory.add_product(
                data["name"], data.get("code"), data.get("reorder_level")),
            ("chart_of_accounts", "create"): lambda: self.scope.journals.add_account(
                data["code"], data["name"], data["type"]),
        }
        for field, value in (("type", kind), ("operation", action)):
            if not isinstance(value, str):
                raise ValidationError(field, f"must be text naming the operation, like entity/create; got {quoted(value)}")
        handler = handlers.get((kind, action))
        if handler is None:
            raise ValidationError("type", f"unknown operation {quoted(kind)}/{quoted(action)}")
        try:
            return handler()
        except KeyError as exc:
            raise ValidationError(str(exc.args[0]), f"is required for {kind}/{action}") from None
        except TypeError as exc:
            raise ValidationError("data", f"does not fit {kind}/{action}: {exc}") from None
