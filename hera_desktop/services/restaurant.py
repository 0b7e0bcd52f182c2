"""Restaurant orders (``s.restaurant``): the usage guide's order flow, atomic and exact.

One call records the sale, its payments, the stock its items consume and (by
the posting rules) its journal, in one database transaction. Prices come from
the menu; a different price needs a permitted user and is recorded as an
override. The idempotency key is made once per order draft, so a retried Pay
returns the first result and never charges twice.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, select

from ..domain import contracts as c
from ..domain.contracts.inventory import Shortfall
from ..domain.contracts.restaurant import OrderResult, OrderSummary, SalePeople
from ..domain.errors import (CreditLimitExceededError, IdempotencyConflictError, PermissionDeniedError,
                             ValidationError)
from ..domain.arguments import whole_number
from ..domain.ids import new_id
from ..domain.money import D, ZERO
from ..domain.contracts.restaurant import MenuItem
from ..domain.pricing import STANDARD, OrderPrice, TaxRate, TaxRules, price_order, tax_rules
from ..domain.rules import PAYMENT_METHODS
from ..storage.scoped import OrgPrepared
from ..storage.schema import core_entities
from ..storage.schema import universal_transactions as T
from .kitchen import kitchen_events, with_the_kitchen
from .menu import Menu
from .sale_stock import SaleStock

if TYPE_CHECKING:
    from ..app import Scope

SALE_SC = "HERA.RESTAURANT.SALES.ORDER.CORE.V1"
# An order's key leaves room for the "/payment/N" its payments add (a recorded key holds at most 200 characters).
KEY_LENGTH = 180


def _tax_lines(price: OrderPrice, rules: TaxRules, after: int) -> list[c.TxnLineIn]:
    """One TAX line per rate the order uses; a named rate's line names the account its tax is owed to."""
    out = []
    for n, t in enumerate(price.taxes, start=after + 1):
        meta: dict[str, Any] = {"tax_rate": str(t.rate.rate), "tax_basis": str(t.basis)}
        if t.rate.name != STANDARD:
            meta.update(tax_name=t.rate.name, tax_account=t.rate.account)
        if rules.prices_include_tax:
            meta["prices_include_tax"] = True
        out.append(c.TxnLineIn(line_number=n, line_type="TAX", line_amount=t.tax,
                               smart_code="HERA.RESTAURANT.SALES.LINE.TAX.V1",
                               description=f"{t.rate.label} ({t.rate.percent}%)", metadata=meta))
    return out


def _order_key(key: Any) -> str:
    if not isinstance(key, str) or not key.strip():
        raise ValidationError("idempotency_key", "is required so a retried payment never charges twice")
    if len(key) > KEY_LENGTH:
        raise ValidationError("idempotency_key", f"is too long (at most {KEY_LENGTH} characters)")
    return key
_SALE_BY_KEY = OrgPrepared(select(T.c.id).where(T.c.idempotency_key == bindparam("key"), T.c.smart_code == SALE_SC))
PAYMENT_SC = "HERA.RESTAURANT.PAYMENT.CUSTOMER.V1"
REFUND_SC = "HERA.RESTAURANT.SALES.ORDER.REFUND.V1"
PAYMENT_REFUND_SC = "HERA.RESTAURANT.PAYMENT.REFUND.V1"


