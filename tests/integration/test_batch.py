"""The usage guide's batch processor: per-operation results and errors in order, and an all-or-nothing mode."""
from __future__ import annotations

from decimal import Decimal

import pytest

import hera_desktop
from flows_factories import books_template, db_path, org  # noqa: F401  (fixtures: books copied from a template)
from flows_factories import PRODUCT_SC, contents, count, location, make_users, product

BAD_JOURNAL = {"transaction_type": "journal_entry", "smart_code": "HERA.FINANCE.GL.JOURNAL.ENTRY.V1", "lines": []}


@pytest.fixture
def ops(s):
    """Eight operations from an import file; four of them are wrong in different ways."""
    flour = product(s, "Flour 00")
    pizza = s.restaurant.menu.add_item("Margherita Pizza", "12.50", category="Pizza")
    cash, sales = s.journals.account_by_code("1000").id, s.journals.account_by_code("4000").id
    BAD_JOURNAL["lines"] = [
        {"line_type": "dr", "entity_id": cash, "line_amount": "10.00", "dr_cr": "DR", "smart_code": "HERA.FINANCE.GL.DR.V1"},
        {"line_type": "cr", "entity_id": sales, "line_amount": "9.00", "dr_cr": "CR", "smart_code": "HERA.FINANCE.GL.CR.V1"}]
    return flour, pizza, [
        {"type": "entity", "operation": "create",
         "data": {"entity_type": "product", "entity_name": "Basil", "smart_code": PRODUCT_SC}},
        {"type": "entity", "operation": "create",
         "data": {"entity_type": "product", "entity_name": "Oregano", "smart_code": "not.a.smart.code"}},
        {"type": "customer", "operation": "create",
         "data": {"name": "Acme Catering", "email": "accounts@acme-catering.com", "credit_limit": "250"}},
        {"type": "dynamic_data", "operation": "create",
         "data": {"entity_id": flour.id, "field_name": "reorder_level", "field_value": 15,
                  "smart_code": "HERA.INVENTORY.PRODUCT.DYN.REORDER.V1"}},
        {"type": "transaction", "operation": "create", "data": BAD_JOURNAL},
        {"type": "spaceship", "operation": "launch", "data": {}},
        {"type": "menu_items", "operation": "create", "data": {"name": "Calzone", "price": "11.00"}},
        {"type": "relationship", "operation": "create",
         "data": {"from_entity_id": pizza.id, "to_entity_id": flour.id, "relationship_type": "consumes",
                  "smart_code": "HERA.RESTAURANT.MENU.REL.CONSUMES.V1", "metadata": {"quantity": "0.25"}}},
    ]


def test_each_operation_gets_its_result_or_its_error_in_order(s, db_path, ops):
    flour, pizza, operations = ops
    transactions = count(db_path, "universal_transactions")
    seen = []
    result = s.batch.process(operations, progress=lambda done, total: seen.append((done, total)))

    assert (result.successful, result.failed, result.rolled_back) == (4, 4, False)
    ok = [i for i, e in enumerate(result.errors) if e is None]
    assert ok == [0, 2, 3, 7]
    assert [i for i, r in enumerate(result.results) if r is not None] == ok
    assert [(e.index, e.code, e.field) for e in result.errors if e is not None] == [
        (1, "invalid_smart_code", "smart_code"), (4, "unbalanced", None), (5, "validation_error", "type"),
        (6, "validation_error", "category")]
    assert "10.00" in result.errors[4].message and "9.00" in result.errors[4].message
    assert seen == [(i + 1, len(operations)) for i in range(len(operations))]

    # What succeeded is kept...
    assert result.results[0].entity_name == "Basil"
    assert s.customers.view(result.results[2].customer.id).credit_limit == Decimal("250")
    assert s.universal.get_dynamic_field(flour.id, "reorder_level").field_value_number == 15
    assert s.restaurant.menu.consumption([pizza.id]) == {pizza.id: [(flour.id, Decimal("0.25"))]}
    # ...and what failed left nothing behind.
    assert s.universal.query_entities(entity_type="product", entity_name="Oregano").entities == []
    assert s.universal.query_entities(entity_type="menu_item", entity_name="Calzone").entities == []
    assert count(db_path, "universal_transactions") == transactions


def test_atomic_mode_rolls_everything_back_on_the_first_failure(s, db_path, ops):
    _, _, operations = ops
    before = contents(db_path)
    result = s.batch.process(operations, atomic=True)
    assert result.rolled_back
    assert (result.successful, result.failed) == (0, 1)
    assert result.results == [None] * len(operations)
    assert result.errors[1].code == "invalid_smart_code"
    assert result.errors[2:] == [None] * (len(operations) - 2)
    assert contents(db_path) == before


