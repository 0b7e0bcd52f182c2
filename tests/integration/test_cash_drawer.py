"""No sale: the cash drawer opened without a sale, with a reason, recorded for good (who, when, why) and sent
to the change feed like every transaction; and the printer settings the till reads to open it."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from flows_factories import books_template, db_path, org  # noqa: F401  (fixtures: books copied from a template)
from flows_factories import make_users

from hera_desktop import PermissionDeniedError, ValidationError
from hera_desktop.storage.scoped import OrgStore
from hera_desktop.universal.feed import events


def test_a_cashier_opens_the_drawer_for_change_and_the_books_keep_who_when_and_why(hera: Any, org: Any,
                                                                                   s: Any) -> None:
    [(cashier, as_cashier)] = make_users(hera, org, s, "cashier").values()

    opened = as_cashier.cash_drawer.no_sale("  change for the\nparking meter ")

    record = s.txn.read(opened.id)
    assert record.transaction_type == "no_sale"
    assert record.total_amount == Decimal("0")
    assert record.business_context["reason"] == "change for the parking meter"
    assert record.business_context["opened_by"] == cashier.id
    assert record.created_by == cashier.id
    assert record.created_at and record.transaction_date
    assert record.description == "No sale: change for the parking meter"
    with hera.db.read():
        fed = [e for e in events(OrgStore(hera.db, org.id)) if e.record_id == opened.id]
    assert len(fed) == 1 and fed[0].record["business_context"]["reason"] == "change for the parking meter"
    assert [t.id for t in s.txn.query(transaction_type="no_sale").transactions] == [opened.id]


def test_no_sale_without_a_reason_is_refused_and_writes_nothing(hera: Any, org: Any, s: Any) -> None:
    for reason in ("", "   ", None, "x" * 201):
        with pytest.raises(ValidationError) as refused:
            s.cash_drawer.no_sale(reason)
        assert refused.value.field == "reason"
    assert s.txn.query(transaction_type="no_sale").transactions == []


def test_pressing_no_sale_twice_with_one_key_records_it_once(hera: Any, org: Any, s: Any) -> None:
    first = s.cash_drawer.no_sale("change", idempotency_key="drawer-1")
    again = s.cash_drawer.no_sale("change", idempotency_key="drawer-1")
    assert again.id == first.id
    assert len(s.txn.query(transaction_type="no_sale").transactions) == 1


def test_a_bookkeeper_may_not_open_the_drawer(hera: Any, org: Any, s: Any) -> None:
    [(_, as_bookkeeper)] = make_users(hera, org, s, "bookkeeper").values()
    with pytest.raises(PermissionDeniedError):
        as_bookkeeper.cash_drawer.no_sale("just looking")


def test_the_owner_sets_the_printers_and_they_are_stored_in_their_plain_spelling(hera: Any, org: Any,
                                                                                 s: Any) -> None:
    saved = s.org_settings.update(receipt_printer=" TCP://192.168.1.50 ", paper_width_mm=58,
                                  kitchen_printers={"hot_kitchen": "tcp://kitchen.local:9101", "BAR": ""},
                                  auto_print_on_pay=True, open_drawer_on_cash=True)
    assert saved["receipt_printer"] == "tcp://192.168.1.50:9100"
    assert saved["kitchen_printers"] == {"HOT_KITCHEN": "tcp://kitchen.local:9101"}
    assert (saved["paper_width_mm"], saved["auto_print_on_pay"], saved["open_drawer_on_cash"]) == (58, True, True)
    assert hera.organization(org.id).settings["receipt_printer"] == "tcp://192.168.1.50:9100"
    s.org_settings.update(receipt_printer="usb://04B8:0202")
    assert hera.organization(org.id).settings["receipt_printer"] == "usb://04b8:0202"


@pytest.mark.parametrize("changes, field, words", [
    ({"receipt_printer": "192.168.1.50"}, "receipt_printer", "tcp://192.168.1.50:9100"),
    ({"receipt_printer": "tcp://printer:99999"}, "receipt_printer", "port"),
    ({"receipt_printer": "usb://epson"}, "receipt_printer", "hexadecimal"),
    ({"kitchen_printers": {"BAR": "lpt1"}}, "kitchen_printers.BAR", "not a printer address"),
    ({"kitchen_printers": ["BAR"]}, "kitchen_printers", "kitchen stations"),
    ({"paper_width_mm": 72}, "paper_width_mm", "80 or 58"),
    ({"auto_print_on_pay": "yes"}, "auto_print_on_pay", "true or false"),
])
def test_a_wrong_printer_setting_is_named_and_nothing_is_saved(hera: Any, org: Any, s: Any, changes: dict[str, Any],
                                                               field: str, words: str) -> None:
    before = hera.organization(org.id).settings
    with pytest.raises(ValidationError) as refused:
        s.org_settings.update(**{"open_drawer_on_cash": True, **changes})
    assert refused.value.field == field and words in refused.value.message
    assert hera.organization(org.id).settings == before
