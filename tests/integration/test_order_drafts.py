"""Open orders: a table's ticket kept in the books until it is paid or cancelled, across restarts."""
from __future__ import annotations

from decimal import Decimal

import pytest

import hera_desktop
from hera_desktop import HeraError
from hera_desktop.domain.errors import (CreditLimitExceededError, NotFoundError, PermissionDeniedError,
                                        ValidationError)


@pytest.fixture
def menu(s):
    m = s.restaurant.menu
    return {"pizza": m.add_item("Margherita Pizza", "12.50", "Pizza").id,
            "wine": m.add_item("House Red Wine", "7.50", "Drinks", classification="beverage").id}


@pytest.fixture
def cashier(hera, org, s):
    user = s.users.create("Luca", "cashier", "2222")
    return hera.scope(org.id, user.id)


def ticket(menu, table="5", **extra):
    return {"table_number": table,
            "lines": [{"menu_item_id": menu["pizza"], "name": "Margherita Pizza", "quantity": 2,
                       "unit_price": "12.50", "special_instructions": "no basil"},
                      {"menu_item_id": menu["wine"], "name": "House Red Wine", "quantity": 1, "unit_price": "7.50"}],
            **extra}


def books(scope):
    """The same books read by the system: a cashier reads no raw records."""
    return scope.hera.scope(scope.organization_id)


def sales(scope):
    """The sales in the books (read by the system: a cashier does not read raw transactions)."""
    return books(scope).txn.query(transaction_type="sale").transactions


def test_an_open_order_survives_closing_and_reopening_the_books(hera, org, menu, cashier, db_path):
    saved = cashier.order_drafts.save(ticket(menu))
    hera.close()

    with hera_desktop.open(db_path) as reopened:
        drafts = reopened.scope(org.id).order_drafts.list()

    assert [d.entity_name for d in drafts] == ["Table 5"]
    kept = drafts[0].ticket
    assert [(ln.name, ln.quantity, ln.special_instructions) for ln in kept.lines] == [
        ("Margherita Pizza", Decimal("2"), "no basil"), ("House Red Wine", Decimal("1"), "")]
    assert kept.idempotency_key == saved.ticket.idempotency_key
    assert drafts[0].created_by == cashier.actor_id


def test_saving_again_updates_the_same_open_order(menu, cashier):
    first = cashier.order_drafts.save(ticket(menu))
    cashier.order_drafts.save({**first.ticket.model_dump(), "table_number": "7"}, draft_id=first.id)

    drafts = cashier.order_drafts.list()
    assert [(d.id, d.entity_name) for d in drafts] == [(first.id, "Table 7")]
    assert drafts[0].ticket.idempotency_key == first.ticket.idempotency_key


def test_open_orders_are_listed_by_table_with_counter_orders_last(menu, cashier):
    for table in ("10", None, "2", "5"):
        cashier.order_drafts.save(ticket(menu, table))

    assert [d.entity_name for d in cashier.order_drafts.list()] == ["Table 2", "Table 5", "Table 10", "Counter order"]


def test_paying_an_open_order_records_one_sale_and_closes_the_draft(menu, cashier):
    draft = cashier.order_drafts.save(ticket(menu))

    paid = cashier.order_drafts.pay(draft.ticket, [{"method": "cash", "tendered": "50"}], draft_id=draft.id)
    again = cashier.order_drafts.pay(draft.ticket, [{"method": "cash", "tendered": "50"}], draft_id=draft.id)

    assert paid.order_summary.total_amount == Decimal("34.13")  # 32.50 + 5% tax (1.625 rounds half-up)
    assert paid.order_summary.change_due == Decimal("15.87")
    assert again.replayed and again.sales_transaction.transaction_id == paid.sales_transaction.transaction_id
    assert len(sales(cashier)) == 1
    assert cashier.order_drafts.list() == []
    closed = books(cashier).universal.get_entity(draft.id)
    assert (closed.status, closed.metadata["deleted_reason"]) == ("deleted", "paid")
    sale = cashier.restaurant.sale(paid.sales_transaction.transaction_id)
    assert sale.business_context["table_number"] == 5
    assert sale.idempotency_key == draft.ticket.idempotency_key


def test_a_refused_payment_writes_nothing_and_keeps_the_open_order(s, menu, cashier):
    carlo = s.customers.onboard(name="Carlo Rossi", credit_limit="20").customer
    draft = cashier.order_drafts.save(ticket(menu, customer_id=carlo.id, customer_name="Carlo Rossi"))

    with pytest.raises(CreditLimitExceededError) as refused:
        cashier.order_drafts.pay(draft.ticket, [{"method": "on_account"}], draft_id=draft.id)

    assert (refused.value.amount, refused.value.credit_limit) == (Decimal("34.13"), Decimal("20"))
    assert sales(cashier) == []
    assert [d.id for d in cashier.order_drafts.list()] == [draft.id]


def test_cancelling_keeps_the_record_with_the_reason(menu, cashier):
    draft = cashier.order_drafts.save(ticket(menu))

    cashier.order_drafts.discard(draft.id, "cancelled")

    assert cashier.order_drafts.list() == []
    assert books(cashier).universal.get_entity(draft.id).metadata["deleted_reason"] == "cancelled"
    with pytest.raises(ValidationError, match="already cancelled"):
        cashier.order_drafts.load(draft.id)


@pytest.mark.parametrize("change, field", [
    ({"lines": []}, "lines"),
    ({"lines": [{"menu_item_id": "x", "quantity": 0}]}, "lines.0.quantity"),
    ({"lines": [{"menu_item_id": "x", "quantity": "two"}]}, "lines.0.quantity"),
    ({"table_number": "T" * 41}, "table_number"),
])
def test_a_malformed_ticket_is_refused_naming_the_field(menu, cashier, change, field):
    with pytest.raises(ValidationError) as refused:
        cashier.order_drafts.save({**ticket(menu), **change})
    assert refused.value.field == field


def test_only_a_draft_can_be_discarded_and_only_as_paid_or_cancelled(menu, cashier):
    draft = cashier.order_drafts.save(ticket(menu))
    with pytest.raises(ValidationError, match="paid, cancelled"):
        cashier.order_drafts.discard(draft.id, "lost")
    with pytest.raises(NotFoundError):
        cashier.order_drafts.discard(menu["pizza"], "cancelled")
    assert books(cashier).universal.get_entity(menu["pizza"]).status == "active"


def test_a_bookkeeper_may_not_keep_open_orders(hera, org, s, menu):
    sofia = hera.scope(org.id, s.users.create("Sofia", "bookkeeper", "3333").id)
    with pytest.raises(PermissionDeniedError):
        sofia.order_drafts.save(ticket(menu))


def test_another_organizations_open_orders_are_invisible(hera, menu, cashier):
    other = hera.scope(hera.create_organization("Other Bistro").id)
    draft = cashier.order_drafts.save(ticket(menu))

    assert other.order_drafts.list() == []
    with pytest.raises(HeraError):
        other.order_drafts.load(draft.id)
