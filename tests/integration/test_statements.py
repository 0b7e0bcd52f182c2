"""Profit and loss and balance sheet from known postings; the balance sheet always balances."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from hera_desktop.domain.errors import PermissionDeniedError, ValidationError

# (date, reference, debit account, credit account, amount): two months of a small restaurant's books
POSTINGS = [
    ("2024-01-05", "OWNER-IN", "1000", "3000", "10000.00"),   # the owner puts cash in
    ("2024-01-10", "Z-0110", "1000", "4000", "1200.00"),      # cash sales
    ("2024-01-15", "RENT-JAN", "6200", "1000", "800.00"),     # rent paid
    ("2024-02-03", "INV-0203", "1100", "4000", "500.00"),     # catering on account
    ("2024-02-10", "SUP-0210", "6000", "2000", "150.00"),     # supplies bought on credit
    ("2024-02-20", "WAGES-FEB", "6100", "1000", "400.00"),    # wages paid
]


def post(s: Any, day: str, reference: str, debit: str, credit: str, amount: str) -> Any:
    j = s.journals
    return j.create_entry(date=day, reference=reference, description=reference, lines=[
        {"gl_account_id": j.account_by_code(debit).id, "amount": amount, "dr_cr": "DR", "description": reference},
        {"gl_account_id": j.account_by_code(credit).id, "amount": amount, "dr_cr": "CR", "description": reference}])


@pytest.fixture
def books(s: Any) -> Any:
    for p in POSTINGS:
        post(s, *p)
    return s


def amounts(lines: list[Any]) -> dict[str, Decimal]:
    return {ln.account_code: ln.amount for ln in lines}


def test_profit_and_loss_of_january(books: Any) -> None:
    pl = books.statements.profit_and_loss("2024-01-01", "2024-01-31")
    assert amounts(pl.revenue) == {"4000": Decimal("1200.00")}
    assert amounts(pl.expenses) == {"6200": Decimal("800.00")}
    assert (pl.total_revenue, pl.total_expenses, pl.net_income) == (Decimal("1200"), Decimal("800"), Decimal("400"))


def test_a_month_can_make_a_loss(books: Any) -> None:
    pl = books.statements.profit_and_loss("2024-02-01", "2024-02-29")
    assert amounts(pl.expenses) == {"6000": Decimal("150"), "6100": Decimal("400")}
    assert pl.net_income == Decimal("-50.00")


def test_profit_and_loss_over_both_months_is_their_sum(books: Any) -> None:
    pl = books.statements.profit_and_loss("2024-01-01", "2024-02-29")
    assert (pl.total_revenue, pl.total_expenses, pl.net_income) == (Decimal("1700"), Decimal("1350"), Decimal("350"))
    assert [ln.account_code for ln in pl.expenses] == ["6000", "6100", "6200"]  # by account number


def test_balance_sheet_at_the_end_of_january(books: Any) -> None:
    bs = books.statements.balance_sheet("2024-01-31")
    assert amounts(bs.assets) == {"1000": Decimal("10400.00")}
    assert bs.liabilities == []
    assert amounts(bs.equity) == {"3000": Decimal("10000.00")}
    assert bs.current_earnings == Decimal("400.00")
    assert bs.total_assets == bs.total_liabilities + bs.total_equity + bs.current_earnings
    assert bs.balanced


def test_balance_sheet_at_the_end_of_february(books: Any) -> None:
    bs = books.statements.balance_sheet("2024-02-29")
    assert amounts(bs.assets) == {"1000": Decimal("10000.00"), "1100": Decimal("500.00")}
    assert amounts(bs.liabilities) == {"2000": Decimal("150.00")}
    assert (bs.total_assets, bs.total_liabilities, bs.total_equity, bs.current_earnings) == (
        Decimal("10500"), Decimal("150"), Decimal("10000"), Decimal("350"))
    assert bs.total_liabilities_and_equity == Decimal("10500") and bs.balanced


def test_a_reversal_takes_the_expense_out_of_the_month_it_is_dated(books: Any) -> None:
    rent = books.txn.query(reference="RENT-JAN", transaction_type="journal_entry").transactions[0]
    books.journals.reverse(rent.id, "Rent was paid by the landlord's mistake", date="2024-02-01")
    assert books.statements.profit_and_loss("2024-01-01", "2024-01-31").net_income == Decimal("400")
    feb = books.statements.profit_and_loss("2024-02-01", "2024-02-29")
    assert amounts(feb.expenses)["6200"] == Decimal("-800.00")
    both = books.statements.profit_and_loss("2024-01-01", "2024-02-29")
    assert "6200" not in amounts(both.expenses)
    assert books.statements.balance_sheet("2024-02-29").balanced


def test_balance_sheet_balances_after_the_restaurants_own_flows(hera: Any) -> None:
    from hera_desktop.demo import create_demo, run_guide_flows

    book = create_demo(hera)
    run_guide_flows(hera, book)
    s = hera.scope(book.organization_id)
    bs = s.statements.balance_sheet()
    pl = s.statements.profit_and_loss()
    assert bs.balanced, (bs.total_assets, bs.total_liabilities_and_equity)
    assert bs.current_earnings == pl.net_income  # nothing closed yet: all profit to date is current earnings
    tb = s.reports.trial_balance()
    assert bs.total_assets == sum((r.balance for r in tb.rows if r.account_type == "asset"), Decimal(0))


def test_no_postings_no_lines(s: Any) -> None:
    bs = s.statements.balance_sheet()
    assert (bs.assets, bs.liabilities, bs.equity, bs.current_earnings) == ([], [], [], 0)
    assert bs.balanced


def test_dates_are_checked(books: Any) -> None:
    with pytest.raises(ValidationError, match="date_to"):
        books.statements.profit_and_loss("2024-02-01", "2024-01-01")
    with pytest.raises(ValidationError, match="as_of"):
        books.statements.balance_sheet("last tuesday")


def test_a_cashier_may_not_see_the_statements(hera: Any, org: Any, s: Any) -> None:
    luca = s.users.create("Luca", "cashier", "2222")
    cashier = hera.scope(org.id, luca.id)
    with pytest.raises(PermissionDeniedError):
        cashier.statements.balance_sheet()
    with pytest.raises(PermissionDeniedError):
        cashier.statements.profit_and_loss()