def test_atomic_mode_keeps_everything_when_all_succeed(s, ops):
    flour, pizza, operations = ops
    good = [operations[i] for i in (0, 2, 3, 7)]
    result = s.batch.process(good, atomic=True)
    assert (result.successful, result.failed, result.rolled_back) == (4, 0, False)
    assert [e for e in result.errors] == [None] * 4
    assert len(s.universal.query_entities(entity_type="product", entity_name="Basil").entities) == 1
    assert s.restaurant.menu.consumption([pizza.id]) == {pizza.id: [(flour.id, Decimal("0.25"))]}


def test_a_failure_inside_an_operations_business_rules_is_undone_alone(s, db_path):
    """A stock movement that takes stock below zero fails after its rows were inserted; its savepoint undoes them."""
    cheese, kitchen = product(s, "Mozzarella"), location(s, "Kitchen")

    def movement(quantity, unit_price):
        return {"type": "transaction", "operation": "create", "data": {
            "transaction_type": "inventory_adjustment", "smart_code": "HERA.INVENTORY.ADJUSTMENT.ADJUSTMENT.V1",
            "source_entity_id": cheese.id,
            "lines": [{"line_type": "INVENTORY", "entity_id": cheese.id, "quantity": quantity,
                       "unit_price": unit_price, "smart_code": "HERA.INVENTORY.LINE.ADJUSTMENT.V1",
                       "metadata": {"location_id": kitchen.id}}]}}

    transactions = count(db_path, "universal_transactions")
    result = s.batch.process([movement(5, "8.00"), movement(-7, "8.00"), movement(-2, "8.00")])
    assert [e.code if e else None for e in result.errors] == [None, "insufficient_inventory", None]
    assert s.inventory.level(cheese.id, kitchen.id) == 3
    # Two movements and the postings of both; nothing of the refused one.
    assert count(db_path, "universal_transactions") == transactions + 4
    tb = s.reports.trial_balance()
    assert tb.total_debits == tb.total_credits == Decimal("24")  # 5 x 8.00 found, 2 x 8.00 lost


def test_the_batch_itself_must_be_a_list_and_needs_the_right(hera, org, s, db_path):
    with pytest.raises(hera_desktop.ValidationError) as caught:
        s.batch.process({"type": "entity"})
    assert caught.value.field == "operations"
    result = s.batch.process(["not an operation", {"type": "entity", "operation": "create", "data": "x"}])
    assert [e.field for e in result.errors] == ["operation", "data"]

    users = make_users(hera, org, s, "cashier")
    _, at_till = users["cashier"]
    before = contents(db_path)
    with pytest.raises(hera_desktop.PermissionDeniedError):
        at_till.batch.process([{"type": "customer", "operation": "create", "data": {"name": "Sneaky"}}])
    assert contents(db_path) == before


def test_the_guides_callbacks_are_called_with_each_result_or_error(s):
    seen = []
    ops = [{"type": "entity", "operation": "create",
            "data": {"entity_type": "product", "entity_name": "Basil", "smart_code": PRODUCT_SC},
            "onSuccess": lambda r: seen.append(("ok", r.entity_name)), "onError": lambda e: seen.append(("bad", e))},
           {"type": "entity", "operation": "create", "data": {"entity_type": "product", "entity_name": "Oregano",
                                                              "smart_code": "nope"},
            "onError": lambda e: seen.append(("bad", e.field))}]
    result = s.batch.process(ops)
    assert (result.successful, result.failed, result.stopped) == (1, 1, None)
    assert seen == [("ok", "Basil"), ("bad", "smart_code")]


def test_an_unknown_option_is_refused_before_anything_runs(s, db_path):
    before = contents(db_path)
    with pytest.raises(hera_desktop.ValidationError) as refused:
        s.batch.process([{"type": "entity", "operation": "create", "data": {}, "onSucess": print}])
    assert refused.value.field == "operations.0.onSucess"
    assert contents(db_path) == before


def test_a_raising_progress_callback_keeps_what_a_non_atomic_batch_did(s):
    ops = [{"type": "entity", "operation": "create",
            "data": {"entity_type": "product", "entity_name": name, "smart_code": PRODUCT_SC}}
           for name in ("Basil", "Thyme", "Sage")]

    def progress(done, total):
        if done == 2:
            raise RuntimeError("the progress bar was closed")

    result = s.batch.process(ops, progress=progress)
    assert not result.rolled_back and result.successful == 2
    assert "progress callback of operation 1 raised RuntimeError" in result.stopped
    names = {e.entity_name for e in s.universal.query_entities(entity_type="product").entities}
    assert {"Basil", "Thyme"} <= names and "Sage" not in names