class Restaurant:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.store = scope.store
        self.menu = Menu(scope)
        self._stock = SaleStock(scope, self.menu)  # what sales take from stock

    # ------------------------------------------------------------------ the order

    def process_order(self, items: list[dict[str, Any]], customer_id: str | None = None,
                      table_number: Any = None, server_id: str | None = None,
                      payment_method: str | None = "cash", payments: list[dict[str, Any]] | None = None,
                      idempotency_key: str | None = None, location_id: str | None = None,
                      order_type: str = "dine_in", transaction_date: Any = None) -> OrderResult:
        self.scope.require("orders.take", "take orders")
        if not isinstance(items, list) or not items:
            raise ValidationError("items", "an order needs at least one item")
        key = f"order-{new_id()}" if idempotency_key is None else _order_key(idempotency_key)
        with self.scope.db.write():
            st = self.store
            seen = st.run(_SALE_BY_KEY, {"key": key})
            if seen:  # paid already: the sale stands as recorded, whatever the menu, tax or payment say now
                return self._replay(seen[0][0], key, items, customer_id)
            refs = st.entity_types([customer_id], "customer_id")
            refs.update(st.entity_types([server_id], "server_id"))
            if customer_id and refs[customer_id] != "customer":
                raise ValidationError("customer_id", "is not a customer")
            if server_id and refs[server_id] != "user":
                raise ValidationError("server_id", "is not a user")
            rules = tax_rules(self.scope.settings)
            lines, price = self._item_lines(items, rules)
            lines += _tax_lines(price, rules, len(lines))
            subtotal, tax, total, count = price.subtotal, price.tax, price.total, len(price.lines)
            plan = self._payment_plan(payment_method, payments, total)
            with self.scope.internal.posting.together():  # the order's journals in one write
                sale = self.scope.internal.txn.emit(c.TxnEmit(
                    transaction_type="sale", smart_code=SALE_SC, transaction_date=transaction_date,
                    source_entity_id=customer_id,
                    business_context={"table_number": table_number, "server_id": server_id, "order_type": order_type,
                                      "payment_method": plan[0]["method"] if len(plan) == 1 else
                                      ("split" if plan else None)},
                    lines=lines, idempotency_key=key))
                if sale.replayed:
                    return self._result(sale.transaction_id, replayed=True)
                paid = self._pay(sale, customer_id, plan, key)
                self._stock.consume(sale, items, location_id)
                return OrderResult(sales_transaction=sale, payment_transaction=paid[0] if paid else None,
                                   payment_transactions=paid, order_summary=self._summary(
                                       subtotal, tax, count, sum((p["amount"] for p in plan), ZERO),
                                       sum((p.get("change", ZERO) for p in plan), ZERO)))

    def _replay(self, sale_id: str, key: str, items: list[dict[str, Any]], customer_id: str | None) -> OrderResult:
        """The recorded sale a retried key names; the key of one order reused for other items is a conflict."""
        sale = self.scope.internal.txn.read(sale_id)
        recorded = [(ln.entity_id, ln.quantity) for ln in sale.lines if ln.line_type == "ITEM"]
        try:
            asked = [(i["menu_item_id"], D(i.get("quantity", 1))) for i in items]
        except (TypeError, KeyError, ValidationError):
            asked = []
        if asked != recorded or (customer_id or None) != sale.source_entity_id:
            raise IdempotencyConflictError(
                f"idempotency_key {key!r} was already used for a different order ({sale.transaction_code})",
                transaction_id=sale.id)
        return self._result(sale_id, replayed=True)

    def _item_lines(self, items: list[dict[str, Any]], rules: TaxRules) -> tuple[list[c.TxnLineIn], OrderPrice]:
        """The order's item lines, each recorded at its amount before tax, and the order priced."""
        ids = []
        for i, item in enumerate(items):
            if not isinstance(item, dict) or not item.get("menu_item_id"):
                raise ValidationError(f"items.{i}.menu_item_id", "each item needs a menu item")
            ids.append(item["menu_item_id"])
        menu = self.menu.orderable(ids)  # a retired or sold-out item is refused by name
        priced: list[tuple[Decimal, Decimal, TaxRate, MenuItem, dict[str, Any]]] = []
        for i, item in enumerate(items):
            mid = item["menu_item_id"]
            entry = menu[mid]
            qty = D(item.get("quantity", 1), f"items.{i}.quantity")
            if qty <= 0:
                raise ValidationError(f"items.{i}.quantity", "must be more than zero")
            price = entry.price
            meta: dict[str, Any] = {"kitchen_station": entry.kitchen_station, "category": entry.category,
                                    "menu_price": str(entry.price)}
            given = item.get("unit_price")
            if given is not None and D(given, f"items.{i}.unit_price") != entry.price:
                if not self.scope.allows("orders.price_override"):
                    raise PermissionDeniedError(
                        f"items.{i}.unit_price: a {self.scope.role} may not change the price of {entry.entity_name} "
                        f"(menu price {entry.price})")
                price = D(given, f"items.{i}.unit_price")
                if price < 0:
                    raise ValidationError(f"items.{i}.unit_price", "cannot be negative")
                meta.update(price_override=True, override_by=self.scope.actor_id)
            note = item.get("special_instructions")
            if note is not None:
                if not isinstance(note, str) or len(note) > 500:
                    raise ValidationError(f"items.{i}.special_instructions", "must be text of at most 500 characters")
                meta["special_instructions"] = note.strip()
            priced.append((qty, price, rules.rate_for(entry.tax_rate, entry.category), entry, meta))
        order = price_order([(qty, price, rate) for qty, price, rate, _e, _m in priced], rules,
                            self.scope.organization.currency)
        lines = []
        for i, ((qty, price, rate, entry, meta), line) in enumerate(zip(priced, order.lines)):
            if rate.name != STANDARD:
                meta["tax"] = rate.name
            if rules.prices_include_tax:  # the price holds its tax: the line records what is left before tax
                meta.update(amount_with_tax=str(line.amount), tax_amount=str(line.tax))
            lines.append(c.TxnLineIn(line_number=i + 1, line_type="ITEM", entity_id=entry.id, quantity=qty,
                                     unit_price=price, line_amount=line.net,
                                     smart_code="HERA.RESTAURANT.SALES.LINE.ITEM.V1",
                                     description=entry.entity_name, metadata=meta))
        return lines, order

    # ------------------------------------------------------------------ payments

    def _payment_plan(self, method: str | None, payments: list[dict[str, Any]] | None,
                      total: Decimal) -> list[dict[str, Any]]:
        """[{method, amount, tendered?, change?}]: what each payment applies to the order."""
        if payments is None:
            if method is None:
                return []
            payments = [{"method": method}]
        if not isinstance(payments, list):
            raise ValidationError("payments", "must be a list of {method, amount}")
        plan = []
        due = total
        for i, p in enumerate(payments):
            if not isinstance(p, dict):
                raise ValidationError(f"payments.{i}", "must be {method, amount}")
            m = p.get("method") or p.get("payment_method")
            if m not in PAYMENT_METHODS:
                raise ValidationError(f"payments.{i}.method", f"must be one of {', '.join(PAYMENT_METHODS)}")
            amount = D(p["amount"], f"payments.{i}.amount") if p.get("amount") is not None else due
            tendered = D(p["tendered"], f"payments.{i}.tendered") if p.get("tendered") is not None else None
            if m == "cash" and tendered is not None:
                if tendered < amount:
                    amount = tendered
            if amount <= 0:
                raise ValidationError(f"payments.{i}.amount", "must be more than zero")
            if amount > due:
                raise ValidationError(f"payments.{i}.amount", f"{amount} is more than the {due} still due")
            entry = {"method": m, "amount": amount}
            if tendered is not None:
                entry.update(tendered=tendered, change=max(tendered - amount, ZERO))
            plan.append(entry)
            due -= amount
        return plan

    def _pay(self, sale: c.Emitted, customer_id: str | None, plan: list[dict[str, Any]], key: str) -> list[c.Emitted]:
        out = []
        for i, p in enumerate(plan):
            if p["method"] == "on_account":
                self._check_credit(customer_id, p["amount"])
            context = {"payment_method": p["method"], "related_sale": sale.transaction_id}
            if p["method"] == "on_account":
                context["account_effect"] = "charge"
            if "tendered" in p:
                context.update(tendered=str(p["tendered"]), change=str(p["change"]))
            out.append(self.scope.internal.txn.emit(c.TxnEmit(
                transaction_type="payment", smart_code=PAYMENT_SC, source_entity_id=customer_id,
                reference=sale.transaction_code, business_context=context,
                idempotency_key=f"{key}/payment/{i + 1}",
                lines=[c.TxnLineIn(line_number=1, line_type="PAYMENT", line_amount=p["amount"],
                                   smart_code="HERA.RESTAURANT.PAYMENT.LINE.V1",
                                   description=f"Payment for Order {sale.transaction_code}",
                                   metadata={"original_transaction": sale.transaction_id})])))
        return out

    def _check_credit(self, customer_id: str | None, amount: Decimal) -> None:
        if customer_id is None:
            raise ValidationError("customer_id", "paying on account needs a customer")
        customers = self.scope.internal.customers
        status = customers.current_status(customer_id)
        name = self.store.get(core_entities, customer_id, "customer").entity_name
        if status != "active":
            raise ValidationError("payment_method", f"{name} is {status} and cannot buy on account")
        view = customers.view(customer_id)
        if view.account_balance + amount > view.credit_limit:
            raise CreditLimitExceededError(name, view.account_balance, amount, view.credit_limit)

    def pay(self, sale_id: str, payments: list[dict[str, Any]], idempotency_key: str) -> OrderResult:
        """Pay (the rest of) an order recorded earlier, e.g. a table's second card."""
        self.scope.require("orders.take", "take payments")
        _order_key(idempotency_key)
        with self.scope.db.write():
            sale = self.scope.internal.txn.read(sale_id, include_lines=False)
            if sale.smart_code != SALE_SC:
                raise ValidationError("sale_id", "is not a restaurant order")
            if sale.is_reversed:
                raise ValidationError("sale_id", f"{sale.transaction_code} was refunded")
            st = self.store
            if st.first(st.select(T, T.c.idempotency_key == f"{idempotency_key}/payment/1", columns=[T.c.id])):
                return self._result(sale_id, replayed=True)
            plan = self._payment_plan(None, payments, self.balance_due(sale_id))
            emitted = c.Emitted(transaction_id=sale.id, transaction_code=sale.transaction_code,
                                total_amount=sale.total_amount)
            self._pay(emitted, sale.source_entity_id, plan, idempotency_key)
            return self._result(sale_id)

    def sale(self, sale_id: str, include_lines: bool = True) -> c.Transaction:
        """An order's sale (a receipt, a reprint, the refund dialog); anything that is not a sale is refused,
        so the till's people read orders here without reading the rest of the books."""
        found = self.scope.internal.txn.read(sale_id, include_lines=include_lines)
        if found.transaction_type != "sale":
            raise ValidationError("sale_id", f"{found.transaction_code} is not a sale")
        return found

    def sale_people(self, sale_id: str) -> SalePeople:
        """Who served the order and whom it was for, by name (printed on the receipt)."""
        with self.scope.db.read():
            sale = self.sale(sale_id, include_lines=False)
            uni = self.scope.internal.universal
            server, customer = sale.business_context.get("server_id"), sale.source_entity_id
            return SalePeople(server=uni.get_entity(server).entity_name if server else None,
                              customer=uni.get_entity(customer).entity_name if customer else None)

    def recent_sales(self, since: str, limit: int = 40) -> list[c.Transaction]:
        """The latest ``limit`` orders from the day ``since`` (YYYY-MM-DD) on, newest first, without their
        refunds (a refunded order shows as itself, marked reversed)."""
        limit = whole_number("limit", limit, 1, 1000)
        kept: list[c.Transaction] = []
        cursor = None
        with self.scope.db.read():
            while True:
                page = self.scope.internal.txn.query(transaction_type="sale", date_from=since, limit=1000,
                                                     cursor=cursor)
                kept = (kept + [t for t in page.transactions if t.reversal_of is None])[-limit:]
                cursor = page.next_cursor
                if cursor is None:
                    return kept[::-1]

    def payments_of(self, sale_id: str) -> list[c.Transaction]:
        sale = self.sale(sale_id, include_lines=False)
        page = self.scope.internal.txn.query(reference=sale.transaction_code, transaction_type="payment", limit=1000)
        return [t for t in page.transactions
                if t.business_context.get("related_sale") == sale_id and t.reversal_of is None and not t.is_reversed]

    def balance_due(self, sale_id: str) -> Decimal:
        with self.scope.db.read():
            sale = self.sale(sale_id, include_lines=False)
            if sale.is_reversed:  # refunded: nothing is owed any more
                return ZERO
            return sale.total_amount - sum((p.total_amount for p in self.payments_of(sale_id)), ZERO)

    def _result(self, sale_id: str, replayed: bool = False) -> OrderResult:
        sale = self.scope.internal.txn.read(sale_id)
        pays = self.payments_of(sale_id)
        items = [ln for ln in sale.lines if ln.line_type == "ITEM"]
        tax = sum((ln.line_amount or ZERO for ln in sale.lines if ln.line_type == "TAX"), ZERO)
        paid = sum((p.total_amount for p in pays), ZERO)
        change = sum((D(p.business_context.get("change", "0")) for p in pays), ZERO)
        emitted = [c.Emitted(transaction_id=p.id, transaction_code=p.transaction_code, total_amount=p.total_amount)
                   for p in pays]
        return OrderResult(
            sales_transaction=c.Emitted(transaction_id=sale.id, transaction_code=sale.transaction_code,
                                        total_amount=sale.total_amount, replayed=replayed),
            payment_transaction=emitted[0] if emitted else None, payment_transactions=emitted,
            order_summary=self._summary(sale.total_amount - tax, tax, len(items), paid, change), replayed=replayed)

    @staticmethod
    def _summary(subtotal: Decimal, tax: Decimal, count: int, paid: Decimal, change: Decimal) -> OrderSummary:
        total = subtotal + tax
        return OrderSummary(subtotal=subtotal, tax_amount=tax, total_amount=total, item_count=count,
                            amount_paid=paid, balance_due=total - paid, change_due=change)

    # ------------------------------------------------------------------ stock

    def shortfalls(self, items: list[dict[str, Any]], location_id: str | None = None) -> list[Shortfall]:
        """What these items would take past what the books have, where the sale would take it from.

        The till asks as items are added, so the cashier can tell the guest; paying is never refused for it
        unless the ``refuse_sale_when_short`` setting is on.
        """
        self.scope.require("orders.take", "check stock for an order")
        if not isinstance(items, list):
            raise ValidationError("items", "must be a list of {menu_item_id, quantity}")
        for i, item in enumerate(items):
            if not isinstance(item, dict) or not isinstance(item.get("menu_item_id"), str) or not item["menu_item_id"]:
                raise ValidationError(f"items.{i}.menu_item_id", "each item needs a menu item")
            if D(item.get("quantity", 1), f"items.{i}.quantity") <= 0:
                raise ValidationError(f"items.{i}.quantity", "must be more than zero")
        if location_id is not None and not isinstance(location_id, str):
            raise ValidationError("location_id", "must be the id of a location")
        with self.scope.db.read():
            self.store.entity_types([i["menu_item_id"] for i in items], "items.menu_item_id")
            return self._stock.shortfalls(self._stock.plan(items, location_id))

    # ------------------------------------------------------------------ refunds and tickets

    def refund(self, sale_id: str, reason: str) -> c.Emitted:
        """Refund a paid order: the sale and its payments are reversed (and so is their posting)."""
        self.scope.require("orders.refund", "refund orders")
        if not isinstance(reason, str) or not reason.strip():
            raise ValidationError("reason", "a reason is required to refund an order")
        with self.scope.db.write():
            sale = self.scope.internal.txn.read(sale_id, include_lines=False)
            if sale.smart_code != SALE_SC:
                raise ValidationError("sale_id", "is not a restaurant order")
            for payment in self.payments_of(sale_id):
                self.scope.internal.txn.reverse(payment.id, PAYMENT_REFUND_SC, reason)
            return self.scope.internal.txn.reverse(sale_id, REFUND_SC, reason)

    def kitchen_tickets(self, sale_id: str) -> dict[str, list[c.TxnLine]]:
        """The order's item lines the kitchen was not sent before it was paid, grouped by kitchen station
        (a line partly sent keeps only the quantity never sent)."""
        with self.scope.db.read():
            sale = self.sale(sale_id)
            left = with_the_kitchen(kitchen_events(self.scope, sale.idempotency_key)) if sale.idempotency_key else {}
        tickets: dict[str, list[c.TxnLine]] = defaultdict(list)
        for ln in sale.lines:
            if ln.line_type != "ITEM":
                continue
            key = (ln.entity_id or "", ln.metadata.get("special_instructions", ""))
            sent = min(ln.quantity or ZERO, left.get(key, ZERO))
            left[key] = left.get(key, ZERO) - sent
            if sent < (ln.quantity or ZERO):
                unsent = ln if not sent else ln.model_copy(update={"quantity": ln.quantity - sent})
                tickets[ln.metadata.get("kitchen_station", "GENERAL")].append(unsent)
        return dict(tickets)
