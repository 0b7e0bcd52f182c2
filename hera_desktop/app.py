"""The Hera facade: one object that opens the books and hands out organization scopes.

Screens, the command line, the server and integrations all come through here;
this is the one place that wires storage, the universal API and the services.
"""
from __future__ import annotations

from contextlib import AbstractContextManager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .domain import contracts as c
from .domain.errors import NotFoundError, PermissionDeniedError, ValidationError
from .domain.ids import is_uuid, now_text
from .domain.callers import current_caller
from .public_calls import caller_of, checked, public
from .storage.database import Database, Watch
from .services import organizations
from .storage.schema import core_entities
from .storage.scoped import OrgStore
from .storage.standing import standing
from .universal import chain
from .universal.api import UniversalAPI
from .universal.feed import organization_changed
from .universal.transactions import TxnClient

if TYPE_CHECKING:
    from .services.customers import Customers
    from .services.customer_directory import CustomerDirectory
    from .services.restaurant import Restaurant
    from .services.order_drafts import OrderDrafts
    from .services.kitchen import Kitchen
    from .services.journals import Journals
    from .services.inventory import Inventory
    from .services.posting import Posting
    from .services.batch import Batch
    from .services.reports import Reports
    from .services.statements import Statements
    from .services.sales_analysis import SalesAnalysis
    from .services.stock_history import StockHistory
    from .services.stock_count import StockCount
    from .services.cash_drawer import CashDrawer
    from .services.org_settings import OrgSettings
    from .services.imports import Imports
    from .services.users import Users
    from .services.day_close import DayClose
    from .services.backup_service import Backups
    from .services.backups import Backup
    from .services.chart_of_accounts import ChartOfAccounts
    from .services.journal_drafts import JournalDrafts
    from .services.journal_list import JournalList


