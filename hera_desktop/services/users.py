"""People who use the till and the books (``s.users``): roles, PINs, lockout.

A PIN is stored only as a slow salted scrypt hash. After too many wrong PINs in
a row the user is locked until a manager unlocks them; the counter lives in the
database, so restarting the app does not reset it.
"""
from __future__ import annotations

import hashlib
import hmac
import os
from typing import Any

from ..domain import contracts as c
from ..domain.errors import AuthenticationError, PermissionDeniedError, UserLockedError, ValidationError
from ..domain.roles import ROLES
from ..storage.schema import core_entities

USER_SC = "HERA.SECURITY.USER.ENT.V1"
ROLE_SC = "HERA.SECURITY.USER.DYN.ROLE.V1"
PIN_SC = "HERA.SECURITY.USER.DYN.PIN.V1"
ATTEMPTS_SC = "HERA.SECURITY.USER.DYN.ATTEMPTS.V1"
LOCK_SC = "HERA.SECURITY.USER.DYN.LOCKED.V1"
SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}


def hash_pin(pin: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, dklen=32, **SCRYPT)
    return f"scrypt${SCRYPT['n']}${SCRYPT['r']}${SCRYPT['p']}${salt.hex()}${digest.hex()}"


def pin_matches(pin: str, stored: str) -> bool:
    try:
        _, n, r, p, salt, digest = stored.split("$")
        candidate = hashlib.scrypt(pin.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(candidate.hex(), digest)


def check_pin(pin: Any) -> str:
    if not isinstance(pin, str) or not pin.isdigit() or not 4 <= len(pin) <= 8:
        raise ValidationError("pin", "must be 4 to 8 digits")
    return pin


class Users:
    def __init__(self, scope: Any) -> None:
        self.scope = scope
        self.uni = scope.universal
        self.store = scope.store

    def create(self, name: str, role: str, pin: str) -> c.Entity:
        self.scope.require("users.manage", "add users")
        if role not in ROLES:
            raise ValidationError("role", f"must be one of {', '.join(ROLES)}")
        check_pin(pin)
        pin_hash = hash_pin(pin)
        with self.scope.db.write():
            user = self.uni.create_entity(entity_type="user", entity_name=name, smart_code=USER_SC,
                                          classification=role)
            self.uni.set_dynamic_field(user.id, "role", role, ROLE_SC)
            self.uni.set_dynamic_field(user.id, "pin_hash", pin_hash, PIN_SC)
            self.uni.set_dynamic_field(user.id, "failed_pin_attempts", 0, ATTEMPTS_SC)
            self.uni.set_dynamic_field(user.id, "locked", False, LOCK_SC)
            return user

    def list(self) -> list[dict[str, Any]]:
        """Active users with their role and whether they are locked (for a sign-in screen)."""
        with self.scope.db.read():
            users = self.uni.query_entities(entity_type="user", limit=1000).entities
            values = self.uni.field_values([u.id for u in users], ("role", "locked"))
        return [{"id": u.id, "name": u.entity_name, "code": u.entity_code, "role": values[u.id].get("role"),
                 "locked": bool(values[u.id].get("locked"))} for u in sorted(users, key=lambda u: u.entity_name)]

    def role_of(self, user_id: str) -> str | None:
        field = self.uni._field(user_id, "role")
        return field.field_value_text if field is not None else None

    def authenticate(self, user_id: str, pin: str) -> c.Entity:
        """The user, if the PIN is right; otherwise count the failure and, past the limit, lock them.

        The slow hash is checked outside any write: the books stay open to other writers meanwhile, and
        only a wrong PIN (or one right after wrong ones) writes, re-reading the counter as it does.
        """
        if not isinstance(pin, str):
            raise ValidationError("pin", "must be 4 to 8 digits")
        limit = int(self.scope.settings.get("pin_attempts_before_lock", 5))
        with self.scope.db.read():
            user, stored, attempts = self._pin_state(user_id, limit)
        ok = pin_matches(pin, stored)
        if ok and not attempts:
            return user
        with self.scope.db.write():
            user, now_stored, attempts = self._pin_state(user_id, limit)
            if now_stored != stored:  # the PIN was changed while this one was checked
                ok = pin_matches(pin, now_stored)
            if ok:
                if attempts:
                    self.uni.set_dynamic_field(user_id, "failed_pin_attempts", 0, ATTEMPTS_SC)
                return user
            attempts += 1
            self.uni.set_dynamic_field(user_id, "failed_pin_attempts", attempts, ATTEMPTS_SC)
            locked = attempts >= limit
            if locked:
                self.uni.set_dynamic_field(user_id, "locked", True, LOCK_SC)
        # Raised after the unit of work commits, so the failed attempt is remembered.
        if locked:
            raise UserLockedError(f"Wrong PIN. {user.entity_name} is now locked; a manager must unlock them")
        left = limit - attempts
        raise AuthenticationError(f"Wrong PIN for {user.entity_name}; {left} attempt{'s' if left != 1 else ''} "
                                  f"left before the user is locked")

    def _pin_state(self, user_id: str, limit: int) -> tuple[c.Entity, str, int]:
        """The user, their stored PIN hash and wrong tries so far; a locked user is refused here."""
        user = self._user(user_id)
        fields = self.uni.get_dynamic_fields(user_id)
        if fields.get("locked") is not None and fields["locked"].field_value_boolean:
            raise UserLockedError(f"{user.entity_name} is locked after {limit} wrong PINs; "
                                  f"a manager must unlock them")
        stored = (fields["pin_hash"].field_value_text or "") if "pin_hash" in fields else ""
        attempts = int(fields["failed_pin_attempts"].field_value_number or 0) if "failed_pin_attempts" in fields else 0
        return user, stored, attempts

    def unlock(self, user_id: str) -> None:
        self.scope.require("users.unlock", "unlock users")
        with self.scope.db.write():
            self._user(user_id)
            self.uni.set_dynamic_field(user_id, "failed_pin_attempts", 0, ATTEMPTS_SC)
            self.uni.set_dynamic_field(user_id, "locked", False, LOCK_SC)

    def change_pin(self, user_id: str, new_pin: str) -> None:
        if self.scope.actor_id != user_id and not self.scope.allows("users.manage"):
            raise PermissionDeniedError("Only the user themself or an admin may change a PIN")
        check_pin(new_pin)
        pin_hash = hash_pin(new_pin)
        with self.scope.db.write():
            self._user(user_id)
            self.uni.set_dynamic_field(user_id, "pin_hash", pin_hash, PIN_SC)

    def _user(self, user_id: str) -> c.Entity:
        row = self.store.get(core_entities, user_id, "user")
        if row.entity_type != "user":
            raise ValidationError("user_id", f"{row.entity_name} is not a user")
        if row.status == "deleted":
            raise AuthenticationError(f"{row.entity_name} no longer has access")
        return c.Entity.model_validate(row._mapping)
