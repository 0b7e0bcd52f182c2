"""Tamper evidence: every transaction is hashed with the one before it in its chain.

There is one chain per (organization, terminal), so terminals working offline
never fork a chain. ``verify`` walks every chain and names the first broken link.

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
from decimal import Decimal
from operator import itemgetter
from typing import Any, Iterable

from pydantic import BaseModel
from sqlalchemy import func, select

from ..domain.contracts.books_check import Disagreement
from ..domain.money import to_text
from ..storage.jsoncodec import canonical, dumps
from ..storage.schema import universal_transaction_lines as L
from ..storage.schema import universal_transactions as T
from ..storage.scoped import OrgStore

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
    broken: list[BrokenLink]
    # Derived values and feed events that disagree with the records (see ``services.books_check``).
    disagreements: list[Disagreement] = []

    @property
    def intact(self) -> bool:
        return not self.broken and not self.disagreements


def verify(stores: Iterable[OrgStore]) -> ChainReport:
    """Recompute every hash in order; report the first broken link of each chain of these organizations."""
    chains = 0
    count = 0
    broken: list[BrokenLink] = []
    key = None
    prev = GENESIS
    expect_seq = 1
    skip = False
    for store in stores:
        headers = [h._mapping for h in store.query(select(T).order_by(T.c.terminal_id, T.c.chain_seq))]
        lines_by_txn: dict[str, list[dict[str, Any]]] = {}
        for line in store.query(select(L).order_by(L.c.transaction_id, L.c.line_number)):
            lines_by_txn.setdefault(line.transaction_id, []).append(dict(line._mapping))
        for h in headers:
            if (h["organization_id"], h["terminal_id"]) != key:
                key = (h["organization_id"], h["terminal_id"])
                chains += 1
                prev, expect_seq, skip = GENESIS, 1, False
            count += 1
            if skip:
                continue
            problem = _problem(h, lines_by_txn.get(h["id"], []), prev, expect_seq)
            if problem:
                broken.append(_broken(h, problem))
                skip = True
                continue
            prev = h["content_hash"]
            expect_seq += 1
    return ChainReport(chains=chains, transactions=count, broken=broken)


def _problem(h: Any, lines: list[dict[str, Any]], prev: str, expect_seq: int) -> str | None:
    """What is wrong with one link that should be number ``expect_seq`` and follow ``prev``; None if nothing."""
    if h["chain_seq"] != expect_seq:
        return f"transaction number {expect_seq} of this terminal is missing"
    if h["prev_hash"] != prev:
        return "it does not follow the transaction before it (previous hash differs)"
    if content_hash(dict(h), lines) != h["content_hash"]:
        return "its content was changed after it was recorded"
    return None


def _broken(h: Any, problem: str) -> BrokenLink:
    return BrokenLink(organization_id=h["organization_id"], terminal_id=h["terminal_id"], chain_seq=h["chain_seq"],
                      transaction_id=h["id"], transaction_code=h["transaction_code"], problem=problem)


def verify_newest(store: OrgStore, links: int = 200) -> ChainReport:
    """The newest ``links`` links of each of this organization's chains, each following the stored hash of the
    one before: the quick check when the books are opened (a full ``verify`` walks everything)."""
    heads = store.query(select(T.c.terminal_id, func.max(T.c.chain_seq)).group_by(T.c.terminal_id))
    broken: list[BrokenLink] = []
    count = 0
    for terminal, newest in heads:
        first = max(1, newest - links + 1)
        headers = [h._mapping for h in store.query(select(T).where(
            T.c.terminal_id == terminal, T.c.chain_seq >= first - 1).order_by(T.c.chain_seq))]
        prev, expect_seq = GENESIS, first
        if first > 1:
            if not headers or headers[0]["chain_seq"] != first - 1:
                prev = ""  # the link before the newest is missing: the first checked cannot follow it
            else:
                prev = headers.pop(0)["content_hash"]
        lines_by_txn: dict[str, list[dict[str, Any]]] = {}
        for line in store.query(select(L).where(L.c.transaction_id.in_([h["id"] for h in headers]))):
            lines_by_txn.setdefault(line.transaction_id, []).append(dict(line._mapping))
        for h in headers:
            count += 1
            problem = _problem(h, lines_by_txn.get(h["id"], []), prev, expect_seq)
            if problem:
                broken.append(_broken(h, problem))
                break
            prev = h["content_hash"]
            expect_seq += 1
    return ChainReport(chains=len(heads), transactions=count, broken=broken)
