"""Business rules that need no database: customer lifecycle, kitchen stations, contact details."""
from __future__ import annotations

import re

CUSTOMER_STATUSES = ("prospect", "active", "inactive", "suspended", "closed")

# The usage guide's table of valid customer status transitions.
VALID_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "prospect": ("active", "closed"),
    "active": ("inactive", "suspended", "closed"),
    "inactive": ("active", "closed"),
    "suspended": ("active", "closed"),
    "closed": (),
}

PAYMENT_METHODS = ("cash", "card", "on_account")

EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
PHONE = re.compile(r"^\+?[0-9 ()./-]{6,24}$")


def kitchen_station(entity_name: str, classification: str | None) -> str:
    """The usage guide's fallback when a menu item has no kitchen_station field."""
    if classification == "beverage":
        return "BAR"
    if "Pizza" in entity_name:
        return "PIZZA_STATION"
    if "Pasta" in entity_name:
        return "HOT_KITCHEN"
    return "GENERAL"


def status_of(status_entity_name: str | None) -> str:
    """'active Status' -> 'active'; no status at all counts as a prospect, as in the guide."""
    if not status_entity_name:
        return "prospect"
    return status_entity_name.lower().replace(" status", "").strip()
