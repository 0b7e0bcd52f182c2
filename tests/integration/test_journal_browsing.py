"""Reading the journals: pages newest first with filters, an entry's detail, the till order behind an
automatic posting, and the bookkeeper's draft kept in the books."""
from __future__ import annotations

from decimal import Decimal

import pytest

import hera_desktop
from flows_factories import books_template, db_path, org  # noqa: F401  (fixtures: books copied from a template)
from flows_factories import build_restaurant, make_users, order_items


def account(s, code):
    return s.journals.account_by_code(code).id


def post(s, reference, debit, credit, amount="10.00", date=None, description="entry", line_text=None):
    return s.journals.create_entry(date=date, reference=reference, description=description, lines=[
        {"gl_account_id": account(s, debit), "amount": amount, "dr_cr": "DR", "description": line_text},
        {"gl_account_id": account(s, credit), "amount": amount, "dr_cr": "CR"}]).journal_entry


def refs(page):
    return [r.reference for r in page.rows]


# ------------------------------------------------------------------ the list

def test_pages_come_newest_first_and_a_cursor_continues_without_gaps_or_repeats(s):
    for day in range(1, 8):
        post(s, f"D-{day}", "6000", "1000", date=f"2024-03-{day:02d}")

    first = s.journal_list.page(limit=3)
    assert refs(first) == ["D-7", "D-6", "D-5"]
    post(s, "D-LATE", "6000", "1000", date="2024-03-06")  # added while paging: it sorts above the cursor
    second = s.journal_list.page(limit=3, cursor=first.next_cursor)
    third = s.journal_list.page(limit=3, cursor=second.next_cursor)
    assert refs(second) + refs(third) == ["D-4", "D-3", "D-2", "D-1"]
    assert third.next_cursor is None


def test_filters_by_date_range_account_reference_text_and_kind(s):
    post(s, "INV-100", "6000", "1000", date="2024-01-15", description="Printer paper", line_text="A4 boxes")
    post(s, "INV-101", "6200", "1010", date="2024-02-15", description="February rent")
    post(s, "PAY-7", "2000", "1010", date="2024-03-15", description="Supplier payment")

    page = s.journal_list.page
    assert refs(page(date_from="2024-02-01", date_to="2024-02-29")) == ["INV-101"]
    assert refs(page(date_to="2024-01-15")) == ["INV-100"]  # the whole last day counts
    assert refs(page(account_id=account(s, "1010"))) == ["PAY-7", "INV-101"]
    assert refs(page(reference="INV-")) == ["INV-101", "INV-100"]
    assert refs(page(reference="inv-10")) == ["INV-101", "INV-100"]
    assert refs(page(text="rent")) == ["INV-101"]
    assert refs(page(text="A4 box")) == ["INV-100"]  # a line's description counts too
    assert refs(page(text="50%_")) == []  # wildcards are plain text
    assert refs(page(kind="manual")) == ["PAY-7", "INV-101", "INV-100"]
    assert page(kind="automatic").rows == []
    with pytest.raises(hera_desktop.HeraError):
        page(date_from="March")


def test_searching_text_never_finds_another_organizations_entries(hera, s):
    other = hera.scope(hera.create_organization("Luigi's Deli", currency="USD").id)
    post(s, "OURS-1", "6000", "1000", line_text="Toner cartridge")
    post(other, "THEIRS-1", "6000", "1000", line_text="Toner cartridge", description="Toner")

    assert refs(s.journal_list.page(text="toner")) == ["OURS-1"]
    assert refs(other.journal_list.page(text="toner")) == ["THEIRS-1"]


def test_a_reversed_entry_and_its_reversal_point_at_each_other(s):
    entry = post(s, "OOPS-1", "6000", "1000")
    reversal = s.journals.reverse(entry.transaction_id, "Posted to the wrong account")

    rows = {r.id: r for r in s.journal_list.page().rows}
    assert rows[entry.transaction_id].reversed_by_code == reversal.transaction_code
    assert rows[reversal.transaction_id].reversal_of_code == entry.transaction_code
    detail = s.journal_list.detail(entry.transaction_id)
    assert detail.reversed_by.transaction_code == reversal.transaction_code
    assert detail.reversed_by.reason == "Posted to the wrong account"
    assert s.journal_list.detail(reversal.transaction_id).reversal_of.id == entry.transaction_id


def test_the_entry_that_already_has_a_reference_is_found(s):
    entry = post(s, "INV-555", "6000", "1000")
    found = s.journal_list.entry_with_reference(" INV-555 ")
    assert (found.id, found.transaction_code) == (entry.transaction_id, entry.transaction_code)
    assert s.journal_list.entry_with_reference("INV-556") is None
    assert s.journal_list.entry_with_reference("") is None


def test_detail_names_each_lines_account_and_who_posted(hera, org, s):  # noqa: F811
    _, bookkeeper = make_users(hera, org, s, "bookkeeper")["bookkeeper"]
    entry = post(bookkeeper, "INV-9", "6000", "1000", amount="12.34", line_text="Toner")

    detail = s.journal_list.detail(entry.transaction_id)

    assert [(ln.account_code, ln.account_name, ln.debit, ln.credit, ln.description) for ln in detail.lines] == [
        ("6000", "Office supplies", Decimal("12.34"), Decimal("0"), "Toner"),
        ("1000", "Cash on hand", Decimal("0"), Decimal("12.34"), None)]
    assert (detail.total_debits, detail.total_credits) == (Decimal("12.34"), Decimal("12.34"))
    assert detail.posted_by == "Bookkeeper 1" and not detail.automatic and detail.source is None


