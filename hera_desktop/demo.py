"""A demo restaurant: a menu, stock at two locations, customers and staff, and the guide's flows run on it."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from .domain.ids import new_id
from .domain.money import fmt

if TYPE_CHECKING:
    from .app import Hera

DEMO_NAME = "Mario's Trattoria (demo)"

MENU = [  # name, price, category, station (None = the guide's rule decides), classification
    ("Margherita Pizza", "12.50", "Pizza", None, None),
    ("Quattro Formaggi Pizza", "14.90", "Pizza", None, None),
    ("Spaghetti Carbonara Pasta", "13.80", "Pasta", None, None),
    ("Penne Arrabbiata Pasta", "11.40", "Pasta", None, None),
    ("Caesar Salad", "9.20", "Starters", "COLD_KITCHEN", None),
    ("Bruschetta", "6.50", "Starters", "COLD_KITCHEN", None),
    ("Tiramisu", "7.00", "Desserts", "COLD_KITCHEN", None),
    ("House Red Wine", "7.50", "Drinks", None, "beverage"),
    ("Sparkling Water", "3.00", "Drinks", None, "beverage"),
    ("Espresso", "2.80", "Drinks", None, "beverage"),
]
PRODUCTS = [  # name, reorder level, receipts at (warehouse qty, cost), (store qty, cost)
    ("Pizza dough ball", "40", ("200", "0.45"), ("60", "0.50")),
    ("Mozzarella (kg)", "10", ("50", "8.20"), ("15", "8.60")),
    ("Spaghetti (kg)", "10", ("40", "2.10"), ("10", "2.30")),
    ("House red wine (bottle)", "12", ("60", "6.40"), ("24", "6.40")),
]
CONSUMES = [("Margherita Pizza", "Pizza dough ball", "1"), ("Margherita Pizza", "Mozzarella (kg)", "0.125"),
            ("Quattro Formaggi Pizza", "Pizza dough ball", "1"), ("Quattro Formaggi Pizza", "Mozzarella (kg)", "0.2"),
            ("Spaghetti Carbonara Pasta", "Spaghetti (kg)", "0.15"), ("House Red Wine", "House red wine (bottle)", "0.2")]
CUSTOMERS = [("Acme Corporation", "accounts@acme.example", "+1 555 0100", "500", "NET30"),
             ("Bella Events Ltd", "hello@bella-events.example", "+1 555 0142", "1500", "NET15"),
             ("Carlo Rossi", "carlo.rossi@example.com", "+1 555 0177", "100", "COD")]
STAFF = [("Maria Bianchi", "manager", "111111"), ("Luca Conti", "cashier", "2222"),
         ("Sofia Greco", "bookkeeper", "3333"), ("Admin", "admin", "999999")]


@dataclass
class DemoBook:
    organization_id: str
    menu: dict[str, str] = field(default_factory=dict)
    products: dict[str, str] = field(default_factory=dict)
    locations: dict[str, str] = field(default_factory=dict)
    customers: dict[str, str] = field(default_factory=dict)
    users: dict[str, str] = field(default_factory=dict)


def find_demo(hera: Hera) -> str | None:
    for org in hera.list_organizations():
        if org.organization_name == DEMO_NAME:
            return org.id
    return None


def create_demo(hera: Hera) -> DemoBook:
    """A new demo organization with everything a till and a back office need."""
    org = hera.create_organization(DEMO_NAME, currency="USD")
    s = hera.scope(org.id)
    book = DemoBook(org.id)
    with hera.db.write():
        for name in ("Main warehouse", "Store front"):
            book.locations[name] = s.universal.create_entity(
                entity_type="location", entity_name=name, smart_code="HERA.INVENTORY.LOCATION.ENT.V1").id
        for name, price, category, station, classification in MENU:
            book.menu[name] = s.restaurant.menu.add_item(name, price, category, station, classification).id
        for name, reorder, (wq, wc), (sq, sc) in PRODUCTS:
            pid = s.universal.create_entity(entity_type="product", entity_name=name,
                                            smart_code="HERA.INVENTORY.PRODUCT.ENT.V1").id
            book.products[name] = pid
            s.universal.set_dynamic_field(pid, "reorder_level", Decimal(reorder), "HERA.INVENTORY.PRODUCT.DYN.REORDER.V1")
            s.inventory.adjust(product_id=pid, adjustment_type="receipt", quantity=wq, unit_cost=wc,
                               reason="Opening stock", reference="PO-DEMO-001",
                               location_id=book.locations["Main warehouse"])
            s.inventory.adjust(product_id=pid, adjustment_type="receipt", quantity=sq, unit_cost=sc,
                               reason="Opening stock", reference="PO-DEMO-002",
                               location_id=book.locations["Store front"])
        for item, product, qty in CONSUMES:
            s.restaurant.menu.set_consumption(book.menu[item], book.products[product], qty)
        for name, email, phone, limit, terms in CUSTOMERS:
            book.customers[name] = s.customers.onboard(name=name, email=email, phone=phone, credit_limit=limit,
                                                       payment_terms=terms).customer.id
        for name, role, pin in STAFF:
            book.users[role] = s.users.create(name, role, pin).id
        s.journals.create_entry(reference="OPENING-CASH", description="Opening cash float from the owner",
                                lines=[{"gl_account_id": s.journals.account_by_code("1000").id, "amount": "500.00",
                                        "dr_cr": "DR", "description": "Cash float"},
                                       {"gl_account_id": s.journals.account_by_code("3000").id, "amount": "500.00",
                                        "dr_cr": "CR", "description": "Owner's contribution"}])
    hera.update_settings(org.id, till_location_id=book.locations["Store front"])
    return book


def load_demo(hera: Hera, organization_id: str) -> DemoBook:
    s = hera.scope(organization_id)
    book = DemoBook(organization_id)
    uni = s.universal
    for kind, target in (("location", book.locations), ("menu_item", book.menu), ("product", book.products),
                         ("customer", book.customers)):
        for e in uni.query_entities(entity_type=kind, limit=1000).entities:
            target[e.entity_name] = e.id
    for u in s.users.list():
        book.users.setdefault(u["role"], u["id"])
    return book


def run_guide_flows(hera: Hera, book: DemoBook) -> list[str]:
    """The usage guide's flows on the demo books; returns what happened, one line each."""
    s = hera.scope(book.organization_id)
    m, cu = book.menu, book.customers
    log = []
    order = s.restaurant.process_order(
        customer_id=cu["Acme Corporation"], table_number=12, server_id=book.users.get("cashier"),
        items=[{"menu_item_id": m["Margherita Pizza"], "quantity": 2},
               {"menu_item_id": m["Spaghetti Carbonara Pasta"], "quantity": 1, "special_instructions": "no pepper"},
               {"menu_item_id": m["House Red Wine"], "quantity": 2}],
        payment_method="card")
    log.append(f"Order {order.sales_transaction.transaction_code}: table 12, total "
               f"{fmt(order.order_summary.total_amount, 'USD')} paid by card")
    order = s.restaurant.process_order(
        table_number=4, items=[{"menu_item_id": m["Quattro Formaggi Pizza"], "quantity": 1},
                               {"menu_item_id": m["Sparkling Water"], "quantity": 2}],
        payments=[{"method": "cash", "tendered": "30"}])
    log.append(f"Order {order.sales_transaction.transaction_code}: table 4, total "
               f"{fmt(order.order_summary.total_amount, 'USD')}, cash 30.00, change "
               f"{fmt(order.order_summary.change_due, 'USD')}")
    order = s.restaurant.process_order(
        customer_id=cu["Bella Events Ltd"], table_number=1,
        items=[{"menu_item_id": m["Bruschetta"], "quantity": 6}, {"menu_item_id": m["Tiramisu"], "quantity": 6}],
        payments=[{"method": "on_account"}])
    log.append(f"Order {order.sales_transaction.transaction_code}: Bella Events on account, "
               f"{fmt(order.order_summary.total_amount, 'USD')}")
    cash, supplies = s.journals.account_by_code("1000"), s.journals.account_by_code("6000")
    entry = s.journals.create_entry(reference=f"EXP-{new_id()[-8:].upper()}", description="Office supplies expense payment",
                                    lines=[{"gl_account_id": supplies.id, "amount": "45.90", "dr_cr": "DR",
                                            "description": "Office supplies expense", "reference": "Invoice-12345"},
                                           {"gl_account_id": cash.id, "amount": "45.90", "dr_cr": "CR",
                                            "description": "Cash payment"}])
    log.append(f"Journal {entry.journal_entry.transaction_code}: office supplies 45.90, balanced")
    carlo = cu["Carlo Rossi"]
    s.customers.transition_status(carlo, "suspended", "Payment overdue")
    s.customers.transition_status(carlo, "active", "Paid in full")
    log.append("Carlo Rossi: active → suspended → active (audit trail kept)")
    dough = book.products["Pizza dough ball"]
    s.inventory.adjust(product_id=dough, adjustment_type="transfer", quantity=40, reason="Restock the store front",
                       location_id=book.locations["Main warehouse"], to_location_id=book.locations["Store front"])
    log.append("Transferred 40 pizza dough balls from the warehouse to the store front")
    return log


