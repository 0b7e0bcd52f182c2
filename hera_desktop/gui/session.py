"""Who is working where: the open books, the organization, the signed-in user and their scope.

This computer remembers who last signed in to each organization's books, so the sign-in offers
that person first (and nobody the first time), never someone else whose tries a PIN would spend.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QSettings, Signal

from ..domain import contracts as c


class Session(QObject):
    user_changed = Signal()

    def __init__(self, hera: Any, organization: c.Organization, runner: Any,
                 preferences: QSettings | None = None) -> None:
        super().__init__()
        self.hera = hera
        self.organization = organization
        self.runner = runner
        runner.watch = hera.watch  # a change learns what it wrote from the books themselves
        self.preferences = preferences if preferences is not None else QSettings()
        self.user: c.Entity | None = None
        self.role: str | None = None
        self._scope: Any = None
        self._system: Any = None
        from .books_check import BooksCheck

        self.books_check = BooksCheck(self)  # the quick check on opening, the full one after a day close

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
        self.preferences.setValue(self._last_user_key, user.id)
        self.user_changed.emit()

    def sign_out(self) -> None:
        self.user = None
        self.role = None
        self._scope = None
        self.user_changed.emit()

    @property
    def last_user_id(self) -> str | None:
        """Who last signed in to these books' organization on this computer, if anyone."""
        value = self.preferences.value(self._last_user_key)
        return value if isinstance(value, str) and value else None

    @property
    def _last_user_key(self) -> str:
        return f"sign_in/{self.organization.id}/last_user"

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
