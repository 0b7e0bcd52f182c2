"""Managing staff as each role would: managers look after cashiers, admins after everyone, the last admin
stays, a deactivated user is gone from the sign-in, and a PIN changes only with the current one or by a
recorded reset."""
from __future__ import annotations

import pytest

import hera_desktop
from flows_factories import books_template, contents, db_path, org  # noqa: F401  (fixtures)


@pytest.fixture
def staff(hera, org, s):
    """An admin, a manager, a bookkeeper and a cashier: {role: (user, scope acting as them)}."""
    made = {}
    for name, role, pin in (("Ada", "admin", "999999"), ("Maria", "manager", "111111"),
                            ("Bruno", "bookkeeper", "3333"), ("Luca", "cashier", "2222")):
        user = s.users.create(name=name, role=role, pin=pin)
        made[role] = (user, hera.scope(org.id, actor_id=user.id))
    return made


def names(scope, **kwargs):
    return [u["name"] for u in scope.users.list(**kwargs)]


def test_a_manager_adds_cashiers_only_and_an_admin_adds_anyone(s, staff, db_path):
    _, maria = staff["manager"]
    _, ada = staff["admin"]
    before = contents(db_path)
    for role in ("bookkeeper", "manager", "admin"):
        with pytest.raises(hera_desktop.PermissionDeniedError, match=f"A manager may not add an? {role}"):
            maria.users.create(name="Friend", role=role, pin="246810")
    for who in ("cashier", "bookkeeper"):
        with pytest.raises(hera_desktop.PermissionDeniedError, match="may not add users"):
            staff[who][1].users.create(name="Friend", role="cashier", pin="2468")
    assert contents(db_path) == before
    nina = maria.users.create(name="Nina", role="cashier", pin="4826")
    assert s.users.authenticate(nina.id, "4826").id == nina.id
    sofia = ada.users.create(name="Sofia", role="manager", pin="482610")
    assert s.users.role_of(sofia.id) == "manager"


def test_a_manager_deactivates_reactivates_and_resets_only_cashiers(s, staff, db_path):
    _, maria = staff["manager"]
    luca = staff["cashier"][0]
    before = contents(db_path)
    for role, article in (("bookkeeper", "a"), ("admin", "an")):
        target = staff[role][0].id
        with pytest.raises(hera_desktop.PermissionDeniedError, match=f"A manager may not deactivate {article} {role}"):
            maria.users.deactivate(target, "Left")
        with pytest.raises(hera_desktop.PermissionDeniedError, match=f"may not reset the PIN of {article} {role}"):
            maria.users.reset_pin(target, "246810")
    with pytest.raises(hera_desktop.PermissionDeniedError, match="may not change roles"):
        maria.users.set_role(luca.id, "bookkeeper")
    assert contents(db_path) == before

    maria.users.deactivate(luca.id, "Left for the summer")
    assert "Luca" not in names(s)  # gone from the sign-in list
    assert [u["active"] for u in maria.users.list(include_inactive=True) if u["name"] == "Luca"] == [False]
    with pytest.raises(hera_desktop.AuthenticationError, match="Luca no longer has access"):
        s.users.authenticate(luca.id, "2222")
    with pytest.raises(hera_desktop.ValidationError, match="reactivate them first"):
        maria.users.reset_pin(luca.id, "7351")
    maria.users.reactivate(luca.id)
    assert "Luca" in names(s)
    maria.users.reset_pin(luca.id, "7351")
    with pytest.raises(hera_desktop.AuthenticationError):
        s.users.authenticate(luca.id, "2222")
    assert s.users.authenticate(luca.id, "7351").id == luca.id


def test_only_those_who_manage_staff_see_deactivated_users(staff):
    for role in ("cashier", "bookkeeper"):
        with pytest.raises(hera_desktop.PermissionDeniedError, match="may not see deactivated users"):
            staff[role][1].users.list(include_inactive=True)
    assert names(staff["cashier"][1]) == ["Ada", "Bruno", "Luca", "Maria"]


