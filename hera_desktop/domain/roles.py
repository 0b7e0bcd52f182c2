"""Who may do what. Services check these; screens use them to decide what to offer."""
from __future__ import annotations

ROLES = ("cashier", "bookkeeper", "manager", "admin")

PERMISSIONS: dict[str, frozenset[str]] = {
    "cashier": frozenset({"orders.take", "customers.view", "customers.onboard"}),
    "bookkeeper": frozenset({"customers.view", "journals.post", "journals.reverse", "reports.view",
                             "accounts.manage"}),
    "manager": frozenset({"orders.take", "orders.refund", "orders.price_override", "customers.view",
                          "customers.onboard", "customers.manage", "menu.manage", "inventory.adjust", "reports.view",
                          "day.close", "users.unlock", "journals.post", "journals.reverse", "batch.run",
                          "settings.manage"}),
}
PERMISSIONS["admin"] = frozenset().union(*PERMISSIONS.values(), {"users.manage", "settings.manage", "accounts.manage",
                                                                   "universal.write"})

# Raw universal writes (entities, transactions) bypass business rules, so only admins and the system get them.
ALL = PERMISSIONS["admin"]


def allows(role: str | None, permission: str) -> bool:
    if role is None:  # the system itself (scripts, imports, tests)
        return True
    return permission in PERMISSIONS.get(role, frozenset())
