"""A failed check of the books kept as evidence: a line in the log, and a security_event transaction.

The transaction is in the hash chain like any other, so removing it later breaks the
chain; it is recorded once for the same findings (its idempotency key is their
hash), so books opened every morning with the same damage do not gain one each time.
Read-only books (and a database that refuses the write) get the log line alone: the
finding is still shown to the manager.
"""
from __future__ import annotations

import hashlib
import logging
from typing import TYPE_CHECKING

from ..domain import contracts as c
from ..domain.errors import HeraError
from ..logbook import event
from ..universal.chain import ChainReport
from ..universal.idempotency import priors

if TYPE_CHECKING:
    from ..app import Scope

CHECK_FAILED_SC = "HERA.SECURITY.BOOKS.CHECK.FAILED.V1"
CHECK_FAILED_LINE_SC = "HERA.SECURITY.BOOKS.CHECK.FINDING.V1"
KEPT_FINDINGS = 50  # the transaction names this many; the log and the report name them all
_log = logging.getLogger("hera_desktop.books_check")


def findings(report: ChainReport) -> list[str]:
    """Each thing a check found wrong, as a sentence."""
    return report.findings()


def record_failure(scope: Scope, report: ChainReport) -> str | None:
    """Log what ``report`` found and record it as a security_event transaction (once for the same findings);
    the transaction's id, or None when nothing was recorded (nothing found, or the books cannot be written)."""
    found = findings(report)
    if not found:
        return None
    event(_log, logging.WARNING, "the books check found a problem", organization_id=scope.organization.id,
          findings=found)
    if scope.hera.read_only:
        return None
    key = "books-check-" + hashlib.sha256("\n".join(found).encode("utf-8")).hexdigest()
    try:
        with scope.db.write():
            held = priors(scope.store, [key])
            if held:
                return None
            kept = found[:KEPT_FINDINGS]
            emitted = scope.internal.txn.emit(c.TxnEmit(
                transaction_type="security_event", smart_code=CHECK_FAILED_SC, idempotency_key=key,
                description=f"Books check failed: {len(found)} problem(s) found",
                business_context={"event": "books_check_failed", "findings": len(found)},
                lines=[c.TxnLineIn(line_number=n, line_type="SECURITY", smart_code=CHECK_FAILED_LINE_SC,
                                   description=text[:500]) for n, text in enumerate(kept, 1)]))
            return emitted.transaction_id
    except HeraError as exc:  # the books refused the write: the log holds the finding
        event(_log, logging.WARNING, "the books check's finding could not be recorded in the books",
              organization_id=scope.organization.id, error=exc.message)
        return None
