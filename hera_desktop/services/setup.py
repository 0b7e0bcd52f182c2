"""What a new organization starts with: settings, chart of accounts, posting rules, statuses; and a business of
its own set up on empty books (``new_business``), with its owner as the first admin."""
from __future__ import annotations

import json
from importlib import resources
from typing import TYPE_CHECKING, Any

from ..domain import contracts as c
from ..domain.errors import ValidationError

if TYPE_CHECKING:
    from ..app import Hera, Scope

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
    "prices_include_tax": False,  # stored and shown only for now: menu prices are still taxed on top of the price
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


def new_business(hera: Hera, name: str, currency: str, owner: str, owner_pin: str,
                 settings: dict[str, Any] | None = None) -> tuple[c.Organization, c.Entity]:
    """The first organization of empty books, with the default chart and rules, and its owner as an admin who
    signs in with ``owner_pin``: all in one unit of work, so a bad PIN, name or setting leaves the books empty.
    Books that already hold an organization are refused (naming it): this is how books begin, not a second
    business in them."""
    from . import pins

    shortest, longest = pins.PIN_DIGITS["admin"]
    try:  # before the chart is built, so a mistyped PIN answers at once
        pins.check_pin(owner_pin, "admin")
    except ValidationError:
        raise ValidationError("owner_pin", f"must be {shortest} to {longest} digits (the owner signs in as an "
                                           "admin)") from None
    with hera.db.write():
        existing = hera.list_organizations()
        if existing:
            listed = "; ".join(f"{o.organization_name} ({o.id})" for o in existing)
            raise ValidationError("books", f"already hold an organization: {listed}; setup only starts empty books")
        org = hera.create_organization(name, currency, settings=settings or None)
        try:
            user = hera.scope(org.id).users.create(name=owner, role="admin", pin=owner_pin)
        except ValidationError as exc:
            if exc.field != "entity_name":
                raise
            raise ValidationError("owner", exc.message.partition(": ")[2]) from None
    return org, user
