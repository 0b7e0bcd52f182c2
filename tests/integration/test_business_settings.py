"""The business's own settings as the owner sets them: its name and currency, address, tax id, receipt footer and
whether menu prices include tax; and who may change them. (Receipts and reports printing them:
tests/gui/test_printed_business.py.)"""
from __future__ import annotations

from typing import Any

import pytest
from flows_factories import books_template, db_path, org  # noqa: F401  (fixtures: books copied from a template)
from flows_factories import build_restaurant, make_users, order_items

from hera_desktop import PermissionDeniedError, ValidationError
from hera_desktop.storage.scoped import OrgStore
from hera_desktop.universal.feed import events

ADDRESS = "Via Roma 1\n00100 Roma RM"


def organization_events(hera: Any, org: Any) -> list[Any]:
    with hera.db.read():
        return [e for e in events(OrgStore(hera.db, org.id)) if e.kind == "organization.settings_changed"]


def test_the_owner_sets_the_business_details_and_each_change_is_one_event(hera: Any, org: Any, s: Any) -> None:
    [(_, owner)] = make_users(hera, org, s, "admin").values()
    before = len(organization_events(hera, org))

    saved = owner.org_settings.update(address="  " + ADDRESS.replace("\n", "\r\n") + "\n", tax_id="IT01234567890",
                                      receipt_footer="Grazie e arrivederci!\nwww.trattoria.it",
                                      prices_include_tax=True)
    owner.org_settings.update(name="Trattoria da Mario", currency="eur")

    assert (saved["address"], saved["tax_id"], saved["prices_include_tax"]) == (ADDRESS, "IT01234567890", True)
    now = hera.organization(org.id)
    assert (now.organization_name, now.currency) == ("Trattoria da Mario", "EUR")
    assert now.settings["receipt_footer"] == "Grazie e arrivederci!\nwww.trattoria.it"
    assert owner.organization.organization_name == "Trattoria da Mario"  # the owner's next call sees it
    changes = organization_events(hera, org)[before:]
    assert len(changes) == 2
    assert (changes[-1].record["organization_name"], changes[-1].record["currency"]) == ("Trattoria da Mario", "EUR")
    # Emptied, a detail is no longer printed.
    assert owner.org_settings.update(tax_id="")["tax_id"] is None


def test_new_books_start_with_no_details_and_prices_before_tax(hera: Any) -> None:
    settings = hera.create_organization("Bar Sport", "EUR").settings
    assert (settings["address"], settings["tax_id"], settings["receipt_footer"]) == (None, None, None)
    assert settings["prices_include_tax"] is False


@pytest.mark.parametrize("changes, field, says", [
    ({"address": "x" * 501}, "address", "at most 500 characters"),
    ({"tax_id": "T" * 51}, "tax_id", "at most 50 characters"),
    ({"receipt_footer": "y" * 501}, "receipt_footer", "at most 500 characters"),
    ({"tax_id": "IT 1\nIT 2"}, "tax_id", "one line"),
    ({"address": "Via Roma\t1"}, "address", "U+0009"),
    ({"receipt_footer": "Grazie\x1b[31m"}, "receipt_footer", "U+001B"),
    ({"address": "Via \u202eamoR"}, "address", "direction control"),
    ({"address": 12}, "address", "must be text"),
    ({"prices_include_tax": "yes"}, "prices_include_tax", "true or false"),
    ({"name": "  "}, "name", "1 to 255 characters"),
    ({"currency": "EURO"}, "currency", "three-letter"),
])
def test_a_wrong_detail_is_refused_naming_it_and_nothing_changes(
        hera: Any, org: Any, s: Any, changes: dict[str, Any], field: str, says: str) -> None:
    before = hera.organization(org.id)
    with pytest.raises(ValidationError) as refused:
        s.org_settings.update(tax_rate="0.10", **changes)
    assert refused.value.field == field and says in refused.value.message
    assert hera.organization(org.id) == before


def test_the_currency_changes_only_while_no_transaction_is_recorded(hera: Any, org: Any, s: Any) -> None:
    assert s.org_settings.update(currency="GBP") and hera.organization(org.id).currency == "GBP"
    r = build_restaurant(hera, org, s, stock=False, customer=False)
    s.restaurant.process_order(items=order_items(r, pizza=1), payment_method="card")
    recorded = len(s.txn.query(limit=1000).transactions)
    assert recorded >= 1
    before = hera.organization(org.id)
    with pytest.raises(ValidationError) as refused:
        hera.update_settings(org.id, currency="USD", name="Renamed", tax_id="X1")
    assert str(refused.value) == f"currency: cannot change once transactions are recorded ({recorded} so far)"
    assert hera.organization(org.id) == before  # neither the name nor the tax id changed with it
    # The name may change at any time, and giving the same currency again is no change.
    assert hera.update_settings(org.id, name="Renamed", currency="gbp").organization_name == "Renamed"


@pytest.mark.parametrize("role", ["cashier", "bookkeeper"])
def test_a_role_without_settings_manage_cannot_change_the_business(hera: Any, org: Any, s: Any, role: str) -> None:
    [(_, user)] = make_users(hera, org, s, role).values()
    before = hera.organization(org.id)
    for change in ({"address": ADDRESS}, {"name": "Mine now"}, {"currency": "EUR"}, {"prices_include_tax": True}):
        with pytest.raises(PermissionDeniedError) as refused:
            user.org_settings.update(**change)
        assert refused.value.details["permission"] == "settings.manage"
    assert hera.organization(org.id) == before
