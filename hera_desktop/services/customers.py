"""Customers (``s.customers``): onboarding, contact and credit details, lifecycle status, account balance."""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Iterator

from sqlalchemy import select

from ..domain import arguments
from ..domain import contracts as c
from ..domain.contracts.account_statements import AccountStatement
from ..domain.contracts.customers import CustomerView, OnboardResult, TransitionResult
from ..domain.errors import InvalidStatusTransitionError, ValidationError
from ..domain.ids import checked_ids, natural_id, now_text
from ..domain.money import D, ZERO, fmt, non_negative
from ..domain.rules import CUSTOMER_STATUSES, EMAIL, PHONE, VALID_TRANSITIONS, status_of
from ..storage.scoped import OrgInList
from ..storage.schema import core_entities, core_relationships
from ..universal.dynamic_fields import write_fields
from ..universal.entities import SEARCH_FIELDS, write_entities
from ..universal.feed import Change, record_changes
from ..universal.idempotency import priors
from ..universal.relationships import NewRelationship, replace_single, write_relationships
from .account_statements import account_statement

CUSTOMER_SC = "HERA.CRM.CUST.ENT.PROF.V1"
FIELD_SC = {"email": "HERA.CRM.CUST.DYN.EMAIL.V1", "phone": "HERA.CRM.CUST.DYN.PHONE.V1",
            "credit_limit": "HERA.CRM.CUST.DYN.CREDIT.V1", "payment_terms": "HERA.CRM.CUST.DYN.TERMS.V1",
            "account_balance": "HERA.CRM.CUST.DYN.BALANCE.V1"}
DETAIL_FIELDS = ("email", "phone", "credit_limit", "payment_terms", "account_balance")


_R, _E = core_relationships, core_entities
_STATUSES = OrgInList(lambda ids: select(_R.c.from_entity_id, _E.c.entity_name)
                      .join(_E, _E.c.id == _R.c.to_entity_id)
                      .where(_R.c.from_entity_id.in_(ids),
                             _R.c.relationship_type == "has_status", _R.c.is_active.is_(True)))


def status_id(organization_id: str, status_name: str) -> str:
    """The id of a "<status> Status" workflow entity: the same on every terminal of the organization."""
    return natural_id(organization_id, "workflow_status", status_name)


def check_email(value: Any) -> str:
    if not isinstance(value, str) or not EMAIL.match(value.strip()) or len(value) > 254:
        raise ValidationError("email", f"{arguments.quoted(value)} is not an email address like name@example.com")
    return value.strip().lower()


def check_phone(value: Any) -> str:
    if not isinstance(value, str) or not PHONE.match(value.strip()) or sum(ch.isdigit() for ch in value) < 6:
        raise ValidationError("phone", f"{arguments.quoted(value)} is not a phone number (digits, spaces, + ( ) - allowed)")
    return value.strip()


def check_credit_limit(value: Any) -> Decimal:
    return non_negative(value, "credit_limit")


def check_terms(value: Any) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > 50:
        raise ValidationError("payment_terms", "must be a short text like NET30 or COD")
    return value.strip()


CHECKS = {"email": check_email, "phone": check_phone, "credit_limit": check_credit_limit,
          "payment_terms": check_terms}


