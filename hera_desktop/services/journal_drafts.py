"""Journal entry drafts (``s.journal_drafts``): what a bookkeeper has typed but not yet posted.

Each user has one draft per organization, kept in the books as an entity of type
``journal_draft`` with the draft in a JSON dynamic field, so a half-typed entry
survives closing the app, a crash or a power cut. A draft is not business data
yet: it never touches the ledger, and posting it clears it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..domain import contracts as c
from ..domain.contracts.journal_drafts import JournalDraft
from ..domain.ids import now_text

if TYPE_CHECKING:
    from ..app import Scope

DRAFT_SC = "HERA.FINANCE.GL.JOURNAL.DRAFT.V1"
DRAFT_DATA_SC = "HERA.FINANCE.GL.JOURNAL.DRAFT.DATA.V1"
FIELD = "draft"


class JournalDrafts:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope

    @property
    def _code(self) -> str:
        return f"DRAFT-{self.scope.actor_id or 'SYSTEM'}"

    def _entity(self) -> c.Entity | None:
        found = self.scope.internal.universal.query_entities(entity_type="journal_draft", entity_code=self._code,
                                                    limit=1).entities
        return found[0] if found else None

    def load(self) -> JournalDraft | None:
        """The signed-in user's draft, or None when there is nothing unposted."""
        with self.scope.db.read():
            entity = self._entity()
            field = self.scope.internal.universal.get_dynamic_field(entity.id, FIELD) if entity else None
        if field is None or not field.field_value_json:
            return None
        draft = JournalDraft.model_validate(field.field_value_json)
        return None if draft.is_empty else draft

    def save(self, draft: JournalDraft | dict[str, Any]) -> JournalDraft:
        self.scope.require("journals.post", "keep journal drafts")
        data = draft if isinstance(draft, JournalDraft) else JournalDraft.model_validate(draft)
        data = data.model_copy(update={"saved_at": now_text()})
        uni = self.scope.internal.universal
        with self.scope.db.write():
            entity = self._entity() or uni.create_entity(
                entity_type="journal_draft", entity_name="Journal entry draft", entity_code=self._code,
                smart_code=DRAFT_SC, classification="draft")
            uni.set_dynamic_field(entity.id, FIELD, data.model_dump(mode="json"), DRAFT_DATA_SC)
        return data

    def clear(self) -> None:
        """Forget the draft (after posting it, or when the user starts over)."""
        self.scope.require("journals.post", "keep journal drafts")
        with self.scope.db.write():
            entity = self._entity()
            if entity is not None:
                self.scope.internal.universal.set_dynamic_field(entity.id, FIELD, {}, DRAFT_DATA_SC)
