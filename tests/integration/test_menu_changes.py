"""Changing the menu as a restaurant does: rename, reprice, recategorize, 86 an item for the day, retire it.

A new price applies to new tickets while past sales and their receipts keep theirs; every price an item
is given is kept with who gave it and when; a sold-out or retired item is refused at the till by name.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from hera_desktop.domain.errors import NotFoundError, PermissionDeniedError, ValidationError
from hera_desktop.universal import feed


@pytest.fixture
def pizza(s):
    return s.restaurant.menu.add_item("Margherita", "12.50", "Pizza", kitchen_station="pizza_station")


def manager(hera, org, s, role="manager", name="Marta", pin="444444"):
    return hera.scope(org.id, s.users.create(name, role, pin).id)


def order(s, item_id, **extra):
    return s.restaurant.process_order(items=[{"menu_item_id": item_id, "quantity": 1}], **extra)


def events(hera, s):
    with hera.db.read():
        return feed.events(s.store)


def test_update_item_changes_only_what_is_given(s, pizza):
    menu = s.restaurant.menu
    changed = menu.update_item(pizza.id, name="Margherita DOP", category="Pizzas", kitchen_station="hot_kitchen",
                               classification="food")
    assert (changed.entity_name, changed.category, changed.kitchen_station, changed.classification, changed.price) \
        == ("Margherita DOP", "Pizzas", "HOT_KITCHEN", "food", Decimal("12.50"))
    assert menu.items()[pizza.id] == changed
    assert menu.update_item(pizza.id, price="13.00").entity_name == "Margherita DOP"


@pytest.mark.parametrize("given, field, message", [
    ({"price": "-1"}, "price", "cannot be negative"),
    ({"price": "12.505"}, "price", "more decimals than USD allows"),
    ({"price": "twelve"}, "price", ""),
    ({"name": "  "}, "name", "needs a name"),
    ({"category": ""}, "category", "needs a category"),
    ({"kitchen_station": 5}, "kitchen_station", "needs a kitchen station"),
    ({"available": "no"}, "available", "true or false"),
])
def test_bad_changes_are_refused_naming_the_field_and_nothing_changes(hera, s, pizza, given, field, message):
    before = len(events(hera, s))
    with pytest.raises(ValidationError) as err:
        s.restaurant.menu.update_item(pizza.id, **{"name": "Renamed", **given})
    assert err.value.field == field and message in str(err.value)
    assert s.restaurant.menu.items()[pizza.id] == pizza and len(events(hera, s)) == before


def test_an_unknown_item_or_a_product_is_refused(s):
    flour = s.inventory.add_product("Flour")
    with pytest.raises(NotFoundError, match="item_id"):
        s.restaurant.menu.update_item("00000000-0000-4000-8000-000000000000", price="1")
    with pytest.raises(ValidationError, match="item_id: is not a menu item"):
        s.restaurant.menu.update_item(flour.id, price="1")
    with pytest.raises(ValidationError, match="item_id: is not a menu item"):
        s.restaurant.menu.price_history(flour.id)


def test_a_new_price_applies_to_new_tickets_and_old_sales_keep_theirs(s, pizza):
    old = order(s, pizza.id)
    s.restaurant.menu.update_item(pizza.id, price="14.00")
    new = order(s, pizza.id)
    old_price, new_price = ([ln.unit_price for ln in s.restaurant.sale(sale.sales_transaction.transaction_id).lines
                             if ln.line_type == "ITEM"] for sale in (old, new))
    assert old_price == [Decimal("12.50")] and new_price == [Decimal("14.00")]
    assert old.order_summary.subtotal == Decimal("12.50") and new.order_summary.subtotal == Decimal("14.00")


def test_price_history_keeps_each_price_with_who_and_when_newest_first(hera, org, s, pizza):
    marta = manager(hera, org, s)
    marta.restaurant.menu.update_item(pizza.id, price="13.00")
    marta.restaurant.menu.update_item(pizza.id, price="13.00", name="Margherita DOP")  # the same price: no change
    marta.restaurant.menu.update_item(pizza.id, price="11.00")
    history = s.restaurant.menu.price_history(pizza.id)
    assert [(h.price, h.previous_price, h.changed_by_name) for h in history] == [
        (Decimal("11.00"), Decimal("13.00"), "Marta"), (Decimal("13.00"), Decimal("12.50"), "Marta"),
        (Decimal("12.50"), None, None)]
    assert history[0].changed_at >= history[1].changed_at >= history[2].changed_at
    assert history[0].changed_by == marta.actor_id
    # Each is an immutable record of its own type that moves no money.
    record = s.txn.read(history[0].transaction_id)
    assert record.transaction_type == "menu_price_change" and record.total_amount == 0
    cashier = manager(hera, org, s, "cashier", "Luca", "2222")
    assert [h.price for h in cashier.restaurant.menu.price_history(pizza.id)] == [
        Decimal("11.00"), Decimal("13.00"), Decimal("12.50")]


def test_an_86d_item_is_refused_by_name_until_it_is_back_writing_nothing(hera, s, pizza):
    menu = s.restaurant.menu
    wine = menu.add_item("House Red", "7.50", "Drinks")
    sold_out = menu.update_item(pizza.id, available=False)
    assert not sold_out.available and sold_out.sold_out_day == s.day_close.today()
    assert not menu.items()[pizza.id].available and menu.items()[wine.id].available
    before = len(events(hera, s))
    with pytest.raises(ValidationError, match=r"items\.1\.menu_item_id: Margherita is sold out today"):
        s.restaurant.process_order(items=[{"menu_item_id": wine.id}, {"menu_item_id": pizza.id}])
    with pytest.raises(ValidationError, match=r"lines\.0\.menu_item_id: Margherita is sold out today"):
        s.order_drafts.save({"lines": [{"menu_item_id": pizza.id, "quantity": 1}]})
    assert len(events(hera, s)) == before and s.order_drafts.list() == []
    assert menu.update_item(pizza.id, available=True).available
    assert order(s, pizza.id).order_summary.subtotal == Decimal("12.50")


def test_an_open_order_keeps_what_it_held_when_the_item_ran_out_and_only_new_lines_are_refused(hera, s, pizza):
    """Table 4 ordered two Margheritas; then the kitchen ran out. The table still pays for its two, but nobody
    adds a third."""
    menu = s.restaurant.menu
    wine = menu.add_item("House Red", "7.50", "Drinks")
    two = {"table_number": "4", "lines": [{"menu_item_id": pizza.id, "quantity": 1},
                                        {"menu_item_id": pizza.id, "quantity": 1}]}
    draft = s.order_drafts.save(two)
    menu.update_item(pizza.id, available=False)
    with_wine = {**two, "lines": [*two["lines"], {"menu_item_id": wine.id, "quantity": 1}]}
    assert len(s.order_drafts.save(with_wine, draft.id).ticket.lines) == 3  # held lines kept, wine is new
    three = {**with_wine, "lines": [*with_wine["lines"], {"menu_item_id": pizza.id, "quantity": 1}]}
    with pytest.raises(ValidationError, match=r"lines\.3\.menu_item_id: Margherita is sold out today"):
        s.order_drafts.save(three, draft.id)
    with pytest.raises(ValidationError, match=r"items\.3\.menu_item_id: Margherita is sold out today"):
        s.order_drafts.pay(three, [{"method": "cash", "amount": "34.13", "tendered": "50"}], draft.id)
    paid = s.order_drafts.pay(with_wine, [{"method": "cash", "amount": "34.13", "tendered": "50"}], draft.id)
    assert paid.order_summary.subtotal == Decimal("32.50") and s.order_drafts.list() == []
    with pytest.raises(ValidationError, match="Margherita is sold out today"):  # a new order is refused
        order(s, pizza.id)


def test_an_86d_item_is_back_by_itself_on_the_next_business_day(s, pizza):
    s.restaurant.menu.update_item(pizza.id, available=False)
    day = s.day_close.today()
    s.day_close.z_report("0")  # the day is closed: sales from now on belong to the next business day
    assert s.day_close.today() != day
    again = s.restaurant.menu.items()[pizza.id]
    assert again.available and again.sold_out_day is None
    assert order(s, pizza.id).order_summary.subtotal == Decimal("12.50")


def test_a_retired_item_leaves_the_menu_and_old_sales_still_read_with_its_name(hera, s, pizza):
    old = order(s, pizza.id)
    retired = s.restaurant.menu.retire_item(pizza.id, "Seasonal menu ended")
    assert retired.retired and not retired.available
    assert pizza.id not in s.restaurant.menu.items()
    assert s.restaurant.menu.items(include_retired=True)[pizza.id].retired
    assert pizza.id not in s.restaurant.menu.items([pizza.id])
    before = len(events(hera, s))
    with pytest.raises(ValidationError, match=r"items\.0\.menu_item_id: Margherita is no longer on the menu"):
        order(s, pizza.id)
    assert len(events(hera, s)) == before
    sale = s.restaurant.sale(old.sales_transaction.transaction_id)
    assert [(ln.description, ln.unit_price) for ln in sale.lines if ln.line_type == "ITEM"] == \
        [("Margherita", Decimal("12.50"))]
    with pytest.raises(ValidationError, match="item_id: Margherita is no longer on the menu"):
        s.restaurant.menu.retire_item(pizza.id, "Again")
    with pytest.raises(ValidationError, match="item_id: Margherita is no longer on the menu"):
        s.restaurant.menu.update_item(pizza.id, price="1")
    with pytest.raises(ValidationError, match="reason"):
        s.restaurant.menu.retire_item(s.restaurant.menu.add_item("Calzone", "9", "Pizza").id, " ")
    assert [h.price for h in s.restaurant.menu.price_history(pizza.id)] == [Decimal("12.50")]


@pytest.mark.parametrize("role", ["cashier", "bookkeeper"])
def test_cashiers_and_bookkeepers_may_not_change_the_menu(hera, org, s, pizza, role):
    them = manager(hera, org, s, role, "Luca", "2222")
    calls = [lambda: them.restaurant.menu.update_item(pizza.id, price="1"),
             lambda: them.restaurant.menu.update_item(pizza.id, available=False),
             lambda: them.restaurant.menu.retire_item(pizza.id, "No")]
    for call in calls:
        with pytest.raises(PermissionDeniedError, match=f"A {role} may not change the menu") as err:
            call()
        assert err.value.details.get("permission") == "menu.manage"
    assert s.restaurant.menu.items()[pizza.id] == pizza


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_managers_and_admins_change_the_menu(hera, org, s, pizza, role):
    them = manager(hera, org, s, role)
    assert them.restaurant.menu.update_item(pizza.id, price="13.50").price == Decimal("13.50")
    assert not them.restaurant.menu.update_item(pizza.id, available=False).available
    assert them.restaurant.menu.retire_item(pizza.id, "Off the menu").retired


def test_each_change_writes_exactly_one_event_per_record_changed(hera, s, pizza):
    menu = s.restaurant.menu

    def kinds_of(call):
        before = len(events(hera, s))
        call()
        return [(e.kind, e.record.get("field_name") or e.record.get("transaction_type") or e.record.get("status"))
                for e in events(hera, s)[before:]]

    assert kinds_of(lambda: menu.update_item(pizza.id, name="Margherita DOP")) == [("entity.updated", "active")]
    assert kinds_of(lambda: menu.update_item(pizza.id, price="13")) == [
        ("dynamic_field.set", "price"), ("transaction.recorded", "menu_price_change")]
    assert kinds_of(lambda: menu.update_item(pizza.id, available=False)) == [("dynamic_field.set", "sold_out_day")]
    assert kinds_of(lambda: menu.update_item(pizza.id, available=False)) == []  # already sold out
    assert kinds_of(lambda: menu.update_item(pizza.id, category="Pizzas", kitchen_station="bar")) == [
        ("dynamic_field.set", "category"), ("dynamic_field.set", "kitchen_station")]
    assert kinds_of(lambda: menu.retire_item(pizza.id, "Gone")) == [("entity.deleted", "deleted")]
