"""The till and the kitchen: F7 sends an open order's new lines as a round, Delete on a sent line voids it (with a
reason and, where the settings say so, a manager's PIN), and each round or void opens its tickets.

What the kitchen has is the books' (``s.kitchen``); the till only shows it: after a send or a void the ticket is
reloaded as the books keep the order, with its sent lines marked.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .receipts import receipts_dir, station_name

if TYPE_CHECKING:
    from .screen import TillScreen


def send_to_kitchen(till: TillScreen) -> None:
    """F7: keep the order (saving what is on the ticket) and send the kitchen what is new since the last round."""
    if not till.model.lines or till.session.hera.read_only:
        return
    scope, ticket, draft_id = till.session.scope, till.panel.ticket(), till.model.draft_id

    def send() -> tuple[Any, Any, Any]:
        draft = scope.order_drafts.save(ticket, draft_id)
        return draft, scope.kitchen.send(draft.id), scope.kitchen.status(draft.id)

    till.change(send, lambda answer: _sent(till, answer))


def _sent(till: TillScreen, answer: tuple[Any, Any, Any]) -> None:
    draft, sent, status = answer
    show_kept(till, draft, status)
    if not sent.tickets:
        till.message.setText(f"Nothing new to send for {draft.entity_name}: the kitchen has all of it.")
        return
    stations = ", ".join(station_name(t.station) for t in sent.tickets)
    till.message.setText(f"Round {sent.round} of {draft.entity_name} sent to the kitchen: {stations}.")
    open_kitchen(till, sent.tickets)


def show_kept(till: TillScreen, draft: Any, status: Any) -> None:
    """The kept order on the ticket as the books hold it, with the lines the kitchen has marked."""
    row = till.panel.selected_row()
    till.model.load(draft.ticket, draft.id)
    till.model.mark_sent(s.sent for s in status.lines)
    till.show_title()
    till.panel.select_row(min(max(row, 0), till.model.rowCount() - 1))
    till.reload_drafts()


def void_sent_line(till: TillScreen, row: int) -> None:
    """Delete on a line the kitchen has: ask why (and a manager's PIN where needed), then void it."""
    from .void_dialog import VoidDialog

    scope = till.session.scope
    needs = scope.settings.get("void_needs_manager", True) and not scope.allows("orders.void")
    me = till.session.user.id if till.session.user else None
    managers = [u for u in till.users if u.get("role") in ("manager", "admin") and not u.get("locked")
                and u["id"] != me] if needs else None
    dialog = VoidDialog(till.model.lines[row].name, managers, till)
    ticket, draft_id = till.panel.ticket(), till.model.draft_id

    def void(reason: str, approved_by: Any, pin: Any) -> tuple[Any, Any]:
        kept = scope.order_drafts.save(ticket, draft_id)
        voided = scope.kitchen.void_line(kept.id, row, reason, approved_by=approved_by, pin=pin)
        still = [d for d in scope.order_drafts.list() if d.id == kept.id]
        return voided, (still[0], scope.kitchen.status(kept.id)) if still else None

    dialog.submitted.connect(lambda reason, who, pin: till.change(
        lambda: void(reason, who, pin), lambda answer: _voided(till, dialog, answer), dialog.failed))
    till.open_dialog("void_dialog", dialog)


def _voided(till: TillScreen, dialog: Any, answer: tuple[Any, Any]) -> None:
    voided, kept = answer
    dialog.accept()
    if kept is None:  # that was the last line: the order is cancelled
        till.new_ticket()
    else:
        show_kept(till, *kept)
    till.message.setText(f"Voided {voided.lines[0].name}; {station_name(voided.station)} gets a VOID ticket.")
    open_kitchen(till, [voided])


def open_kitchen(till: TillScreen, tickets: list[Any]) -> None:
    """The round's tickets on screen and as PDFs, and each on its station's printer at once: the kitchen
    cooks from it now, not when the order is paid."""
    from ...printing.queue import queue_of
    from ...printing.settings import Printers
    from ..printouts import kitchen_jobs
    from .receipt_dialog import KitchenDialog

    queue = queue_of(till.session)
    for job in kitchen_jobs(tickets, Printers.of(till.session.scope.settings)):
        queue.submit(job)
    dialog = KitchenDialog(tickets, till.receipts_dir or receipts_dir(till.session.hera), till)
    dialog.finished.connect(lambda _r: till.focus_search())
    till.open_dialog("kitchen_dialog", dialog)
