"""The chart of accounts (``s.chart_of_accounts``): GL accounts grouped by type, renamed, retired.

An account that has postings stays open for good: its lines are part of the
ledger, and the trial balance and general ledger must keep showing them under
its name. Only an account nobody has posted to can be deactivated or deleted,
and only if no posting rule of the till still sends amounts to it.

The default chart a new organization starts with gives each account the id of
its number (``default_account_id``), so every terminal that installs it offline
makes the same accounts, which sync merges instead of doubling. A tax rate's own
account is known by the rate's name instead (``tax_account_id``): two terminals that
add different rates offline make two accounts, even where both took the same number.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from ..domain import contracts as c
from ..domain.smart_codes import GL_ACCOUNT_SMART_CODE
from ..domain.contracts.accounts import AccountGroup, AccountRow
from ..domain.errors import ValidationError
from ..domain.ids import natural_id, new_id
from ..domain.money import ZERO
from ..storage.schema import core_entities as E
from ..storage.schema import hera_gl_daily_balances as G
from ..storage.schema import universal_transaction_lines as L
from ..universal.dynamic_fields import FieldValue, write_fields
from ..universal.entities import write_entities

ACCOUNT_TYPES = ("asset", "liability", "equity", "revenue", "expense")
GROUP_LABELS = {"asset": "Assets", "liability": "Liabilities", "equity": "Equity", "revenue": "Revenue",
                "expense": "Expenses"}
DEBIT_NORMAL = {"asset", "expense"}
ACCOUNT_TYPE_SC = "HERA.FINANCE.GL.DYN.TYPE.V1"


def default_account_id(organization_id: str, code: str) -> str:
    """The id of the default chart's account with this number, in every set of books of the organization."""
    return natural_id(organization_id, "gl_account", code)


def tax_account_id(organization_id: str, rate_name: str) -> str:
    """The id of the account a named tax rate owes its tax to, in every set of books of the organization."""
    return natural_id(organization_id, "tax_account", rate_name)


def install_default_chart(scope: Any, accounts: list[dict[str, str]], ids: list[str] | None = None) -> list[c.Entity]:
    """The default chart of accounts ([{code, name, type}]) as the organization's own GL accounts, with
    their account types, in one write; each account's id comes from its number unless ``ids`` are given."""
    st = scope.store
    payloads = [c.parse(c.EntityCreate, entity_type="gl_account", entity_name=a["name"], entity_code=a["code"],
                        smart_code=GL_ACCOUNT_SMART_CODE.format(type=a["type"].upper()), classification=a["type"])
                for a in accounts]
    with scope.db.write():
        created = write_entities(st, payloads, ids=ids or [default_account_id(st.organization_id, a["code"])
                                                           for a in accounts])
        write_fields(st, [FieldValue(e.id, "account_type", a["type"], ACCOUNT_TYPE_SC)
                          for e, a in zip(created, accounts)], new_entities=True)
    return created


TAX_ACCOUNTS = range(2101, 2200)  # the numbers tax rates' own accounts take, after 2100 Sales tax payable


def add_tax_account(scope: Any, rate_name: str, label: str) -> str:
    """The liability account for a named tax rate's tax, made with the id of the rate's name and the first
    free number from 2101 on; returns its number. A rate removed and added again gets its account back
    (made active again if it was deactivated; one deleted meanwhile is replaced by a new one). The caller
    has checked the permission to change the tax rates, which brings their accounts with them."""
    st = scope.store
    account_id = tax_account_id(st.organization_id, rate_name)
    known = st.first(st.select(E, E.c.id == account_id, columns=[E.c.entity_code, E.c.status]))
    if known is not None and known.status != "deleted":
        if known.status != "active":
            scope.internal.universal.update_entity(account_id, status="active")
            scope.internal.posting.forget_accounts()
        return str(known.entity_code)
    if known is not None:  # its account was deleted after the rate was removed: the name's id is spent
        account_id = new_id()
    taken = {r.entity_code for r in st.rows(st.select(E, E.c.entity_type == "gl_account", columns=[E.c.entity_code]))}
    code = next((str(n) for n in TAX_ACCOUNTS if str(n) not in taken), None)
    if code is None:
        raise ValidationError("name", f"every account number from {TAX_ACCOUNTS.start} to {TAX_ACCOUNTS.stop - 1} "
                                      "is taken; a new tax rate needs one of them for its tax")
    install_default_chart(scope, [{"code": code, "name": f"{label} tax payable", "type": "liability"}],
                          ids=[account_id])
    scope.internal.posting.forget_accounts()
    return code


