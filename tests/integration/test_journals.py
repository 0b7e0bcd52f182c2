"""Journal entries: the usage guide's createJournalEntry, balanced exactly, on the organization's own accounts."""
from __future__ import annotations

from decimal import Decimal

import pytest

import hera_desktop
from flows_factories import books_template, db_path, org  # noqa: F401  (fixtures: books copied from a template)
from flows_factories import balances, contents, count, make_users, numbers_in


def account(s, code):
    return s.journals.account_by_code(code).id


def expense_payment(s, amount="123.45", reference="EXP-2025-001", **kw):
    """The guide's recordExpensePayment: office supplies paid in cash."""
    return s.journals.create_entry(
        date=kw.pop("date", "2025-01-15"), reference=reference, description="Office supplies expense payment",
        lines=[{"gl_account_id": account(s, "6000"), "amount": amount, "dr_cr": "DR",
                "description": "Office supplies expense", "reference": "Invoice-12345"},
               {"gl_account_id": account(s, "1000"), "amount": amount, "dr_cr": "CR", "description": "Cash payment"}],
        **kw)


def test_a_balanced_entry_is_posted_as_in_the_guide(s):
    result = expense_payment(s)
    assert result.balance_validation.total_debits == Decimal("123.45")
    assert result.balance_validation.total_credits == Decimal("123.45")
    assert result.balance_validation.balanced

    entry = s.txn.read(result.journal_entry.transaction_id)
    assert (entry.transaction_type, entry.smart_code) == ("journal_entry", "HERA.FINANCE.GL.JOURNAL.ENTRY.V1")
    assert entry.reference == "EXP-2025-001"
    assert entry.transaction_date.startswith("2025-01-15")
    assert entry.total_amount == Decimal("123.45")
    assert entry.business_context["entry_type"] == "manual"
    assert [(ln.line_type, ln.dr_cr, ln.smart_code) for ln in entry.lines] == [
        ("dr", "DR", "HERA.FINANCE.GL.DR.V1"), ("cr", "CR", "HERA.FINANCE.GL.CR.V1")]
    assert entry.lines[0].metadata["reference"] == "Invoice-12345"

    books = balances(s)
    assert books["6000"] == Decimal("123.45")
    assert books["1000"] == Decimal("-123.45")
    tb = s.reports.trial_balance()
    assert tb.total_debits == tb.total_credits == Decimal("123.45")


def test_an_unbalanced_entry_is_refused_with_both_totals(s, db_path):
    before = contents(db_path)
    with pytest.raises(hera_desktop.UnbalancedTransactionError) as caught:
        s.journals.create_entry(date="2025-01-15", reference="JE-UNBAL", description="typo", lines=[
            {"gl_account_id": account(s, "6000"), "amount": "100.00", "dr_cr": "DR"},
            {"gl_account_id": account(s, "1000"), "amount": "99.99", "dr_cr": "CR"}])
    assert (caught.value.total_debits, caught.value.total_credits) == (Decimal("100.00"), Decimal("99.99"))
    assert {Decimal("100"), Decimal("99.99")} <= numbers_in(str(caught.value))
    assert contents(db_path) == before


def test_amounts_are_exact_decimals(s, db_path):
    # 0.1 + 0.2 is not 0.3 in binary floating point; in the books it is.
    result = s.journals.create_entry(date="2025-01-15", reference="JE-EXACT", description="split rent", lines=[
        {"gl_account_id": account(s, "6200"), "amount": 0.1, "dr_cr": "DR"},
        {"gl_account_id": account(s, "6200"), "amount": 0.2, "dr_cr": "DR"},
        {"gl_account_id": account(s, "1010"), "amount": 0.3, "dr_cr": "CR"}])
    assert result.balance_validation.total_debits == Decimal("0.3")
    assert [ln.line_amount for ln in s.txn.read(result.journal_entry.transaction_id).lines] == \
        [Decimal("0.1"), Decimal("0.2"), Decimal("0.3")]
    assert balances(s)["6200"] == Decimal("0.3")

    # The guide tolerated a difference of up to 0.01; the books tolerate none.
    before = contents(db_path)
    with pytest.raises(hera_desktop.UnbalancedTransactionError):
        s.journals.create_entry(date="2025-01-15", reference="JE-TOLERANCE", description="almost", lines=[
            {"gl_account_id": account(s, "6200"), "amount": "100.01", "dr_cr": "DR"},
            {"gl_account_id": account(s, "1010"), "amount": "100.00", "dr_cr": "CR"}])
    assert contents(db_path) == before


