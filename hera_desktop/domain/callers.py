"""Who a call acts for: the caller of the public call in progress, in this thread or task.

The door of every public call (``hera_desktop.public_calls``) fixes the caller when the
call comes in; everything the call does acts for them, and what reads the books once per
call (the settings, the posting rules) keys on it.
"""
from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Protocol

from .roles import INTERNAL


class Door(Protocol):
    """What the door needs of a scope: whose books, who is acting, and their role as the books hold it now."""
    organization_id: str
    actor_id: str | None

    def role_now(self) -> str | None: ...

    def standing_now(self) -> tuple[str | None, tuple[object, ...]]:
        """The actor's role now and the stamps of what calls keep between them (settings, rules)."""
        ...


@dataclass(frozen=True)
class Caller:
    """Who a public call acts for, fixed when it comes through the door: the actor, their organization
    and permissions. Everything the call does (services calling services, the rules inside a
    transaction) acts for them; a public call made inside it (a batch's operations) is checked against
    the same permissions."""
    door: Door
    actor_id: str | None
    organization_id: str
    role: str | None
    permissions: frozenset[str] | None  # None: the system itself, which may do everything
    # Read at the door with the role: (organization row, posting rules) stamps; what a call keeps
    # between calls (the settings, the rules) is read again only when its stamp moved.
    stamps: tuple[object, ...] = ()

    def may(self, permission: str) -> bool:
        if permission == INTERNAL:  # the books' own machinery: nobody from outside, the system included
            return False
        return self.permissions is None or permission in self.permissions


CALLER: ContextVar[Caller | None] = ContextVar("hera_caller", default=None)


def current_caller() -> Caller | None:
    """The caller of the public call in progress in this thread or task, if any."""
    return CALLER.get()