def test_an_admin_changes_roles_and_deactivates_anyone_but_the_last_admin(s, staff):
    ada, as_ada = staff["admin"]
    maria = staff["manager"][0]
    as_ada.users.set_role(maria.id, "bookkeeper")
    assert s.users.role_of(maria.id) == "bookkeeper"
    as_ada.users.deactivate(maria.id, "Moved to another restaurant")
    assert "Maria" not in names(s)
    for attempt, done in ((lambda: s.users.deactivate(ada.id, "Sold the business"), "deactivated"),
                          (lambda: s.users.set_role(ada.id, "manager"), "demoted")):
        with pytest.raises(hera_desktop.ValidationError, match=f"Ada is the only active admin and cannot be {done}"):
            attempt()
    as_ada.users.reactivate(maria.id)
    as_ada.users.set_role(maria.id, "admin")  # now there are two
    s.users.set_role(ada.id, "manager")
    assert s.users.role_of(ada.id) == "manager"


def test_a_reset_pin_ends_the_wait_and_is_recorded_with_who_reset_it(s, staff):
    maria, as_maria = staff["manager"]
    luca = staff["cashier"][0]
    for _ in range(5):
        with pytest.raises(hera_desktop.AuthenticationError):
            s.users.authenticate(luca.id, "0000")
    with pytest.raises(hera_desktop.UserLockedError):
        s.users.authenticate(luca.id, "2222")
    with pytest.raises(hera_desktop.ValidationError, match="your own PIN"):
        as_maria.users.reset_pin(maria.id, "135791")
    as_maria.users.reset_pin(luca.id, "8642")
    assert s.users.authenticate(luca.id, "8642").id == luca.id  # at once: no wait left
    [event] = s.txn.query(transaction_type="security_event").transactions
    assert event.description == "PIN of Luca reset by Maria"
    assert event.source_entity_id == luca.id and event.created_by == maria.id
    assert event.business_context["reset_by"] == maria.id and event.smart_code == "HERA.SECURITY.USER.PIN_RESET.V1"


def test_everyone_changes_their_own_pin_only_with_the_current_one(s, staff, db_path):
    luca, as_luca = staff["cashier"]
    before = contents(db_path)
    with pytest.raises(hera_desktop.ValidationError, match="new_pin: must be 4 to 8 digits"):
        as_luca.users.change_own_pin("2222", "12")
    with pytest.raises(hera_desktop.ValidationError, match="new_pin: is your current PIN"):
        as_luca.users.change_own_pin("2222", "2222")
    assert contents(db_path) == before  # refused before a try was spent
    with pytest.raises(hera_desktop.AuthenticationError, match="4 attempts left"):
        as_luca.users.change_own_pin("1111", "5791")
    with pytest.raises(hera_desktop.AuthenticationError, match="3 attempts left"):  # counted with the sign-ins
        s.users.authenticate(luca.id, "0000")
    as_luca.users.change_own_pin("2222", "5791")
    assert s.users.authenticate(luca.id, "5791").id == luca.id
    with pytest.raises(hera_desktop.ValidationError, match="system has no PIN"):
        s.users.change_own_pin("2222", "5791")


def test_change_pin_is_kept_as_a_reset_for_others_and_needs_the_current_pin_for_oneself(s, staff):
    _, as_maria = staff["manager"]
    luca, as_luca = staff["cashier"]
    with pytest.raises(hera_desktop.PermissionDeniedError, match="may not reset PINs"):
        as_luca.users.change_pin(staff["bookkeeper"][0].id, "4444")
    with pytest.raises(hera_desktop.PermissionDeniedError, match="may not reset the PIN of an admin"):
        as_maria.users.change_pin(staff["admin"][0].id, "246810")
    as_maria.users.change_pin(luca.id, "6420")
    assert s.txn.query(transaction_type="security_event").transactions[0].description == "PIN of Luca reset by Maria"
    with pytest.raises(hera_desktop.ValidationError, match="old_pin"):
        as_luca.users.change_pin(luca.id, "7531")
    as_luca.users.change_pin(luca.id, "7531", old_pin="6420")
    assert s.users.authenticate(luca.id, "7531").id == luca.id
