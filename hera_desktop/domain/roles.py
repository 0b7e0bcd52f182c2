"""Who may do what: the one matrix of roles, permissions and the public methods that need them.

Every public method reachable from a ``Scope`` (``s.restaurant.pay``,
``s.universal.set_dynamic_field``, ``s.restaurant.menu.add_item``) is named in
``METHODS``, as a write or a read, with the permission it needs. The door every
public call passes (``public_calls``) looks the method up here on every call, with
the caller's role as the books hold it at that moment; a method missing from the
matrix is refused to everyone, so a new method cannot slip through without a
decision. Screens use ``allows`` to decide what to offer.
"""
from __future__ import annotations

from typing import NamedTuple

ROLES = ("cashier", "bookkeeper", "manager", "admin")

# Everyone signed in (and the system) has "session": signing in, their own PIN, what day it is.
_CASHIER = {"session", "orders.take", "customers.view", "customers.onboard", "menu.view"}
_BOOKKEEPER = {"session", "customers.view", "menu.view", "universal.read", "journals.view", "journals.post", "journals.reverse",
               "reports.view", "stock.view", "day.view", "accounts.manage"}
# "orders.void": voiding a line the kitchen has without anyone's approval, and approving others' voids.
_MANAGER = {"session", "orders.take", "orders.refund", "orders.price_override", "orders.void", "customers.view",
            "customers.onboard", "customers.manage", "menu.view", "menu.manage", "inventory.adjust", "stock.view",
            "reports.view", "day.view", "day.close", "users.unlock", "users.manage_cashiers", "universal.read",
            "journals.view", "journals.post", "journals.reverse", "batch.run", "settings.manage",
            "books.back_up", "books.restore"}
# "users.manage_cashiers": add, deactivate, reactivate and reset the PIN of cashiers; "users.manage" (admins)
# of anyone, and change roles. The users service checks the target's role inside.
# Raw universal records: those who may read the whole books (journals, reports) may read them raw;
# writing them bypasses every business rule, so only admins (and the system) may.
_ADMIN = _CASHIER | _BOOKKEEPER | _MANAGER | {"users.manage", "universal.write"}

PERMISSIONS: dict[str, frozenset[str]] = {
    "cashier": frozenset(_CASHIER), "bookkeeper": frozenset(_BOOKKEEPER),
    "manager": frozenset(_MANAGER), "admin": frozenset(_ADMIN),
}
ALL = PERMISSIONS["admin"]


class Decision(NamedTuple):
    """What a public method needs: its permission, what it does in words (for the refusal), and whether
    it only reads (``read``) or changes the books."""
    permission: str
    action: str
    read: bool


def _w(permission: str, action: str) -> Decision:
    return Decision(permission, action, False)


def _r(permission: str, action: str) -> Decision:
    return Decision(permission, action, True)


_RAW_WRITE = _w("universal.write", "write raw records")
_RAW_READ = _r("universal.read", "read raw records")
# Called only by the books themselves (the rules inside every transaction, bulk writers given checked
# records): nobody calls them from outside, the system included.
INTERNAL = "internal"
_HOOK = _w(INTERNAL, "call the books' own machinery")
_ACCOUNTS = _w("accounts.manage", "change the chart of accounts")
_JOURNALS = _r("journals.view", "read the journals")
_REPORTS = _r("reports.view", "see reports")
_STOCK = _r("stock.view", "see stock")
_CUSTOMERS = _r("customers.view", "see customers")
_ORDERS = _w("orders.take", "take orders")
_ORDERS_READ = _r("orders.take", "see orders")
_MENU = _r("menu.view", "see the menu")
_SESSION = _r("session", "use the books")

