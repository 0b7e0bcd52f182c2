"""The kitchen: an open order is sent in rounds (each round only what is new), a sent line is taken back only
by a void with a reason (and a manager's PIN where the settings say so), and what was sent is kept in the
books: a restart, another till and the payment all know it."""
from __future__ import annotations

from decimal import Decimal

import pytest

import hera_desktop
from hera_desktop.domain.errors import AuthenticationError, PermissionDeniedError, ValidationError


@pytest.fixture
def menu(s):
    m = s.restaurant.menu
    return {"pizza": m.add_item("Margherita Pizza", "12.50", "Pizza", kitchen_station="PIZZA_STATION").id,
            "wine": m.add_item("House Red Wine", "7.50", "Drinks", kitchen_station="BAR",
                               classification="beverage").id,
            "tiramisu": m.add_item("Tiramisu", "6.00", "Desserts", kitchen_station="PASTRY").id}


@pytest.fixture
def staff(s):
    return {"cashier": s.users.create("Luca", "cashier", "2222").id,
            "other_cashier": s.users.create("Gina", "cashier", "4444").id,
            "manager": s.users.create("Maria", "manager", "111111").id}


@pytest.fixture
def cashier(hera, org, staff):
    return hera.scope(org.id, staff["cashier"])


def line(menu, item, quantity=1, note=""):
    names = {"pizza": "Margherita Pizza", "wine": "House Red Wine", "tiramisu": "Tiramisu"}
    return {"menu_item_id": menu[item], "name": names[item], "quantity": quantity, "special_instructions": note}


def order(menu, *lines, table="5"):
    return {"table_number": table, "lines": list(lines) or [line(menu, "pizza", 2, "no basil"), line(menu, "wine")]}


def shown(tickets):
    """{station: [(quantity, name, note)]} as the kitchen reads its tickets."""
    return {t.station: [(f"{ln.quantity.normalize():f}", ln.name, ln.note) for ln in t.lines] for t in tickets}


def test_a_second_round_sends_only_the_lines_added_since_the_first(menu, cashier):
    draft = cashier.order_drafts.save(order(menu))

    first = cashier.kitchen.send(draft.id)
    more = order(menu, line(menu, "pizza", 2, "no basil"), line(menu, "wine", 2), line(menu, "tiramisu"))
    cashier.order_drafts.save(more, draft.id)
    second = cashier.kitchen.send(draft.id)
    third = cashier.kitchen.send(draft.id)

    assert first.round == 1 and shown(first.tickets) == {
        "PIZZA_STATION": [("2", "Margherita Pizza", "no basil")], "BAR": [("1", "House Red Wine", "")]}
    assert second.round == 2 and shown(second.tickets) == {
        "BAR": [("1", "House Red Wine", "")], "PASTRY": [("1", "Tiramisu", "")]}
    assert {t.order for t in second.tickets} == {"Table 5"}
    assert third.tickets == [] and third.round is None  # nothing new: nothing recorded, nothing printed
    status = cashier.kitchen.status(draft.id)
    assert (status.rounds, status.waiting) == (2, 0)


def test_what_was_sent_survives_a_restart_and_is_seen_by_another_till(hera, org, menu, cashier, staff, db_path):
    draft = cashier.order_drafts.save(order(menu))
    cashier.kitchen.send(draft.id)
    hera.close()

    with hera_desktop.open(db_path) as other_till:
        gina = other_till.scope(org.id, staff["other_cashier"])
        kept = gina.order_drafts.load(draft.id).ticket
        gina.order_drafts.save({**kept.model_dump(), "lines": [*kept.model_dump()["lines"], line(menu, "tiramisu")]},
                               draft.id)
        status = gina.kitchen.status(draft.id)
        again = gina.kitchen.send(draft.id)

    assert [(s.sent, s.waiting) for s in status.lines] == [(2, 0), (1, 0), (0, 1)]
    assert status.rounds == 1 and status.waiting == 1 and status.last_sent_at
    assert again.round == 2 and shown(again.tickets) == {"PASTRY": [("1", "Tiramisu", "")]}


