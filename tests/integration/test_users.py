"""Users and roles: PINs kept only as slow salted hashes, lockout that survives a restart, who may do what."""
from __future__ import annotations

import hashlib
import hmac

import pytest

import hera_desktop
from flows_factories import books_template, db_path, org  # noqa: F401  (fixtures: books copied from a template)
from flows_factories import build_restaurant, connect, contents, make_users, order_items, pin_of, product


def wrong(s, user_id, times):
    for _ in range(times):
        with pytest.raises(hera_desktop.AuthenticationError):
            s.users.authenticate(user_id, "0000")


def stored_hashes(db_path, *user_ids):
    """The PIN hashes as they sit in the file (no read of the app returns them)."""
    conn = connect(db_path)
    try:
        marks = ", ".join("?" * len(user_ids))
        rows = dict(conn.execute(f"SELECT entity_id, field_value_text FROM core_dynamic_data "
                                 f"WHERE field_name = 'pin_hash' AND entity_id IN ({marks})", user_ids).fetchall())
    finally:
        conn.close()
    return [rows[u] for u in user_ids]


def test_a_pin_is_stored_only_as_a_slow_salted_hash(s, db_path):
    ana = s.users.create(name="Ana", role="cashier", pin="730519")
    ben = s.users.create(name="Ben", role="cashier", pin="730519")
    assert s.universal.get_dynamic_field(ana.id, "role").field_value_text == "cashier"
    stored = stored_hashes(db_path, ana.id, ben.id)
    assert stored[0] != stored[1], "the same PIN must hash differently for two users (salt)"
    for value in stored:
        scheme, n, r, p, salt, digest = value.split("$")
        assert (scheme, int(n), int(r), int(p)) == ("scrypt", 2 ** 17, 8, 1)  # OWASP's cost, not a cheaper one
        assert len(bytes.fromhex(salt)) >= 16
        again = hashlib.scrypt(b"730519", salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32,
                               maxmem=2 ** 28)
        assert hmac.compare_digest(again.hex(), digest)
    conn = connect(db_path)
    try:
        texts = [row[0] for row in conn.execute(
            "SELECT field_value_text FROM core_dynamic_data WHERE entity_id IN (?, ?)", (ana.id, ben.id))]
        meta = [row[0] for row in conn.execute("SELECT metadata FROM core_entities WHERE id IN (?, ?)", (ana.id, ben.id))]
    finally:
        conn.close()
    assert "730519" not in texts and not any("730519" in (m or "") for m in meta)
    assert s.users.authenticate(ana.id, "730519").id == ana.id


@pytest.mark.parametrize("role, pin, field", [("chef", "1234", "role"), ("cashier", "12a4", "pin"),
                                               ("cashier", "123", "pin"), ("cashier", 1234, "pin")])
def test_users_need_a_known_role_and_a_pin_of_digits(s, db_path, role, pin, field):
    before = contents(db_path)
    with pytest.raises(hera_desktop.ValidationError) as caught:
        s.users.create(name="Someone", role=role, pin=pin)
    assert caught.value.field == field
    assert contents(db_path) == before


def test_five_wrong_pins_lock_the_user_until_a_manager_unlocks(hera, org, s):
    users = make_users(hera, org, s, "cashier", "manager")
    cashier, at_till = users["cashier"]
    _, as_manager = users["manager"]
    messages = []
    for _ in range(4):
        with pytest.raises(hera_desktop.AuthenticationError) as caught:
            s.users.authenticate(cashier.id, "9999")
        assert not isinstance(caught.value, hera_desktop.UserLockedError)
        messages.append(str(caught.value))
    assert [m.split("; ")[1].split(" ")[0] for m in messages] == ["4", "3", "2", "1"]  # attempts left
    with pytest.raises(hera_desktop.UserLockedError):
        s.users.authenticate(cashier.id, "9999")
    with pytest.raises(hera_desktop.UserLockedError):
        s.users.authenticate(cashier.id, pin_of(0))  # even the right PIN
    assert {u["id"]: u["locked"] for u in s.users.list()}[cashier.id] is True

    with pytest.raises(hera_desktop.PermissionDeniedError):
        at_till.users.unlock(cashier.id)
    as_manager.users.unlock(cashier.id)
    assert s.users.authenticate(cashier.id, pin_of(0)).id == cashier.id
    assert {u["id"]: u["locked"] for u in s.users.list()}[cashier.id] is False


