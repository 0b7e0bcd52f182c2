"""Permissions hold on every public method, for every role, whether or not a transaction is open.

The walk finds every public method reachable from a Scope and checks it against ``domain/roles.METHODS``
(a new method without a decision fails here), then calls each one as each role: a method the role lacks
is refused before it does anything, one it has is never refused. The holes found in review are tried
one by one below.
"""
from __future__ import annotations

import types
from decimal import Decimal
from typing import Any

import pytest

import hera_desktop
from flows_factories import books_template, contents, db_path, org  # noqa: F401  (fixtures)
from hera_desktop import PermissionDeniedError
from hera_desktop.demo import create_demo
from hera_desktop.domain.roles import INTERNAL, METHODS, ROLES, allows
from hera_desktop.public_calls import PublicService

ACTORS = [*ROLES, "system"]


def reachable(scope: Any) -> dict[str, Any]:
    """{"restaurant.menu.add_item": bound method, ...}: everything a caller of ``scope`` can call."""
    found: dict[str, Any] = {}

    def walk(service: PublicService, path: str) -> None:
        for name in dir(service):
            try:
                value = getattr(service, name)
            except AttributeError:  # the service's own machinery: not reachable
                continue
            if isinstance(value, types.MethodType):
                found[f"{path}.{name}"] = value
            elif isinstance(value, PublicService):
                walk(value, f"{path}.{name}")

    for name in dir(scope):
        value = getattr(scope, name, None)
        if isinstance(value, PublicService):
            walk(value, name)
    return found


@pytest.fixture
def book(hera):
    return create_demo(hera)


def as_actor(hera, book, actor):
    return hera.scope(book.organization_id, actor_id=None if actor == "system" else book.users[actor])


def test_every_public_method_has_one_decision_in_the_matrix(hera, book):
    found = set(reachable(as_actor(hera, book, "system")))
    assert len(found) > 120
    assert found - set(METHODS) == set(), "public methods without a permission decision in domain/roles.py"
    assert set(METHODS) - found == set(), "decisions in domain/roles.py for methods that do not exist"


def test_each_role_is_refused_exactly_what_the_matrix_denies_and_nothing_is_written(hera, book, db_path):
    for actor in ACTORS:
        scope = as_actor(hera, book, actor)
        methods = reachable(scope)
        role = None if actor == "system" else actor
        denied = {m for m, d in METHODS.items() if d.permission == INTERNAL or not allows(role, d.permission)}
        if actor == "cashier":
            assert {"txn.query", "posting.set_rule", "restaurant.menu.set_consumption", "universal.get_entity",
                    "users.create", "journals.create_entry"} <= denied
        if actor == "admin":
            assert denied == {m for m, d in METHODS.items() if d.permission == INTERNAL}
        before = contents(db_path)
        for name in sorted(denied):
            with pytest.raises(PermissionDeniedError) as refused:  # refused before its arguments are looked at
                methods[name]()
            assert refused.value.code == "permission_denied", name
        assert contents(db_path) == before, f"a refused call of a {actor} wrote something"
        for name in sorted(set(methods) - denied):
            try:
                methods[name]()  # no arguments: most say which is missing; none may say "not allowed"
            except PermissionDeniedError as exc:
                pytest.fail(f"{name} refused a {actor}, whom the matrix allows it: {exc}")
            except hera_desktop.HeraError:
                pass


def test_a_manager_cannot_make_themself_admin_through_a_batch(hera, book):
    manager = as_actor(hera, book, "manager")
    result = manager.batch.process([
        {"type": "dynamic_data", "operation": "update",
         "data": {"entity_id": book.users["manager"], "field_name": "role", "field_value": "admin",
                  "smart_code": "HERA.SECURITY.USER.DYN.ROLE.V1"}},
        {"type": "transaction", "operation": "create",
         "data": {"transaction_type": "sale", "transaction_code": "SALE-0000-000001",
                  "smart_code": "HERA.RESTAURANT.FOH.ORDER.SALE.V1", "total_amount": "0", "lines": []}},
        {"type": "customer", "operation": "create",
         "data": {"name": "Walk-in Ltd", "email": "walkin@example.com"}},
    ])
    assert [e.code if e else None for e in result.errors] == ["permission_denied", "permission_denied", None]
    assert manager.role == "manager" and manager.users.role_of(book.users["manager"]) == "manager"
    assert result.successful == 1  # each operation ran with the manager's own rights: the customer is theirs


def test_no_one_changes_a_role_pin_or_status_around_the_users_service(hera, book):
    cashier_id = book.users["cashier"]
    for actor in ("admin", "system"):
        scope = as_actor(hera, book, actor)
        with pytest.raises(PermissionDeniedError, match="only through s.users"):
            scope.universal.set_dynamic_field(cashier_id, "role", "admin", "HERA.SECURITY.USER.DYN.ROLE.V1")
        with pytest.raises(PermissionDeniedError, match="only through s.users"):
            scope.universal.update_entity(cashier_id, status="active", classification="admin")
        with pytest.raises(PermissionDeniedError, match="only through s.users"):
            scope.universal.create_entity(entity_type="user", entity_name="Ghost",
                                          smart_code="HERA.SECURITY.USER.ENT.V1")
        with pytest.raises(PermissionDeniedError, match="only through s.users"):
            scope.universal.delete_entity(cashier_id, "gone")
    assert as_actor(hera, book, "system").users.role_of(cashier_id) == "cashier"


