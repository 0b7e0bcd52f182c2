"""The Hera facade: one object that opens the books and hands out organization scopes.

Screens, the command line, the server and integrations all come through here;
this is the one place that wires storage, the universal API and the services.
"""
from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

from .domain import contracts as c
from .domain import text
from .domain.errors import NotFoundError, PermissionDeniedError, ValidationError
from .domain.ids import is_uuid, new_id, now_text
from .domain.roles import allows
from .public_calls import checked, public
from .storage.database import Database
from .storage.jsoncodec import normalize
from .storage.schema import core_entities, core_organizations
from .storage.scoped import OrgStore
from .universal import chain
from .universal.entities import UniversalAPI
from .universal.transactions import TxnClient


class Hera:
    def __init__(self, db: Database) -> None:
        self.db = db
        # Bumped by update_settings so that open scopes (a till, a report screen) see the new settings.
        self.settings_generation = 0
        # Bumped when a posting rule changes, so every open scope posts by the new rule.
        self.posting_rules_generation = 0

    @property
    def terminal_id(self) -> str:
        return self.db.terminal_id

    @property
    def read_only(self) -> str | None:
        """Why these books can only be read (e.g. "the file is read-only"), or None when they can be written."""
        return self.db.read_only_reason

    @checked
    def create_organization(self, name: str, currency: str = "USD", code: str | None = None,
                            settings: dict[str, Any] | None = None, with_defaults: bool = True) -> c.Organization:
        """A new organization with the default chart of accounts and posting rules."""
        if not isinstance(name, str) or not name.strip() or len(name) > 255:
            raise ValidationError("name", "an organization needs a name of 1 to 255 characters")
        text.plain("name", name)
        if not isinstance(currency, str) or len(currency) != 3 or not (currency.isascii() and currency.isalpha()):
            raise ValidationError("currency", "must be a three-letter currency code like USD")
        if code is not None and (not isinstance(code, str) or not code.strip() or len(code) > 100):
            raise ValidationError("code", "must be text of 1 to 100 characters, or left out")
        if settings is not None and not isinstance(settings, dict):
            raise ValidationError("settings", "must be a mapping of setting names to values")
        from .services.setup import DEFAULT_SETTINGS, install_defaults

        now = now_text()
        org_id = new_id()
        row = {"id": org_id, "organization_name": name.strip(), "currency": currency.upper(),
               "organization_code": code or f"ORG-{org_id[-8:].upper()}", "status": "active",
               "settings": normalize(DEFAULT_SETTINGS), "metadata": {},
               "created_at": now, "updated_at": now, "version": 1}
        with self.db.write() as conn:
            conn.execute(core_organizations.insert(), row)
            if settings:  # checked as any later change is, in the same unit of work: all or nothing
                clean = self.scope(org_id).org_settings.check(settings)
                conn.execute(core_organizations.update().where(core_organizations.c.id == org_id)
                             .values(settings=normalize({**DEFAULT_SETTINGS, **clean})))
            if with_defaults:
                install_defaults(self.scope(org_id))
        return self.organization(org_id)

    @checked
    def organization(self, organization_id: str) -> c.Organization:
        if not is_uuid(organization_id):
            raise ValidationError("organization_id", "is not a valid id")
        with self.db.read() as conn:
            row = conn.execute(core_organizations.select().where(core_organizations.c.id == organization_id)).first()
        if row is None:
            raise NotFoundError(f"No organization with id {organization_id}")
        return c.Organization.model_validate(row._mapping)

    @checked
    def list_organizations(self) -> list[c.Organization]:
        with self.db.read() as conn:
            rows = conn.execute(core_organizations.select().order_by(core_organizations.c.organization_name))
            return [c.Organization.model_validate(r._mapping) for r in rows]

    @checked
    def update_settings(self, organization_id: str, **settings: Any) -> c.Organization:
        """Change some of an organization's settings, checked as the settings screen checks them."""
        org = self.organization(organization_id)
        clean = self.scope(org.id).org_settings.check(settings)
        with self.db.write() as conn:
            conn.execute(core_organizations.update().where(core_organizations.c.id == org.id)
                         .values(settings=normalize({**org.settings, **clean}), updated_at=now_text()))
        self.settings_generation += 1
        return self.organization(organization_id)

    @checked
    def scope(self, organization_id: str, actor_id: str | None = None) -> "Scope":
        org = self.organization(organization_id)
        return Scope(self, org, actor_id)

    @checked
    def verify(self, organization_id: str | None = None) -> chain.ChainReport:
        if organization_id is not None:
            self.organization(organization_id)
        with self.db.read() as conn:
            return chain.verify(conn, organization_id)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Hera":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Scope:
    """Everything one organization's books offer, acting as one user (or the system)."""

    def __init__(self, hera: Hera, organization: c.Organization, actor_id: str | None) -> None:
        self.hera = hera
        self.db = hera.db
        self._organization = organization
        self._generation = hera.settings_generation
        self.organization_id = organization.id
        self.store = OrgStore(hera.db, organization.id, actor_id)
        self.actor_id = actor_id
        self.role: str | None = None
        self.role = self._role(actor_id)

    def _role(self, actor_id: str | None) -> str | None:
        if actor_id is None:
            return None
        with self.db.read():
            row = self.store.get(core_entities, actor_id, "user")
            if row.entity_type != "user" or row.status != "active":
                raise PermissionDeniedError("Only an active user of this organization can act in it")
            return self.users.role_of(actor_id)

    def require(self, permission: str, action: str) -> None:
        if not allows(self.role, permission):
            raise PermissionDeniedError(f"A {self.role} may not {action}", permission=permission)

    def allows(self, permission: str) -> bool:
        return allows(self.role, permission)

    @property
    def organization(self) -> c.Organization:
        """The organization as it is now: settings changed after this scope was made apply at once."""
        if self._generation != self.hera.settings_generation:
            self._organization = self.hera.organization(self.organization_id)
            self._generation = self.hera.settings_generation
        return self._organization

    @property
    def settings(self) -> dict[str, Any]:
        return self.organization.settings

    def _raw_guard(self, action: str) -> None:
        self.require("universal.write", action)  # the system and admins pass; other roles go through services

    @cached_property
    def universal(self) -> UniversalAPI:
        return public(UniversalAPI(self.store, self._raw_guard))

    @cached_property
    def txn(self) -> TxnClient:
        from .services.rules import business_rules

        return public(TxnClient(self.store, self.organization.currency, business_rules(self), self._raw_guard))

    @cached_property
    def customers(self) -> Any:
        from .services.customers import Customers
        return public(Customers(self))

    @cached_property
    def customer_directory(self) -> Any:
        from .services.customer_directory import CustomerDirectory
        return public(CustomerDirectory(self))

    @cached_property
    def restaurant(self) -> Any:
        from .services.restaurant import Restaurant
        return public(Restaurant(self))

    @cached_property
    def order_drafts(self) -> Any:
        from .services.order_drafts import OrderDrafts
        return public(OrderDrafts(self))

    @cached_property
    def journals(self) -> Any:
        from .services.journals import Journals
        return public(Journals(self))

    @cached_property
    def inventory(self) -> Any:
        from .services.inventory import Inventory
        return public(Inventory(self))

    @cached_property
    def posting(self) -> Any:
        from .services.posting import Posting
        return public(Posting(self))

    @cached_property
    def batch(self) -> Any:
        from .services.batch import Batch
        return public(Batch(self))

    @cached_property
    def reports(self) -> Any:
        from .services.reports import Reports
        return public(Reports(self))

    @cached_property
    def statements(self) -> Any:
        from .services.statements import Statements
        return public(Statements(self))

    @cached_property
    def sales_analysis(self) -> Any:
        from .services.sales_analysis import SalesAnalysis
        return public(SalesAnalysis(self))

    @cached_property
    def stock_history(self) -> Any:
        from .services.stock_history import StockHistory
        return public(StockHistory(self))

    @cached_property
    def stock_count(self) -> Any:
        from .services.stock_count import StockCount
        return public(StockCount(self))

    @cached_property
    def org_settings(self) -> Any:
        from .services.org_settings import OrgSettings
        return public(OrgSettings(self))

    @cached_property
    def imports(self) -> Any:
        from .services.imports import Imports
        return public(Imports(self))

    @cached_property
    def users(self) -> Any:
        from .services.users import Users
        return public(Users(self))

    @cached_property
    def day_close(self) -> Any:
        from .services.day_close import DayClose
        return public(DayClose(self))

    @cached_property
    def chart_of_accounts(self) -> Any:
        from .services.chart_of_accounts import ChartOfAccounts
        return public(ChartOfAccounts(self))

    @cached_property
    def journal_drafts(self) -> Any:
        from .services.journal_drafts import JournalDrafts
        return public(JournalDrafts(self))

    @cached_property
    def journal_list(self) -> Any:
        from .services.journal_list import JournalList
        return public(JournalList(self))


def open(path: str | Path | None = None, create: bool = True) -> Hera:  # noqa: A001 - the public name in DESIGN.md
    """Open (creating or upgrading) a set of books. None = the user's data dir; ':memory:' for tests;
    or a database server's SQLAlchemy URL (``postgresql+psycopg://user@host/database``, the server's way).

    Books that cannot be written open read-only (``hera.read_only``). ``create=False`` refuses to make new
    books where there are none (a mistyped path must not become empty books). Books that cannot be opened
    (not books, damaged, written by a newer version) raise a StorageError saying so.
    """
    if path is None:
        from .config import default_database_path
        path = default_database_path()
    return Hera(Database.open(path, create))