class Hera:
    db: Database

    def __init__(self, db: Database) -> None:
        self.db = db

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
        name, currency = organizations.checked_name(name), organizations.checked_currency(currency)
        if code is not None and (not isinstance(code, str) or not code.strip() or len(code) > 100):
            raise ValidationError("code", "must be text of 1 to 100 characters, or left out")
        if settings is not None and not isinstance(settings, dict):
            raise ValidationError("settings", "must be a mapping of setting names to values")
        from .services.setup import DEFAULT_SETTINGS, install_defaults

        with self.db.write() as conn:
            org_id = organizations.add(conn, name, currency, code, DEFAULT_SETTINGS)
            if settings:  # checked as any later change is, in the same unit of work: all or nothing
                clean = self.scope(org_id).org_settings.check(settings)
                organizations.set_settings(conn, org_id, {**DEFAULT_SETTINGS, **clean})
            organization_changed(OrgStore(self.db, org_id))
            if with_defaults:
                install_defaults(self.scope(org_id))
        return self.organization(org_id)

    @checked
    def organization(self, organization_id: str) -> c.Organization:
        if not is_uuid(organization_id):
            raise ValidationError("organization_id", "is not a valid id")
        with self.db.read() as conn:
            found = organizations.find(conn, organization_id)
        if found is None:
            raise NotFoundError(f"No organization with id {organization_id}")
        return found

    @checked
    def list_organizations(self) -> list[c.Organization]:
        with self.db.read() as conn:
            return organizations.every(conn)

    @checked
    def update_settings(self, organization_id: str, **settings: Any) -> c.Organization:
        """Change some of an organization's settings, checked as the settings screen checks them; ``name`` and
        ``currency`` change the organization's own (the currency only while it has no transaction)."""
        org = self.organization(organization_id)
        name = organizations.checked_name(settings.pop("name")) if "name" in settings else org.organization_name
        currency = (organizations.checked_currency(settings.pop("currency")) if "currency" in settings
                    else org.currency)
        clean = self.scope(org.id).org_settings.check(settings)
        with self.db.write() as conn:
            if currency != org.currency:
                recorded = organizations.transactions(OrgStore(self.db, org.id))
                if recorded:
                    raise ValidationError("currency", f"cannot change once transactions are recorded "
                                                      f"({recorded} so far)")
            if (name, currency) != (org.organization_name, org.currency):
                organizations.set_identity(conn, org.id, name, currency)
            organizations.set_settings(conn, org.id, {**org.settings, **clean}, updated_at=now_text())
            organization_changed(OrgStore(self.db, org.id))
        return self.organization(organization_id)

    @checked
    def scope(self, organization_id: str, actor_id: str | None = None) -> "Scope":
        org = self.organization(organization_id)
        return Scope(self, org, actor_id)

    def watch(self) -> AbstractContextManager[Watch]:
        """``with hera.watch() as seen: ...``: what the changes made inside, in this thread or task,
        wrote (``seen.changes``, typed ``Changes``): a screen refreshes from it."""
        return self.db.watch()

    @checked
    def verify(self, organization_id: str | None = None) -> chain.ChainReport:
        """Every hash chain walked, and every derived value and feed event checked against its records."""
        from .services import books_check

        if organization_id is not None:
            self.organization(organization_id)
        with self.db.read() as conn:
            ids = [organization_id] if organization_id is not None else organizations.ids(conn)
            report = chain.verify(OrgStore(self.db, org_id) for org_id in ids)
            found = [d for org_id in ids for d in books_check.disagreements(OrgStore(self.db, org_id))]
        return report.model_copy(update={"disagreements": found})

    @checked
    def quick_check(self, organization_id: str, links: int = 200) -> chain.ChainReport:
        """The check when the books are opened, in well under a second on big books: the newest ``links``
        links of each chain, and the ledger's cached totals of the newest day and per account."""
        from .services import books_check

        self.organization(organization_id)
        with self.db.read():
            store = OrgStore(self.db, organization_id)
            report = chain.verify_newest(store, links)
            return report.model_copy(update={"disagreements": books_check.newest_day(store)})

    @checked
    def record_check_failure(self, organization_id: str, report: chain.ChainReport) -> str | None:
        """A failed check kept as evidence: in the log, and as a security_event transaction (once for the
        same findings) unless the books are read-only; returns the transaction's id, if one was recorded."""
        from .services.check_failures import record_failure

        return record_failure(self.scope(organization_id), report)

    @checked
    def verify_anchor(self, anchor: str, organization_id: str | None = None) -> chain.AnchorReport:
        """Whether the books still hold the link a Z report printed (its hash, or at least its first 12 hex
        digits) unchanged, with its chain unbroken up to it."""
        if organization_id is not None:
            self.organization(organization_id)
        with self.db.read() as conn:
            ids = [organization_id] if organization_id is not None else organizations.ids(conn)
            return chain.verify_anchor((OrgStore(self.db, org_id) for org_id in ids), anchor)

    def back_up_if_due(self) -> "Backup | None":
        """Today's automatic backup of the books file, unless it was taken already (the window asks every
        hour): the checked ``Backup``, or None when there was nothing to do (or the books are on a server)."""
        from .services.backups import take_if_due

        return take_if_due(self.db)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Hera":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Services:
    """A scope's services as they call each other: the same instances, acting for the same caller,
    without the door of ``public_calls`` (the public call that led here was checked there)."""

    def __init__(self, scope: "Scope") -> None:
        self._scope = scope

    @cached_property
    def universal(self) -> UniversalAPI:
        return UniversalAPI(self._scope.store)

    @cached_property
    def txn(self) -> TxnClient:
        from .services.rules import business_rules

        return TxnClient(self._scope.store, self._scope.organization.currency, business_rules(self))

    @cached_property
    def customers(self) -> "Customers":
        from .services.customers import Customers
        return Customers(self._scope)

    @cached_property
    def customer_directory(self) -> "CustomerDirectory":
        from .services.customer_directory import CustomerDirectory
        return CustomerDirectory(self._scope)

    @cached_property
    def restaurant(self) -> "Restaurant":
        from .services.restaurant import Restaurant
        return Restaurant(self._scope)

    @cached_property
    def order_drafts(self) -> "OrderDrafts":
        from .services.order_drafts import OrderDrafts
        return OrderDrafts(self._scope)

    @cached_property
    def kitchen(self) -> "Kitchen":
        from .services.kitchen import Kitchen
        return Kitchen(self._scope)

    @cached_property
    def journals(self) -> "Journals":
        from .services.journals import Journals
        return Journals(self._scope)

    @cached_property
    def inventory(self) -> "Inventory":
        from .services.inventory import Inventory
        return Inventory(self._scope)

    @cached_property
    def posting(self) -> "Posting":
        from .services.posting import Posting
        return Posting(self._scope)

    @cached_property
    def batch(self) -> "Batch":
        from .services.batch import Batch
        return Batch(self._scope)

    @cached_property
    def reports(self) -> "Reports":
        from .services.reports import Reports
        return Reports(self._scope)

    @cached_property
    def statements(self) -> "Statements":
        from .services.statements import Statements
        return Statements(self._scope)

    @cached_property
    def sales_analysis(self) -> "SalesAnalysis":
        from .services.sales_analysis import SalesAnalysis
        return SalesAnalysis(self._scope)

    @cached_property
    def stock_history(self) -> "StockHistory":
        from .services.stock_history import StockHistory
        return StockHistory(self._scope)

    @cached_property
    def stock_count(self) -> "StockCount":
        from .services.stock_count import StockCount
        return StockCount(self._scope)

    @cached_property
    def cash_drawer(self) -> "CashDrawer":
        from .services.cash_drawer import CashDrawer
        return CashDrawer(self._scope)

    @cached_property
    def org_settings(self) -> "OrgSettings":
        from .services.org_settings import OrgSettings
        return OrgSettings(self._scope)

    @cached_property
    def imports(self) -> "Imports":
        from .services.imports import Imports
        return Imports(self._scope)

    @cached_property
    def users(self) -> "Users":
        from .services.users import Users
        return Users(self._scope)

    @cached_property
    def day_close(self) -> "DayClose":
        from .services.day_close import DayClose
        return DayClose(self._scope)

    @cached_property
    def backups(self) -> "Backups":
        from .services.backup_service import Backups
        return Backups(self._scope)

    @cached_property
    def chart_of_accounts(self) -> "ChartOfAccounts":
        from .services.chart_of_accounts import ChartOfAccounts
        return ChartOfAccounts(self._scope)

    @cached_property
    def journal_drafts(self) -> "JournalDrafts":
        from .services.journal_drafts import JournalDrafts
        return JournalDrafts(self._scope)

    @cached_property
    def journal_list(self) -> "JournalList":
        from .services.journal_list import JournalList
        return JournalList(self._scope)


