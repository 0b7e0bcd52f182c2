"""The one writer of transactions: checked drafts become stored rows, chained, numbered, totalled and fed.

Every transaction the books record goes through ``write``: one emitted by a
service, a reversal, thousands of imported journal entries. A draft holds a
transaction as checked, every value as it will be stored (amounts as Decimals
and as their exact text, mappings as values and as canonical JSON text); the
writer gives each draft its id (unless its caller chose one, which it checks no
record has), its document number when it has none, its link in this terminal's
hash chain, writes headers and lines in one statement each,
adds the ledger lines to the trial balance's caches, writes one change-feed
event per transaction, and hands what it wrote to the business rules (posting,
stock, customer balances), all in the caller's unit of work; as that unit
commits, one statement moves the chain's counter past every link it handed out.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any, Callable, Mapping, NamedTuple, Sequence

from sqlalchemy import bindparam, select

from ..domain.ids import new_ids, now_text
from ..domain.money import ZERO, optional_text, to_text
from ..domain.smart_codes import segment
from ..storage import caches, chain_counters
from ..storage.document_numbers import take_numbers, terminal_mark
from ..storage.jsoncodec import canonical
from ..storage.prepared import StoredRows
from ..storage.schema import universal_transaction_lines as L
from ..storage.schema import universal_transactions as T
from ..storage.scoped import OrgPrepared, OrgStore
from . import chain
from .feed import record_changes


class DraftLine(NamedTuple):
    """A line as checked, in the stored form."""
    line_number: int
    line_type: str | None
    entity_id: str | None
    quantity: Decimal | None
    unit_price: Decimal | None
    line_amount: Decimal | None
    line_amount_text: str | None  # its exact text
    dr_cr: str | None
    currency: str
    smart_code: str | None
    description: str | None
    metadata: dict[str, Any]  # as it reads back from the database
    metadata_text: str  # its canonical JSON text
    id: str | None = None  # the id its caller chose (checked unused), or None for a new one


class Draft(NamedTuple):
    """A transaction as checked, in the stored form; ``transaction_code`` None takes the next number."""
    transaction_type: str
    transaction_code: str | None
    transaction_date: str  # the business's wall-clock time, ISO text
    source_entity_id: str | None
    target_entity_id: str | None
    total_amount: Decimal
    currency: str
    reference: str | None
    description: str | None
    status: str
    smart_code: str
    business_context: dict[str, Any]
    business_context_text: str
    metadata: dict[str, Any]
    metadata_text: str
    idempotency_key: str | None
    idempotency_fingerprint: str | None
    reversal_of: str | None
    lines: Sequence[DraftLine]
    id: str | None = None  # the id its caller chose (checked unused), or None for a new one


class Recorded:
    """What was just written, handed to business rules (posting, stock) in the same unit of work: the
    header and lines as stored (amounts as Decimals, mappings as values) and the type of every entity
    the transaction names."""

    __slots__ = ("header", "lines", "entity_types")

    def __init__(self, header: dict[str, Any], lines: list[dict[str, Any]], entity_types: Mapping[str, str]) -> None:
        self.header = header
        self.lines = lines
        self.entity_types = entity_types

    @property
    def id(self) -> str:
        return str(self.header["id"])


# A rule attached to recorded transactions: called once per write, in the same unit of work.
Rule = Callable[[list[Recorded]], None]

CODE_PREFIX = {"sale": "SALE", "payment": "PAY", "journal_entry": "JE", "status_change": "STAT",
               "inventory_adjustment": "INV", "day_close": "CLOSE"}


def json_text(value: Mapping[str, Any]) -> str:
    """A mapping's stored and hashed text: canonical JSON ("{}" when empty)."""
    return canonical(value) if value else "{}"


def document_prefix(transaction_type: str, reversal: bool = False) -> str:
    """The prefix of a document type's numbers; a reversal is a document of its own type: a sale's is a
    refund (REF), others' REV<prefix>."""
    prefix = CODE_PREFIX.get(transaction_type) or segment(transaction_type)[:6].strip("_")
    if reversal:
        prefix = "REF" if transaction_type == "sale" else f"REV{prefix}"
    return prefix


def document_codes(store: OrgStore, transaction_type: str, count: int, reversal: bool = False) -> list[str]:
    """The next ``count`` document numbers of a type on this terminal, taken in one statement."""
    prefix = document_prefix(transaction_type, reversal)
    terminal = store.db.terminal_id
    short = terminal_mark(terminal)
    return [f"{prefix}-{short}-{n:06d}" for n in
            take_numbers(store.conn, store.organization_id, terminal, prefix, count)]


