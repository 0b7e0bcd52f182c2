"""Signing in safely: a growing wait instead of a permanent lock, unlocks on the record, simultaneous
tries that cannot outrun the limit, PIN hashes no one can read, and PINs long enough for managers."""
from __future__ import annotations

import hashlib
import json
import os
import threading
from datetime import timedelta

import pytest

import hera_desktop
from flows_factories import books_template, connect, contents, db_path, org  # noqa: F401  (fixtures)
from hera_desktop.domain.ids import utcnow


class Clock:
    """The time the users service sees, moved on by the test instead of sleeping."""

    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self):
        return self.now

    def move(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def wrong_pins(s, user_id, times, pin="000000"):
    messages = []
    for _ in range(times):
        with pytest.raises(hera_desktop.AuthenticationError) as caught:
            s.users.authenticate(user_id, pin)
        messages.append(str(caught.value))
    return messages


def in_file(db_path, sql, *params):
    conn = connect(db_path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def stored_hash(db_path, user_id):
    return in_file(db_path, "SELECT field_value_text FROM core_dynamic_data WHERE entity_id = ? "
                            "AND field_name = 'pin_hash'", user_id)[0][0]


# ------------------------------------------------------------------ a growing wait, not a permanent lock

def test_a_locked_user_signs_in_after_the_wait_which_doubles_each_time(s):
    clock = Clock()
    s.users.clock = clock
    luca = s.users.create(name="Luca", role="cashier", pin="2222")

    messages = wrong_pins(s, luca.id, 5)
    assert messages[-1] == "Wrong PIN. Luca is now locked for 1 minute; try again then, or ask a manager to unlock them"
    clock.move(seconds=50)
    with pytest.raises(hera_desktop.UserLockedError) as caught:
        s.users.authenticate(luca.id, "2222")  # the right PIN, too soon
    assert "try again in 1 minute" in str(caught.value)
    assert {u["id"]: u["locked"] for u in s.users.list()}[luca.id] is True
    clock.move(seconds=11)
    assert {u["id"]: u["locked"] for u in s.users.list()}[luca.id] is False
    wrong_pins(s, luca.id, 4)
    messages = wrong_pins(s, luca.id, 1)
    assert "locked for 2 minutes" in messages[0]  # the second wait in a row is twice as long
    clock.move(seconds=90)
    with pytest.raises(hera_desktop.UserLockedError):
        s.users.authenticate(luca.id, "2222")
    clock.move(seconds=31)
    assert s.users.authenticate(luca.id, "2222").id == luca.id
    # A right PIN ends the run of waits: the next lockout is a minute again.
    assert "locked for 1 minute" in wrong_pins(s, luca.id, 5)[-1]


def test_a_wait_never_grows_past_an_hour(s):
    clock = Clock()
    s.users.clock = clock
    luca = s.users.create(name="Luca", role="cashier", pin="2222")
    for _ in range(9):  # 1, 2, 4, ... 256 minutes if nothing held it back
        last = wrong_pins(s, luca.id, 5)[-1]
        clock.move(hours=1, seconds=1)
    assert "locked for 60 minutes" in last
    assert s.users.authenticate(luca.id, "2222").id == luca.id


def test_an_admin_and_a_manager_both_locked_can_sign_in_after_the_wait(s):
    clock = Clock()
    s.users.clock = clock
    admin = s.users.create(name="Admin", role="admin", pin="999999")
    maria = s.users.create(name="Maria", role="manager", pin="111111")
    for user in (admin, maria):
        wrong_pins(s, user.id, 5)
        with pytest.raises(hera_desktop.UserLockedError):
            s.users.authenticate(user.id, "999999" if user is admin else "111111")
    clock.move(minutes=1, seconds=1)
    assert s.users.authenticate(admin.id, "999999").id == admin.id
    assert s.users.authenticate(maria.id, "111111").id == maria.id


# ------------------------------------------------------------------ unlocking is on the record

def test_unlocking_ends_the_wait_and_is_recorded_as_a_transaction(hera, org, s):
    luca = s.users.create(name="Luca", role="cashier", pin="2222")
    maria = s.users.create(name="Maria", role="manager", pin="111111")
    wrong_pins(s, luca.id, 5)

    s.users.unlock(luca.id, reason="Forgot his PIN after the holidays")  # the owner, from the command line
    assert s.users.authenticate(luca.id, "2222").id == luca.id
    wrong_pins(s, luca.id, 5)
    hera.scope(org.id, actor_id=maria.id).users.unlock(luca.id)
    assert s.users.authenticate(luca.id, "2222").id == luca.id

    events = s.txn.query(transaction_type="security_event").transactions
    assert len(events) == 2
    by_owner, by_maria = sorted(events, key=lambda t: t.created_at)
    for event in events:
        assert event.source_entity_id == luca.id and event.smart_code == "HERA.SECURITY.USER.UNLOCK.V1"
        assert event.business_context["user_name"] == "Luca" and event.business_context["was_locked"] is True
    assert by_owner.description == "Luca unlocked by the owner (system)"
    assert by_owner.business_context["reason"] == "Forgot his PIN after the holidays"
    assert by_maria.description == "Luca unlocked by Maria"
    assert by_maria.created_by == maria.id and by_maria.business_context["unlocked_by"] == maria.id


def test_a_cashier_cannot_unlock_and_nothing_is_recorded(hera, org, s, db_path):
    luca = s.users.create(name="Luca", role="cashier", pin="2222")
    ana = s.users.create(name="Ana", role="cashier", pin="4444")
    wrong_pins(s, luca.id, 5)
    before = contents(db_path)
    with pytest.raises(hera_desktop.PermissionDeniedError):
        hera.scope(org.id, actor_id=ana.id).users.unlock(luca.id)
    assert contents(db_path) == before


# ------------------------------------------------------------------ simultaneous tries

def test_twelve_simultaneous_wrong_pins_check_at_most_five_and_the_right_one_then_waits(s):
    luca = s.users.create(name="Luca", role="cashier", pin="2222")
    start = threading.Barrier(12)
    answers: list[str] = []

    def attempt() -> None:
        start.wait()
        try:
            s.users.authenticate(luca.id, "000000")
        except hera_desktop.HeraError as exc:
            answers.append(str(exc))
        else:
            answers.append("signed in")

    tills = [threading.Thread(target=attempt) for _ in range(12)]
    for till in tills:
        till.start()
    for till in tills:
        till.join()
    assert len(answers) == 12
    checked = [a for a in answers if a.startswith("Wrong PIN")]  # a PIN was compared with the hash
    refused = [a for a in answers if "try again in" in a]  # the wait applied before any comparing
    assert len(checked) <= 5 and len(checked) + len(refused) == 12
    with pytest.raises(hera_desktop.UserLockedError):
        s.users.authenticate(luca.id, "2222")


# ------------------------------------------------------------------ nobody reads a PIN hash

ROLES = ("system", "cashier", "bookkeeper", "manager", "admin")


def test_no_read_returns_a_pin_hash_for_any_role(hera, org, s, db_path):
    staff = {role: s.users.create(name=f"{role.title()} One", role=role, pin="246810") for role in ROLES[1:]}
    luca = staff["cashier"]
    s.users.change_pin(luca.id, "135790")
    s.users.authenticate(luca.id, "135790")
    wrong_pins(s, luca.id, 1)
    s.users.unlock(luca.id)
    secret = stored_hash(db_path, luca.id)
    assert secret.startswith("scrypt$")
    for role in ROLES:
        scope = s if role == "system" else hera.scope(org.id, actor_id=staff[role].id)
        uni = scope.universal
        if role == "cashier":  # a cashier reads no raw records at all
            with pytest.raises(hera_desktop.PermissionDeniedError):
                uni.get_dynamic_fields(luca.id)
            assert "scrypt$" not in json.dumps(scope.users.list())
            continue
        assert uni.get_dynamic_field(luca.id, "pin_hash") is None, role
        fields = uni.get_dynamic_fields(luca.id)
        assert "pin_hash" not in fields and fields["role"].field_value_text == "cashier", role
        assert uni.field_values([luca.id], ("pin_hash", "role"))[luca.id] == {"role": "cashier"}, role
        page = uni.query_entities(entity_type="user")
        seen = page.model_dump_json() + json.dumps(scope.users.list())
        assert "scrypt$" not in seen and secret not in seen, role
    feed = in_file(db_path, "SELECT record FROM hera_change_feed")
    assert feed and not [r for (r,) in feed if "scrypt$" in (r if isinstance(r, str) else json.dumps(r))]
    # a PIN change is in the feed by name only: its value is left out
    records = [r if isinstance(r, dict) else json.loads(r) for (r,) in feed]  # PostgreSQL reads JSON decoded
    pins = [r for r in records if r.get("field_name") == "pin_hash"]
    assert pins and all(p["field_value_text"] is None for p in pins)


@pytest.mark.parametrize("role", ["system", "admin"])
def test_a_pin_hash_cannot_be_set_around_the_users_service(hera, org, s, db_path, role):
    luca = s.users.create(name="Luca", role="cashier", pin="2222")
    admin = s.users.create(name="Admin", role="admin", pin="999999")
    scope = s if role == "system" else hera.scope(org.id, actor_id=admin.id)
    known = "scrypt$16384$8$1$" + "00" * 16 + "$" + hashlib.scrypt(b"0000", salt=bytes(16), n=2 ** 14, r=8, p=1,
                                                                     dklen=32).hex()
    before = contents(db_path)
    with pytest.raises(hera_desktop.ValidationError) as caught:
        scope.universal.set_dynamic_field(luca.id, "pin_hash", known, "HERA.SECURITY.USER.DYN.PIN.V1")
    assert caught.value.field == "field_name" and "users.change_pin" in str(caught.value)
    with pytest.raises(hera_desktop.ValidationError):
        scope.universal.set_dynamic_fields(luca.id, {"pin_hash": (known, "HERA.SECURITY.USER.DYN.PIN.V1")})
    result = scope.batch.process([{"type": "dynamic_data", "operation": "update", "data": {
        "entity_id": luca.id, "field_name": "pin_hash", "field_value": known,
        "smart_code": "HERA.SECURITY.USER.DYN.PIN.V1"}}])
    assert result.failed == 1 and result.errors[0].field == "field_name" and result.results == [None]
    assert contents(db_path) == before
    with pytest.raises(hera_desktop.AuthenticationError):
        s.users.authenticate(luca.id, "0000")


# ------------------------------------------------------------------ the hash's cost

def test_an_old_cheaper_hash_is_replaced_at_todays_cost_on_the_next_right_pin(s, db_path):
    luca = s.users.create(name="Luca", role="cashier", pin="2222")
    salt = os.urandom(16)
    old = f"scrypt$16384$8$1${salt.hex()}${hashlib.scrypt(b'2222', salt=salt, n=2 ** 14, r=8, p=1, dklen=32).hex()}"
    conn = connect(db_path)
    try:
        conn.execute("UPDATE core_dynamic_data SET field_value_text = ? WHERE entity_id = ? AND field_name = 'pin_hash'",
                     (old, luca.id))
    finally:
        conn.close()
    wrong_pins(s, luca.id, 1)
    assert stored_hash(db_path, luca.id) == old  # a wrong PIN proves nothing: the hash stays
    assert s.users.authenticate(luca.id, "2222").id == luca.id
    upgraded = stored_hash(db_path, luca.id)
    scheme, n, r, p, new_salt, digest = upgraded.split("$")
    assert (n, r, p) == ("131072", "8", "1") and new_salt != salt.hex()
    assert hashlib.scrypt(b"2222", salt=bytes.fromhex(new_salt), n=2 ** 17, r=8, p=1, dklen=32,
                          maxmem=2 ** 28).hex() == digest
    assert s.users.authenticate(luca.id, "2222").id == luca.id
    assert stored_hash(db_path, luca.id) == upgraded  # already at today's cost: not rewritten


# ------------------------------------------------------------------ PIN length by role

@pytest.mark.parametrize("role, pin", [("manager", "1111"), ("admin", "12345"), ("manager", "123456789")])
def test_managers_and_admins_need_six_to_eight_digits(s, db_path, role, pin):
    before = contents(db_path)
    with pytest.raises(hera_desktop.ValidationError) as caught:
        s.users.create(name="Boss", role=role, pin=pin)
    assert caught.value.field == "pin" and str(caught.value).endswith(f"must be 6 to 8 digits for a {role}")
    assert contents(db_path) == before


def test_a_managers_new_pin_needs_six_digits_and_a_cashiers_four(s):
    maria = s.users.create(name="Maria", role="manager", pin="111111")
    luca = s.users.create(name="Luca", role="cashier", pin="2222")
    with pytest.raises(hera_desktop.ValidationError) as caught:
        s.users.change_pin(maria.id, "4321")
    assert "6 to 8 digits for a manager" in str(caught.value)
    s.users.change_pin(luca.id, "4321")
    assert s.users.authenticate(luca.id, "4321").id == luca.id
    assert s.users.authenticate(maria.id, "111111").id == maria.id
