"""People who use the till and the books (``s.users``): roles, PINs, lockout, who manages whom.

Admins add, change and remove anyone; managers add cashiers and deactivate, reactivate and reset the PIN
of cashiers only, so nobody can give or take away a role at or above their own. Changing a role stays
with admins: the one role a manager may give is the one a cashier already has. The last active admin
cannot be deactivated or demoted, so the books always keep someone who can manage staff. Everyone
changes their own PIN only by typing the current one, which counts as a try like signing in does, so an
unattended till cannot be used to guess it; a reset by someone else is recorded as a transaction.

After too many wrong PINs in a row a user must wait before the next try: a minute the
first time, twice as long each time after, up to an hour, until a right PIN ends it; a
manager (or the owner, from the command line) can unlock them at once, and that unlock
is recorded as a transaction. The counts live in the database, so restarting the app
does not reset them, and a try is counted before its PIN is checked, so PINs typed on
several tills at once cannot outrun the limit.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Callable

from ..domain import contracts as c
from ..domain.errors import AuthenticationError, NotFoundError, PermissionDeniedError, UserLockedError, ValidationError
from ..domain.ids import checked_id, is_uuid, timestamp_text, utcnow
from ..domain import text
from ..domain.roles import ROLES
from ..storage.schema import core_dynamic_data, core_entities
from ..storage.scoped import OrgStore
from ..storage.standing import Standing, standing
from ..universal.api import UniversalAPI
from ..logbook import event
from . import pins

_log = logging.getLogger("hera_desktop.sign_in")

if TYPE_CHECKING:
    from ..app import Scope

USER_SC = "HERA.SECURITY.USER.ENT.V1"
ROLE_SC = "HERA.SECURITY.USER.DYN.ROLE.V1"
ATTEMPTS_SC = "HERA.SECURITY.USER.DYN.ATTEMPTS.V1"
LOCKOUTS_SC = "HERA.SECURITY.USER.DYN.LOCKOUTS.V1"
LOCK_SC = "HERA.SECURITY.USER.DYN.LOCKED.V1"
UNLOCK_SC = "HERA.SECURITY.USER.UNLOCK.V1"
UNLOCK_LINE_SC = "HERA.SECURITY.USER.UNLOCK.LINE.V1"
PIN_RESET_SC = "HERA.SECURITY.USER.PIN_RESET.V1"
PIN_RESET_LINE_SC = "HERA.SECURITY.USER.PIN_RESET.LINE.V1"
FIRST_WAIT = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=1)
_LOCK_FIELDS = ("failed_pin_attempts", "pin_lockouts", "locked_until", "locked")


def wait_after(lockouts: int) -> timedelta:
    """How long the ``lockouts``-th lockout in a row lasts: 1, 2, 4, ... minutes, at most an hour."""
    return min(FIRST_WAIT * 2 ** min(max(lockouts - 1, 0), 20), LONGEST_WAIT)


def _in_words(wait: timedelta) -> str:
    minutes = max(1, -(-int(wait.total_seconds()) // 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def _a(role: str | None) -> str:
    return f"an {role}" if role and role[0] in "aeiou" else f"a {role or 'user without a role'}"


def role_now(store: OrgStore, user_id: str) -> str | None:
    """``user_id``'s role as the books hold it now, read inside the caller's unit of work; refused when
    they are not (or no longer) an active user of this organization."""
    return checked_role(standing(store, user_id if is_uuid(user_id) else None))


def checked_role(found: Standing) -> str | None:
    """The role of the actor the door read (``storage.standing``); refused unless they are an active user."""
    if found.entity_type != "user" or found.status != "active":
        raise PermissionDeniedError("Only an active user of this organization can act in it")
    return found.role


class Users:
    def __init__(self, scope: Scope, clock: Callable[[], datetime] = utcnow) -> None:
        self.scope = scope
        self.uni = UniversalAPI(scope.store, users_records=True)  # the one way to a user's role and status
        self.store = scope.store
        self.clock = clock  # when waits begin and end; tests move it on instead of sleeping

    def create(self, name: str, role: str, pin: str) -> c.Entity:
        """Add a user: admins add any role, managers cashiers only."""
        self.scope.require("users.manage_cashiers", "add users")
        if role not in ROLES:
            raise ValidationError("role", f"must be one of {', '.join(ROLES)}")
        self._may_manage(role, "add")
        pin_hash = pins.hash_pin(pins.check_pin(pin, role))
        with self.scope.db.write():
            user = self.uni.create_entity(entity_type="user", entity_name=name, smart_code=USER_SC,
                                          classification=role)
            self.uni.set_dynamic_fields(user.id, {"role": (role, ROLE_SC), "failed_pin_attempts": (0, ATTEMPTS_SC)})
            pins.store_hash(self.store, user.id, pin_hash)
            return user

    def list(self, include_inactive: bool = False) -> list[dict[str, Any]]:
        """Active users with their role and whether they are waiting out a lockout (for a sign-in screen);
        with ``include_inactive`` (for those who manage staff) the deactivated ones too."""
        if include_inactive:
            self.scope.require("users.manage_cashiers", "see deactivated users")
        with self.scope.db.read():
            users = self.uni.query_entities(entity_type="user", status=None if include_inactive else "active",
                                            limit=1000).entities
            values = self.uni.field_values([u.id for u in users], ("role", "locked_until"))
        now = timestamp_text(self.clock())
        # The users the HERA server's tokens act as (services/api_tokens.py) sign in with no PIN: not staff.
        users = [u for u in users if not (u.metadata or {}).get("api_token")]
        return [{"id": u.id, "name": u.entity_name, "code": u.entity_code, "role": values[u.id].get("role"),
                 "active": u.status == "active", "locked": (values[u.id].get("locked_until") or "") > now}
                for u in sorted(users, key=lambda u: u.entity_name)]

    def role_of(self, user_id: str) -> str | None:
        checked_id("user_id", user_id)
        return self.uni.field_values([user_id], ("role",))[user_id].get("role")

    def authenticate(self, user_id: str, pin: str) -> c.Entity:
        """The user, if the PIN is right; otherwise the failure is counted and, at the limit, a wait begins.

        The try is counted (in a short write) before the slow hash is checked outside any write, so other
        tills can save meanwhile and no number of simultaneous tries gets more than the limit checked.
        """
        if not isinstance(pin, str):
            raise ValidationError("pin", "must be 4 to 8 digits")
        limit = int(self.scope.settings.get("pin_attempts_before_lock", 5))
        now = self.clock()
        if self.scope.db.read_only:
            return self._authenticate_read_only(user_id, pin, now)
        with self.scope.db.write():
            user, state = self._lock_state(user_id)
            self._refuse_if_waiting(user, state, now)
            attempts, lockouts, until = state["failed_pin_attempts"] + 1, state["pin_lockouts"], ""
            if attempts >= limit:  # the last try allowed: the wait starts now, and a right PIN ends it
                attempts, lockouts = 0, lockouts + 1
                until = timestamp_text(now + wait_after(lockouts))
            self._put_lock_state(user_id, attempts, lockouts, until, state)
            stored = pins.stored_hash(self.store, user_id)
        if pins.pin_matches(pin, stored):
            upgraded = pins.hash_pin(pin) if pins.is_outdated(stored) else None
            with self.scope.db.write():
                self._put_lock_state(user_id, 0, 0, "", self._lock_state(user_id)[1])
                if upgraded and pins.stored_hash(self.store, user_id) == stored:  # not changed meanwhile
                    pins.store_hash(self.store, user_id, upgraded)
            self._log_sign_in("signed in", user, logging.INFO)
            return user
        self._log_sign_in("locked out after wrong PINs" if until else "wrong PIN", user, logging.WARNING,
                          attempts=attempts, lockouts=lockouts, locked_until=until or None)
        if until:
            raise UserLockedError(f"Wrong PIN. {user.entity_name} is now locked for {_in_words(wait_after(lockouts))}; "
                                  f"try again then, or ask a manager to unlock them")
        left = limit - attempts
        raise AuthenticationError(f"Wrong PIN for {user.entity_name}; {left} attempt{'s' if left != 1 else ''} "
                                  f"left before a wait of {_in_words(wait_after(lockouts + 1))}")

    def _log_sign_in(self, what: str, user: c.Entity, level: int, **fields: Any) -> None:
        event(_log, level, f"{what}: {user.entity_name}", event="sign_in", outcome=what,
              organization_id=self.scope.organization_id, user_id=user.id, **fields)

    def _authenticate_read_only(self, user_id: str, pin: str, now: datetime) -> c.Entity:
        """Read-only books record nothing, tries included: whoever holds the file can read it anyway, so
        the PIN only says who is looking. A wait begun before the books became read-only still holds."""
        with self.scope.db.read():
            user, state = self._lock_state(user_id)
            self._refuse_if_waiting(user, state, now)
            stored = pins.stored_hash(self.store, user_id)
        if pins.pin_matches(pin, stored):
            return user
        raise AuthenticationError(f"Wrong PIN for {user.entity_name}")

    def _refuse_if_waiting(self, user: c.Entity, state: dict[str, Any], now: datetime) -> None:
        until = state["locked_until"]
        if until and until > timestamp_text(now):
            left = datetime.fromisoformat(until.replace("Z", "+00:00")) - now
            raise UserLockedError(f"{user.entity_name} is locked after too many wrong PINs; try again in "
                                  f"{_in_words(left)}, or ask a manager to unlock them")

    def _lock_state(self, user_id: str) -> tuple[c.Entity, dict[str, Any]]:
        """The user and their lockout fields (read inside the caller's unit of work)."""
        user = self._user(user_id)
        t = core_dynamic_data
        rows = {r.field_name: r for r in self.store.rows(self.store.select(
            t, t.c.entity_id == user_id, t.c.field_name.in_(_LOCK_FIELDS)))}
        state: dict[str, Any] = {
            "failed_pin_attempts": int(rows["failed_pin_attempts"].field_value_number or 0)
            if "failed_pin_attempts" in rows else 0,
            "pin_lockouts": int(rows["pin_lockouts"].field_value_number or 0) if "pin_lockouts" in rows else 0,
            "locked_until": (rows["locked_until"].field_value_text or "") if "locked_until" in rows else "",
            "legacy_lock": "locked" in rows and bool(rows["locked"].field_value_boolean),
        }
        if state["legacy_lock"] and not state["locked_until"]:
            # Books from before waits: a lock then lasted until unlocked; now it lasts the first wait.
            since = datetime.fromisoformat(rows["locked"].updated_at.replace("Z", "+00:00"))
            state["locked_until"] = timestamp_text(since + FIRST_WAIT)
        return user, state

    def _put_lock_state(self, user_id: str, attempts: int, lockouts: int, until: str, was: dict[str, Any]) -> None:
        fields: dict[str, tuple[Any, str]] = {}
        for name, value, sc in (("failed_pin_attempts", attempts, ATTEMPTS_SC), ("pin_lockouts", lockouts, LOCKOUTS_SC),
                                ("locked_until", until, LOCK_SC)):
            if was[name] != value or (name == "locked_until" and was["legacy_lock"]):
                fields[name] = (value, sc)
        if was["legacy_lock"]:
            fields["locked"] = (False, LOCK_SC)
        if fields:
            self.uni.set_dynamic_fields(user_id, fields)

    def unlock(self, user_id: str, reason: str | None = None) -> c.Emitted:
        """End a user's wait and wrong-PIN count now; recorded as a security_event transaction naming the
        user, who unlocked them and why."""
        self.scope.require("users.unlock", "unlock users")
        if reason is not None and (not isinstance(reason, str) or len(reason) > 500):
            raise ValidationError("reason", "must be text of at most 500 characters")
        with self.scope.db.write():
            user, state = self._lock_state(user_id)
            by = self._actor_name()
            self._put_lock_state(user_id, 0, 0, "", state)
            return self._record(user, UNLOCK_SC, UNLOCK_LINE_SC, f"{user.entity_name} unlocked by {by}",
                                f"Unlocked: {user.entity_name}",
                                {"event": "user_unlocked", "unlocked_by": self.scope.actor_id, "unlocked_by_name": by,
                                 "was_locked": bool(state["locked_until"] > timestamp_text(self.clock())),
                                 "failed_pin_attempts": state["failed_pin_attempts"],
                                 "reason": (reason or "").strip() or None})

    def set_role(self, user_id: str, role: str) -> c.Entity:
        """Give a user another role (admins only); it holds from their next call on, in every window and
        process that has them signed in. A PIN too short for the new role is kept until they next change it."""
        self.scope.require("users.manage", "change roles")
        if role not in ROLES:
            raise ValidationError("role", f"must be one of {', '.join(ROLES)}")
        if user_id == self.scope.actor_id:
            raise ValidationError("user_id", "you cannot change your own role; ask another admin")
        with self.scope.db.write():
            user = self._user(user_id)
            if role != "admin":
                self._refuse_last_admin(user, "demoted")
            self.uni.set_dynamic_fields(user_id, {"role": (role, ROLE_SC)})
            return self.uni.update_entity(user_id, classification=role)

    def deactivate(self, user_id: str, reason: str) -> c.Entity:
        """Take a user's access away (they left, a lost badge): they cannot sign in or act from their next
        call on, in every window, and leave the sign-in list; their past work keeps their name. Nobody
        deactivates themself; managers deactivate cashiers only."""
        self.scope.require("users.manage_cashiers", "deactivate users")
        if user_id == self.scope.actor_id:
            raise ValidationError("user_id", "you cannot deactivate yourself; ask another admin")
        if not isinstance(reason, str) or not reason.strip() or len(reason) > 500:
            raise ValidationError("reason", "say why, in at most 500 characters")
        reason = text.plain("reason", reason.strip())
        with self.scope.db.write():
            user, role = self._member(user_id)
            self._may_manage(role, "deactivate")
            if user.status != "active":
                raise ValidationError("user_id", f"{user.entity_name} is already deactivated")
            self._refuse_last_admin(user, "deactivated")
            return self.uni.update_entity(user_id, status="inactive",
                                          metadata={"deactivated_reason": reason,
                                                    "deactivated_by": self.scope.actor_id})

    def reactivate(self, user_id: str) -> c.Entity:
        """Give a deactivated user their access back, with the role and PIN they had; managers reactivate
        cashiers only."""
        self.scope.require("users.manage_cashiers", "reactivate users")
        with self.scope.db.write():
            user, role = self._member(user_id)
            self._may_manage(role, "reactivate")
            if user.status == "active":
                raise ValidationError("user_id", f"{user.entity_name} is already active")
            return self.uni.update_entity(user_id, status="active")

    def reset_pin(self, user_id: str, new_pin: str) -> c.Emitted:
        """Give someone else a new PIN (they forgot theirs): admins anyone's, managers a cashier's. It also
        ends any wait for wrong PINs, and is recorded as a security_event transaction naming who reset it."""
        self.scope.require("users.manage_cashiers", "reset PINs")
        if user_id == self.scope.actor_id:
            raise ValidationError("user_id", "to change your own PIN, type your current PIN (change_own_pin)")
        with self.scope.db.read():
            user, role = self._member(user_id)
        self._may_manage(role, "reset the PIN of")
        if user.status != "active":
            raise ValidationError("user_id", f"{user.entity_name} is deactivated; reactivate them first")
        pin_hash = pins.hash_pin(pins.check_pin(new_pin, role))
        with self.scope.db.write():
            user, state = self._lock_state(user_id)
            self._may_manage(self.role_of(user_id), "reset the PIN of")  # their role may have changed meanwhile
            pins.store_hash(self.store, user_id, pin_hash)
            self._put_lock_state(user_id, 0, 0, "", state)
            by = self._actor_name()
            return self._record(user, PIN_RESET_SC, PIN_RESET_LINE_SC, f"PIN of {user.entity_name} reset by {by}",
                                f"PIN reset: {user.entity_name}",
                                {"event": "pin_reset", "reset_by": self.scope.actor_id, "reset_by_name": by})

    def change_own_pin(self, old_pin: str, new_pin: str) -> None:
        """The signed-in user's new PIN, given their current one. A wrong current PIN counts as a wrong
        sign-in (and can start a wait), so a till left signed in cannot be used to guess it."""
        user_id = self.scope.actor_id
        if user_id is None:
            raise ValidationError("user_id", "the system has no PIN of its own; reset a user's PIN instead")
        if not isinstance(old_pin, str) or not old_pin:
            raise ValidationError("old_pin", "type your current PIN")
        with self.scope.db.read():
            role = self.role_of(user_id)
        try:
            pins.check_pin(new_pin, role)
        except ValidationError as exc:
            raise ValidationError("new_pin", exc.message.removeprefix("pin: ")) from None
        if new_pin == old_pin:
            raise ValidationError("new_pin", "is your current PIN; choose another")
        self.authenticate(user_id, old_pin)  # counted like a sign-in; a wrong one is refused here
        pin_hash = pins.hash_pin(new_pin)
        with self.scope.db.write():
            self._user(user_id)
            pins.store_hash(self.store, user_id, pin_hash)

    def change_pin(self, user_id: str, new_pin: str, old_pin: str | None = None) -> None:
        """Kept for callers from before ``reset_pin`` and ``change_own_pin``: one's own PIN needs the current
        one (``old_pin``) as ``change_own_pin`` does; anyone else's is a ``reset_pin``, with its rules."""
        if user_id == self.scope.actor_id:
            if old_pin is None:
                raise ValidationError("old_pin", "your current PIN is needed to change your own")
            self.change_own_pin(old_pin, new_pin)
        else:
            self.reset_pin(user_id, new_pin)

    def _may_manage(self, role: str | None, action: str) -> None:
        """Admins manage anyone; the rest of those who manage staff (managers) manage cashiers only."""
        if role != "cashier":
            self.scope.require("users.manage", f"{action} {_a(role)}")

    def _refuse_last_admin(self, user: c.Entity, done: str) -> None:
        """Refused if ``user`` is the one active admin left (read inside the caller's write)."""
        active = self.uni.query_entities(entity_type="user", status="active", limit=1000).entities
        roles = self.uni.field_values([u.id for u in active], ("role",))
        if [u.id for u in active if roles[u.id].get("role") == "admin"] == [user.id]:
            raise ValidationError("user_id", f"{user.entity_name} is the only active admin and cannot be {done}; "
                                             "make another user admin first")

    def _record(self, user: c.Entity, smart_code: str, line_code: str, description: str, line: str,
                context: dict[str, Any]) -> c.Emitted:
        """A security_event transaction about ``user``, made by the caller (inside their write)."""
        return self.scope.internal.txn.emit(c.TxnEmit(
            transaction_type="security_event", smart_code=smart_code, source_entity_id=user.id,
            target_entity_id=self.scope.actor_id, description=description,
            business_context={"user_id": user.id, "user_name": user.entity_name, **context},
            lines=[c.TxnLineIn(line_number=1, line_type="SECURITY", entity_id=user.id, smart_code=line_code,
                               description=line)]))

    def _actor_name(self) -> str:
        return self._user(self.scope.actor_id).entity_name if self.scope.actor_id else "the owner (system)"

    def _member(self, user_id: str) -> tuple[c.Entity, str | None]:
        """A user of this organization, active or not, and their role (deleted ones are not found)."""
        checked_id("user_id", user_id)
        row = self.store.get(core_entities, user_id, "user")
        if row.entity_type != "user":
            raise ValidationError("user_id", f"{row.entity_name} is not a user")
        if row.status == "deleted":
            raise AuthenticationError(f"{row.entity_name} no longer has access")
        return c.Entity.model_validate(row._mapping), self.role_of(user_id)

    def _user(self, user_id: str) -> c.Entity:
        row = self.store.get(core_entities, user_id, "user")
        if row.entity_type != "user":
            raise ValidationError("user_id", f"{row.entity_name} is not a user")
        if row.status in ("deleted", "inactive"):
            raise AuthenticationError(f"{row.entity_name} no longer has access")
        return c.Entity.model_validate(row._mapping)