def test_only_gl_accounts_of_this_organization_can_be_posted_to(hera, s, db_path):
    other = hera.scope(hera.create_organization("Luigi's", currency="USD").id)
    their_cash = other.journals.account_by_code("1000").id
    customer = s.customers.onboard(name="Acme Foods").customer
    before = contents(db_path)
    with pytest.raises(hera_desktop.OrganizationMismatchError):
        s.journals.create_entry(date="2025-01-15", reference="JE-THEIRS", lines=[
            {"gl_account_id": account(s, "6000"), "amount": "10", "dr_cr": "DR"},
            {"gl_account_id": their_cash, "amount": "10", "dr_cr": "CR"}])
    with pytest.raises(hera_desktop.ValidationError) as caught:
        s.journals.create_entry(date="2025-01-15", reference="JE-CUSTOMER", lines=[
            {"gl_account_id": account(s, "6000"), "amount": "10", "dr_cr": "DR"},
            {"gl_account_id": customer.id, "amount": "10", "dr_cr": "CR"}])
    assert caught.value.field == "gl_account_id"
    assert contents(db_path) == before


@pytest.mark.parametrize("change, field", [
    ({"reference": ""}, "reference"),
    ({"lines": []}, "lines"),
    ({"side": "XX"}, "lines.0.dr_cr"),
    ({"amount": "-5"}, "lines.0.amount"),
    ({"amount": "five"}, "lines.0.amount"),
])
def test_malformed_entries_are_refused_naming_the_field(s, db_path, change, field):
    lines = [{"gl_account_id": account(s, "6000"), "amount": change.get("amount", "5"),
              "dr_cr": change.get("side", "DR")},
             {"gl_account_id": account(s, "1000"), "amount": "5", "dr_cr": "CR"}]
    before = contents(db_path)
    with pytest.raises(hera_desktop.ValidationError) as caught:
        s.journals.create_entry(date="2025-01-15", reference=change.get("reference", "JE-BAD"),
                                lines=change.get("lines", lines))
    assert caught.value.field == field
    assert contents(db_path) == before


def test_posting_the_same_reference_twice_returns_the_first_entry(s, db_path):
    first = expense_payment(s, reference="EXP-77")
    before = contents(db_path)
    again = expense_payment(s, reference="EXP-77")
    assert again.journal_entry.transaction_id == first.journal_entry.transaction_id
    assert again.journal_entry.replayed
    assert contents(db_path) == before
    assert balances(s)["6000"] == Decimal("123.45")


def test_the_same_reference_with_different_lines_is_a_conflict_naming_the_entry(s, db_path):
    first = expense_payment(s, reference="EXP-78")
    before = contents(db_path)
    with pytest.raises(hera_desktop.IdempotencyConflictError) as caught:
        expense_payment(s, amount="999.00", reference="EXP-78")
    assert first.journal_entry.transaction_code in str(caught.value)
    assert contents(db_path) == before


def test_a_reversal_restores_the_trial_balance(s):
    expense_payment(s, reference="EXP-1", amount="50.00")
    before = balances(s)
    wrong = expense_payment(s, reference="EXP-2", amount="75.25")
    assert balances(s) != before

    reversal = s.journals.reverse(wrong.journal_entry.transaction_id, "Posted to the wrong period")
    after = {code: bal for code, bal in balances(s).items() if bal != 0}
    assert after == {code: bal for code, bal in before.items() if bal != 0}
    tb = s.reports.trial_balance()
    assert tb.total_debits == tb.total_credits

    original = s.txn.read(wrong.journal_entry.transaction_id)
    assert original.reversed_by == reversal.transaction_id
    mirrored = s.txn.read(reversal.transaction_id)
    assert [(ln.entity_id, ln.dr_cr, ln.line_amount) for ln in mirrored.lines] == \
        [(ln.entity_id, {"DR": "CR", "CR": "DR"}[ln.dr_cr], ln.line_amount) for ln in original.lines]
    with pytest.raises(hera_desktop.AlreadyReversedError):
        s.journals.reverse(wrong.journal_entry.transaction_id, "again")
    with pytest.raises(hera_desktop.ValidationError):
        s.journals.reverse(expense_payment(s, reference="EXP-3").journal_entry.transaction_id, "")