def test_a_right_pin_resets_the_count(s):
    user = s.users.create(name="Carla", role="cashier", pin="2468")
    wrong(s, user.id, 4)
    s.users.authenticate(user.id, "2468")
    wrong(s, user.id, 4)
    assert s.users.authenticate(user.id, "2468").id == user.id


def test_the_count_and_the_lock_survive_reopening_the_books(hera, org, db_path):
    s = hera.scope(org.id)
    user = s.users.create(name="Dino", role="cashier", pin="1357")
    wrong(s, user.id, 3)
    hera.close()

    reopened = hera_desktop.open(db_path)
    try:
        s = reopened.scope(org.id)
        with pytest.raises(hera_desktop.AuthenticationError) as caught:
            s.users.authenticate(user.id, "0000")
        assert "1 attempt left" in str(caught.value)
        with pytest.raises(hera_desktop.UserLockedError):
            s.users.authenticate(user.id, "0000")
    finally:
        reopened.close()

    again = hera_desktop.open(db_path)
    try:
        with pytest.raises(hera_desktop.UserLockedError):
            again.scope(org.id).users.authenticate(user.id, "1357")
    finally:
        again.close()


def test_changing_a_pin(hera, org, s):
    ana = s.users.create(name="Ana", role="cashier", pin="1111")
    ben = s.users.create(name="Ben", role="cashier", pin="2222")
    as_ana, as_ben = hera.scope(org.id, actor_id=ana.id), hera.scope(org.id, actor_id=ben.id)
    with pytest.raises(hera_desktop.PermissionDeniedError):
        as_ben.users.change_pin(ana.id, "3333")
    with pytest.raises(hera_desktop.ValidationError):
        as_ana.users.change_pin(ana.id, "33")
    with pytest.raises(hera_desktop.ValidationError, match="old_pin"):  # one's own PIN needs the current one
        as_ana.users.change_pin(ana.id, "4444")
    as_ana.users.change_pin(ana.id, "4444", old_pin="1111")
    with pytest.raises(hera_desktop.AuthenticationError):
        s.users.authenticate(ana.id, "1111")
    assert s.users.authenticate(ana.id, "4444").id == ana.id


def test_what_each_role_may_not_do(hera, org, s, db_path):
    r = build_restaurant(hera, org, s, customer=False)
    users = make_users(hera, org, s, "cashier", "bookkeeper", "manager")
    _, at_till = users["cashier"]
    _, in_office = users["bookkeeper"]
    manager, as_manager = users["manager"]
    cash, expense = s.journals.account_by_code("1000").id, s.journals.account_by_code("6000").id
    journal = dict(date="2025-01-15", reference="JE-ROLE", lines=[
        {"gl_account_id": expense, "amount": "5", "dr_cr": "DR"}, {"gl_account_id": cash, "amount": "5", "dr_cr": "CR"}])
    flour = r.products["flour"].id

    before = contents(db_path)
    refused = [
        (at_till, lambda x: x.journals.create_entry(**journal)),
        (at_till, lambda x: x.inventory.adjust(product_id=flour, adjustment_type="adjustment", quantity=-1,
                                               reason="ate it", location_id=r.kitchen.id)),
        (at_till, lambda x: x.inventory.rebuild()),
        (at_till, lambda x: x.users.create(name="Friend", role="manager", pin="1234")),
        (at_till, lambda x: x.restaurant.menu.add_item("Free Pizza", "0.00")),
        (at_till, lambda x: x.universal.create_entity(entity_type="product", entity_name="X",
                                                      smart_code="HERA.INVENTORY.PRODUCT.ENT.V1")),
        (in_office, lambda x: x.restaurant.process_order(items=order_items(r, bread=1))),
        (in_office, lambda x: x.inventory.adjust(product_id=flour, adjustment_type="issue", quantity=1,
                                                 reason="x", location_id=r.kitchen.id)),
        (as_manager, lambda x: x.users.create(name="Friend", role="admin", pin="1234")),
    ]
    for scope, attempt in refused:
        with pytest.raises(hera_desktop.PermissionDeniedError):
            attempt(scope)
    assert contents(db_path) == before

    # What they may do.
    at_till.restaurant.process_order(items=order_items(r, bread=1))
    in_office.journals.create_entry(**journal)
    moved = as_manager.inventory.adjust(product_id=flour, adjustment_type="adjustment", quantity=-1,
                                        reason="Spilled", location_id=r.kitchen.id)
    assert s.txn.read(moved.transaction.transaction_id).created_by == manager.id


