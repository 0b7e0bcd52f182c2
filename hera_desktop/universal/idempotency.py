"""Idempotency keys of transactions: the same key with the same payload returns the first result; with
another payload it is a conflict naming the transaction that holds the key.

A payload's fingerprint is stored with the transaction. Fingerprints stored by
earlier versions (canonical JSON of the whole payload, amounts by value, and
before that amounts as written) are still honoured for their keys.
"""
from __future__ import annotations

import hashlib
from decimal import Decimal
from operator import attrgetter
from typing import Any, Callable, Iterable, Mapping, NamedTuple

from sqlalchemy import select

from ..domain import contracts as c
from ..domain.errors import IdempotencyConflictError
from ..domain.money import optional_text
from ..storage.jsoncodec import canonical, canonical_by_value, dumps
from ..storage.schema import universal_transactions as T
from ..storage.scoped import OrgInList, OrgStore


class Prior(NamedTuple):
    """A transaction already recorded under an idempotency key."""
    id: str
    transaction_code: str
    total_amount: Decimal
    idempotency_key: str
    idempotency_fingerprint: str | None


class KeyedResults:
    """The results of a batch of payloads, in their order: a key already in the books answers with its
    first result (``replay``), a key repeated inside the batch with the result of its first use, and
    every other payload with what the writer records for it."""

    def __init__(self, store: OrgStore, keys: list[str | None]) -> None:
        self.seen = priors(store, [k for k in keys if k])
        self.results: list[c.Emitted | None] = [None] * len(keys)
        self.pending: dict[str, tuple[str | None, int]] = {}  # key: fingerprint, position of its first use
        self.repeats: list[tuple[int, int]] = []  # position, position it repeats
        self.positions: list[int] = []  # the position of each payload handed to the writer

    def answered(self, i: int, key: str | None, fingerprint: str | None,
                 payload: c.TxnEmit | Callable[[], c.TxnEmit]) -> bool:
        """Whether payload ``i`` already has its answer (its key was used before); otherwise it is to be
        written, and counted as such."""
        if key:
            if key in self.seen:
                self.results[i] = replay(key, self.seen[key], fingerprint, payload)
                return True
            if key in self.pending:
                first_fingerprint, first = self.pending[key]
                if first_fingerprint != fingerprint:
                    raise IdempotencyConflictError(f"idempotency_key {key!r} is used twice in this batch, for "
                                                   f"different transactions ([{first}] and [{i}])")
                self.repeats.append((i, first))
                return True
            self.pending[key] = (fingerprint, i)
        self.positions.append(i)
        return False

    def emitted(self, written: Iterable[Mapping[str, Any]]) -> list[c.Emitted]:
        """Every payload's result, given the headers the writer recorded for those to be written."""
        for position, header in zip(self.positions, written):
            self.results[position] = c.Emitted(transaction_id=header["id"],
                                               transaction_code=header["transaction_code"],
                                               total_amount=header["total_amount"])
        for position, first in self.repeats:
            done = self.results[first]
            if done is not None:
                self.results[position] = done.model_copy(update={"replayed": True})
        return [r for r in self.results if r is not None]


def priors(store: OrgStore, keys: list[str]) -> dict[str, Prior]:
    """The transactions already recorded under these idempotency keys, by key."""
    seen: dict[str, Prior] = {}
    for start in range(0, len(keys), 500):
        for row in store.run_in(_PRIOR_BY_KEY, keys[start:start + 500]):
            prior = Prior(*row)
            seen[prior.idempotency_key] = prior
    return seen


def replay(key: str, prior: Prior, fingerprint: str | None,
           payload: c.TxnEmit | Callable[[], c.TxnEmit]) -> c.Emitted:
    """The first result again for a key already used with the same payload; a conflict otherwise.
    ``payload`` is the payload as a model (or gives it), needed only to compare it with the fingerprints
    earlier versions stored."""
    first = c.Emitted(transaction_id=prior.id, transaction_code=prior.transaction_code,
                      total_amount=prior.total_amount, replayed=True)
    stored = prior.idempotency_fingerprint
    if stored != fingerprint and stored not in earlier_fingerprints(
            payload if isinstance(payload, c.TxnEmit) else payload()):
        raise IdempotencyConflictError(
            f"idempotency_key {key!r} was already used for a different transaction ({first.transaction_code})",
            transaction_id=first.transaction_id)
    return first