METHODS: dict[str, Decision] = {
    # the raw universal API (HERA V2's six tables)
    **{f"universal.{m}": _RAW_WRITE for m in (
        "create_entity", "update_entity", "delete_entity", "next_number", "set_dynamic_field",
        "set_dynamic_fields", "delete_dynamic_field", "create_relationship", "delete_relationship")},
    **{f"universal.{m}": _RAW_READ for m in (
        "get_entity", "query_entities", "search", "get_dynamic_field", "get_dynamic_fields", "field_values",
        "query_relationships", "get_relationship")},
    "universal.insert_entities": _HOOK,
    **{f"txn.{m}": _RAW_WRITE for m in ("emit", "emit_many", "reverse")},
    **{f"txn.{m}": _RAW_READ for m in ("read", "query", "latest_of")},
    "batch.process": _w("batch.run", "run batch imports"),
    "imports.preview": _r("batch.run", "run batch imports"),  # it shows what the books hold, by email and code
    "imports.run": _w("batch.run", "run batch imports"),
    # customers
    "customers.onboard": _w("customers.onboard", "onboard customers"),
    "customers.onboard_many": _w("customers.onboard", "onboard customers"),
    "customers.transition_status": _w("customers.manage", "change a customer's status"),
    "customers.update_details": _w("customers.manage", "edit customers"),
    "customers.find_or_create_status": _w("customers.manage", "add customer statuses"),
    "customers.settle_account": _w("orders.take", "take payments"),
    "customers.on_recorded": _HOOK,
    **{f"customers.{m}": _CUSTOMERS for m in (
        "allowed_transitions", "balance", "current_status", "history", "search", "statement", "view", "views",
        "views_of")},
    "customer_directory.find": _CUSTOMERS,
    "customer_directory.page": _CUSTOMERS,
    # the till
    "restaurant.process_order": _ORDERS,
    "restaurant.pay": _w("orders.take", "take payments"),
    "restaurant.refund": _w("orders.refund", "refund orders"),
    **{f"restaurant.{m}": _ORDERS_READ for m in (
        "balance_due", "kitchen_tickets", "payments_of", "shortfalls", "sale", "sale_people", "recent_sales")},
    "restaurant.menu.add_item": _w("menu.manage", "change the menu"),
    "restaurant.menu.set_consumption": _w("menu.manage", "change the menu"),
    "restaurant.menu.remove_consumption": _w("menu.manage", "change the menu"),
    "restaurant.menu.update_item": _w("menu.manage", "change the menu"),
    "restaurant.menu.retire_item": _w("menu.manage", "change the menu"),
    "restaurant.menu.price_history": _MENU,
    "restaurant.menu.orderable": _MENU,
    "restaurant.menu.items": _MENU,
    "restaurant.menu.consumption": _MENU,
    **{f"order_drafts.{m}": _w("orders.take", "keep open orders") for m in ("save", "discard", "pay")},
    **{f"order_drafts.{m}": _ORDERS_READ for m in ("list", "load")},
    "kitchen.send": _w("orders.take", "send orders to the kitchen"),
    # a cashier may ask; where the settings say so, a manager's PIN approves (inside, "orders.void")
    "kitchen.void_line": _w("orders.take", "void lines sent to the kitchen"),
    "kitchen.status": _ORDERS_READ,
    "kitchen.statuses": _ORDERS_READ,
    "kitchen.rounds": _ORDERS_READ,  # a paid order's kitchen tickets, for its reprint
    "cash_drawer.no_sale": _w("orders.take", "open the cash drawer"),
    # the day
    "day_close.z_report": _w("day.close", "close the day"),
    "day_close.x_report": _r("day.view", "see the day's takings"),
    "day_close.closing_of": _r("day.view", "see the day's takings"),
    "day_close.today": _SESSION,
    # stock
    "inventory.adjust": _w("inventory.adjust", "adjust stock"),
    "inventory.add_product": _w("inventory.adjust", "add products"),
    # Changing or retiring a product is the stock keeper's, like adding one (menu.manage is the menu's).
    "inventory.update_product": _w("inventory.adjust", "change products"),
    "inventory.retire_product": _w("inventory.adjust", "retire products"),
    "inventory.rebuild": _w("inventory.adjust", "rebuild stock levels"),
    "inventory.issue_for_sale": _HOOK,
    **{f"inventory.{m}": _STOCK for m in ("average_cost", "level", "negative_stock", "products")},
    "inventory.ledger.on_recorded": _HOOK,
    "inventory.ledger.rebuild": _w("inventory.adjust", "rebuild stock levels"),
    **{f"inventory.ledger.{m}": _STOCK for m in (
        "all_levels", "average_cost", "level", "levels", "names", "negative")},
    "stock_count.record": _w("inventory.adjust", "record stock counts"),
    **{f"stock_history.{m}": _STOCK for m in ("locations", "movements", "on_hand")},
    # the books
    "journals.create_entry": _w("journals.post", "post journal entries"),
    "journals.import_entries": _w("journals.post", "post journal entries"),
    "journals.reverse": _w("journals.reverse", "reverse journal entries"),
    "journals.add_account": _ACCOUNTS,
    "journals.accounts": _JOURNALS,
    "journals.account_by_code": _JOURNALS,
    **{f"journal_list.{m}": _JOURNALS for m in ("detail", "entry_with_reference", "order", "page")},
    **{f"journal_drafts.{m}": _w("journals.post", "keep journal drafts") for m in ("save", "clear")},
    "journal_drafts.load": _r("journals.post", "keep journal drafts"),
    **{f"chart_of_accounts.{m}": _ACCOUNTS for m in ("add", "rename", "deactivate", "reactivate", "delete")},
    "chart_of_accounts.tree": _JOURNALS,
    "chart_of_accounts.postings": _JOURNALS,
    "posting.set_rule": _w("accounts.manage", "change the posting rules"),
    "posting.on_recorded": _HOOK,
    "posting.together": _HOOK,
    "posting.forget_accounts": _HOOK,
    "posting.rules": _JOURNALS,
    "posting.posting_of": _JOURNALS,
    **{f"reports.{m}": _REPORTS for m in ("trial_balance", "general_ledger", "stock_valuation", "sales_by_day")},
    **{f"statements.{m}": _REPORTS for m in ("profit_and_loss", "balance_sheet")},
    **{f"sales_analysis.{m}": _REPORTS for m in ("sales_by_hour", "sales_by_item", "sales_by_server")},
    # the business and its people
    "org_settings.update": _w("settings.manage", "change the business settings"),
    "org_settings.check": _r("settings.manage", "change the business settings"),
    "org_settings.locations": _SESSION,
    "org_settings.tax_rules": _SESSION,  # the till prices every ticket by them
    "org_settings.set_tax_rate": _w("settings.manage", "change the tax rates"),
    "org_settings.assign_tax_rate": _w("settings.manage", "change the tax rates"),
    "org_settings.remove_tax_rate": _w("settings.manage", "change the tax rates"),
    "users.create": _w("users.manage_cashiers", "add users"),  # anyone but a cashier needs users.manage (inside)
    "users.set_role": _w("users.manage", "change roles"),
    "users.deactivate": _w("users.manage_cashiers", "deactivate users"),
    "users.reactivate": _w("users.manage_cashiers", "reactivate users"),
    "users.reset_pin": _w("users.manage_cashiers", "reset PINs"),
    "users.unlock": _w("users.unlock", "unlock users"),
    "users.change_own_pin": _w("session", "change their own PIN"),
    "users.change_pin": _w("session", "change a PIN"),  # their own with the current one; else as reset_pin (inside)
    "users.authenticate": _w("session", "sign in"),
    "users.list": _SESSION,
    # backups of the books file (the whole file: every organization in it)
    "backups.back_up": _w("books.back_up", "back up the books"),
    "backups.automatic": _r("books.back_up", "see the backups"),
    "backups.check": _r("books.restore", "restore the books from a backup"),
    "backups.restore": _w("books.restore", "restore the books from a backup"),
    "users.role_of": _SESSION,
}


# The services that hold services callers may reach ("restaurant.menu", "inventory.ledger").
SERVICE_PATHS = frozenset(m.rsplit(".", 1)[0] for m in METHODS if m.count(".") > 1)


def allows(role: str | None, permission: str) -> bool:
    if role is None:  # the system itself (scripts, imports, tests)
        return True
    return permission in PERMISSIONS.get(role, frozenset())


def decision(method: str) -> Decision | None:
    """What ``method`` ("service.method", "restaurant.menu.add_item") needs, or None: not to be called."""
    return METHODS.get(method)
