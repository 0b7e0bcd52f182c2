"""What a new organization starts with: settings, chart of accounts, posting rules, statuses."""
from __future__ import annotations

import json
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..app import Scope

DEFAULT_SETTINGS: dict[str, Any] = {
    "tax_rate": "0.05",          # 5% sales tax, as in the usage guide
    "tax_label": "Sales Tax",
    "till_location_id": None,    # where the till takes stock from
    "pin_attempts_before_lock": 5,
    "idle_lock_minutes": 10,     # the window locks after this many minutes nobody touches it (0: never)
    "refuse_sale_when_short": False,  # True: the till refuses a sale the books say stock is short for
    "time_zone": None,           # the business day's zone (an IANA name); None: this computer's zone
    "day_cutoff": "04:00",       # when a business day starts: an order paid at 00:30 belongs to the evening before
    "address": None,             # printed under the business's name on receipts and report PDFs (may span lines)
    "tax_id": None,              # the business's tax registration number, printed with the address
    "receipt_footer": None,      # printed at the bottom of every receipt (may span lines)
    "prices_include_tax": False,  # True: menu prices hold their tax (net = price / (1 + rate)); False: tax on top
}

POSTING_RULE_SMART_CODE = "HERA.FINANCE.POSTING.RULE.V1"


def resource(name: str) -> Any:
    return json.loads(resources.files("hera_desktop.resources").joinpath(name).read_text(encoding="utf-8"))


def install_defaults(scope: Scope) -> None:
    """Chart of accounts and posting rules from resources/, as the organization's own records."""
    from .chart_of_accounts import install_default_chart

    install_default_chart(scope, resource("chart_of_accounts.json"))
    for rule in resource("posting_rules.json"):
        scope.internal.posting.set_rule(rule["smart_code"], rule["name"], rule["lines"])