def test_a_sent_line_cannot_be_dropped_by_saving_paying_or_cancelling(menu, cashier):
    draft = cashier.order_drafts.save(order(menu))
    cashier.kitchen.send(draft.id)
    without_wine = order(menu, line(menu, "pizza", 2, "no basil"))

    with pytest.raises(ValidationError, match="House Red Wine went to the kitchen") as saved:
        cashier.order_drafts.save(without_wine, draft.id)
    with pytest.raises(ValidationError, match="void the line"):
        cashier.order_drafts.pay(without_wine, [{"method": "cash", "tendered": "100"}], draft_id=draft.id)
    with pytest.raises(ValidationError, match="Margherita Pizza \\(no basil\\) went to the kitchen"):
        cashier.order_drafts.discard(draft.id, "cancelled")

    assert saved.value.field == "lines"
    assert [ln.name for ln in cashier.order_drafts.load(draft.id).ticket.lines] == [
        "Margherita Pizza", "House Red Wine"]


def test_a_void_needs_a_reason_and_a_managers_pin(menu, cashier, staff):
    draft = cashier.order_drafts.save(order(menu))
    cashier.kitchen.send(draft.id)

    with pytest.raises(ValidationError) as no_reason:
        cashier.kitchen.void_line(draft.id, 1, "  ", approved_by=staff["manager"], pin="111111")
    with pytest.raises(ValidationError) as no_manager:
        cashier.kitchen.void_line(draft.id, 1, "guest changed their mind")
    with pytest.raises(AuthenticationError):
        cashier.kitchen.void_line(draft.id, 1, "guest changed their mind", approved_by=staff["manager"], pin="999999")
    with pytest.raises(PermissionDeniedError, match="Gina may not approve voids"):
        cashier.kitchen.void_line(draft.id, 1, "guest changed their mind", approved_by=staff["other_cashier"],
                                  pin="4444")
    assert cashier.kitchen.status(draft.id).lines[1].sent == 1  # nothing was voided by the refused tries

    void = cashier.kitchen.void_line(draft.id, 1, "guest changed their mind", approved_by=staff["manager"],
                                     pin="111111")

    assert (no_reason.value.field, no_manager.value.field) == ("reason", "approved_by")
    assert void.void and void.station == "BAR" and void.reason == "guest changed their mind"
    assert shown([void]) == {"BAR": [("1", "House Red Wine", "")]}
    assert [ln.name for ln in cashier.order_drafts.load(draft.id).ticket.lines] == ["Margherita Pizza"]
    books = cashier.hera.scope(cashier.organization_id)
    recorded = books.txn.query(transaction_type="kitchen_void").transactions
    assert [(t.business_context["reason"], t.business_context["approved_by"], t.created_by) for t in recorded] == [
        ("guest changed their mind", staff["manager"], staff["cashier"])]


def test_a_cashier_cannot_approve_their_own_void(menu, cashier, staff):
    draft = cashier.order_drafts.save(order(menu))
    cashier.kitchen.send(draft.id)

    with pytest.raises(PermissionDeniedError, match="approve their own void"):
        cashier.kitchen.void_line(draft.id, 0, "burnt", approved_by=staff["cashier"], pin="2222")

    assert cashier.kitchen.status(draft.id).lines[0].sent == 2


def test_a_manager_voids_without_approval_and_an_unsent_line_is_not_voided(hera, org, menu, cashier, staff):
    draft = cashier.order_drafts.save(order(menu))
    cashier.kitchen.send(draft.id)
    cashier.order_drafts.save(order(menu, line(menu, "pizza", 2, "no basil"), line(menu, "wine"),
                                    line(menu, "tiramisu")), draft.id)
    manager = hera.scope(org.id, staff["manager"])

    with pytest.raises(ValidationError, match="Tiramisu was not sent to the kitchen"):
        manager.kitchen.void_line(draft.id, 2, "not wanted")
    void = manager.kitchen.void_line(draft.id, 0, "dropped on the floor")

    assert shown([void]) == {"PIZZA_STATION": [("2", "Margherita Pizza", "no basil")]}
    assert [ln.name for ln in manager.order_drafts.load(draft.id).ticket.lines] == ["House Red Wine", "Tiramisu"]


