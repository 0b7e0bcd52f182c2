"""A business of one's own on empty books: its organization, settings, default chart and posting rules, and its
owner as the first admin, made at once (``hera-desktop setup``, and the first-start assistant).

``checked`` is the one set of rules for what a new business may start with; the command and the assistant (a
page at a time, as the person types) both ask it, and ``new_business`` asks it again before writing anything."""
from __future__ import annotations

from typing import Any

from .domain import contracts as c
from .domain.errors import ValidationError

# What a business is besides its settings: its name and currency, and who owns it.
IDENTITY = ("name", "currency", "owner", "owner_pin")


def checked(details: dict[str, Any]) -> dict[str, Any]:
    """The given details of a new business as they will be stored, or a ValidationError naming the first that is
    wrong: ``name``, ``currency``, ``owner`` (the owner's name), ``owner_pin`` and its settings (those the
    settings screen changes). Only the details given are checked, so a form can check the part it has; nothing
    is read or written."""
    from .services import organizations, pins
    from .services.org_settings import OrgSettings
    from .services.users import USER_SC

    details, clean = dict(details), {}
    if "name" in details:
        clean["name"] = organizations.checked_name(details.pop("name"))
    if "currency" in details:
        clean["currency"] = organizations.checked_currency(details.pop("currency"))
    if "owner" in details:
        try:
            clean["owner"] = c.parse(c.EntityCreate, entity_type="user", entity_name=details.pop("owner"),
                                     smart_code=USER_SC).entity_name
        except ValidationError as exc:
            raise ValidationError("owner", exc.message.partition(": ")[2]) from None
    if "owner_pin" in details:
        shortest, longest = pins.PIN_DIGITS["admin"]
        try:
            clean["owner_pin"] = pins.check_pin(details.pop("owner_pin"), "admin")
        except ValidationError:
            raise ValidationError("owner_pin", f"must be {shortest} to {longest} digits (the owner signs in as an "
                                               "admin)") from None
    if "till_location_id" in details:
        raise ValidationError("till_location_id", "can be chosen once the business has its locations, in Settings")
    # The settings' own rules. Of all settings only the till's location is looked up in the books, and that one is
    # refused above, so the check needs no books (nor a scope).
    return {**clean, **OrgSettings(None).check(details)}  # type: ignore[arg-type]


def new_business(hera: Any, name: str, currency: str, owner: str, owner_pin: str,
                 settings: dict[str, Any] | None = None) -> tuple[c.Organization, c.Entity]:
    """The first organization of empty books, with the default chart and rules, and its owner as an admin who
    signs in with ``owner_pin``: all in one unit of work, so a bad PIN, name or setting leaves the books empty.
    Books that already hold an organization are refused (naming it): this is how books begin, not a second
    business in them."""
    if settings is not None and not isinstance(settings, dict):
        raise ValidationError("settings", "must be a mapping of setting names to values")
    settings = settings or {}
    for key in IDENTITY:
        if key in settings:
            raise ValidationError(key, "is not a setting: it is given on its own")
    # Before the chart is built or the PIN hashed, so a mistyped detail answers at once.
    clean = checked({**settings, "name": name, "currency": currency, "owner": owner, "owner_pin": owner_pin})
    chosen = {k: v for k, v in clean.items() if k not in IDENTITY}
    with hera.db.write():
        existing = hera.list_organizations()
        if existing:
            listed = "; ".join(f"{o.organization_name} ({o.id})" for o in existing)
            raise ValidationError("books", f"already hold an organization: {listed}; setup only starts empty books")
        org = hera.create_organization(clean["name"], clean["currency"], settings=chosen or None)
        user = hera.scope(org.id).users.create(name=clean["owner"], role="admin", pin=clean["owner_pin"])
    return org, user