def chain_key(store: OrgStore) -> tuple[str, str, str]:
    return ("chain head", store.organization_id, store.db.terminal_id)


def chain_head(store: OrgStore) -> tuple[int, str]:
    """The next number in this terminal's chain and the hash it follows: after the chain's counter, or after
    its newest transaction if that is further on (transactions applied from a feed move no counter).

    Read once per unit of work (whose write lock keeps other writers out),
    then carried forward as transactions are recorded. A counter ahead of the
    newest transaction means transactions were deleted: the next one follows
    the counter, so their numbers are never handed out again.
    """
    head: tuple[int, str] | None = store.db.unit_cache.get(chain_key(store))
    if head is None:
        rows = store.run(_CHAIN_HEAD, {"terminal": store.db.terminal_id})
        newest = (int(rows[0][0]), str(rows[0][1])) if rows else (0, chain.GENESIS)
        counted = chain_counters.last_link(store.conn, store.organization_id, store.db.terminal_id)
        last = counted if counted is not None and counted[0] > newest[0] else newest
        head = (last[0] + 1, last[1])
    return head


def _move_counter(store: OrgStore) -> None:
    """The chain's counter moved to the last link this unit of work handed out: once, as it commits."""
    seq, prev_hash = chain_head(store)
    chain_counters.advance(store.conn, store.organization_id, store.db.terminal_id, (seq - 1, prev_hash))


