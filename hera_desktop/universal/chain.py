"""Tamper evidence: every transaction is hashed with the one before it in its chain.

There is one chain per (organization, terminal), so terminals working offline
never fork a chain. ``verify`` walks every chain and names the first broken link,
then holds each chain against what outlives a deletion at its end (``anchors``:
its counter, the last Z report's recorded heads, the document numbers).
``verify_anchor`` checks one printed anchor: that link still in the books, and
its chain unbroken up to it.

Each transaction records the format its link was hashed with (``chain_format``),
and the format is itself hashed, so a chain written by an earlier version still
verifies and a changed format number breaks the link like any other edit:

1. SHA-256 of canonical JSON (sorted keys) of the header's fields with its
   lines nested in it. Books written before chain formats existed use it.
2. SHA-256 of one compact JSON array: the format, the header's values in
   ``HEADER_FIELDS`` order, then each line's values in ``LINE_FIELDS`` order, by
   line number. Amounts are their exact text, mappings canonical JSON text. The
   same information as format 1 at under half the cost, because no mapping is
   built and sorted per record (an import of thousands of entries hashes each).
"""
from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from itertools import groupby
from operator import itemgetter
from typing import Any, Iterable, Mapping, Optional, Sequence

from pydantic import BaseModel
from sqlalchemy import func, select

from ..domain.contracts.books_check import Disagreement
from ..domain.contracts.day_close import SHORT_HASH
from ..domain.errors import ValidationError
from ..domain.money import to_text
from ..storage import chain_counters, document_numbers
from ..storage.jsoncodec import canonical, dumps
from ..storage.schema import universal_transaction_lines as L
from ..storage.schema import universal_transactions as T
from ..storage.scoped import OrgStore
from .anchors import Missing, document_gaps, latest_closing, missing_tails, unanchored

GENESIS = "0" * 64
FORMAT = 2  # the link format new transactions are hashed with
HEADER_FIELDS = ("id", "organization_id", "transaction_type", "transaction_code", "transaction_date",
                 "source_entity_id", "target_entity_id", "total_amount", "currency", "reference", "description",
                 "status", "smart_code", "business_context", "metadata", "idempotency_key", "reversal_of",
                 "terminal_id", "chain_seq", "prev_hash", "created_at", "created_by")
LINE_FIELDS = ("id", "line_number", "line_type", "entity_id", "quantity", "unit_price", "line_amount", "dr_cr",
               "currency", "smart_code", "description", "metadata")


def _plain(value: Any) -> Any:
    return to_text(value) if isinstance(value, Decimal) else value


