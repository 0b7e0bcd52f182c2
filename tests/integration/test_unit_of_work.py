"""The unit of work: one per thread or task, no change inside a read, and what it changed, typed."""
from __future__ import annotations

import threading

import pytest

from flows_factories import books_template, db_path, org  # noqa: F401  (fixtures)
from hera_desktop import PermissionDeniedError, StorageError
from hera_desktop.demo import create_demo
from hera_desktop.domain.changes import NOTHING


@pytest.fixture
def book(hera):
    return create_demo(hera)


def test_a_change_inside_a_read_is_refused_and_nothing_is_written(hera, book):
    s = hera.scope(book.organization_id)
    with pytest.raises(StorageError, match="inside a read"):
        with hera.db.read():
            s.inventory.add_product("Semolina")
    assert not [e for e in s.universal.query_entities(entity_type="product").entities if e.entity_name == "Semolina"]


def test_an_order_says_what_it_wrote_and_a_refusal_or_a_read_nothing(hera, book):
    cashier = hera.scope(book.organization_id, actor_id=book.users["cashier"])
    with hera.watch() as seen:
        cashier.restaurant.process_order(items=[{"menu_item_id": book.menu["Margherita Pizza"]}],
                                         payment_method="cash")
    assert {"sale", "payment", "inventory_adjustment", "journal_entry"} <= seen.changes.records
    assert "transaction.recorded" in seen.changes.events
    assert seen.changes.touches({"sale"}) and not seen.changes.touches({"customer", "gl_account"})
    with hera.watch() as refused:
        with pytest.raises(PermissionDeniedError):
            cashier.restaurant.menu.add_item("Calzone", "11.00", "Pizza")
    with hera.watch() as read:
        cashier.restaurant.menu.items()
    assert refused.changes == NOTHING and read.changes == NOTHING and not read.changes


def test_a_settings_change_is_a_change_of_the_organization(hera, book):
    with hera.watch() as seen:
        hera.scope(book.organization_id).org_settings.update(tax_rate="0.07")
    assert seen.changes.records == {"organization"}


def test_a_unit_of_work_belongs_to_its_own_thread(hera, book):
    seen_elsewhere = []
    with hera.db.write():
        assert hera.db.unit is not None and hera.db.unit.writes
        other = threading.Thread(target=lambda: seen_elsewhere.append(hera.db.unit))
        other.start()
        other.join()
    assert seen_elsewhere == [None] and hera.db.unit is None