def write(store: OrgStore, drafts: Sequence[Draft], entity_types: Mapping[str, str],
          rules: Sequence[Rule] = (), reversal: bool = False) -> list[Recorded]:
    """Record these drafts in order, inside the caller's unit of work; what was written, per draft.

    ``entity_types`` gives the type of every entity the drafts name: a line on a ``gl_account`` with a
    side counts in the trial balance. ``reversal``: the drafts reverse earlier transactions (their own
    document type, numbered REF-/REV...).
    """
    if not drafts:
        return []
    st = store
    org, terminal, actor = st.organization_id, st.db.terminal_id, st.actor_id
    chosen = _refuse_used_ids(st, drafts)
    numbered: dict[str, int] = defaultdict(int)
    for d in drafts:
        if d.transaction_code is None:
            numbered[d.transaction_type] += 1
    codes = {kind: iter(document_codes(st, kind, n, reversal)) for kind, n in numbered.items()}
    ids = iter(new_ids(len(drafts) + sum(len(d.lines) for d in drafts) - chosen))
    seq, prev_hash = chain_head(st)
    now = now_text()
    headers: list[tuple[Any, ...]] = []
    rows: list[tuple[Any, ...]] = []
    recorded: list[Recorded] = []
    balances: dict[tuple[str, str, str], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for d in drafts:
        txn_id = d.id or next(ids)
        code = d.transaction_code if d.transaction_code is not None else next(codes[d.transaction_type])
        day = d.transaction_date[:10]
        chained: list[list[Any]] = []
        lines: list[dict[str, Any]] = []
        for ln in d.lines:
            line_id = ln.id or next(ids)
            quantity, price, amount = optional_text(ln.quantity), optional_text(ln.unit_price), ln.line_amount_text
            chained.append([line_id, ln.line_number, ln.line_type, ln.entity_id, quantity, price, amount, ln.dr_cr,
                            ln.currency, ln.smart_code, ln.description, ln.metadata_text])
            rows.append((line_id, txn_id, ln.line_number, ln.line_type, ln.entity_id, quantity, price, amount,
                         ln.dr_cr, ln.currency, ln.smart_code, ln.description, ln.metadata_text, now, actor))
            lines.append({"id": line_id, "organization_id": org, "transaction_id": txn_id,
                          "line_number": ln.line_number, "line_type": ln.line_type, "entity_id": ln.entity_id,
                          "quantity": ln.quantity, "unit_price": ln.unit_price, "line_amount": ln.line_amount,
                          "dr_cr": ln.dr_cr, "currency": ln.currency, "smart_code": ln.smart_code,
                          "description": ln.description, "metadata": ln.metadata, "created_at": now,
                          "created_by": actor})
            if ln.dr_cr and ln.line_amount is not None and entity_types.get(ln.entity_id or "") == "gl_account":
                balances[(str(ln.entity_id), ln.currency, day)][0 if ln.dr_cr == "DR" else 1] += ln.line_amount
        total = to_text(d.total_amount)
        header = {
            "id": txn_id, "organization_id": org, "transaction_type": d.transaction_type, "transaction_code": code,
            "transaction_date": d.transaction_date, "source_entity_id": d.source_entity_id,
            "target_entity_id": d.target_entity_id, "total_amount": d.total_amount, "currency": d.currency,
            "reference": d.reference, "description": d.description, "status": d.status,
            "smart_code": d.smart_code, "business_context": d.business_context, "metadata": d.metadata,
            "idempotency_key": d.idempotency_key, "idempotency_fingerprint": d.idempotency_fingerprint,
            "reversal_of": d.reversal_of, "terminal_id": terminal, "chain_seq": seq, "prev_hash": prev_hash,
            "content_hash": None, "chain_format": chain.FORMAT, "created_at": now, "updated_at": now,
            "created_by": actor, "updated_by": actor, "version": 1}
        if chain.FORMAT == chain.LINK_FORMAT:  # from the stored text at hand
            link = chain.link([txn_id, org, d.transaction_type, code, d.transaction_date, d.source_entity_id,
                               d.target_entity_id, total, d.currency, d.reference, d.description, d.status,
                               d.smart_code, d.business_context_text, d.metadata_text, d.idempotency_key,
                               d.reversal_of, terminal, seq, prev_hash, now, actor], chained)
        else:  # another format (books that chain in an earlier one)
            link = chain.content_hash(header, lines)
        header["content_hash"] = link
        headers.append((txn_id, d.transaction_type, code, d.transaction_date, d.source_entity_id,
                        d.target_entity_id, total, d.currency, d.reference, d.description, d.status, d.smart_code,
                        d.business_context_text, d.metadata_text, d.idempotency_key, d.idempotency_fingerprint,
                        d.reversal_of, terminal, seq, prev_hash, link, chain.FORMAT, now, now, actor, actor, 1))
        recorded.append(Recorded(header, lines, entity_types))
        prev_hash = link
        seq += 1
    st.insert_stored(_HEADERS, headers)
    st.db.unit_cache[chain_key(st)] = (seq, prev_hash)
    unit = st.db.unit
    if unit is not None:
        unit.before_commit.setdefault(chain_key(st), lambda: _move_counter(st))
    st.insert_stored(_LINES, rows)
    caches.add_to_gl(st, balances)
    kind = "transaction.reversed" if reversal else "transaction.recorded"
    record_changes(st, [(kind, {**rec.header, "lines": rec.lines}) for rec in recorded])
    for rule in rules:
        rule(recorded)
    return recorded


def _refuse_used_ids(store: OrgStore, drafts: Sequence[Draft]) -> int:
    """The ids callers chose are new: none is any record's already, none is given twice. How many there are."""
    headers = [d.id for d in drafts if d.id is not None]
    if headers:
        store.refuse_used_ids(T, headers)
    lines = [ln.id for d in drafts for ln in d.lines if ln.id is not None]
    if lines:
        store.refuse_used_ids(L, lines, "lines.id")
    return len(headers) + len(lines)


# The hash chain takes the values in these orders, and ``write`` builds its lists in them.
if chain.HEADER_FIELDS != (
        "id", "organization_id", "transaction_type", "transaction_code", "transaction_date", "source_entity_id",
        "target_entity_id", "total_amount", "currency", "reference", "description", "status", "smart_code",
        "business_context", "metadata", "idempotency_key", "reversal_of", "terminal_id", "chain_seq", "prev_hash",
        "created_at", "created_by") or chain.LINE_FIELDS != (
        "id", "line_number", "line_type", "entity_id", "quantity", "unit_price", "line_amount", "dr_cr",
        "currency", "smart_code", "description", "metadata"):
    raise RuntimeError("the hash chain's fields changed; update the transaction writer's rows")

_HEADERS = StoredRows(T, (
    "id", "transaction_type", "transaction_code", "transaction_date", "source_entity_id", "target_entity_id",
    "total_amount", "currency", "reference", "description", "status", "smart_code", "business_context", "metadata",
    "idempotency_key", "idempotency_fingerprint", "reversal_of", "terminal_id", "chain_seq", "prev_hash",
    "content_hash", "chain_format", "created_at", "updated_at", "created_by", "updated_by", "version"))
_LINES = StoredRows(L, (
    "id", "transaction_id", "line_number", "line_type", "entity_id", "quantity", "unit_price", "line_amount",
    "dr_cr", "currency", "smart_code", "description", "metadata", "created_at", "created_by"))
_CHAIN_HEAD = OrgPrepared(select(T.c.chain_seq, T.c.content_hash)
                          .where(T.c.terminal_id == bindparam("terminal"))
                          .order_by(T.c.chain_seq.desc()).limit(1))