def _fields(record: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    get = record.get
    out = {}
    for f in names:
        v = get(f)
        out[f] = to_text(v) if isinstance(v, Decimal) else v
    return out


def content_hash(header: dict[str, Any], lines: Iterable[dict[str, Any]]) -> str:
    """The hash of one link, in the format the header names (1 when it names none: written before formats)."""
    chain_format = header.get("chain_format") or 1
    if chain_format == 2:
        return _link_v2(header, lines)
    if chain_format == 1:
        return _link_v1(header, lines)
    return f"unknown chain format {chain_format!r}"  # matches no stored hash: verify reports the link


def _link_v1(header: dict[str, Any], lines: Iterable[dict[str, Any]]) -> str:
    body = _fields(header, HEADER_FIELDS)
    body["lines"] = [_fields(line, LINE_FIELDS) for line in sorted(lines, key=_line_number)]
    return hashlib.sha256(canonical(body).encode()).hexdigest()


_HEADER_VALUES = itemgetter(*HEADER_FIELDS)
_LINE_VALUES = itemgetter(*LINE_FIELDS)
_HEADER_AMOUNT = HEADER_FIELDS.index("total_amount")
_HEADER_JSON = (HEADER_FIELDS.index("business_context"), HEADER_FIELDS.index("metadata"))
_LINE_AMOUNTS = tuple(LINE_FIELDS.index(f) for f in ("quantity", "unit_price", "line_amount"))
_LINE_JSON = LINE_FIELDS.index("metadata")


def _json_text(value: Any) -> str:
    return canonical(value) if value else "{}"


def _link_v2(header: dict[str, Any], lines: Iterable[dict[str, Any]]) -> str:
    values: list[Any] = list(_HEADER_VALUES(header))
    values[_HEADER_AMOUNT] = _plain(values[_HEADER_AMOUNT])
    for i in _HEADER_JSON:
        values[i] = _json_text(values[i])
    stored_lines = []
    for line in sorted(lines, key=_line_number):
        row = list(_LINE_VALUES(line))
        for i in _LINE_AMOUNTS:
            row[i] = _plain(row[i])
        row[_LINE_JSON] = _json_text(row[_LINE_JSON])
        stored_lines.append(row)
    return link(values, stored_lines)


LINK_FORMAT = 2  # the format ``link`` hashes


def link(header: list[Any], lines: list[list[Any]]) -> str:
    """A format-2 link from values as stored: the header's in ``HEADER_FIELDS`` order, each line's in
    ``LINE_FIELDS`` order, by line number; amounts as exact text, mappings as canonical JSON text.
    Writers that already hold their rows in that form hash them here directly."""
    return hashlib.sha256(dumps([2, *header, *lines]).encode()).hexdigest()


def _line_number(line: dict[str, Any]) -> Any:
    return line["line_number"]


class BrokenLink(BaseModel):
    organization_id: str
    terminal_id: str
    chain_seq: int
    transaction_id: str
    transaction_code: str
    problem: str


class ChainReport(BaseModel):
    chains: int
    transactions: int
    broken: list[BrokenLink]  # the first broken link of each chain
    missing: list[Missing] = []  # what a chain's counter, the last closing or the document numbers say is gone
    # Derived values and feed events that disagree with the records (see ``services.books_check``).
    disagreements: list[Disagreement] = []

    @property
    def intact(self) -> bool:
        return not self.broken and not self.missing and not self.disagreements

    def findings(self) -> list[str]:
        """Each thing the check found wrong, as a sentence: broken links, missing tails, then disagreements."""
        return ([f"Transaction {b.transaction_code} (#{b.chain_seq} of terminal {b.terminal_id[-4:].upper()}): "
                 f"{b.problem}" for b in self.broken] + [m.problem for m in self.missing]
                + [d.problem for d in self.disagreements])


class AnchorReport(BaseModel):
    """One anchor (a printed Z report's hash) checked against the books."""
    anchor: str  # as given, in lower case
    organization_id: Optional[str] = None  # where the anchored link was found
    terminal_id: Optional[str] = None
    chain_seq: Optional[int] = None
    transaction_code: Optional[str] = None
    problem: Optional[str] = None  # what is missing or altered; None when intact

    @property
    def intact(self) -> bool:
        return self.problem is None


Link = Mapping[Any, Any]  # a stored transaction header (a row mapping)


def _first_break(links: Sequence[Link], lines_by_txn: Mapping[str, list[dict[str, Any]]]) -> BrokenLink | None:
    """The first broken link of one chain's transactions, given in chain order from its start."""
    prev, expect_seq = GENESIS, 1
    for h in links:
        problem = _problem(h, lines_by_txn.get(h["id"], []), prev, expect_seq)
        if problem:
            return _broken(h, problem)
        prev = h["content_hash"]
        expect_seq += 1
    return None


def _lines_by_txn(rows: Iterable[Any]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for line in rows:
        found.setdefault(line.transaction_id, []).append(dict(line._mapping))
    return found


def verify(stores: Iterable[OrgStore]) -> ChainReport:
    """Recompute every hash in order; report the first broken link of each chain of these organizations,
    and whatever the chains' witnesses say is missing."""
    chains = 0
    count = 0
    broken: list[BrokenLink] = []
    missing: list[Missing] = []
    for store in stores:
        org = store.organization_id
        headers = [h._mapping for h in store.query(select(T).order_by(T.c.terminal_id, T.c.chain_seq))]
        lines_by_txn = _lines_by_txn(store.query(select(L).order_by(L.c.transaction_id, L.c.line_number)))
        newest: dict[str, tuple[int, str]] = {}
        for terminal, group in groupby(headers, key=itemgetter("terminal_id")):
            links = list(group)
            chains += 1
            count += len(links)
            found = _first_break(links, lines_by_txn)
            if found is not None:
                broken.append(found)
            newest[terminal] = (links[-1]["chain_seq"], links[-1]["content_hash"])
        missing += missing_tails(org, newest, chain_counters.counters(store.conn, org))
        missing += unanchored(org, latest_closing(headers),
                              {(h["terminal_id"], h["chain_seq"]): h["content_hash"] for h in headers},
                              {h["id"]: h["content_hash"] for h in headers})
        missing += document_gaps(org, document_numbers.last_numbers(store.conn, org),
                                 document_numbers.highest_numbers((h["terminal_id"], h["transaction_code"])
                                                                  for h in headers))
    return ChainReport(chains=chains, transactions=count, broken=broken, missing=missing)


def verify_newest(store: OrgStore, links: int = 200) -> ChainReport:
    """The newest ``links`` links of each of this organization's chains, each following the stored hash of the
    one before, and each chain's counter against its newest link: the quick check when the books are opened
    (a full ``verify`` walks everything)."""
    heads = store.query(select(T.c.terminal_id, func.max(T.c.chain_seq)).group_by(T.c.terminal_id))
    broken: list[BrokenLink] = []
    newest: dict[str, tuple[int, str]] = {}
    count = 0
    for terminal, last in heads:
        first = max(1, last - links + 1)
        headers = [h._mapping for h in store.query(select(T).where(
            T.c.terminal_id == terminal, T.c.chain_seq >= first - 1).order_by(T.c.chain_seq))]
        newest[str(terminal)] = (int(headers[-1]["chain_seq"]), str(headers[-1]["content_hash"]))
        prev, expect_seq = GENESIS, first
        if first > 1:
            if headers[0]["chain_seq"] != first - 1:
                prev = ""  # the link before the newest is missing: the first checked cannot follow it
            else:
                prev = headers.pop(0)["content_hash"]
        lines_by_txn = _lines_by_txn(store.query(select(L).where(L.c.transaction_id.in_([h["id"] for h in headers]))))
        for h in headers:
            count += 1
            problem = _problem(h, lines_by_txn.get(h["id"], []), prev, expect_seq)
            if problem:
                broken.append(_broken(h, problem))
                break
            prev = h["content_hash"]
            expect_seq += 1
    org = store.organization_id
    missing = missing_tails(org, newest, chain_counters.counters(store.conn, org))
    return ChainReport(chains=len(heads), transactions=count, broken=broken, missing=missing)


def _problem(h: Link, lines: list[dict[str, Any]], prev: str, expect_seq: int) -> str | None:
    """What is wrong with one link that should be number ``expect_seq`` and follow ``prev``; None if nothing."""
    if h["chain_seq"] != expect_seq:
        return f"transaction number {expect_seq} of this terminal is missing"
    if h["prev_hash"] != prev:
        return "it does not follow the transaction before it (previous hash differs)"
    if content_hash(dict(h), lines) != h["content_hash"]:
        return "its content was changed after it was recorded"
    return None


def _broken(h: Link, problem: str) -> BrokenLink:
    return BrokenLink(organization_id=h["organization_id"], terminal_id=h["terminal_id"], chain_seq=h["chain_seq"],
                      transaction_id=h["id"], transaction_code=h["transaction_code"], problem=problem)


def newest_links(store: OrgStore) -> dict[str, tuple[int, str]]:
    """Each of the organization's chains in these books by terminal: the number and hash of its newest link."""
    found = {}
    for terminal, seq in store.query(select(T.c.terminal_id, func.max(T.c.chain_seq)).group_by(T.c.terminal_id)):
        link = store.query(select(T.c.content_hash).where(T.c.terminal_id == terminal, T.c.chain_seq == seq))
        found[str(terminal)] = (int(seq), str(link[0][0]))
    return found


MIN_ANCHOR = 12  # hex digits: enough that two links of a business's books never share them
_HEX = re.compile(r"[0-9a-f]+\Z")


def anchor_prefix(anchor: str) -> str:
    """A printed anchor as the hex digits to look for; a ValidationError when it cannot be one."""
    given = "".join(str(anchor).split()).lower()
    if not _HEX.match(given) or not MIN_ANCHOR <= len(given) <= 64:
        raise ValidationError("anchor", f"must be the hash a Z report prints: {MIN_ANCHOR} to 64 hex digits "
                                        f"(0-9, a-f), not {anchor!r}")
    return given


def verify_anchor(stores: Iterable[OrgStore], anchor: str) -> AnchorReport:
    """Whether the books still hold the link with this hash (or hash prefix) and its chain, unbroken from
    the start up to it; a closing's recorded heads of other chains are held to the same test."""
    prefix = anchor_prefix(anchor)
    stores = list(stores)
    for store in stores:
        found = store.query(select(T).where(T.c.content_hash.startswith(prefix)))
        if len(found) > 1:
            raise ValidationError("anchor", f"{len(found)} transactions have hashes beginning {prefix}; "
                                            "give more of the hash")
        if found:
            return _check_anchored(store, prefix, found[0]._mapping)
    for store in stores:  # a later closing may still say which closing carried it
        for h in store.query(select(T).where(T.c.transaction_type == "day_close")):
            previous = ((h.business_context or {}).get("anchor") or {}).get("previous") or {}
            if str(previous.get("content_hash", "")).startswith(prefix):
                return AnchorReport(anchor=prefix, organization_id=store.organization_id, terminal_id=h.terminal_id,
                                    chain_seq=previous["chain_seq"], transaction_code=previous["transaction_code"],
                                    problem=f"{previous['transaction_code']} (transaction {previous['chain_seq']} of "
                                            f"terminal {h.terminal_id}), the closing {h.transaction_code} names "
                                            f"as the one before it, is no longer in the books as it was: it "
                                            f"was deleted, or it or a transaction before it was altered")
    return AnchorReport(anchor=prefix, problem=f"no transaction in these books has a hash beginning {prefix}: "
                                               "the anchored transaction was deleted, or it or a transaction "
                                               "before it was altered (re-linking a chain after an edit changes "
                                               "every hash from there on), or these are other books")


def _check_anchored(store: OrgStore, prefix: str, h: Link) -> AnchorReport:
    report = {"anchor": prefix, "organization_id": store.organization_id, "terminal_id": h["terminal_id"],
              "chain_seq": h["chain_seq"], "transaction_code": h["transaction_code"]}
    heads = [(h["terminal_id"], h["chain_seq"], h["content_hash"])]
    recorded = ((h["business_context"] or {}).get("anchor") or {}).get("heads") or []
    heads += [(r["terminal_id"], int(r["chain_seq"]), r["content_hash"]) for r in recorded
              if r["terminal_id"] != h["terminal_id"]]
    for terminal, seq, expected in heads:
        problem = _chain_up_to(store, terminal, seq, expected)
        if problem:
            return AnchorReport(**report, problem=problem)
    return AnchorReport(**report)


def _chain_up_to(store: OrgStore, terminal: str, seq: int, expected: str) -> str | None:
    """What is wrong with a chain from its start to its link ``seq`` (which should hash to ``expected``)."""
    links = [r._mapping for r in store.query(select(T).where(T.c.terminal_id == terminal, T.c.chain_seq <= seq)
                                             .order_by(T.c.chain_seq))]
    if not links or links[-1]["chain_seq"] != seq:
        return f"transaction {seq} of terminal {terminal} ({expected[:SHORT_HASH]}) is missing"
    if links[-1]["content_hash"] != expected:
        return (f"transaction {seq} of terminal {terminal} is no longer the one recorded "
                f"({expected[:SHORT_HASH]}, now {links[-1]['content_hash'][:SHORT_HASH]})")
    lines = _lines_by_txn(store.query(select(L).join(T, T.c.id == L.c.transaction_id)
                                      .where(T.c.terminal_id == terminal, T.c.chain_seq <= seq)
                                      .order_by(L.c.transaction_id, L.c.line_number)))
    found = _first_break(links, lines)
    if found is not None:
        return (f"transaction {found.chain_seq} {found.transaction_code} of terminal {terminal}, at or before "
                f"the anchor, is altered: {found.problem}")
    return None
