"""The business flows as routes: the same services the desktop calls, with the same arguments and results.

Each route takes the service method's keyword arguments as its JSON body (``organization_id`` aside) and
answers with its result, so the door of every public call checks the token's role, binds the arguments
(an unknown one is a 422 naming it) and the service checks what they mean, exactly as on the desktop.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Callable

from pydantic import BaseModel

from .calls import Call, route

V2 = "/api/v2"


def _plain(result: Any) -> Any:
    if isinstance(result, BaseModel):
        return result.model_dump(mode="python")
    if isinstance(result, tuple) and hasattr(result, "_asdict"):  # a NamedTuple: its fields by name
        return {k: _plain(v) for k, v in result._asdict().items()}
    if isinstance(result, (list, tuple)):
        return [_plain(r) for r in result]
    if isinstance(result, Mapping):
        return {k: _plain(v) for k, v in result.items()}
    return result


def _flow(method: str, path: str, summary: str, tag: str, status: int,
          pick: Callable[[Any], Callable[..., Any]]) -> None:
    def handler(call: Call) -> tuple[int, dict[str, Any]]:
        arguments = {k: v for k, v in (call.body or call.query).items() if k != "organization_id"}
        result = pick(call.scope)(**arguments)
        return status, {"api_version": "v2", "success": True, "data": _plain(result)}
    handler.__name__ = path.rsplit("/", 1)[-1].replace("-", "_")
    route(method, path, summary, tag, status)(handler)


_flow("POST", f"{V2}/customers/onboard", "Onboard a customer (entity, details, status, in one step)", "customers",
      201, lambda s: s.customers.onboard)
_flow("POST", f"{V2}/customers/onboard-many", "Onboard many customers at once", "customers", 201,
      lambda s: s.customers.onboard_many)
_flow("POST", f"{V2}/customers/transition-status", "Move a customer to another status, with a reason",
      "customers", 201, lambda s: s.customers.transition_status)
_flow("POST", f"{V2}/restaurant/orders", "Take and pay a restaurant order (menu prices, tax, stock, ledger)",
      "restaurant", 201, lambda s: s.restaurant.process_order)
_flow("POST", f"{V2}/journals/entries", "Post a balanced journal entry", "journals", 201,
      lambda s: s.journals.create_entry)
_flow("POST", f"{V2}/inventory/adjustments", "Adjust stock (receipt, issue, transfer, count)", "inventory", 201,
      lambda s: s.inventory.adjust)
_flow("POST", f"{V2}/batch", "Run many operations, each on its own or all together", "batch", 200,
      lambda s: s.batch.process)
_flow("POST", f"{V2}/reports/trial-balance", "The trial balance", "reports", 200, lambda s: s.reports.trial_balance)
_flow("POST", f"{V2}/reports/profit-and-loss", "Profit and loss for a period", "reports", 200,
      lambda s: s.statements.profit_and_loss)
_flow("POST", f"{V2}/reports/balance-sheet", "The balance sheet at a date", "reports", 200,
      lambda s: s.statements.balance_sheet)
_flow("POST", f"{V2}/settings", "Change the business settings (as the settings screen does)", "settings", 200,
      lambda s: s.org_settings.update)
_flow("POST", f"{V2}/settings/tax-rates", "Set a tax rate (name, rate, label)", "settings", 200,
      lambda s: s.org_settings.set_tax_rate)
_flow("POST", f"{V2}/settings/tax-rules", "The tax rates and which categories they apply to", "settings", 200,
      lambda s: s.org_settings.tax_rules)
