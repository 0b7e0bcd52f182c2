"""Settings and posting rules changed by another process (a second window on the same books, a server
worker) apply to open scopes from their next call on, not only those changed in this process."""
from __future__ import annotations

from decimal import Decimal

import pytest

import hera_desktop
from flows_factories import books_template, db_path, org  # noqa: F401  (fixtures)
from hera_desktop.demo import create_demo

SALE_RULE = "HERA.RESTAURANT.SALES.ORDER.CORE.V1"


def test_a_tax_rate_changed_in_another_process_applies_to_the_next_order(hera, db_path):
    book = create_demo(hera)
    till = hera.scope(book.organization_id, actor_id=book.users["cashier"])
    espresso = [{"menu_item_id": book.menu["Espresso"]}]
    before = till.restaurant.process_order(items=espresso, payment_method="cash").order_summary
    with hera_desktop.open(db_path) as office:
        office.update_settings(book.organization_id, tax_rate="0.20")
    after = till.restaurant.process_order(items=espresso, payment_method="cash").order_summary
    assert before.subtotal == after.subtotal
    assert after.tax_amount == (after.subtotal * Decimal("0.20")).quantize(Decimal("0.01"))
    assert after.tax_amount != before.tax_amount and till.settings["tax_rate"] == "0.20"


def test_a_posting_rule_changed_in_another_process_posts_the_next_sale(hera, db_path):
    book = create_demo(hera)
    till = hera.scope(book.organization_id, actor_id=book.users["cashier"])
    books = hera.scope(book.organization_id)
    espresso = [{"menu_item_id": book.menu["Espresso"]}]
    till.restaurant.process_order(items=espresso, payment_method="cash")
    rule = books.posting.rules()[SALE_RULE]
    moved = [dict(line, account="3100") if line["account"] == "4000" else line for line in rule["lines"]]
    with hera_desktop.open(db_path) as office:
        office.scope(book.organization_id).posting.set_rule(SALE_RULE, "Restaurant sale", moved)
    sold = till.restaurant.process_order(items=espresso, payment_method="cash")
    journal = books.posting.posting_of(sold.sales_transaction.transaction_id)
    credited = {books.universal.get_entity(line.entity_id).entity_code
                for line in journal.lines if line.dr_cr == "CR"}
    assert "3100" in credited and "4000" not in credited


def test_a_posting_rule_retired_in_another_process_stops_posting(hera, db_path):
    """The rules are kept between calls while their stamp stays; retiring one elsewhere moves it."""
    book = create_demo(hera)
    till = hera.scope(book.organization_id, actor_id=book.users["cashier"])
    books = hera.scope(book.organization_id)
    espresso = [{"menu_item_id": book.menu["Espresso"]}]
    first = till.restaurant.process_order(items=espresso, payment_method="cash")
    assert books.posting.posting_of(first.sales_transaction.transaction_id) is not None
    with hera_desktop.open(db_path) as office:
        elsewhere = office.scope(book.organization_id)
        rule = elsewhere.universal.query_entities(entity_type="posting_rule", entity_code=SALE_RULE).entities[0]
        elsewhere.universal.delete_entity(rule.id, reason="posted by hand from now on")
    sold = till.restaurant.process_order(items=espresso, payment_method="cash")
    assert books.posting.posting_of(sold.sales_transaction.transaction_id) is None


def test_a_user_demoted_in_another_process_loses_the_right_at_the_next_call(hera, db_path):
    book = create_demo(hera)
    manager = hera.scope(book.organization_id, actor_id=book.users["manager"])
    assert manager.reports.trial_balance().balanced  # a manager may read the books
    with hera_desktop.open(db_path) as office:
        office.scope(book.organization_id).users.set_role(book.users["manager"], "cashier")
    with pytest.raises(hera_desktop.PermissionDeniedError, match="cashier may not"):
        manager.reports.trial_balance()
