"""What outlives a deletion: the witnesses ``verify`` holds a chain against, besides its own links.

A hash chain shows every edit inside it, but a chain cut short at its end still
links up. Three records outlive such a cut, and each says what is missing:

- the chain's counter (``hera_chain_counters``) holds the last number handed
  out: a chain ending before it lost its tail;
- the last Z report recorded the head of each of the organization's chains and
  named the closing before it: each must still be in the books, unchanged;
- the document numbers (``hera_document_numbers``) hold the last number of each
  kind of document: one higher than any document present was deleted.

Someone who can write the file can rewrite all of these consistently; the
printed Z report (``verify --anchor``) is the witness they cannot reach.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from pydantic import BaseModel

from ..domain.contracts.day_close import SHORT_HASH

Head = tuple[int, str]  # a chain's link: its number and hash


class Missing(BaseModel):
    """Something the books once held and hold no more, and the record that says so."""
    organization_id: str
    terminal_id: str
    witness: str  # "chain counter", "closing" or "document numbers"
    problem: str


def missing_tails(organization_id: str, newest: Mapping[str, Head], counters: Mapping[str, Head]) -> list[Missing]:
    """Chains that end before their counter (their last transactions were deleted), or whose newest link is
    not the one the counter recorded (it was replaced)."""
    found = []
    for terminal, (last, last_hash) in sorted(counters.items()):
        present, present_hash = newest.get(terminal, (0, ""))
        if last == present and last_hash != present_hash:
            found.append(Missing(organization_id=organization_id, terminal_id=terminal, witness="chain counter",
                                 problem=f"transaction {last} of terminal {terminal} is not the one recorded last "
                                         f"(its counter holds {last_hash[:SHORT_HASH]}, the chain "
                                         f"{present_hash[:SHORT_HASH]}): it was replaced"))
        elif last > present:
            span = f"transaction {last} of terminal {terminal} is" if last == present + 1 else \
                f"transactions {present + 1}..{last} of terminal {terminal} are"
            found.append(Missing(organization_id=organization_id, terminal_id=terminal, witness="chain counter",
                                 problem=f"{span} missing: the chain ends at "
                                         f"{present}, but its counter says {last} were recorded"))
    return found


def latest_closing(headers: Iterable[Mapping[Any, Any]]) -> Mapping[Any, Any] | None:
    """The newest closing that recorded an anchor, among these transaction headers."""
    closings = [h for h in headers if h["transaction_type"] == "day_close"
                and (h["business_context"] or {}).get("anchor")]
    return max(closings, key=lambda h: (h["created_at"], h["id"])) if closings else None


def unanchored(organization_id: str, closing: Mapping[Any, Any] | None, links: Mapping[tuple[str, int], str],
               hashes: Mapping[str, str]) -> list[Missing]:
    """What the last closing recorded and the books no longer hold as it was: a chain's head (``links``:
    each present link's hash by terminal and number) or the closing before it (``hashes``: by id)."""
    if closing is None:
        return []
    anchor = closing["business_context"]["anchor"]
    code = closing["transaction_code"]
    found = []
    for head in anchor.get("heads", []):
        terminal, seq, recorded = head["terminal_id"], int(head["chain_seq"]), head["content_hash"]
        held = links.get((terminal, seq))
        if held == recorded:
            continue
        what = "no longer holds it" if held is None else f"hold another link there ({held[:SHORT_HASH]})"
        found.append(Missing(organization_id=organization_id, terminal_id=terminal, witness="closing",
                             problem=f"the last closing {code} recorded transaction {seq} of terminal {terminal} "
                                     f"({recorded[:SHORT_HASH]}) as its chain's head, and the books {what}"))
    previous = anchor.get("previous")
    if previous and hashes.get(previous["transaction_id"]) != previous["content_hash"]:
        state = "is gone" if previous["transaction_id"] not in hashes else "was changed"
        found.append(Missing(organization_id=organization_id, terminal_id=closing["terminal_id"], witness="closing",
                             problem=f"the closing before {code}, {previous['transaction_code']} "
                                     f"({previous['content_hash'][:SHORT_HASH]}), {state}"))
    return found


def document_gaps(organization_id: str, last_numbers: Mapping[tuple[str, str], int],
                  highest: Mapping[tuple[str, str], int]) -> list[Missing]:
    """Kinds of document whose counter gave numbers past the highest document present (counters whose
    documents are all gone are left to the chain's counter: old books' counters may name codes of another
    form)."""
    found = []
    for (terminal, kind), last in sorted(last_numbers.items()):
        present = highest.get((terminal, kind))
        if present is None or last <= present:
            continue
        span = f"document {kind} {last:06d} of terminal {terminal} is" if last == present + 1 else \
            f"documents {kind} {present + 1:06d}..{last:06d} of terminal {terminal} are"
        found.append(Missing(organization_id=organization_id, terminal_id=terminal, witness="document numbers",
                             problem=f"{span} missing: numbers were "
                                     f"given up to {last}, the highest present is {present}"))
    return found
