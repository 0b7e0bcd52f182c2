"""A business of one's own on empty books: its organization, settings, default chart and posting rules, and its
owner as the first admin, made at once (``hera-desktop setup``, and the first-start assistant)."""
from __future__ import annotations

from typing import Any

from .domain import contracts as c
from .domain.errors import ValidationError


def new_business(hera: Any, name: str, currency: str, owner: str, owner_pin: str,
                 settings: dict[str, Any] | None = None) -> tuple[c.Organization, c.Entity]:
    """The first organization of empty books, with the default chart and rules, and its owner as an admin who
    signs in with ``owner_pin``: all in one unit of work, so a bad PIN, name or setting leaves the books empty.
    Books that already hold an organization are refused (naming it): this is how books begin, not a second
    business in them."""
    from .services import pins

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
