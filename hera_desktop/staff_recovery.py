"""The owner's way back in: unlocking a member of staff by name, for whoever holds the books file.

When every manager is locked out by wrong PINs nobody can unlock anyone from the window. Access to the
books file itself is the authority here, so the unlock is made as the system.
"""
from __future__ import annotations

from typing import Any

from .domain.errors import NotFoundError, ValidationError


def unlock_by_name(hera: Any, name: str, organization_id: str | None = None) -> tuple[str, str]:
    """Unlock the one user called ``name`` (case and surrounding spaces aside); (their name, the organization's)."""
    org = _organization(hera, organization_id)
    scope = hera.scope(org.id)
    wanted = name.strip().casefold()
    matches = [u for u in scope.users.list() if u["name"].strip().casefold() == wanted]
    if not matches:
        raise NotFoundError(f"No user named {name!r} in {org.organization_name}")
    if len(matches) > 1:
        codes = ", ".join(u["code"] or u["id"] for u in matches)
        raise ValidationError("name", f"{len(matches)} users are named {name!r} in {org.organization_name} "
                                      f"({codes}), so which one to unlock is not clear")
    scope.users.unlock(matches[0]["id"])
    return matches[0]["name"], org.organization_name


def _organization(hera: Any, organization_id: str | None) -> Any:
    if organization_id is not None:
        return hera.organization(organization_id)
    orgs = hera.list_organizations()
    if not orgs:
        raise NotFoundError("These books hold no organization, so there is nobody to unlock")
    if len(orgs) > 1:
        listed = "; ".join(f"{o.organization_name} {o.id}" for o in orgs)
        raise ValidationError("--organization", f"these books hold several organizations ({listed}); "
                                                "choose one with --organization ID")
    return orgs[0]
