"""People who use the till and the books (``s.users``): roles, PINs, lockout.

After too many wrong PINs in a row a user must wait before the next try: a minute the
first time, twice as long each time after, up to an hour, until a right PIN ends it; a
manager (or the owner, from the command line) can unlock them at once, and that unlock
is recorded as a transaction. The counts live in the database, so restarting the app
does not reset them, and a try is counted before its PIN is checked, so PINs typed on
several tills at once cannot outrun the limit.
"""
from __future__ import annotations

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
from . import pins

if TYPE_CHECKING:
    from ..app import Scope

USER_SC = "HERA.SECURITY.USER.ENT.V1"
ROLE_SC = "HERA.SECURITY.USER.DYN.ROLE.V1"
ATTEMPTS_SC = "HERA.SECURITY.USER.DYN.ATTEMPTS.V1"
LOCKOUTS_SC = "HERA.SECURITY.USER.DYN.LOCKOUTS.V1"
LOCK_SC = "HERA.SECURITY.USER.DYN.LOCKED.V1"
UNLOCK_SC = "HERA.SECURITY.USER.UNLOCK.V1"
UNLOCK_LINE_SC = "HERA.SECURITY.USER.UNLOCK.LINE.V1"
FIRST_WAIT = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=1)
_LOCK_FIELDS = ("failed_pin_attempts", "pin_lockouts", "locked_until", "locked")


def wait_after(lockouts: int) -> timedelta:
    """How long the ``lockouts``-th lockout in a row lasts: 1, 2, 4, ... minutes, at most an hour."""
    return min(FIRST_WAIT * 2 ** min(max(lockouts - 1, 0), 20), LONGEST_WAIT)


def _in_words(wait: timedelta) -> str:
    minutes = max(1, -(-int(wait.total_seconds()) // 60))
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


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
        self.scope.require("users.manage", "add users")
        if role not in ROLES:
            raise ValidationError("role", f"must be one of {', '.join(ROLES)}")
        pin_hash = pins.hash_pin(pins.check_pin(pin, role))
        with self.scope.db.write():
            user = self.uni.create_entity(entity_type="user", entity_name=name, smart_code=USER_SC,
                                          classification=role)
            self.uni.set_dynamic_fields(user.id, {"role": (role, ROLE_SC), "failed_pin_attempts": (0, ATTEMPTS_SC)})
            pins.store_hash(self.store, user.id, pin_hash)
            return user

    def list(self) -> list[dict[str, Any]]:
        """Active users with their role and whether they are waiting out a lockout (for a sign-in screen)."""
        with self.scope.db.read():
            users = self.uni.query_entities(entity_type="user", limit=1000).entities
            values = self.uni.field_values([u.id for u in users], ("role", "locked_until"))
        now = timestamp_text(self.clock())
        return [{"id": u.id, "name": u.entity_name, "code": u.entity_code, "role": values[u.id].get("role"),
                 "locked": (values[u.id].get("locked_until") or "") > now}
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
            return user
        if until:
            raise UserLockedError(f"Wrong PIN. {user.entity_name} is now locked for {_in_words(wait_after(lockouts))}; "
                                  f"try again then, or ask a manager to unlock them")
        left = limit - attempts
        raise AuthenticationError(f"Wrong PIN for {user.entity_name}; {left} attempt{'s' if left != 1 else ''} "
                                  f"left before a wait of {_in_words(wait_after(lockouts + 1))}")

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
            by = self._user(self.scope.actor_id).entity_name if self.scope.actor_id else "the owner (system)"
            self._put_lock_state(user_id, 0, 0, "", state)
            return self.scope.internal.txn.emit(c.TxnEmit(
                transaction_type="security_event", smart_code=UNLOCK_SC, source_entity_id=user_id,
                target_entity_id=self.scope.actor_id, description=f"{user.entity_name} unlocked by {by}",
                business_context={"event": "user_unlocked", "user_id": user_id, "user_name": user.entity_name,
                                  "unlocked_by": self.scope.actor_id, "unlocked_by_name": by,
                                  "was_locked": bool(state["locked_until"] > timestamp_text(self.clock())),
                                  "failed_pin_attempts": state["failed_pin_attempts"],
                                  "reason": (reason or "").strip() or None},
                lines=[c.TxnLineIn(line_number=1, line_type="SECURITY", entity_id=user_id, smart_code=UNLOCK_LINE_SC,
                                   description=f"Unlocked: {user.entity_name}")]))

    def set_role(self, user_id: str, role: str) -> c.Entity:
        """Give a user another role; it holds from their next call on, in every window and process that has
        them signed in. A PIN too short for the new role is kept until they next change it."""
        self.scope.require("users.manage", "change roles")
        if role not in ROLES:
            raise ValidationError("role", f"must be one of {', '.join(ROLES)}")
        if user_id == self.scope.actor_id:
            raise ValidationError("user_id", "you cannot change your own role; ask another admin")
        with self.scope.db.write():
            self._user(user_id)
            self.uni.set_dynamic_fields(user_id, {"role": (role, ROLE_SC)})
            return self.uni.update_entity(user_id, classification=role)

    def deactivate(self, user_id: str, reason: str) -> c.Entity:
        """Take a user's access away (they left, a lost badge): they cannot sign in or act from their next
        call on, in every window; their past work keeps their name. Nobody deactivates themself."""
        self.scope.require("users.manage", "deactivate users")
        if user_id == self.scope.actor_id:
            raise ValidationError("user_id", "you cannot deactivate yourself; ask another admin")
        if not isinstance(reason, str) or not reason.strip() or len(reason) > 500:
            raise ValidationError("reason", "say why, in at most 500 characters")
        reason = text.plain("reason", reason.strip())
        with self.scope.db.write():
            user = self._user(user_id)
            if user.status != "active":
                raise ValidationError("user_id", f"{user.entity_name} is already deactivated")
            return self.uni.update_entity(user_id, status="inactive",
                                          metadata={"deactivated_reason": reason,
                                                    "deactivated_by": self.scope.actor_id})

    def reactivate(self, user_id: str) -> c.Entity:
        """Give a deactivated user their access back, with the role and PIN they had."""
        self.scope.require("users.manage", "reactivate users")
        with self.scope.db.write():
            row = self.store.get(core_entities, user_id, "user")
            if row.entity_type != "user":
                raise ValidationError("user_id", f"{row.entity_name} is not a user")
            if row.status == "active":
                raise ValidationError("user_id", f"{row.entity_name} is already active")
            return self.uni.update_entity(user_id, status="active")

    def change_pin(self, user_id: str, new_pin: str) -> None:
        if self.scope.actor_id != user_id and not self.scope.allows("users.manage"):
            raise PermissionDeniedError("Only the user themself or an admin may change a PIN")
        with self.scope.db.read():
            self._user(user_id)
            role = self.role_of(user_id)
        pin_hash = pins.hash_pin(pins.check_pin(new_pin, role))
        with self.scope.db.write():
            self._user(user_id)
            pins.store_hash(self.store, user_id, pin_hash)

    def _user(self, user_id: str) -> c.Entity:
        row = self.store.get(core_entities, user_id, "user")
        if row.entity_type != "user":
            raise ValidationError("user_id", f"{row.entity_name} is not a user")
        if row.status in ("deleted", "inactive"):
            raise AuthenticationError(f"{row.entity_name} no longer has access")
        return c.Entity.model_validate(row._mapping)