def test_a_cashier_inside_an_open_transaction_is_checked_all_the_same(hera, book, db_path):
    cashier = as_actor(hera, book, "cashier")
    before = contents(db_path)
    with pytest.raises(PermissionDeniedError):
        with cashier.db.write():
            cashier.universal.set_dynamic_field(book.menu["Espresso"], "price", Decimal("0.01"),
                                                "HERA.RESTAURANT.MENU.DYN.PRICE.V1")
    with pytest.raises(PermissionDeniedError):
        with cashier.db.write():
            cashier.txn.emit(transaction_type="sale", smart_code="HERA.RESTAURANT.FOH.ORDER.SALE.V1",
                             total_amount="0", lines=[])
    with pytest.raises(PermissionDeniedError):
        cashier.posting.set_rule("HERA.RESTAURANT.FOH.ORDER.SALE.V1", "Sales to equity", [])
    with pytest.raises(PermissionDeniedError):
        cashier.restaurant.menu.set_consumption(book.menu["Espresso"], {})
    with pytest.raises(PermissionDeniedError):
        cashier.txn.query(transaction_type="journal_entry")
    with pytest.raises(AttributeError):  # the services' own handles are not reachable from a public one
        cashier.restaurant.scope
    assert contents(db_path) == before


def test_the_till_reads_its_own_orders_but_not_the_rest_of_the_books(hera, book):
    cashier = as_actor(hera, book, "cashier")
    sold = cashier.restaurant.process_order(items=[{"menu_item_id": book.menu["Espresso"]}], payment_method="cash")
    sale = cashier.restaurant.sale(sold.sales_transaction.transaction_id)
    assert sale.transaction_code == sold.sales_transaction.transaction_code and sale.lines
    assert cashier.restaurant.recent_sales("2000-01-01")[0].id == sale.id
    assert cashier.restaurant.sale_people(sale.id).customer is None
    journal = as_actor(hera, book, "system").txn.query(transaction_type="journal_entry", limit=1).transactions[0]
    with pytest.raises(hera_desktop.ValidationError, match="is not a sale"):
        cashier.restaurant.sale(journal.id)
    with pytest.raises(hera_desktop.ValidationError, match="is not a sale"):
        cashier.restaurant.payments_of(journal.id)


def test_a_role_change_holds_for_open_scopes_at_their_next_call(hera, book):
    manager = as_actor(hera, book, "manager")
    admin = as_actor(hera, book, "admin")
    assert manager.reports.trial_balance()
    admin.users.set_role(book.users["manager"], "cashier")
    assert manager.role == "cashier"
    with pytest.raises(PermissionDeniedError, match="A cashier may not see reports"):
        manager.reports.trial_balance()
    admin.users.set_role(book.users["manager"], "manager")
    assert manager.reports.trial_balance()
    admin.users.deactivate(book.users["manager"], "Left the company")
    with pytest.raises(PermissionDeniedError, match="active user"):
        manager.reports.trial_balance()
    with pytest.raises(hera_desktop.AuthenticationError, match="no longer has access"):
        as_actor(hera, book, "system").users.authenticate(book.users["manager"], "111111")
    admin.users.reactivate(book.users["manager"])
    assert manager.reports.trial_balance()


def test_a_role_changed_by_another_process_holds_at_the_next_call(hera, book, db_path):
    manager = as_actor(hera, book, "manager")
    assert manager.allows("day.close")
    with hera_desktop.open(db_path) as other:  # another window, or a server worker, on the same books
        other.scope(book.organization_id, actor_id=book.users["admin"]).users.set_role(book.users["manager"],
                                                                                       "bookkeeper")
    assert not manager.allows("day.close")
    with pytest.raises(PermissionDeniedError, match="A bookkeeper may not close the day"):
        manager.day_close.z_report("0")


def test_only_admins_manage_users_and_nobody_changes_their_own_role(hera, book):
    admin = as_actor(hera, book, "admin")
    for actor in ("cashier", "bookkeeper", "manager"):
        with pytest.raises(PermissionDeniedError):
            as_actor(hera, book, actor).users.set_role(book.users["cashier"], "admin")
    with pytest.raises(hera_desktop.ValidationError, match="your own role"):
        admin.users.set_role(book.users["admin"], "cashier")
    with pytest.raises(hera_desktop.ValidationError, match="deactivate yourself"):
        admin.users.deactivate(book.users["admin"], "testing")
    with pytest.raises(hera_desktop.ValidationError, match="role"):
        admin.users.set_role(book.users["cashier"], "owner")
