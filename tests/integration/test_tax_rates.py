"""Named tax rates: each with its own account, assigned to menu categories and items, posted rate by rate."""
from __future__ import annotations

from decimal import Decimal

import pytest

import hera_desktop
from flows_factories import assert_books_balance, balances, make_users
from hera_desktop.domain.pricing import STANDARD


def nonzero(s):
    return {code: bal for code, bal in balances(s).items() if bal != 0}


def account(s, code):
    return next(a for g in s.chart_of_accounts.tree() for a in g.accounts if a.code == code)


@pytest.fixture
def menu(s):
    s.org_settings.set_tax_rate("food", "0.07", label="Food")
    s.org_settings.set_tax_rate("alcohol", "0.19", label="Alcohol")
    s.org_settings.assign_tax_rate("food", category="Food")
    s.org_settings.assign_tax_rate("alcohol", category="Drinks")
    m = s.restaurant.menu
    return {"pizza": m.add_item("Pizza", "10.00", "Food"), "beer": m.add_item("Beer", "4.00", "Drinks"),
            "water": m.add_item("Water", "2.00", "Soft drinks")}


def test_adding_a_rate_opens_its_own_tax_account(s):
    food = s.org_settings.set_tax_rate("food", "0.07")
    take_away = s.org_settings.set_tax_rate("take-away", "0.07", label="Take-away")
    assert (food.label, food.rate, food.account) == ("Food", Decimal("0.07"), "2101")
    assert take_away.account == "2102"
    assert (account(s, "2101").name, account(s, "2101").account_type) == ("Food tax payable", "liability")
    assert account(s, "2102").name == "Take-away tax payable"
    changed = s.org_settings.set_tax_rate("food", "0.05", label="Meals")
    assert (changed.rate, changed.label, changed.account) == (Decimal("0.05"), "Meals", "2101")  # same account
    assert list(s.org_settings.tax_rules().rates) == [STANDARD, "food", "take-away"]


def test_each_rates_tax_posts_to_its_own_account_and_the_journal_balances(s, menu):
    order = s.restaurant.process_order(items=[{"menu_item_id": menu["pizza"].id, "quantity": 2},
                                              {"menu_item_id": menu["beer"].id, "quantity": 3},
                                              {"menu_item_id": menu["water"].id, "quantity": 1}],
                                       payment_method="cash")
    # Pizza 20.00 at 7% = 1.40; beer 12.00 at 19% = 2.28; water 2.00 at the standard 5% = 0.10.
    assert order.order_summary.tax_amount == Decimal("3.78")
    assert nonzero(s) == {"1000": Decimal("37.78"), "4000": Decimal("-34.00"), "2101": Decimal("-1.40"),
                          "2102": Decimal("-2.28"), "2100": Decimal("-0.10")}
    assert_books_balance(s)
    sale = s.restaurant.sale(order.sales_transaction.transaction_id)
    assert [(ln.description, ln.line_amount) for ln in sale.lines if ln.line_type == "TAX"] == [
        ("Food (7%)", Decimal("1.40")), ("Alcohol (19%)", Decimal("2.28")), ("Sales Tax (5%)", Decimal("0.10"))]
    s.restaurant.refund(order.sales_transaction.transaction_id, "Wrong table")
    assert nonzero(s) == {}


def test_an_items_own_rate_comes_before_its_categorys(s, menu):
    s.org_settings.assign_tax_rate("food", item_id=menu["water"].id)
    assert s.restaurant.menu.items([menu["water"].id])[menu["water"].id].tax_rate == "food"
    order = s.restaurant.process_order(items=[{"menu_item_id": menu["water"].id}], payment_method="cash")
    assert order.order_summary.tax_amount == Decimal("0.14")
    s.org_settings.assign_tax_rate(None, item_id=menu["water"].id)  # back to its category's (none: standard)
    order = s.restaurant.process_order(items=[{"menu_item_id": menu["water"].id}], payment_method="cash")
    assert order.order_summary.tax_amount == Decimal("0.10")


def test_prices_that_include_tax_record_the_part_before_tax_as_sales(hera, org, s, menu):
    hera.update_settings(org.id, prices_include_tax=True)
    order = s.restaurant.process_order(items=[{"menu_item_id": menu["pizza"].id},
                                              {"menu_item_id": menu["beer"].id}], payment_method="card")
    # 10.00 / 1.07 = 9.35 before tax (0.65 tax); 4.00 / 1.19 = 3.36 before tax (0.64 tax).
    summary = order.order_summary
    assert (summary.subtotal, summary.tax_amount, summary.total_amount) == (
        Decimal("12.71"), Decimal("1.29"), Decimal("14.00"))
    assert nonzero(s) == {"1050": Decimal("14.00"), "4000": Decimal("-12.71"), "2101": Decimal("-0.65"),
                          "2102": Decimal("-0.64")}
    day = s.day_close.x_report()
    assert (day.subtotal, day.tax, day.total) == (Decimal("12.71"), Decimal("1.29"), Decimal("14.00"))


def test_the_sales_report_counts_every_rates_tax(s, menu):
    s.restaurant.process_order(items=[{"menu_item_id": menu["pizza"].id}, {"menu_item_id": menu["beer"].id}],
                               payment_method="cash")
    [day] = s.reports.sales_by_day()
    assert (day.subtotal, day.tax, day.total) == (Decimal("14.00"), Decimal("1.46"), Decimal("15.46"))


