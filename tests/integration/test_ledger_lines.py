"""General-ledger journals post only to the organization's active GL accounts, on every path that records one."""
from __future__ import annotations

import pytest

import factories as f
from hera_desktop import ValidationError


@pytest.fixture
def accounts(s):
    return f.gl_account(s, "1000"), f.gl_account(s, "4000")


def _dr_on(s, entity_id, cash):
    return f.journal([(entity_id, "DR", "5.00"), (cash.id, "CR", "5.00")])


def test_a_raw_journal_with_a_debit_on_a_customer_is_refused_and_the_trial_balance_still_balances(s, db_path, accounts):
    cash, _ = accounts
    customer = f.customer(s, "Maria Rossi")
    before = f.count(db_path, "universal_transactions")
    with pytest.raises(ValidationError) as refused:
        s.txn.emit(_dr_on(s, customer.id, cash))
    assert refused.value.field == "lines.0.entity_id"
    assert "is a customer, not a GL account" in refused.value.message
    assert f.count(db_path, "universal_transactions") == before
    tb = s.reports.trial_balance()
    assert tb.total_debits == tb.total_credits


def test_a_journal_line_on_no_entity_is_refused(s, accounts):
    cash, _ = accounts
    with pytest.raises(ValidationError, match="must name the GL account"):
        s.txn.emit(_dr_on(s, None, cash))


def test_emit_many_names_the_entry_and_writes_none_of_them(s, db_path, accounts):
    cash, sales = accounts
    product = f.product(s, "Flour")
    before = f.count(db_path, "universal_transactions")
    good = f.journal([(cash.id, "DR", "5"), (sales.id, "CR", "5")])
    with pytest.raises(ValidationError) as refused:
        s.txn.emit_many([good, _dr_on(s, product.id, cash)])
    assert refused.value.field == "[1].lines.0.entity_id"
    assert f.count(db_path, "universal_transactions") == before


def test_a_deactivated_account_takes_no_new_journal(s, accounts):
    cash, _ = accounts
    spare = s.chart_of_accounts.add("1999", "Old till float", "asset")
    s.chart_of_accounts.deactivate(spare.id)
    with pytest.raises(ValidationError, match="is inactive; reactivate it"):
        s.txn.emit(f.journal([(spare.id, "DR", "2"), (cash.id, "CR", "2")]))


def test_a_batch_transaction_is_checked_the_same_way(s, accounts):
    cash, _ = accounts
    customer = f.customer(s, "Maria Rossi")
    result = s.batch.process([{"type": "transaction", "operation": "create", "data": _dr_on(s, customer.id, cash)}])
    assert result.failed == 1
    assert result.errors[0].field == "lines.0.entity_id"