# ------------------------------------------------------------------ tracing the till

def test_automatic_postings_name_the_order_they_came_from(hera, org, s):  # noqa: F811
    r = build_restaurant(hera, org, s)
    order = s.restaurant.process_order(items=order_items(r, pizza=2), table_number=5, payment_method="card")
    sale, payment = order.sales_transaction, order.payment_transaction

    rows = [row for row in s.journal_list.page(kind="automatic").rows if row.order_id == sale.transaction_id]

    by_reference = {row.reference: row for row in rows}
    assert by_reference[sale.transaction_code].order_code == sale.transaction_code
    assert by_reference[payment.transaction_code].source_code == payment.transaction_code
    assert by_reference[payment.transaction_code].order_code == sale.transaction_code
    stock = [row for row in rows if row.source_code.startswith("INV-")]
    assert stock and all(row.order_code == sale.transaction_code for row in stock)
    detail = s.journal_list.detail(by_reference[payment.transaction_code].id)
    assert (detail.source.kind, detail.source.order_code) == ("Payment", sale.transaction_code)


def test_the_order_view_gathers_its_items_payments_stock_and_every_journal_it_posted(hera, org, s):  # noqa: F811
    r = build_restaurant(hera, org, s)
    order = s.restaurant.process_order(items=order_items(r, pizza=2, pasta=1), table_number=5,
                                       customer_id=r.customer.id, payment_method="cash")
    sale_id = order.sales_transaction.transaction_id

    trace = s.journal_list.order(sale_id)

    assert [(i.description, i.quantity, i.amount) for i in trace.items] == [
        ("Margherita Pizza", Decimal("2"), Decimal("25.00")), ("Pasta Carbonara", Decimal("1"), Decimal("14.00"))]
    assert (trace.tax, trace.total_amount, trace.customer, trace.table_number) == (
        Decimal("1.95"), Decimal("40.95"), "Acme Catering", 5)
    kinds = [t.kind for t in trace.related]
    assert kinds.count("Payment") == 1 and kinds.count("Stock movement") >= 1
    assert [t.description for t in trace.related if t.kind == "Payment"] == ["Paid in cash"]
    posted = {p.id for p in trace.postings}
    listed = {row.id for row in s.journal_list.page(kind="automatic").rows if row.order_id == sale_id}
    assert posted == listed and len(posted) == len(trace.related) + 1


def test_a_refunded_order_shows_its_refund_and_the_reversed_postings(hera, org, s):  # noqa: F811
    r = build_restaurant(hera, org, s, stock=False)
    order = s.restaurant.process_order(items=order_items(r, bread=1), payment_method="cash")
    refund = s.restaurant.refund(order.sales_transaction.transaction_id, "Cold bread")

    trace = s.journal_list.order(order.sales_transaction.transaction_id)

    assert trace.refunded_by == refund.transaction_code
    assert len(trace.postings) == 4  # sale and payment posted, then both postings reversed
    with pytest.raises(hera_desktop.HeraError):
        s.journal_list.order(refund.transaction_id)  # a refund is not an order


def test_reading_the_journals_needs_permission_to_see_reports(hera, org, s):  # noqa: F811
    _, cashier = make_users(hera, org, s, "cashier")["cashier"]
    with pytest.raises(hera_desktop.HeraError) as refused:
        cashier.journal_list.page()
    assert refused.value.code == "permission_denied"


# ------------------------------------------------------------------ drafts

def test_a_draft_is_kept_per_user_until_it_is_cleared(hera, org, s, db_path):  # noqa: F811
    users = make_users(hera, org, s, "bookkeeper", "manager")
    (keeper, as_keeper), (_, as_manager) = users["bookkeeper"], users["manager"]
    assert as_keeper.journal_drafts.load() is None

    as_keeper.journal_drafts.save({"date": "2024-06-30", "reference": "ACCRUAL-6", "description": "Wages",
                                   "lines": [{"account_id": account(s, "6100"), "debit": "640.50"},
                                             {"account_text": "accrued wag", "credit": "640.50"}]})
    as_manager.journal_drafts.save({"reference": "MGR-1", "lines": []})

    hera.close()
    reopened = hera_desktop.open(db_path)
    try:
        again = reopened.scope(org.id, actor_id=keeper.id).journal_drafts.load()
        assert (again.date, again.reference, again.description) == ("2024-06-30", "ACCRUAL-6", "Wages")
        assert [(ln.account_id, ln.account_text, ln.debit, ln.credit) for ln in again.lines] == [
            (account(s, "6100"), "", "640.50", ""), (None, "accrued wag", "", "640.50")]
        assert again.saved_at
        reopened.scope(org.id, actor_id=keeper.id).journal_drafts.clear()
        assert reopened.scope(org.id, actor_id=keeper.id).journal_drafts.load() is None
        assert reopened.scope(org.id, actor_id=users["manager"][0].id).journal_drafts.load().reference == "MGR-1"
    finally:
        reopened.close()


def test_a_draft_never_touches_the_ledger(s):
    before = s.reports.trial_balance()
    s.journal_drafts.save({"reference": "X", "lines": [{"account_id": account(s, "1000"), "debit": "5"}]})
    assert s.reports.trial_balance() == before
    assert s.journal_list.page().rows == []