def test_the_acting_user_is_stamped_on_every_record_they_create(hera, org, s, db_path):
    r = build_restaurant(hera, org, s)
    users = make_users(hera, org, s, "cashier", "manager")
    cashier, at_till = users["cashier"]
    manager, as_manager = users["manager"]

    customer = at_till.customers.onboard(name="Walk-in Regular", email="regular@example.com", phone="555 123 456")
    order = at_till.restaurant.process_order(items=order_items(r, pizza=1), customer_id=customer.customer.id)
    as_manager.inventory.adjust(product_id=r.products["flour"].id, adjustment_type="receipt", quantity=5,
                                unit_cost="2.10", reason="PO-9", reference="PO-9", location_id=r.kitchen.id)

    conn = connect(db_path)
    try:
        def stamps(sql, *params):
            return {row[0] for row in conn.execute(sql, params)}
        cust_id = customer.customer.id
        assert stamps("SELECT created_by FROM core_entities WHERE id = ?", cust_id) == {cashier.id}
        assert stamps("SELECT created_by FROM core_dynamic_data WHERE entity_id = ?", cust_id) == {cashier.id}
        assert stamps("SELECT created_by FROM core_relationships WHERE from_entity_id = ?", cust_id) == {cashier.id}
        sale = order.sales_transaction.transaction_code
        # the sale, its payment, its stock issues and their postings
        assert stamps("SELECT created_by FROM universal_transactions WHERE transaction_code = ? OR reference = ?",
                      sale, sale) == {cashier.id}
        assert stamps("SELECT l.created_by FROM universal_transaction_lines l JOIN universal_transactions t "
                      "ON t.id = l.transaction_id WHERE t.transaction_code = ? OR t.reference = ?",
                      sale, sale) == {cashier.id}
        assert stamps("SELECT created_by FROM universal_transactions WHERE reference = 'PO-9' OR "
                      "reference = (SELECT transaction_code FROM universal_transactions WHERE reference = 'PO-9')"
                      ) == {manager.id}
        # the stock figures the manager's receipt changed
        assert stamps("SELECT updated_by FROM core_dynamic_data WHERE entity_id = ? AND field_name IN "
                      "('current_inventory', 'average_cost')", r.products["flour"].id) == {manager.id}
        actors = stamps("SELECT actor_id FROM hera_change_feed WHERE record_id = ?",
                        order.sales_transaction.transaction_id)
        assert actors == {cashier.id}
    finally:
        conn.close()


def test_only_an_active_user_of_the_organization_can_act_in_it(hera, org, s):
    flour = product(s, "Flour 00")
    with pytest.raises(hera_desktop.PermissionDeniedError):
        hera.scope(org.id, actor_id=flour.id)
    gone = s.users.create(name="Former Staff", role="manager", pin="864200")
    s.users.deactivate(gone.id, "Left the company")
    with pytest.raises(hera_desktop.PermissionDeniedError):
        hera.scope(org.id, actor_id=gone.id)
    other = hera.create_organization("Luigi's", currency="USD")
    stranger = hera.scope(other.id).users.create(name="Luigi", role="admin", pin="123400")
    with pytest.raises((hera_desktop.PermissionDeniedError, hera_desktop.NotFoundError)):
        hera.scope(org.id, actor_id=stranger.id)


def test_other_work_can_be_saved_while_a_pin_is_checked(s, db_path):
    """The slow PIN hash is checked outside any write, so another till is not kept waiting by a sign-in:
    it waits at most for the two short writes that count the try and clear it."""
    import sqlite3
    import threading
    import time

    user = s.users.create(name="Carla", role="cashier", pin="2468")
    patience = 0.25  # seconds another till waits for the books before it gives up
    other_till = sqlite3.connect(str(db_path), timeout=patience, isolation_level=None)
    signed_in: list = []
    checking = threading.Thread(target=lambda: signed_in.append(s.users.authenticate(user.id, "2468")))
    refused = tries = 0
    started = time.monotonic()
    checking.start()
    while checking.is_alive():
        tries += 1
        try:
            other_till.execute("BEGIN IMMEDIATE")  # what saving anything starts with
            other_till.execute("ROLLBACK")
        except sqlite3.OperationalError:  # "database is locked"
            refused += 1
    checking.join()
    took = time.monotonic() - started
    other_till.close()
    assert [u.id for u in signed_in] == [user.id]
    assert took > patience, "the check must take longer than the other till would wait, or this proves nothing"
    assert tries > 1 and refused == 0
