"""Who may call the HERA server: bearer tokens, each acting in one organization with one role.

``create`` makes a token (``hts_`` and 32 random bytes, base64url), shows it once and keeps only its
SHA-256. Each token acts as a user entity of its organization (named like the token, with the token's
role), so the desktop's roles and the door of every public call limit it exactly as they limit a person,
and everything it records is stamped with that user. ``identify`` finds the token a request carries;
a revoked or unknown token is an ``AuthenticationError`` whose message never says which it was.
"""
from __future__ import annotations

import base64
import hashlib
import secrets

from ..domain.errors import AuthenticationError, NotFoundError, ValidationError
from ..domain.ids import checked_id, new_id, now_text
from ..domain.roles import ROLES
from ..storage import api_tokens as stored
from ..storage.database import Database
from ..storage.scoped import OrgStore
from ..universal.api import UniversalAPI
from . import organizations
from .users import ROLE_SC, USER_SC

PREFIX = "hts_"
TOKEN_BYTES = 32
DEFAULT_ROLE = "cashier"  # the least a token can do unless its maker says more


Token = stored.StoredToken  # a token as listed: never the token itself


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def well_formed(token: str) -> bool:
    """``hts_`` and 43 base64url characters (32 bytes): anything else is not worth a database lookup."""
    body = token[len(PREFIX):]
    return (token.startswith(PREFIX) and len(body) == 43
            and all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in body))


def _organization(db: Database, organization_id: str) -> str:
    checked_id("organization", organization_id)
    with db.read() as conn:
        if organizations.find(conn, organization_id) is None:
            raise NotFoundError(f"No organization with id {organization_id}")
    return organization_id


def create(db: Database, organization_id: str, name: str, role: str = DEFAULT_ROLE) -> tuple[str, Token]:
    """A new token for the organization: (the token, shown this once; what is kept of it)."""
    org_id = _organization(db, organization_id)
    if not isinstance(name, str) or not name.strip() or len(name) > 255:
        raise ValidationError("name", "must be text of 1 to 255 characters (what the token is for, e.g. \"Till 2\")")
    if role not in ROLES:
        raise ValidationError("role", f"must be one of {', '.join(ROLES)}")
    token = PREFIX + base64.urlsafe_b64encode(secrets.token_bytes(TOKEN_BYTES)).rstrip(b"=").decode("ascii")
    store = OrgStore(db, org_id)
    with db.write() as conn:
        users = UniversalAPI(store, users_records=True)
        user = users.create_entity(entity_type="user", entity_name=name.strip(), smart_code=USER_SC,
                                   classification=role, metadata={"api_token": True})
        users.set_dynamic_fields(user.id, {"role": (role, ROLE_SC)})
        row = {"id": new_id(), "organization_id": org_id, "user_id": user.id, "name": name.strip(), "role": role,
               "token_sha256": digest(token), "created_at": now_text(), "revoked_at": None}
        stored.add(conn, row)
    return token, Token(row["id"], org_id, user.id, row["name"], role, row["created_at"], None)


def every(db: Database, organization_id: str | None = None) -> list[Token]:
    if organization_id is not None:
        _organization(db, organization_id)
    with db.read() as conn:
        return stored.of_organization(conn, organization_id)


def revoke(db: Database, token_id: str) -> Token:
    """Revoke a token: every request carrying it is refused from now on, on every worker."""
    checked_id("token", token_id)
    with db.write() as conn:
        if stored.by_id(conn, token_id) is None:
            raise NotFoundError(f"No token with id {token_id}")
        stored.revoke(conn, token_id, now_text())
        found = stored.by_id(conn, token_id)
    assert found is not None
    return found


def identify(db: Database, token: str) -> Token:
    """The live token a request carries, or an AuthenticationError that does not say what was wrong with it."""
    refused = AuthenticationError("The bearer token is not valid (unknown, revoked or mistyped)")
    if not isinstance(token, str) or not well_formed(token):
        raise refused
    wanted = digest(token)
    with db.read() as conn:
        found = stored.by_hash(conn, wanted)
    if found is None or found.revoked_at is not None:
        raise refused
    return found