def test_the_standard_rate_is_changed_by_name(s):
    standard = s.org_settings.set_tax_rate(STANDARD, "0.08", label="VAT")
    assert (standard.rate, standard.label, standard.account) == (Decimal("0.08"), "VAT", "2100")
    assert (s.settings["tax_rate"], s.settings["tax_label"]) == ("0.08", "VAT")


@pytest.mark.parametrize("call, field, words", [
    (lambda o: o.set_tax_rate("Food!", "0.07"), "name", "one short word in lower case"),
    (lambda o: o.set_tax_rate("food", "1.5"), "rate", "from 0 to below 1"),
    (lambda o: o.set_tax_rate("food", "-0.01"), "rate", "from 0 to below 1"),
    (lambda o: o.set_tax_rate("food", "0.07", label=""), "label", "short name"),
    (lambda o: o.assign_tax_rate("beer", category="Drinks"), "rate_name", "'beer' is not a tax rate; the rates "
                                                                          "are standard"),
    (lambda o: o.assign_tax_rate("standard"), "category", "either a menu category or a menu item"),
    (lambda o: o.assign_tax_rate("standard", category=" "), "category", "name of a menu category"),
])
def test_wrong_tax_settings_are_refused_naming_what_is_wrong(s, call, field, words):
    before = dict(s.settings)
    with pytest.raises(hera_desktop.ValidationError) as caught:
        call(s.org_settings)
    assert caught.value.field == field and words in str(caught.value)
    assert s.settings == before


def test_an_item_that_is_not_on_the_menu_cannot_be_given_a_rate(s, menu):
    s.restaurant.menu.retire_item(menu["water"].id, "No longer sold")
    with pytest.raises(hera_desktop.ValidationError, match="item_id: is not an item on the menu"):
        s.org_settings.assign_tax_rate("food", item_id=menu["water"].id)


def test_tax_rounding_must_be_line_or_receipt(hera, org):
    with pytest.raises(hera_desktop.ValidationError, match="tax_rounding: must be line"):
        hera.update_settings(org.id, tax_rounding="order")


def test_a_rates_account_cannot_be_deactivated_while_the_sale_posts_to_it(s, menu):
    with pytest.raises(hera_desktop.ValidationError, match="Restaurant sale"):
        s.chart_of_accounts.deactivate(account(s, "2102").id)


def test_only_those_who_manage_settings_change_tax_rates(hera, org, s):
    users = make_users(hera, org, s, "cashier", "manager")
    cashier, manager = users["cashier"][1], users["manager"][1]
    with pytest.raises(hera_desktop.PermissionDeniedError, match="may not change the tax rates"):
        cashier.org_settings.set_tax_rate("food", "0.07")
    assert manager.org_settings.set_tax_rate("food", "0.07").account == "2101"  # the account comes with it
    assert list(cashier.org_settings.tax_rules().rates) == [STANDARD, "food"]


def by_rate(taxes):
    return [(t.label, t.percent, t.tax) for t in taxes]


def test_the_day_close_and_the_sales_reports_show_the_tax_at_each_rate(s, menu):
    take = s.restaurant.process_order
    take(items=[{"menu_item_id": menu["pizza"].id, "quantity": 2}, {"menu_item_id": menu["beer"].id, "quantity": 3},
                {"menu_item_id": menu["water"].id}], payment_method="cash")
    refunded = take(items=[{"menu_item_id": menu["beer"].id}], payment_method="cash")  # 4.00 at 19% = 0.76
    s.restaurant.refund(refunded.sales_transaction.transaction_id, "Spilled")
    # Pizza 20.00 at 7% = 1.40; beer 12.00 at 19% = 2.28 (the refunded one nets out); water 2.00 at 5% = 0.10.
    expected = [("Sales Tax", "5", Decimal("0.10")), ("Food", "7", Decimal("1.40")),
                ("Alcohol", "19", Decimal("2.28"))]
    day = s.day_close.x_report()
    assert by_rate(day.taxes) == expected and day.tax == Decimal("3.78") and day.total == Decimal("37.78")
    closed = s.day_close.z_report(day.cash_expected)
    assert by_rate(closed.figures.taxes) == expected
    assert by_rate(s.day_close.x_report(day.day).taxes) == expected  # as the closing recorded them

    [sales_day] = s.reports.sales_by_day()
    assert by_rate(sales_day.taxes) == expected and sales_day.tax == Decimal("3.78")
    for rows in (s.sales_analysis.sales_by_hour(), s.sales_analysis.sales_by_server()):
        assert sum((t.tax for r in rows for t in r.taxes), Decimal(0)) == sum((r.tax for r in rows), Decimal(0)) \
            == Decimal("3.78")


def test_a_rate_changed_during_the_day_shows_as_a_row_for_each_rate(s, menu):
    s.restaurant.process_order(items=[{"menu_item_id": menu["pizza"].id}], payment_method="cash")
    s.org_settings.set_tax_rate("food", "0.08")
    s.restaurant.process_order(items=[{"menu_item_id": menu["pizza"].id}], payment_method="cash")
    assert by_rate(s.day_close.x_report().taxes) == [("Food", "7", Decimal("0.70")), ("Food", "8", Decimal("0.80"))]