class Scope:
    """Everything one organization's books offer, acting as one user (or the system, ``actor_id=None``).

    Each service here is behind the door of ``public_calls``: every call is checked against
    ``domain/roles.METHODS`` with the user's role as the books hold it at that moment.
    """
    hera: Hera
    db: Database
    organization_id: str
    store: OrgStore          # the organization's statements, stamped with the actor
    actor_id: str | None     # None: the system, with every permission
    internal: Services       # the same services without the door, for services calling each other

    def __init__(self, hera: Hera, organization: c.Organization, actor_id: str | None) -> None:
        self.hera = hera
        self.db = hera.db
        self._organization = organization
        self._organization_stamp: object = None  # the stamp of the organization's row when it was read
        self.organization_id = organization.id
        self.store = OrgStore(hera.db, organization.id, actor_id)
        self.actor_id = actor_id
        self.internal = Services(self)
        self.role_now()  # only an active user of this organization gets a scope at all

    def role_now(self) -> str | None:
        """The actor's role as the books hold it now (None for the system); refused once they are not an
        active user of this organization any more."""
        return self.standing_now()[0]

    def standing_now(self) -> tuple[str | None, tuple[object, ...]]:
        """The actor's role now (refused as ``role_now`` refuses) and the stamps of the organization's row
        and posting rules, read in one statement: what the door reads at every public call."""
        from .services.users import checked_role

        with self.db.read():
            found = standing(self.store, self.actor_id)
        role = None if self.actor_id is None else checked_role(found)
        return role, (found.organization_stamp, found.rules_stamp)

    @property
    def role(self) -> str | None:
        """The role of the call in progress, else the actor's role now."""
        return caller_of(self).role

    def require(self, permission: str, action: str) -> None:
        caller = caller_of(self)
        if not caller.may(permission):
            raise PermissionDeniedError(f"A {caller.role} may not {action}", permission=permission)

    def allows(self, permission: str) -> bool:
        return caller_of(self).may(permission)

    @property
    def organization(self) -> c.Organization:
        """The organization as the books hold it, checked once per public call (and at every use outside
        one): settings changed in another window, process or server worker apply from the next call on.
        Read again only when the stamp the door read with the caller's role has moved."""
        caller = current_caller()
        if caller is None or caller.door is not self:
            self._organization = self.hera.organization(self.organization_id)
            self._organization_stamp = None
        elif caller.stamps[0] != self._organization_stamp:
            self._organization = self.hera.organization(self.organization_id)
            self._organization_stamp = caller.stamps[0]
        return self._organization

    @property
    def settings(self) -> dict[str, Any]:
        return self.organization.settings

    @cached_property
    def universal(self) -> UniversalAPI:
        return public(self.internal.universal, self, "universal")

    @cached_property
    def txn(self) -> TxnClient:
        return public(self.internal.txn, self, "txn")

    @cached_property
    def customers(self) -> "Customers":
        return public(self.internal.customers, self, "customers")

    @cached_property
    def customer_directory(self) -> "CustomerDirectory":
        return public(self.internal.customer_directory, self, "customer_directory")

    @cached_property
    def restaurant(self) -> "Restaurant":
        return public(self.internal.restaurant, self, "restaurant")

    @cached_property
    def order_drafts(self) -> "OrderDrafts":
        return public(self.internal.order_drafts, self, "order_drafts")

    @cached_property
    def kitchen(self) -> "Kitchen":
        return public(self.internal.kitchen, self, "kitchen")

    @cached_property
    def journals(self) -> "Journals":
        return public(self.internal.journals, self, "journals")

    @cached_property
    def inventory(self) -> "Inventory":
        return public(self.internal.inventory, self, "inventory")

    @cached_property
    def posting(self) -> "Posting":
        return public(self.internal.posting, self, "posting")

    @cached_property
    def batch(self) -> "Batch":
        return public(self.internal.batch, self, "batch")

    @cached_property
    def reports(self) -> "Reports":
        return public(self.internal.reports, self, "reports")

    @cached_property
    def statements(self) -> "Statements":
        return public(self.internal.statements, self, "statements")

    @cached_property
    def sales_analysis(self) -> "SalesAnalysis":
        return public(self.internal.sales_analysis, self, "sales_analysis")

    @cached_property
    def stock_history(self) -> "StockHistory":
        return public(self.internal.stock_history, self, "stock_history")

    @cached_property
    def stock_count(self) -> "StockCount":
        return public(self.internal.stock_count, self, "stock_count")

    @cached_property
    def cash_drawer(self) -> "CashDrawer":
        return public(self.internal.cash_drawer, self, "cash_drawer")

    @cached_property
    def org_settings(self) -> "OrgSettings":
        return public(self.internal.org_settings, self, "org_settings")

    @cached_property
    def imports(self) -> "Imports":
        return public(self.internal.imports, self, "imports")

    @cached_property
    def users(self) -> "Users":
        return public(self.internal.users, self, "users")

    @cached_property
    def day_close(self) -> "DayClose":
        return public(self.internal.day_close, self, "day_close")

    @cached_property
    def backups(self) -> "Backups":
        return public(self.internal.backups, self, "backups")

    @cached_property
    def chart_of_accounts(self) -> "ChartOfAccounts":
        return public(self.internal.chart_of_accounts, self, "chart_of_accounts")

    @cached_property
    def journal_drafts(self) -> "JournalDrafts":
        return public(self.internal.journal_drafts, self, "journal_drafts")

    @cached_property
    def journal_list(self) -> "JournalList":
        return public(self.internal.journal_list, self, "journal_list")


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
