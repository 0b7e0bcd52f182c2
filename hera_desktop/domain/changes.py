"""What a unit of work changed, as screens and integrations need to know it.

Every change to the six tables writes one feed event; the unit of work that wrote it
keeps the event's kind and the kind of record it was about (an entity's type, a
transaction's type, ``organization``). A screen reloads when a change touches the kinds
of records it shows, whoever made it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable


@dataclass(frozen=True)
class Changes:
    """The kinds of event (``entity.created``, ``transaction.recorded``...) and of records
    (``customer``, ``sale``, ``gl_account``, ``organization``...) that changed."""
    events: frozenset[str] = field(default_factory=frozenset)
    records: frozenset[str] = field(default_factory=frozenset)

    def __bool__(self) -> bool:
        return bool(self.events)

    def __or__(self, other: "Changes") -> "Changes":
        return Changes(self.events | other.events, self.records | other.records)

    def touches(self, records: Iterable[str]) -> bool:
        """Whether any of these kinds of record changed."""
        return not self.records.isdisjoint(records)


NOTHING = Changes()
