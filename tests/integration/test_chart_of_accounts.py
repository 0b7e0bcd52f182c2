"""The chart of accounts as a bookkeeper keeps it: a tree by type; add, rename, deactivate, reactivate;
an account with postings (or one the till's posting rules use) stays open, and the refusal says why."""
from __future__ import annotations

from decimal import Decimal

import pytest

import hera_desktop
from flows_factories import books_template, db_path, org  # noqa: F401  (fixtures: books copied from a template)
from flows_factories import make_users


def account(s, code):
    return s.journals.account_by_code(code)


def post(s, reference, debit_code, credit_code, amount="50.00"):
    return s.journals.create_entry(reference=reference, description="test entry", lines=[
        {"gl_account_id": account(s, debit_code).id, "amount": amount, "dr_cr": "DR"},
        {"gl_account_id": account(s, credit_code).id, "amount": amount, "dr_cr": "CR"}])


def row(s, code):
    return next(a for g in s.chart_of_accounts.tree() for a in g.accounts if a.code == code)


def test_the_tree_groups_accounts_by_type_with_balances_in_their_normal_direction(s):
    post(s, "OWNER-1", "1000", "3000", "500.00")
    post(s, "RENT-1", "6200", "1000", "120.00")

    tree = s.chart_of_accounts.tree()

    assert [g.label for g in tree] == ["Assets", "Liabilities", "Equity", "Revenue", "Expenses"]
    assets = tree[0]
    assert [a.code for a in assets.accounts] == sorted(a.code for a in assets.accounts)
    assert {a.account_type for g in tree for a in g.accounts} == {"asset", "liability", "equity", "revenue",
                                                                  "expense"}
    assert (row(s, "1000").balance, row(s, "3000").balance, row(s, "6200").balance) == (
        Decimal("380.00"), Decimal("500.00"), Decimal("120.00"))
    assert row(s, "1000").has_postings and not row(s, "1010").has_postings
    assert tree[2].balance == Decimal("500.00")


def test_an_added_account_appears_under_its_type_and_can_be_posted_to(s):
    added = s.chart_of_accounts.add("6300", "Utilities", "expense")

    assert row(s, "6300").name == "Utilities"
    assert "6300" in [a.code for a in s.chart_of_accounts.tree()[4].accounts]
    post(s, "POWER-1", "6300", "1000", "88.40")
    assert row(s, "6300").balance == Decimal("88.40")
    assert added.entity_type == "gl_account"


def test_an_account_number_is_used_once_and_the_refusal_names_the_account_that_has_it(s):
    with pytest.raises(hera_desktop.HeraError) as refused:
        s.chart_of_accounts.add("1000", "Petty cash", "asset")
    assert "1000" in refused.value.message and "Cash on hand" in refused.value.message


@pytest.mark.parametrize("code, name, kind, field", [("", "Utilities", "expense", "code"),
                                                     ("6300", " ", "expense", "name"),
                                                     ("6300", "Utilities", "costs", "account_type")])
def test_an_account_needs_a_number_a_name_and_a_known_type(s, code, name, kind, field):
    with pytest.raises(hera_desktop.HeraError) as refused:
        s.chart_of_accounts.add(code, name, kind)
    assert refused.value.details["field"] == field


def test_renaming_keeps_the_number_the_type_and_the_postings(s):
    post(s, "OWNER-1", "1010", "3000", "900.00")

    s.chart_of_accounts.rename(account(s, "1010").id, "Bank — current account")

    renamed = row(s, "1010")
    assert (renamed.name, renamed.account_type, renamed.balance) == ("Bank — current account", "asset",
                                                                     Decimal("900.00"))
    tb = {r.account_code: r.account_name for r in s.reports.trial_balance().rows}
    assert tb["1010"] == "Bank — current account"


def test_an_account_with_postings_cannot_be_deactivated_or_deleted_and_the_refusal_says_why(s):
    post(s, "RENT-1", "6200", "1000", "120.00")
    rent = account(s, "6200")

    for attempt in (lambda: s.chart_of_accounts.deactivate(rent.id),
                    lambda: s.chart_of_accounts.delete(rent.id, "not needed")):
        with pytest.raises(hera_desktop.HeraError) as refused:
            attempt()
        message = refused.value.message
        assert "6200 Rent" in message and "1 posted journal line" in message
        assert "ledger" in message and "Rename it instead" in message
    assert row(s, "6200").active
    assert s.chart_of_accounts.postings(rent.id) == 1


def test_an_account_the_tills_posting_rules_use_cannot_be_deactivated(s):
    with pytest.raises(hera_desktop.HeraError) as refused:
        s.chart_of_accounts.deactivate(account(s, "4000").id)  # sales: no postings yet, but every sale posts here
    assert "'Restaurant sale'" in refused.value.message
    with pytest.raises(hera_desktop.HeraError) as refused:
        s.chart_of_accounts.deactivate(account(s, "1050").id)  # card clearing: chosen by payment method
    assert "'Customer payment'" in refused.value.message


def test_an_unused_account_is_deactivated_and_reactivated(s):
    wages = account(s, "6100")

    s.chart_of_accounts.deactivate(wages.id)
    assert not row(s, "6100").active
    assert s.universal.get_entity(wages.id).status == "inactive"
    assert [a.status for a in s.journals.accounts() if a.entity_code == "6100"] == ["inactive"]

    s.chart_of_accounts.reactivate(wages.id)
    assert row(s, "6100").active


def test_an_unused_account_can_be_deleted_and_leaves_the_tree(s):
    added = s.chart_of_accounts.add("6310", "Typo account", "expense")
    s.chart_of_accounts.delete(added.id, "Added by mistake")
    assert "6310" not in [a.code for g in s.chart_of_accounts.tree() for a in g.accounts]


def test_only_roles_that_manage_accounts_change_the_chart(hera, org, s):  # noqa: F811
    users = make_users(hera, org, s, "bookkeeper", "manager", "cashier")
    _, bookkeeper = users["bookkeeper"]
    bookkeeper.chart_of_accounts.add("6400", "Repairs", "expense")
    for role in ("manager", "cashier"):
        _, scope = users[role]
        with pytest.raises(hera_desktop.HeraError) as refused:
            scope.chart_of_accounts.rename(account(s, "6400").id, "Maintenance")
        assert refused.value.code == "permission_denied"
    assert row(s, "6400").name == "Repairs"


def test_a_deactivated_account_takes_no_new_entries(s) -> None:  # type: ignore[no-untyped-def]
    import pytest

    from hera_desktop import ValidationError

    office = s.journals.add_account("6300", "Postage", "expense")
    cash = s.journals.account_by_code("1000")
    s.chart_of_accounts.deactivate(office.id)
    with pytest.raises(ValidationError, match="6300 Postage is deactivated"):
        s.journals.create_entry(reference="POST-1", lines=[
            {"gl_account_id": office.id, "amount": "5", "dr_cr": "DR"},
            {"gl_account_id": cash.id, "amount": "5", "dr_cr": "CR"}])
