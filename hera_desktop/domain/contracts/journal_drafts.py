"""A journal entry draft: what a bookkeeper has typed but not yet posted, kept exactly as typed."""
from __future__ import annotations

from typing import Optional

from pydantic import BaseModel, ConfigDict, Field


class DraftLine(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)
    account_id: Optional[str] = None
    account_text: str = ""      # what was typed, kept even when it matched no account yet
    debit: str = ""             # exact decimal text, as typed
    credit: str = ""
    description: str = ""

    @property
    def is_blank(self) -> bool:
        return not (self.account_id or self.account_text.strip() or self.debit or self.credit
                    or self.description.strip())


class JournalDraft(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)
    date: Optional[str] = None  # YYYY-MM-DD
    reference: str = ""
    description: str = ""
    lines: list[DraftLine] = Field(default_factory=list)
    saved_at: Optional[str] = None

    @property
    def is_empty(self) -> bool:
        return not (self.reference.strip() or self.description.strip()) and all(ln.is_blank for ln in self.lines)