def test_without_the_setting_a_cashier_voids_with_a_reason_alone(s, menu, cashier):
    s.org_settings.update(void_needs_manager=False)
    draft = cashier.order_drafts.save(order(menu))
    cashier.kitchen.send(draft.id)

    void = cashier.kitchen.void_line(draft.id, 1, "wrong wine")

    assert void.void and [ln.name for ln in cashier.order_drafts.load(draft.id).ticket.lines] == ["Margherita Pizza"]


def test_paying_a_sent_order_prints_only_the_lines_never_sent(menu, cashier):
    draft = cashier.order_drafts.save(order(menu))
    cashier.kitchen.send(draft.id)
    ticket = cashier.order_drafts.save(order(menu, line(menu, "pizza", 3, "no basil"), line(menu, "wine"),
                                             line(menu, "tiramisu")), draft.id).ticket

    paid = cashier.order_drafts.pay(ticket, [{"method": "cash", "tendered": "100"}], draft_id=draft.id)

    tickets = cashier.restaurant.kitchen_tickets(paid.sales_transaction.transaction_id)
    assert {station: [(f"{ln.quantity.normalize():f}", ln.description) for ln in lines]
            for station, lines in tickets.items()} == {
        "PIZZA_STATION": [("1", "Margherita Pizza")], "PASTRY": [("1", "Tiramisu")]}
    assert paid.order_summary.total_amount == Decimal("53.55")  # 37.50 + 7.50 + 6.00 and 5% tax: all of it charged
    assert cashier.kitchen.statuses() == {}  # a paid order leaves the open orders


def test_voiding_the_last_line_cancels_the_order(hera, org, menu, cashier, staff):
    draft = cashier.order_drafts.save(order(menu, line(menu, "wine")))
    cashier.kitchen.send(draft.id)

    cashier.kitchen.void_line(draft.id, 0, "guest left", approved_by=staff["manager"], pin="111111")

    assert cashier.order_drafts.list() == []
    books = hera.scope(org.id)
    assert books.universal.get_entity(draft.id).metadata["deleted_reason"] == "cancelled"


def test_a_paid_order_keeps_every_round_and_void_the_kitchen_had_for_its_reprint(menu, cashier, staff):
    draft = cashier.order_drafts.save({**order(menu), "server_id": staff["cashier"]})
    first = cashier.kitchen.send(draft.id)
    cashier.order_drafts.save({**order(menu, line(menu, "pizza", 2, "no basil"), line(menu, "wine"),
                                      line(menu, "tiramisu")), "server_id": staff["cashier"]}, draft.id)
    second = cashier.kitchen.send(draft.id)
    cashier.kitchen.void_line(draft.id, 2, "guest is full", approved_by=staff["manager"], pin="111111")
    ticket = cashier.order_drafts.load(draft.id).ticket
    paid = cashier.order_drafts.pay(ticket, [{"method": "card"}], draft_id=draft.id)

    rounds = cashier.kitchen.rounds(paid.sales_transaction.transaction_id)

    assert [(t.station, t.round, t.void) for t in rounds] == [
        ("PIZZA_STATION", 1, False), ("BAR", 1, False), ("PASTRY", 2, False), ("PASTRY", None, True)]
    assert shown(rounds[:2]) == shown(first.tickets) and shown(rounds[2:3]) == shown(second.tickets)
    assert rounds[3].reason == "guest is full" and shown(rounds[3:]) == {"PASTRY": [("1", "Tiramisu", "")]}
    assert all(t.reprint and t.order == "Table 5" and t.server == "Luca" for t in rounds)
    assert {t.code for t in rounds} == {first.tickets[0].code}  # the code the kitchen was given


def test_a_sale_never_sent_to_the_kitchen_has_no_rounds(menu, cashier):
    paid = cashier.order_drafts.pay(order(menu), [{"method": "card"}])

    assert cashier.kitchen.rounds(paid.sales_transaction.transaction_id) == []
