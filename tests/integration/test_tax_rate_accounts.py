"""Removing a tax rate, and the ids of the accounts tax rates owe their tax to.

A rate still used by a menu category or item cannot be removed; once removed, its account stays in the chart
with the tax it collected. A rate's account is known by the rate's name, so two terminals that add
different rates offline make two accounts, and the same rate made on both is one account that sync merges.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

import hera_desktop
from flows_factories import balances, make_users
from hera_desktop.domain.pricing import STANDARD
from hera_desktop.domain.ids import now_text
from hera_desktop.services import organizations
from hera_desktop.services.chart_of_accounts import default_account_id, install_default_chart, tax_account_id
from test_natural_ids import other_books, second_terminal  # noqa: F401 - the second terminal's books

__all__ = ["other_books"]


def account(s, code):
    return next(a for g in s.chart_of_accounts.tree() for a in g.accounts if a.code == code)


def test_a_rate_in_use_is_not_removed_and_the_refusal_names_who_uses_it(s):
    s.org_settings.set_tax_rate("alcohol", "0.19", label="Alcohol")
    s.org_settings.assign_tax_rate("alcohol", category="Drinks")
    wine = s.restaurant.menu.add_item("House Red", "7.50", "Wine")
    s.org_settings.assign_tax_rate("alcohol", item_id=wine.id)
    before = dict(s.settings)
    with pytest.raises(hera_desktop.ValidationError) as caught:
        s.org_settings.remove_tax_rate("alcohol")
    assert caught.value.field == "name"
    assert ("Alcohol cannot be removed while the category Drinks and the item House Red are taxed at it; "
            "give them another rate first") in str(caught.value)
    s.org_settings.assign_tax_rate(None, category="Drinks")
    with pytest.raises(hera_desktop.ValidationError, match="while the item House Red is taxed at it"):
        s.org_settings.remove_tax_rate("alcohol")
    assert s.settings["tax_rates"] == before["tax_rates"]


def test_a_removed_rate_leaves_its_account_and_the_tax_it_collected(s):
    s.org_settings.set_tax_rate("alcohol", "0.19", label="Alcohol")
    wine = s.restaurant.menu.add_item("House Red", "10.00", "Wine")
    s.org_settings.assign_tax_rate("alcohol", item_id=wine.id)
    s.restaurant.process_order(items=[{"menu_item_id": wine.id}], payment_method="cash")
    s.org_settings.assign_tax_rate(None, item_id=wine.id)

    rules = s.org_settings.remove_tax_rate("alcohol")
    assert list(rules.rates) == [STANDARD] and list(s.org_settings.tax_rules().rates) == [STANDARD]
    kept = account(s, "2101")
    assert (kept.name, kept.active, kept.balance) == ("Alcohol tax payable", True, Decimal("1.90"))
    order = s.restaurant.process_order(items=[{"menu_item_id": wine.id}], payment_method="cash")
    assert order.order_summary.tax_amount == Decimal("0.50")  # the standard 5% from now on
    assert balances(s)["2101"] == Decimal("-1.90")

    again = s.org_settings.set_tax_rate("alcohol", "0.20", label="Alcohol")
    assert again.account == "2101"  # added again, it owes its tax to the account it had


@pytest.mark.parametrize("name, words", [
    (STANDARD, "the standard rate cannot be removed"),
    ("beer", "'beer' is not a tax rate; the rates are standard"),
    (7, "7 is not a tax rate"),
])
def test_removing_what_is_not_a_named_rate_is_refused(s, name, words):
    with pytest.raises(hera_desktop.ValidationError) as caught:
        s.org_settings.remove_tax_rate(name)
    assert caught.value.field == "name" and words in str(caught.value)


def test_only_those_who_manage_settings_remove_a_rate(hera, org, s):
    s.org_settings.set_tax_rate("food", "0.07")
    users = make_users(hera, org, s, "cashier", "manager")
    with pytest.raises(hera_desktop.PermissionDeniedError, match="may not change the tax rates"):
        users["cashier"][1].org_settings.remove_tax_rate("food")
    assert list(users["manager"][1].org_settings.remove_tax_rate("food").rates) == [STANDARD]


def tax_accounts(s):
    return {a.code: (a.id, a.name) for g in s.chart_of_accounts.tree() for a in g.accounts
            if a.code.startswith("21") and a.code != "2100"}


def test_rates_added_offline_on_two_terminals_get_accounts_of_their_own(hera, other_books):  # noqa: F811
    org = hera.create_organization("Mario's Trattoria", currency="EUR")
    here = hera.scope(org.id)
    second = second_terminal(hera, org.id, other_books, everything=True)
    try:
        there = second.scope(org.id)
        here.org_settings.set_tax_rate("food", "0.07", label="Food")
        there.org_settings.set_tax_rate("alcohol", "0.19", label="Alcohol")  # offline: the same number, 2101
        there.org_settings.set_tax_rate("food", "0.07", label="Food")
        mine, theirs = tax_accounts(here), tax_accounts(there)
        assert mine["2101"][1] == "Food tax payable" and theirs["2101"][1] == "Alcohol tax payable"
        assert mine["2101"][0] != theirs["2101"][0]  # two accounts, which sync keeps apart
        assert theirs["2102"][0] == mine["2101"][0] == tax_account_id(org.id, "food")  # one account, merged
    finally:
        second.close()


def test_books_whose_rate_accounts_are_known_by_number_keep_them(hera, org, s):
    """Books made before: the food rate's account 2101 has the id of its number, as the default chart's have."""
    install_default_chart(s, [{"code": "2101", "name": "Food tax payable", "type": "liability"}])
    settings = {**hera.organization(org.id).settings,
                "tax_rates": {"food": {"rate": "0.07", "label": "Food", "account": "2101"}}}
    with hera.db.write() as conn:
        organizations.set_settings(conn, org.id, settings, updated_at=now_text())
    assert s.org_settings.set_tax_rate("food", "0.08").account == "2101"
    assert account(s, "2101").id == default_account_id(org.id, "2101")
    assert s.org_settings.set_tax_rate("alcohol", "0.19").account == "2102"
