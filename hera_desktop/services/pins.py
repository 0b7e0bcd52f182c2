"""PINs: how long they must be, how they are hashed, and where the hash is kept.

A PIN is stored only as a salted scrypt hash at OWASP's recommended cost (N=2^17, r=8,
p=1: about 128 MiB and a third of a second per hash), so a stolen file does not give up a
4-digit PIN in seconds. Hashes made at an older, cheaper cost still check, and are
replaced at the current cost on the next right PIN.

The hash lives in its user's ``pin_hash`` dynamic field, which no public read returns
(``domain.secrets``); only this module reads or writes it, for the users service.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import threading
from typing import Any

from ..domain.errors import ValidationError
from ..storage.schema import core_dynamic_data
from ..universal.dynamic_fields import FieldValue, write_fields

SCRYPT = {"n": 2 ** 17, "r": 8, "p": 1}
PIN_FIELD = "pin_hash"
PIN_SC = "HERA.SECURITY.USER.DYN.PIN.V1"
PIN_DIGITS = {"cashier": (4, 8), "bookkeeper": (4, 8), "manager": (6, 8), "admin": (6, 8)}
_LARGEST_N = 2 ** 20  # a stored hash asking for more memory than this is refused, not attempted
# Each hash holds 128 MiB for a third of a second: a few at once is all a till can afford.
_HASHING = threading.BoundedSemaphore(2)


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    with _HASHING:
        return hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, dklen=32, maxmem=130 * r * (n + p + 2) + 2 ** 20)


def hash_pin(pin: str) -> str:
    salt = os.urandom(16)
    digest = _scrypt(pin, salt, **SCRYPT)
    return f"scrypt${SCRYPT['n']}${SCRYPT['r']}${SCRYPT['p']}${salt.hex()}${digest.hex()}"


def pin_matches(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt" or not 2 <= int(n) <= _LARGEST_N:
            return False
        candidate = _scrypt(pin, bytes.fromhex(salt), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(candidate.hex(), digest)


def is_outdated(stored: str) -> bool:
    """Whether a stored hash was made at a lower cost than today's (and so is replaced on a right PIN)."""
    try:
        _, n, r, p, _, _ = stored.split("$")
        return (int(n), int(r), int(p)) != (SCRYPT["n"], SCRYPT["r"], SCRYPT["p"])
    except ValueError:
        return True


def check_pin(pin: Any, role: str | None) -> str:
    """The PIN, if it has the digits the role needs: managers and admins, who can unlock and change
    everything, need at least 6."""
    shortest, longest = PIN_DIGITS.get(role or "", (4, 8))
    if not isinstance(pin, str) or not pin.isascii() or not pin.isdigit() or not shortest <= len(pin) <= longest:
        who = f" for a {role}" if role in PIN_DIGITS else ""
        raise ValidationError("pin", f"must be {shortest} to {longest} digits{who}")
    return pin


def stored_hash(store: Any, user_id: str) -> str:
    """The user's PIN hash ("" if none): the one read of it, for the users service to compare PINs."""
    t = core_dynamic_data
    row = store.first(store.select(t, t.c.entity_id == user_id, t.c.field_name == PIN_FIELD,
                                   columns=[t.c.field_value_text]))
    return (row[0] or "") if row is not None else ""


def store_hash(store: Any, user_id: str, pin_hash: str) -> None:
    """Keep a user's new PIN hash (inside the caller's write) with the dynamic fields' writer. Its event
    says the PIN changed; the change feed leaves the hash itself out (it never leaves this computer)."""
    write_fields(store, [FieldValue(user_id, PIN_FIELD, pin_hash, PIN_SC)])