def fingerprint(data: c.TxnEmit) -> str:
    """What makes two payloads the same: every field, amounts compared by value.

    SHA-256 of one compact JSON array of the payload's values in field order,
    then each line's, amounts as exact text and mappings as canonical JSON
    text (an import fingerprints every entry). Ids its caller chose are in
    it: the transaction's first, as {"id": ...}, a line's after its values.
    """
    values: list[Any] = list(_EMIT_VALUES(data))
    values[_EMIT_AMOUNT] = optional_text(values[_EMIT_AMOUNT])
    moment = values[_EMIT_DATE]
    values[_EMIT_DATE] = None if moment is None else moment.isoformat()
    for i in _EMIT_JSON:
        values[i] = _json_by_value(values[i])
    for ln in data.lines:
        line = line_values(*_LINE_VALUES(ln))
        values.append(line if ln.id is None else [*line, ln.id])  # a chosen id counts too
    if data.id is not None:  # a chosen id counts too; without ids a payload has the fingerprint it always had
        values.insert(0, {"id": data.id})
    return payload_fingerprint(values)


def line_values(line_number: int | None, line_type: str | None, entity_id: str | None, quantity: Decimal | None,
                unit_price: Decimal | None, line_amount: Decimal | str | None, dr_cr: str | None,
                currency: str | None, smart_code: str | None, description: str | None,
                metadata: dict[str, Any] | str | None) -> list[Any]:
    """One line's part of a fingerprint; an amount or the metadata may come as their text already."""
    return [line_number, line_type, entity_id, optional_text(quantity), optional_text(unit_price),
            line_amount if isinstance(line_amount, str) else optional_text(line_amount), dr_cr, currency, smart_code,
            description, metadata if isinstance(metadata, str) else _json_by_value(metadata)]


def earlier_fingerprints(data: c.TxnEmit) -> tuple[str, str]:
    """The fingerprints earlier versions stored for the same payload: canonical JSON of the whole payload
    with amounts by value, and before that with amounts as written ("1.50" was not 1.5)."""
    dumped = data.model_dump(exclude={"organization_id"})
    if data.id is None:  # earlier versions had no chosen ids
        del dumped["id"]
    for line in dumped["lines"]:
        if line["id"] is None:
            del line["id"]
    return (hashlib.sha256(canonical_by_value(dumped).encode()).hexdigest(),
            hashlib.sha256(canonical(dumped).encode()).hexdigest())


def payload_fingerprint(values: list[Any]) -> str:
    """A payload's fingerprint from its values: those of ``EMIT_FIELDS`` in order, then each line's
    ``line_values``; amounts as exact text (by value), the date as ISO text, mappings as canonical JSON
    text. Writers that hold a payload in that form hash it here directly."""
    return hashlib.sha256(dumps(["payload 2", *values]).encode()).hexdigest()


def _json_by_value(value: dict[str, Any] | None) -> str | None:
    if value is None:
        return None
    return canonical_by_value(value) if value else "{}"


_PRIOR_BY_KEY = OrgInList(lambda keys: select(T.c.id, T.c.transaction_code, T.c.total_amount, T.c.idempotency_key,
                                              T.c.idempotency_fingerprint)
                          .where(T.c.idempotency_key.in_(keys)))

# A payload's fingerprint covers these fields, in this order, then its lines' (``line_values``); and the ids
# its caller chose, if any.
EMIT_FIELDS = tuple(f for f in c.TxnEmit.model_fields if f not in ("organization_id", "id", "lines"))
LINE_IN_FIELDS = tuple(f for f in c.TxnLineIn.model_fields if f != "id")
if LINE_IN_FIELDS != ("line_number", "line_type", "entity_id", "quantity", "unit_price", "line_amount", "dr_cr",
                      "currency", "smart_code", "description", "metadata"):
    raise RuntimeError("a transaction line's fields changed; update line_values")
_EMIT_VALUES = attrgetter(*EMIT_FIELDS)
_EMIT_AMOUNT = EMIT_FIELDS.index("total_amount")
_EMIT_DATE = EMIT_FIELDS.index("transaction_date")
_EMIT_JSON = (EMIT_FIELDS.index("business_context"), EMIT_FIELDS.index("metadata"))
_LINE_VALUES = attrgetter(*LINE_IN_FIELDS)