class ChartOfAccounts:
    def __init__(self, scope: Any) -> None:
        self.scope = scope
        self.store = scope.store

    def tree(self) -> list[AccountGroup]:
        """Every account (inactive ones too), by type in the usual order, by number within a type."""
        with self.scope.db.read():
            st = self.store
            rows = st.rows(st.select(E, E.c.entity_type == "gl_account", E.c.status != "deleted",
                                     columns=[E.c.id, E.c.entity_code, E.c.entity_name, E.c.classification,
                                              E.c.status]))
            totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
            currency = self.scope.organization.currency
            for r in st.rows(st.select(G, G.c.currency == currency, columns=[G.c.account_id, G.c.debit, G.c.credit])):
                totals[r.account_id] += r.debit - r.credit
        groups: dict[str, list[AccountRow]] = {t: [] for t in ACCOUNT_TYPES}
        for r in sorted(rows, key=lambda r: r.entity_code):
            kind = r.classification if r.classification in groups else "asset"
            net = totals.get(r.id, ZERO)
            groups[kind].append(AccountRow(
                id=r.id, code=r.entity_code, name=r.entity_name, account_type=kind, active=r.status == "active",
                has_postings=r.id in totals, balance=net if kind in DEBIT_NORMAL else -net))
        return [AccountGroup(account_type=t, label=GROUP_LABELS[t], accounts=accts) for t, accts in groups.items()]

    def add(self, code: str, name: str, account_type: str) -> c.Entity:
        self.scope.require("accounts.manage", "change the chart of accounts")
        if not isinstance(name, str) or not name.strip():
            raise ValidationError("name", "an account needs a name, like Bank account")
        if not isinstance(code, (str, int)) or isinstance(code, bool):
            raise ValidationError("code", "an account needs a number, like 1010")
        with self.scope.db.write():
            st = self.store
            taken = st.first(st.select(E, E.c.entity_type == "gl_account", E.c.entity_code == str(code).strip(),
                                       columns=[E.c.entity_name]))
            if taken is not None:
                raise ValidationError("code", f"account number {str(code).strip()} is already used by "
                                              f"{taken.entity_name}; choose another number")
            return self.scope.internal.journals.add_account(code, name.strip(), account_type)

    def rename(self, account_id: str, name: str) -> c.Entity:
        self.scope.require("accounts.manage", "change the chart of accounts")
        if not isinstance(name, str) or not name.strip():
            raise ValidationError("name", "an account needs a name, like Bank account")
        with self.scope.db.write():
            self._account(account_id)
            return self.scope.internal.universal.update_entity(account_id, entity_name=name.strip())

    def deactivate(self, account_id: str) -> c.Entity:
        """Hide an unused account from new entries; refused while it has postings or a posting rule uses it."""
        self.scope.require("accounts.manage", "change the chart of accounts")
        with self.scope.db.write():
            account = self._account(account_id)
            self._check_unused(account, "deactivated")
            updated = self.scope.internal.universal.update_entity(account_id, status="inactive")
        self.scope.internal.posting.forget_accounts()
        return updated

    def reactivate(self, account_id: str) -> c.Entity:
        self.scope.require("accounts.manage", "change the chart of accounts")
        with self.scope.db.write():
            self._account(account_id)
            updated = self.scope.internal.universal.update_entity(account_id, status="active")
        self.scope.internal.posting.forget_accounts()
        return updated

    def delete(self, account_id: str, reason: str) -> c.Entity:
        self.scope.require("accounts.manage", "change the chart of accounts")
        with self.scope.db.write():
            account = self._account(account_id)
            self._check_unused(account, "deleted")
            deleted = self.scope.internal.universal.delete_entity(account_id, reason)
        self.scope.internal.posting.forget_accounts()
        return deleted

    def postings(self, account_id: str) -> int:
        """How many journal lines were posted to the account."""
        with self.scope.db.read():
            self._account(account_id)
            return self.store.count(L, L.c.entity_id == account_id)

    # ------------------------------------------------------------------ checks

    def _account(self, account_id: str) -> Any:
        row = self.store.get(E, account_id, "gl_account")
        if row.entity_type != "gl_account":
            raise ValidationError("account_id", f"{row.entity_name} is not a GL account")
        if row.status == "deleted":
            raise ValidationError("account_id", f"{row.entity_code} {row.entity_name} has been deleted")
        return row

    def _check_unused(self, account: Any, action: str) -> None:
        label = f"{account.entity_code} {account.entity_name}"
        posted = self.store.count(L, L.c.entity_id == account.id)
        if posted:
            lines = "line" if posted == 1 else "lines"
            raise ValidationError(
                "account_id", f"{label} cannot be {action}: it has {posted:,} posted journal {lines}, and the "
                f"ledger and trial balance must keep showing them under this account. Rename it instead, "
                f"or move its balance with a journal entry and stop using it", postings=posted)
        rules = [name for name, codes in self._rule_accounts().items() if account.entity_code in codes]
        if rules:
            names = ", ".join(f"'{n}'" for n in sorted(rules))
            raise ValidationError(
                "account_id", f"{label} cannot be {action}: the automatic posting rule {names} posts to it, "
                f"so the till could no longer record sales, payments or stock against it")

    def _rule_accounts(self) -> dict[str, set[str]]:
        """{rule name: account codes it posts to}."""
        st = self.store
        names = {r.entity_code: r.entity_name for r in st.rows(st.select(
            E, E.c.entity_type == "posting_rule", E.c.status == "active", columns=[E.c.entity_code, E.c.entity_name]))}
        out: dict[str, set[str]] = {}
        for smart_code, rule in self.scope.internal.posting.rules().items():
            codes: set[str] = set()
            for spec in rule.get("lines", []):
                account = spec.get("account")
                if isinstance(account, str):
                    codes.add(account)
                elif isinstance(account, dict) and "by_line" in account:  # each line's own, or the default
                    codes.add(account.get("default"))
                    codes.update(self._tax_accounts())
                elif isinstance(account, dict):
                    codes.update(v for k, v in account.items() if k != "by" and isinstance(v, str))
            out[names.get(smart_code, smart_code)] = codes
        return out

    def _tax_accounts(self) -> set[str]:
        """The accounts the business's tax rates owe their tax to (a sale's tax lines name them)."""
        return {spec["account"] for spec in (self.scope.settings.get("tax_rates") or {}).values()}