class Customers:
    def __init__(self, scope: Any) -> None:
        self.scope = scope
        self.uni = scope.internal.universal
        self.store = scope.store

    def onboard(self, name: str, email: str | None = None, phone: str | None = None, credit_limit: Any = 0,
                payment_terms: str | None = None, status: str = "active", classification: str = "business",
                entity_code: str | None = None) -> OnboardResult:
        self.scope.require("customers.onboard", "onboard customers")
        plan = self._onboard_plan(name, email, phone, credit_limit, payment_terms, status, classification, entity_code)
        with self.scope.db.write():
            return self._onboard([plan], many=False)[0]

    def onboard_many(self, customers: list[dict[str, Any]]) -> list[OnboardResult]:
        """Onboard many customers at once (all or none), e.g. from another system or a spreadsheet.

        Each item takes ``onboard``'s arguments and leaves exactly the rows ``onboard``
        would (entity, details, status relationship, search entry, events): both are
        written by the same writers, in a few batched statements for any number.
        """
        self.scope.require("customers.onboard", "onboard customers")
        if not isinstance(customers, list):
            raise ValidationError("customers", "must be a list of customers")
        allowed = {"name", "email", "phone", "credit_limit", "payment_terms", "status", "classification",
                   "entity_code"}
        plans = []
        for i, item in enumerate(customers):
            try:
                if not isinstance(item, dict):
                    raise ValidationError("customer", "must be a mapping of onboard's arguments")
                unknown = sorted(set(item) - allowed)
                if unknown:
                    raise ValidationError(unknown[0], "is not an onboarding detail")
                plans.append(self._onboard_plan(**item))
            except ValidationError as exc:
                raise ValidationError(f"customers.{i}.{exc.field}", exc.message.split(": ", 1)[-1]) from None
        with self.scope.db.write():
            return self._onboard(plans, many=True)

    def _onboard(self, plans: list[tuple[str, dict[str, Any], str, Any, Any]], many: bool) -> list[OnboardResult]:
        """Write checked plans (inside the caller's write): entities with their search entries, details,
        status relationships and events. ``many``: errors name the customer's place in the list."""
        st = self.store
        codes = self._codes([name for name, _, _, _, code in plans if not code])
        payloads = []
        for i, (name, _, _, classification, code) in enumerate(plans):
            try:
                payloads.append(c.parse(c.EntityCreate, entity_type="customer", entity_name=name,
                                        entity_code=code or next(codes), smart_code=CUSTOMER_SC,
                                        classification=classification))
            except ValidationError as exc:
                if not many:
                    raise
                raise ValidationError(f"customers.{i}.{exc.field}", exc.message.split(": ", 1)[-1]) from None
        bodies = [" ".join([p.entity_name, p.entity_code or "", *(checked[f] for f in SEARCH_FIELDS if f in checked)])
                  for p, (_, checked, _, _, _) in zip(payloads, plans)]
        created = write_entities(st, payloads, bodies)
        statuses = {status: self.find_or_create_status(status) for status in sorted({p[2] for p in plans})}
        events: list[Change] = []  # the details' and status links' events, recorded in one go
        write_fields(st, [(entity.id, field, value, FIELD_SC[field])
                          for entity, (_, checked, _, _, _) in zip(created, plans)
                          for field, value in {**checked, "account_balance": ZERO}.items()],
                     new_entities=True, events=events)
        now = now_text()
        # Both ends were checked (or made) just now: no validation or lookup per customer.
        write_relationships(st, [NewRelationship(
            entity.id, statuses[status].id, "has_status", f"HERA.CRM.CUST.STATUS.{status.upper()}.V1",
            {"changed_at": now, "changed_by": self.scope.actor_id, "previous_status": "None"})
            for entity, (_, _, status, _, _) in zip(created, plans)], checked=True, new_entities=True, events=events)
        record_changes(st, events)
        return [OnboardResult(customer=e, customer_code=e.entity_code, status=p[2],
                              message="Customer onboarded successfully with complete profile")
                for e, p in zip(created, plans)]

    def _onboard_plan(self, name: Any, email: Any = None, phone: Any = None, credit_limit: Any = 0,
                      payment_terms: Any = None, status: Any = "active", classification: Any = "business",
                      entity_code: Any = None) -> tuple[str, dict[str, Any], str, Any, Any]:
        """onboard's checks for one customer: (name, checked details, status, classification, code)."""
        if not isinstance(name, str) or not name.strip():
            raise ValidationError("name", "a customer needs a name")
        if status not in ("active", "prospect"):
            raise ValidationError("status", "a new customer starts as active or prospect")
        details = {"email": email, "phone": phone, "credit_limit": credit_limit, "payment_terms": payment_terms}
        checked = {k: CHECKS[k](v) for k, v in details.items() if v is not None and v != ""}
        return name.strip(), checked, status, classification, entity_code

    def _codes(self, names: list[str]) -> Iterator[str]:
        """_code for each name in turn, as if they were onboarded one after another."""
        last: dict[str, int] = {}
        for name in names:
            prefix = f"CUST-{re.sub(r'[^A-Za-z0-9]', '', name).upper()[:3].ljust(3, 'X')}-"
            if prefix not in last:
                last[prefix] = int(self._code(name)[len(prefix):]) - 1
            last[prefix] += 1
            yield f"{prefix}{last[prefix]:04d}"

    def _code(self, name: str) -> str:
        """The guide's CUST-<first three letters>-<number>, numbered so codes never collide."""
        letters = re.sub(r"[^A-Za-z0-9]", "", name).upper()[:3].ljust(3, "X")
        prefix = f"CUST-{letters}-"
        return f"{prefix}{self.uni.next_number('customer', prefix, width=4):04d}"

    def find_or_create_status(self, status: str) -> c.Entity:
        name = f"{arguments.text('status', status, 50)} Status"
        found = self.uni.query_entities(entity_type="workflow_status", entity_name=name, limit=1).entities
        if found:
            return found[0]
        payload = c.parse(c.EntityCreate, entity_type="workflow_status", entity_name=name,
                          entity_code=f"STATUS-{status.upper()}", smart_code=f"HERA.WORKFLOW.STATUS.{status.upper()}.V1",
                          classification="system")
        with self.scope.db.write():  # the same id on every terminal that makes this status (see status_id)
            return write_entities(self.store, [payload], ids=[status_id(self.store.organization_id, name)])[0]

    def current_status(self, customer_id: str) -> str:
        with self.scope.db.read():
            entity = self._status_entity(customer_id)
            return status_of(entity.entity_name if entity else None)

    def _status_entity(self, customer_id: str) -> c.Entity | None:
        self._customer(customer_id)
        rels = self.uni.query_relationships(from_entity_id=customer_id, relationship_type="has_status").relationships
        return self.uni.get_entity(rels[-1].to_entity_id) if rels else None

    def _customer(self, customer_id: str) -> Any:
        row = self.store.get(core_entities, customer_id, "customer")
        if row.entity_type != "customer":
            raise ValidationError("customer_id", f"{row.entity_name} is not a customer")
        return row

    def transition_status(self, customer_id: str, new_status: str, reason: str,
                          user_id: str | None = None) -> TransitionResult:
        self.scope.require("customers.manage", "change a customer's status")
        if new_status not in CUSTOMER_STATUSES:
            raise ValidationError("new_status", f"must be one of {', '.join(CUSTOMER_STATUSES)}")
        if not isinstance(reason, str) or not reason.strip():
            raise ValidationError("reason", "a reason is required to change a customer's status")
        changed_by = user_id or self.scope.actor_id
        with self.scope.db.write():
            customer = self._customer(customer_id)
            old = self._status_entity(customer_id)
            current = status_of(old.entity_name if old else None)
            allowed = VALID_TRANSITIONS.get(current, ())
            if new_status not in allowed:
                options = ", ".join(allowed) if allowed else "none: a closed customer stays closed"
                raise InvalidStatusTransitionError(
                    f"{customer.entity_name} cannot go from {current} to {new_status}; allowed: {options}",
                    current=current, requested=new_status, allowed=list(allowed))
            target = self.find_or_create_status(new_status)
            now = now_text()
            replace_single(self.store, c.RelationshipCreate(
                from_entity_id=customer_id, to_entity_id=target.id, relationship_type="has_status",
                smart_code=f"HERA.CRM.CUST.STATUS.{new_status.upper()}.V1",
                metadata={"transition_reason": reason.strip(), "changed_by": changed_by, "changed_at": now,
                          "previous_status": old.entity_name if old else "None"}), "Status transition")
            previous_name = old.entity_name if old else "None"
            audit = self.scope.internal.txn.emit(c.TxnEmit(
                transaction_type="status_change", smart_code="HERA.CRM.CUST.STATUS.CHANGE.V1",
                source_entity_id=customer_id, target_entity_id=target.id,
                description=f"Customer status changed: {previous_name} → {target.entity_name}",
                business_context={"change_type": "status_transition", "reason": reason.strip(),
                                  "changed_by": changed_by, "workflow": "customer_lifecycle"},
                lines=[c.TxnLineIn(line_number=1, line_type="STATUS_CHANGE", entity_id=target.id,
                                   smart_code="HERA.CRM.CUST.STATUS.AUDIT.V1",
                                   description=f"Status set to: {target.entity_name}",
                                   metadata={"previous_status_id": old.id if old else None,
                                             "previous_status_name": old.entity_name if old else None,
                                             "new_status_id": target.id, "new_status_name": target.entity_name,
                                             "reason": reason.strip()})]))
        return TransitionResult(success=True, previous_status=previous_name, new_status=target.entity_name,
                                transition_date=now, audit_transaction_id=audit.transaction_id)

    def allowed_transitions(self, customer_id: str) -> tuple[str, ...]:
        return VALID_TRANSITIONS.get(self.current_status(customer_id), ())

    def update_details(self, customer_id: str, version: int | None = None, **fields: Any) -> CustomerView:
        """Change name or contact/credit details; each value is checked before anything is written.

        Given the ``version`` the editor read, a customer changed since by someone else is refused
        with a ConcurrencyError, and a successful edit moves the version on.
        """
        self.scope.require("customers.manage", "edit customers")
        unknown = set(fields) - {"name", *CHECKS}
        if unknown:
            raise ValidationError(sorted(unknown)[0], "is not a customer detail that can be edited")
        checked = {k: CHECKS[k](v) for k, v in fields.items() if k in CHECKS and v is not None}
        with self.scope.db.write():
            self._customer(customer_id)
            if fields.get("name") is not None or version is not None:
                self.uni.update_entity(customer_id, entity_name=fields.get("name"), version=version)
            for field, value in checked.items():
                self.uni.set_dynamic_field(customer_id, field, value, FIELD_SC[field])
            return self.view(customer_id)

    def view(self, customer_id: str) -> CustomerView:
        return self.views([customer_id])[0]

    def views(self, customer_ids: list[str]) -> list[CustomerView]:
        customer_ids = checked_ids("customer_ids", customer_ids)
        with self.scope.db.read():
            return self.views_of([self._customer(i) for i in customer_ids])

    def views_of(self, rows: list[Any]) -> list[CustomerView]:
        """Views of customers already read (rows or entities with id, name, code and version)."""
        rows = arguments.listed("rows", rows, "customers as read (entities or rows)")
        if not all(isinstance(r, (c.Entity, CustomerView)) or hasattr(r, "_mapping") for r in rows):
            raise ValidationError("rows", "must be customers as read (entities or rows)")
        customer_ids = [r.id for r in rows]
        with self.scope.db.read():
            values = self.uni.field_values(customer_ids, DETAIL_FIELDS)
            statuses = self._statuses(customer_ids)
        return [CustomerView(id=r.id, entity_name=r.entity_name, entity_code=r.entity_code,
                             status=statuses.get(r.id, "prospect"), version=r.version,
                             **{k: v for k, v in values[r.id].items() if v is not None}) for r in rows]

    def _statuses(self, customer_ids: list[str]) -> dict[str, str]:
        st = self.store
        out: dict[str, str] = {}
        for start in range(0, len(customer_ids), 500):
            for customer_id, status_name in st.run_in(_STATUSES, customer_ids[start:start + 500]):
                out[customer_id] = status_of(status_name)
        return out

    def search(self, text: str, limit: int = 50) -> list[CustomerView]:
        with self.scope.db.read():
            return self.views_of(self.uni.search("customer", text, limit=limit))

    def history(self, customer_id: str, limit: int = 200) -> list[c.Transaction]:
        """Status changes, orders and payments of a customer: the most recent ``limit``, newest first."""
        with self.scope.db.read():
            self._customer(customer_id)
            return self.scope.internal.txn.latest_of(customer_id, limit)

    def balance(self, customer_id: str) -> Decimal:
        field = self.uni.get_dynamic_field(customer_id, "account_balance")
        return field.field_value_number if field is not None and field.field_value_number is not None else ZERO

    def _add_to_balance(self, customer_id: str, amount: Decimal) -> Decimal:
        with self.scope.db.write():
            new = self.balance(customer_id) + amount
            self.uni.set_dynamic_field(customer_id, "account_balance", new, FIELD_SC["account_balance"])
            return new

    def on_recorded(self, rec: Any) -> None:
        """Keep the on-account balance in step with charges, settlements and their reversals."""
        effect = rec.header["business_context"].get("account_effect")
        customer_id = rec.header["source_entity_id"]
        if effect not in ("charge", "settle") or customer_id is None:
            return
        total = rec.header["total_amount"]
        self._add_to_balance(customer_id, total if effect == "charge" else -total)

    def settle_account(self, customer_id: str, amount: Any, payment_method: str = "cash",
                       idempotency_key: str | None = None, reference: str | None = None) -> c.Emitted:
        """A customer pays off (part of) what they owe on account, in cash or by card; ``reference`` is the
        payer's own (a card slip, a remittance note).

        A payment larger than what is owed is refused rather than kept as credit: nothing in the books
        could give a credit back or spend it, and an amount above the balance is far more often a slip
        of the keyboard than a customer paying ahead. Retried with the same key, the first payment is
        answered again even though the balance it was checked against has gone down since.
        """
        self.scope.require("orders.take", "take payments")
        value = D(amount, "amount")
        if value <= 0:
            raise ValidationError("amount", "must be more than zero")
        if payment_method not in ("cash", "card"):
            raise ValidationError("payment_method", "an account is settled by cash or card")
        if reference is not None and (not isinstance(reference, str) or len(reference.strip()) > 100):
            raise ValidationError("reference", "must be a short text (at most 100 characters)")
        reference = reference.strip() or None if reference is not None else None
        with self.scope.db.write():
            customer = self._customer(customer_id)
            if not (idempotency_key and priors(self.store, [idempotency_key])):
                owed = self.balance(customer_id)
                currency = self.scope.organization.currency
                if owed <= 0:
                    raise ValidationError("amount", f"{customer.entity_name} owes nothing on account; "
                                                    "there is no balance to pay")
                if value > owed:
                    raise ValidationError("amount", f"{customer.entity_name} owes {fmt(owed, currency)}; a payment "
                                                    f"of {fmt(value, currency)} is more than that: take at most "
                                                    f"{fmt(owed, currency)}")
            return self.scope.internal.txn.emit(c.TxnEmit(
                transaction_type="payment", smart_code="HERA.RESTAURANT.PAYMENT.SETTLEMENT.V1",
                source_entity_id=customer_id, idempotency_key=idempotency_key, reference=reference,
                description=f"Account settlement by {customer.entity_name}",
                business_context={"payment_method": payment_method, "account_effect": "settle"},
                lines=[c.TxnLineIn(line_number=1, line_type="PAYMENT", line_amount=value,
                                   smart_code="HERA.RESTAURANT.PAYMENT.LINE.V1",
                                   description="Settlement of account")]))

    def statement(self, customer_id: str, date_from: Any = None, date_to: Any = None) -> AccountStatement:
        """The customer's statement of account from ``date_from`` (None: since the start) to ``date_to``
        (None: today), business days both included: opening balance, sales on account, payments, closing."""
        with self.scope.db.read():
            return account_statement(self.scope, self._customer(customer_id), date_from, date_to)