def summary(hera: Hera, organization_id: str) -> str:
    s = hera.scope(organization_id)
    lines = [f"== {s.organization.organization_name} ==", "", "Sales by day"]
    for d in s.reports.sales_by_day():
        lines.append(f"  {d.day}  {d.orders:3d} orders  subtotal {fmt(d.subtotal):>10}  tax {fmt(d.tax):>8}  "
                     f"total {fmt(d.total):>10}")
    lines += ["", "Stock on hand"]
    stock = s.reports.stock_valuation()
    for r in stock.rows:
        low = "  LOW" if r.reorder_level is not None and r.quantity <= r.reorder_level else ""
        lines.append(f"  {r.product_name:<26} {r.location_name:<16} {r.quantity:>9} @ {fmt(r.average_cost):>7} "
                     f"= {fmt(r.value):>9}{low}")
    for loc, value in sorted(stock.value_by_location.items()):
        lines.append(f"  {'Value at ' + loc:<44} {fmt(value, 'USD'):>20}")
    tb = s.reports.trial_balance()
    lines += ["", "Trial balance", f"  {'Account':<36} {'Debit':>12} {'Credit':>12}"]
    for account in tb.rows:
        if account.balance:
            lines.append(f"  {account.account_code} {account.account_name:<31} "
                         f"{fmt(account.debit) if account.debit else '':>12} "
                         f"{fmt(account.credit) if account.credit else '':>12}")
    lines.append(f"  {'Total':<36} {fmt(tb.total_debits):>12} {fmt(tb.total_credits):>12}"
                 f"  {'balanced' if tb.balanced else 'NOT BALANCED'}")
    return "\n".join(lines)