def test_a_cashier_cannot_post_or_reverse_journals_and_a_bookkeeper_can(hera, org, s, db_path):
    users = make_users(hera, org, s, "cashier", "bookkeeper")
    _, at_till = users["cashier"]
    bookkeeper, in_office = users["bookkeeper"]
    posted = expense_payment(s, reference="EXP-SYS")
    before = contents(db_path)
    with pytest.raises(hera_desktop.PermissionDeniedError):
        expense_payment(at_till, reference="EXP-CASHIER")
    with pytest.raises(hera_desktop.PermissionDeniedError):
        at_till.journals.reverse(posted.journal_entry.transaction_id, "I can't")
    with pytest.raises(hera_desktop.PermissionDeniedError):
        at_till.journals.add_account("6300", "Repairs", "expense")
    assert contents(db_path) == before

    result = expense_payment(in_office, reference="EXP-BK")
    entry = s.txn.read(result.journal_entry.transaction_id)
    assert entry.created_by == bookkeeper.id
    assert count(db_path, "universal_transaction_lines", "transaction_id = ? AND created_by = ?",
                 (entry.id, bookkeeper.id)) == 2


def test_import_is_all_or_nothing(s, db_path):
    good = {"date": "2025-02-01", "reference": "IMP-1", "description": "Rent",
            "lines": [{"gl_account_id": account(s, "6200"), "amount": "1500", "dr_cr": "DR"},
                      {"gl_account_id": account(s, "1010"), "amount": "1500", "dr_cr": "CR"}]}
    bad = {"date": "2025-02-02", "reference": "IMP-2", "description": "Wages",
           "lines": [{"gl_account_id": account(s, "6100"), "amount": "800", "dr_cr": "DR"},
                     {"gl_account_id": account(s, "1010"), "amount": "80", "dr_cr": "CR"}]}
    before = contents(db_path)
    with pytest.raises(hera_desktop.UnbalancedTransactionError):
        s.journals.import_entries([good, bad])
    assert contents(db_path) == before

    bad["lines"][1]["amount"] = "800"
    results = s.journals.import_entries([good, bad])
    assert len(results) == 2
    assert [s.txn.read(r.journal_entry.transaction_id).business_context["entry_type"] for r in results] == \
        ["imported", "imported"]
    assert balances(s)["1010"] == Decimal("-2300")


def test_the_chart_of_accounts_can_grow(s):
    codes = [a.entity_code for a in s.journals.accounts()]
    assert codes == sorted(codes)
    assert {"1000", "1050", "1100", "1200", "2100", "4000", "5000"} <= set(codes)
    assert s.journals.account_by_code("4000").entity_name == "Sales"
    repairs = s.journals.add_account("6300", "Repairs", "expense")
    assert s.journals.account_by_code("6300").id == repairs.id
    with pytest.raises(hera_desktop.DuplicateError):
        s.journals.add_account("6300", "Repairs again", "expense")
    with pytest.raises(hera_desktop.ValidationError):
        s.journals.add_account("6400", "Mystery", "sideways")
    with pytest.raises(hera_desktop.NotFoundError):
        s.journals.account_by_code("9999")
    s.journals.create_entry(date="2025-03-01", reference="JE-REPAIR", lines=[
        {"gl_account_id": repairs.id, "amount": "42.10", "dr_cr": "DR"},
        {"gl_account_id": account(s, "1000"), "amount": "42.10", "dr_cr": "CR"}])
    row = next(r for r in s.reports.trial_balance().rows if r.account_code == "6300")
    assert (row.account_name, row.account_type, row.debit) == ("Repairs", "expense", Decimal("42.10"))


def test_a_third_decimal_of_a_dollar_is_refused_naming_the_journal_line(s):
    cash, rent = s.journals.account_by_code("1000").id, s.journals.account_by_code("6200").id
    with pytest.raises(hera_desktop.ValidationError) as refused:
        s.journals.create_entry(date="2025-01-15", reference="RENT-1", description="Rent",
                                lines=[{"gl_account_id": rent, "amount": "1500.005", "dr_cr": "DR"},
                                       {"gl_account_id": cash, "amount": "1500.005", "dr_cr": "CR"}])
    assert refused.value.field == "lines.0.amount"
    assert "more decimals than USD allows (1500.005)" in refused.value.message
    assert s.txn.query(transaction_type="journal_entry").transactions == []
