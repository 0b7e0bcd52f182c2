"""The kitchen (``s.kitchen``): sending an open order's new lines to their stations, and voiding sent lines.

Each "Send to kitchen" is recorded as a ``kitchen_send`` transaction and each void of a sent line as a
``kitchen_void``: what the kitchen was told is a fact that happened at a time, so it is kept as the books keep
facts, immutable and hash-chained, rather than as a field of the open order that a later save could
overwrite. Both carry the order's idempotency key as their reference (the same key the paid sale carries),
so the books can tell, from the order alone, what the kitchen has: the sent quantities of each item and
note, less the voided ones. A round's own key ("<order key>/kitchen/<round>") makes two tills sending the
same order at once, or a double press, record one round.

Whatever the kitchen has stays on the order until a void takes it back: a save, a payment or a
cancellation that drops it is refused. Voiding needs a reason, and, where the ``void_needs_manager``
setting says so (it does unless turned off), a manager's approval with their PIN when the caller is not
one.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Iterable

from ..domain import contracts as c
from ..domain.arguments import whole_number
from ..domain.contracts.kitchen import KitchenLine, KitchenSend, KitchenStatus, KitchenTicket, LineStatus
from ..domain.contracts.restaurant import OrderDraft, Ticket
from ..domain.errors import PermissionDeniedError, ValidationError
from ..domain.money import ZERO
from ..domain.roles import allows

if TYPE_CHECKING:
    from ..app import Scope

SEND_SC = "HERA.RESTAURANT.KITCHEN.SEND.V1"
VOID_SC = "HERA.RESTAURANT.KITCHEN.VOID.V1"
LINE_SC = {SEND_SC: "HERA.RESTAURANT.KITCHEN.LINE.SEND.V1", VOID_SC: "HERA.RESTAURANT.KITCHEN.LINE.VOID.V1"}
KITCHEN_LIKE = "HERA.RESTAURANT.KITCHEN.*"
GENERAL = "GENERAL"  # the station of an item that names none

Key = tuple[str, str]  # (menu item, special instructions): what the kitchen cooks


def kitchen_events(scope: Scope, order_key: str) -> list[c.Transaction]:
    """The order's sends and voids, oldest first (read inside the caller's unit of work)."""
    return scope.internal.txn.query(reference=order_key, smart_code_like=KITCHEN_LIKE, include_lines=True,
                                    limit=1000).transactions


def with_the_kitchen(events: Iterable[c.Transaction]) -> dict[Key, Decimal]:
    """What the kitchen has of each item and note: sent, less voided."""
    has: dict[Key, Decimal] = defaultdict(lambda: ZERO)
    for event in events:
        sign = 1 if event.smart_code == SEND_SC else -1
        for ln in event.lines:
            has[(ln.entity_id or "", ln.metadata.get("special_instructions", ""))] += sign * (ln.quantity or ZERO)
    return {k: v for k, v in has.items() if v > 0}


def line_status(lines: Iterable[Any], has: dict[Key, Decimal]) -> list[LineStatus]:
    """Each ticket line's sent and waiting quantities: what the kitchen has of an item and note goes to
    the first lines that hold it."""
    left = dict(has)
    out = []
    for ln in lines:
        key = (ln.menu_item_id, ln.special_instructions)
        sent = min(ln.quantity, left.get(key, ZERO))
        left[key] = left.get(key, ZERO) - sent
        out.append(LineStatus(sent=sent, waiting=ln.quantity - sent))
    return out


def refuse_dropping_sent(ticket: Ticket, has: dict[Key, Decimal], names: dict[str, str]) -> None:
    """A ValidationError when the ticket holds less of an item than the kitchen has: void it instead."""
    on_ticket: dict[Key, Decimal] = defaultdict(lambda: ZERO)
    for ln in ticket.lines:
        on_ticket[(ln.menu_item_id, ln.special_instructions)] += ln.quantity or ZERO
    for (item, note), sent in has.items():
        if on_ticket[(item, note)] < sent:
            what = names.get(item, "an item") + (f" ({note})" if note else "")
            raise ValidationError("lines", f"{sent.normalize():f} × {what} went to the kitchen and must stay on "
                                           "the order; void the line to take it back")


def _text(field: str, value: Any, longest: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(field, "is required")
    if len(value.strip()) > longest:
        raise ValidationError(field, f"must be at most {longest} characters")
    return value.strip()


class Kitchen:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope

    def send(self, draft_id: str) -> KitchenSend:
        """Send the open order's lines not yet sent, as one round: a ticket per station. Nothing new to
        send records nothing and gives no tickets."""
        self.scope.require("orders.take", "send orders to the kitchen")
        with self.scope.db.write():
            draft = self.scope.internal.order_drafts.load(draft_id)
            events = kitchen_events(self.scope, draft.ticket.idempotency_key)
            status = line_status(draft.ticket.lines, with_the_kitchen(events))
            new = [(ln, st.waiting) for ln, st in zip(draft.ticket.lines, status) if st.waiting > 0]
            if not new:
                return KitchenSend(draft_id=draft_id)
            n = sum(1 for e in events if e.smart_code == SEND_SC) + 1
            sent = self._record(SEND_SC, draft, new, f"kitchen/{n}", {"round": n})
            return KitchenSend(draft_id=draft_id, round=n, transaction_id=sent.id,
                               tickets=self._tickets(sent))

    def void_line(self, draft_id: str, line: int, reason: str, approved_by: str | None = None,
                  pin: str | None = None) -> KitchenTicket:
        """Take back a line the kitchen has: it leaves the order and its station gets a VOID ticket.

        ``line`` is the line's place on the order's ticket (0 for the first). Where a manager must approve
        (``void_needs_manager``), a caller who is not one names the approving manager (``approved_by``,
        their user id) and that manager's ``pin``; nobody approves their own void.
        """
        self.scope.require("orders.take", "void lines sent to the kitchen")
        reason = _text("reason", reason, 200)
        line = whole_number("line", line, 0, 499)
        with self.scope.db.read():
            self._sent_line(draft_id, line)  # a void that cannot happen does not ask for a PIN
        approver = self._approval(approved_by, pin)
        with self.scope.db.write():
            draft, ln, sent = self._sent_line(draft_id, line)
            context = {"reason": reason, "approved_by": approver, "line": line}
            n = sum(1 for e in kitchen_events(self.scope, draft.ticket.idempotency_key) if e.smart_code == VOID_SC)
            voided = self._record(VOID_SC, draft, [(ln, sent)], f"void/{n + 1}", context)
            rest = [x for i, x in enumerate(draft.ticket.lines) if i != line]
            drafts = self.scope.internal.order_drafts
            if rest:
                drafts.save(draft.ticket.model_copy(update={"lines": rest}), draft_id)
            else:  # nothing left to serve: the order is cancelled
                drafts.discard(draft_id, "cancelled")
            return self._tickets(voided)[0]

    def status(self, draft_id: str) -> KitchenStatus:
        """Where the open order stands with the kitchen: rounds sent, when last, what is waiting, per line."""
        with self.scope.db.read():
            return self._status(self.scope.internal.order_drafts.load(draft_id))

    def statuses(self) -> dict[str, KitchenStatus]:
        """Every open order's status, by the open order's id."""
        with self.scope.db.read():
            return {d.id: self._status(d) for d in self.scope.internal.order_drafts.list()}

    def rounds(self, sale_id: str) -> list[KitchenTicket]:
        """Every kitchen ticket a paid order had before it was paid, oldest first: each round's ticket per
        station and each VOID, as they were printed, marked as reprints. A sale that was never an open order
        sent to the kitchen has none."""
        with self.scope.db.read():
            sale = self.scope.internal.restaurant.sale(sale_id)
            if not sale.idempotency_key:
                return []
            events = kitchen_events(self.scope, sale.idempotency_key)
            return [t.model_copy(update={"reprint": True}) for e in events for t in self._tickets(e)]

    # ------------------------------------------------------------------ inside

    def _status(self, draft: OrderDraft) -> KitchenStatus:
        events = kitchen_events(self.scope, draft.ticket.idempotency_key)
        lines = line_status(draft.ticket.lines, with_the_kitchen(events))
        sends = [e for e in events if e.smart_code == SEND_SC]
        return KitchenStatus(draft_id=draft.id, rounds=len(sends), last_sent_at=sends[-1].created_at if sends else None,
                             waiting=sum((s.waiting for s in lines), ZERO), lines=lines)

    def _sent_line(self, draft_id: str, line: int) -> tuple[OrderDraft, Any, Decimal]:
        draft = self.scope.internal.order_drafts.load(draft_id)
        if line >= len(draft.ticket.lines):
            raise ValidationError("line", f"the order has {len(draft.ticket.lines)} lines; there is no line {line}")
        events = kitchen_events(self.scope, draft.ticket.idempotency_key)
        sent = line_status(draft.ticket.lines, with_the_kitchen(events))[line].sent
        ln = draft.ticket.lines[line]
        if sent <= 0:
            raise ValidationError("line", f"{ln.name or 'the line'} was not sent to the kitchen; remove it from the "
                                          "ticket instead")
        return draft, ln, sent

    def _approval(self, approved_by: str | None, pin: str | None) -> str | None:
        """Who approved the void (None when no approval is needed); refused unless a manager's PIN says so."""
        if not self.scope.settings.get("void_needs_manager", True) or self.scope.allows("orders.void"):
            return None
        if not approved_by:
            raise ValidationError("approved_by", "voiding a line the kitchen has needs a manager's approval")
        if approved_by == self.scope.actor_id:
            raise PermissionDeniedError("Nobody may approve their own void; ask a manager", permission="orders.void")
        if not isinstance(pin, str) or not pin:
            raise ValidationError("pin", "the approving manager's PIN is required")
        users = self.scope.internal.users
        manager = users.authenticate(approved_by, pin)
        if not allows(users.role_of(approved_by) or "", "orders.void"):
            raise PermissionDeniedError(f"{manager.entity_name} may not approve voids; ask a manager",
                                        permission="orders.void")
        return approved_by

    def _record(self, smart_code: str, draft: OrderDraft, lines: list[tuple[Any, Decimal]], step: str,
                context: dict[str, Any]) -> c.Transaction:
        ids = list({ln.menu_item_id for ln, _ in lines})
        menu = self.scope.internal.restaurant.menu.items(ids, include_retired=True)
        key = draft.ticket.idempotency_key
        emitted = self.scope.internal.txn.emit(c.TxnEmit(
            transaction_type="kitchen_send" if smart_code == SEND_SC else "kitchen_void", smart_code=smart_code,
            source_entity_id=draft.id, reference=key, idempotency_key=f"{key}/{step}",
            business_context={"order": draft.entity_name, "table_number": draft.ticket.table_number,
                              "server_id": draft.ticket.server_id, **context},
            lines=[c.TxnLineIn(line_number=i + 1, line_type="KITCHEN", entity_id=ln.menu_item_id, quantity=qty,
                               smart_code=LINE_SC[smart_code], description=ln.name or menu[ln.menu_item_id].entity_name,
                               metadata={"kitchen_station": menu[ln.menu_item_id].kitchen_station
                                         if ln.menu_item_id in menu else GENERAL,
                                         **({"special_instructions": ln.special_instructions}
                                            if ln.special_instructions else {})})
                   for i, (ln, qty) in enumerate(lines)]))
        return self.scope.internal.txn.read(emitted.transaction_id)

    def _tickets(self, event: c.Transaction) -> list[KitchenTicket]:
        """The event's tickets, one per station, named as the order was when it was recorded."""
        uni, ctx = self.scope.internal.universal, event.business_context
        server = uni.get_entity(ctx["server_id"]).entity_name if ctx.get("server_id") else None
        code = (uni.get_entity(event.source_entity_id).entity_code or "") if event.source_entity_id else ""
        by_station: dict[str, list[KitchenLine]] = defaultdict(list)
        for ln in event.lines:
            by_station[ln.metadata.get("kitchen_station") or GENERAL].append(KitchenLine(
                menu_item_id=ln.entity_id, name=ln.description or "", quantity=ln.quantity or ZERO,
                note=ln.metadata.get("special_instructions", "")))
        return [KitchenTicket(station=station, lines=lines, order=ctx.get("order") or "", code=code,
                              at=event.created_at, round=ctx.get("round"), void=event.smart_code == VOID_SC,
                              reason=ctx.get("reason"), server=server)
                for station, lines in by_station.items()]
