"""Who is working where: the open books, the organization, the signed-in user and their scope."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from ..domain import contracts as c


class Session(QObject):
    user_changed = Signal()

    def __init__(self, hera: Any, organization: c.Organization, runner: Any) -> None:
        super().__init__()
        self.hera = hera
        self.organization = organization
        self.runner = runner
        self.user: c.Entity | None = None
        self.role: str | None = None
        self._scope: Any = None
        self._system: Any = None

    @property
    def scope(self) -> Any:
        """The organization's books as the signed-in user (permissions checked by the services)."""
        if self._scope is None:
            self._scope = self.hera.scope(self.organization.id, self.user.id if self.user else None)
        return self._scope

    def sign_in(self, user: c.Entity) -> None:
        self.user = user
        self._scope = None
        self.role = self.scope.role
        self.user_changed.emit()

    def sign_out(self) -> None:
        self.user = None
        self.role = None
        self._scope = None
        self.user_changed.emit()

    def allows(self, permission: str) -> bool:
        return self.user is not None and self.scope.allows(permission)

    def refresh_organization(self) -> None:
        self.organization = self.hera.organization(self.organization.id)
        self._scope = self._system = None

    @property
    def system(self) -> Any:
        """The organization's books as the system (sign-in, listing users) — never for user actions."""
        if self._system is None:
            self._system = self.hera.scope(self.organization.id)
        return self._system
