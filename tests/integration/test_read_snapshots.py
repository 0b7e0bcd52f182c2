"""A read unit (a report, a screen's refresh) sees the books as they were at its first statement.

What another terminal commits meanwhile shows at the next read, never halfway
through one: on SQLite a read transaction is such a snapshot, on PostgreSQL the
read unit is REPEATABLE READ (and READ ONLY).
"""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import text

import factories as f
import hera_desktop
from hera_desktop import StorageError


@pytest.fixture
def other_terminal(hera, db_path):
    """A second process's view of the same books: its own engine and connections."""
    with hera_desktop.open(db_path) as books:
        yield books


def _customers(s) -> list[str]:
    return sorted(e.entity_name for e in s.universal.query_entities(entity_type="customer", limit=100).entities)


def test_a_read_unit_does_not_see_what_another_terminal_commits_after_its_first_statement(s, org, other_terminal):
    s.customers.onboard(name="Ada Lovelace", email="ada@example.com")
    elsewhere = other_terminal.scope(org.id)
    with s.db.read():
        first = _customers(s)
        elsewhere.customers.onboard(name="Grace Hopper", email="grace@example.com")  # committed at once
        again = _customers(s)
    assert first == again == ["Ada Lovelace"]
    assert _customers(s) == ["Ada Lovelace", "Grace Hopper"]  # the next read sees it


def test_a_report_of_several_statements_adds_up_while_another_terminal_posts(s, org, other_terminal):
    accounts = {code: f.gl_account(s, code).id for code in ("1000", "4000")}

    def sale(books_scope, amount: str, reference: str) -> None:
        books_scope.journals.create_entry(date="2024-03-01", reference=reference, description="Sales", lines=[
            {"gl_account_id": accounts["1000"], "amount": amount, "dr_cr": "DR", "description": "Cash"},
            {"gl_account_id": accounts["4000"], "amount": amount, "dr_cr": "CR", "description": "Sales"}])

    sale(s, "10.00", "JE-1")
    elsewhere = other_terminal.scope(org.id)
    with s.db.read():
        before = s.reports.trial_balance()
        sale(elsewhere, "5.00", "JE-2")
        during = s.reports.trial_balance()
    after = s.reports.trial_balance()
    assert before.total_debits == during.total_debits == Decimal("10.00")
    assert after.total_debits == after.total_credits == Decimal("15.00")


def test_on_postgresql_a_read_unit_is_repeatable_read_and_refuses_writes(pg_database, pg_empty_template):
    with hera_desktop.open(pg_database(pg_empty_template)) as books:
        with books.db.read() as conn:
            assert conn.execute(text("SHOW transaction_isolation")).scalar() == "repeatable read"
            assert conn.execute(text("SHOW transaction_read_only")).scalar() == "on"
        with books.db.write() as conn:  # a writer waits its turn and then must see what the last one committed
            assert conn.execute(text("SHOW transaction_isolation")).scalar() == "read committed"
            assert conn.execute(text("SHOW transaction_read_only")).scalar() == "off"
        with pytest.raises(StorageError, match="while the books were only being read; nothing was saved"):
            with books.db.read() as conn:
                conn.execute(text("UPDATE hera_settings SET value = 'changed' WHERE key = 'terminal_id'"))
        with books.db.read() as conn:  # the connection went back to the pool as it came: the next write works
            assert conn.execute(text("SHOW transaction_read_only")).scalar() == "on"
        with books.db.write() as conn:
            assert conn.execute(text("SHOW transaction_isolation")).scalar() == "read committed"
