"""What every public call reads first, in one statement: the actor's standing and the stamps of what
calls keep between them.

A call acts for a user whose role or status another window may have changed a moment ago, under
settings and posting rules another process may have changed. Reading all three in full at every
call cost more than an order's own writes; this statement reads the user's type, status and role,
and a stamp of the organization's row and of its posting rules (their count, latest change and
versions), so the organization and the rules are read again only when their stamp moved.
"""
from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import text

from .prepared import Prepared
from .scoped import OrgStore

_STANDING = Prepared(text("""
SELECT
  (SELECT e.entity_type FROM core_entities e WHERE e.organization_id = :org AND e.id = :actor),
  (SELECT e.status FROM core_entities e WHERE e.organization_id = :org AND e.id = :actor),
  (SELECT d.field_value_text FROM core_dynamic_data d
    WHERE d.organization_id = :org AND d.entity_id = :actor AND d.field_name = 'role'),
  (SELECT o.updated_at FROM core_organizations o WHERE o.id = :org),
  (SELECT o.version FROM core_organizations o WHERE o.id = :org),
  (SELECT count(*) FROM core_entities e WHERE e.organization_id = :org AND e.entity_type = 'posting_rule'),
  (SELECT max(e.updated_at) FROM core_entities e WHERE e.organization_id = :org AND e.entity_type = 'posting_rule'),
  (SELECT sum(e.version) FROM core_entities e WHERE e.organization_id = :org AND e.entity_type = 'posting_rule'),
  (SELECT max(d.updated_at) FROM core_dynamic_data d JOIN core_entities e ON e.id = d.entity_id
    WHERE d.organization_id = :org AND e.organization_id = :org AND e.entity_type = 'posting_rule'
      AND d.field_name = 'rule'),
  (SELECT sum(d.version) FROM core_dynamic_data d JOIN core_entities e ON e.id = d.entity_id
    WHERE d.organization_id = :org AND e.organization_id = :org AND e.entity_type = 'posting_rule'
      AND d.field_name = 'rule')
"""))


class Standing(NamedTuple):
    """The actor as the books hold them now (all None for the system, or for an id that is no user here),
    and the stamps: a stamp that moved means what it covers was changed, here or elsewhere."""
    entity_type: str | None
    status: str | None
    role: str | None
    organization_stamp: tuple[object, ...]
    rules_stamp: tuple[object, ...]


def standing(store: OrgStore, actor_id: str | None) -> Standing:
    """Read inside the caller's unit of work, for this store's organization."""
    row = _STANDING.rows(store.conn, {"org": store.organization_id, "actor": actor_id})[0]
    return Standing(row[0], row[1], row[2], (row[3], row[4]), tuple(row[5:]))
