"""Books on a PostgreSQL server: what only a server has (its role, its column types, its triggers and indexes).

Everything else the storage, universal and services tests prove on both databases
(see conftest.py); these look at what PostgreSQL itself stores.
"""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import text

import factories as f
import hera_desktop
from hera_desktop import StorageError
from hera_desktop.storage import search
from hera_desktop.storage.database import HEAD_REVISION
from raw_books import RawBooks


@pytest.fixture
def url(pg_database, pg_empty_template):
    return pg_database(pg_empty_template)


@pytest.fixture
def books(url):
    with hera_desktop.open(url) as opened:
        yield opened


@pytest.fixture
def s(books):
    return books.scope(books.create_organization("Mario's Trattoria", currency="USD").id)


def test_opening_a_new_server_database_makes_the_books_there_as_a_role_that_is_not_a_superuser(pg_server):
    name = pg_server.new_database()  # empty: no tables at all
    with hera_desktop.open(pg_server.url(name)) as books:
        assert books.db.revision() == HEAD_REVISION
        org = books.create_organization("Mario's Trattoria", currency="USD")
        with books.db.read() as conn:
            assert conn.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar() is False
        terminal = books.db.terminal_id
    with hera_desktop.open(pg_server.url(name)) as again:  # the machinery tables keep the terminal's id
        assert again.db.terminal_id == terminal
        assert again.organization(org.id).organization_name == "Mario's Trattoria"
    pg_server.drop_database(name)


def test_money_is_stored_as_numeric_and_summed_exactly(s, url):
    accounts = {code: f.gl_account(s, code).id for code in ("1000", "6000")}
    for amount in ("0.10", "0.20"):
        s.journals.create_entry(date="2024-03-01", reference=f"JE-{amount}", description="Supplies", lines=[
            {"gl_account_id": accounts["6000"], "amount": amount, "dr_cr": "DR", "description": "Supplies"},
            {"gl_account_id": accounts["1000"], "amount": amount, "dr_cr": "CR", "description": "Cash"}])
    tb = s.reports.trial_balance()
    assert tb.total_debits == tb.total_credits == Decimal("0.30")
    assert {r.account_code: r.balance for r in tb.rows}["6000"] == Decimal("0.30")
    raw = RawBooks(url)
    try:
        kinds = dict(raw.execute(
            "SELECT table_name || '.' || column_name, data_type FROM information_schema.columns "
            "WHERE column_name IN ('total_amount', 'line_amount', 'quantity', 'unit_price', 'field_value_number', "
            "'debit', 'credit')").fetchall())
        totals = raw.execute("SELECT sum(debit), sum(credit) FROM hera_gl_account_balances").fetchone()
    finally:
        raw.close()
    assert kinds and set(kinds.values()) == {"numeric"}, kinds
    assert totals == (Decimal("0.30"), Decimal("0.30"))


def test_a_float_given_is_stored_as_the_exact_decimal_it_reads_as(s, url):
    anna = f.customer(s)
    s.universal.set_dynamic_field(anna.id, "credit_limit", 0.1, "HERA.CRM.CUST.DYN.CREDIT.V1")
    raw = RawBooks(url)
    try:
        stored = raw.execute("SELECT field_value_number::text FROM core_dynamic_data WHERE entity_id = ?",
                             (anna.id,)).fetchone()[0]
    finally:
        raw.close()
    assert stored == "0.1"


@pytest.mark.parametrize("statement", [
    "UPDATE universal_transactions SET total_amount = 0",
    "UPDATE universal_transactions SET description = 'edited' WHERE id = :id",
    "DELETE FROM universal_transactions WHERE id = :id",
    "UPDATE universal_transaction_lines SET line_amount = 0",
    "DELETE FROM universal_transaction_lines"])
def test_the_server_itself_refuses_changes_to_transactions(s, url, statement):
    import psycopg

    emitted = s.txn.emit(f.sale([f.item(quantity=1, unit_price="9.99")]))
    before = f.snapshot(url)
    raw = RawBooks(url)
    try:
        with pytest.raises(psycopg.Error, match="immutable"):
            raw.execute(statement.replace(":id", "?"), (emitted.transaction_id,) if ":id" in statement else ())
    finally:
        raw.close()
    with pytest.raises(StorageError, match="immutable"):
        with s.db.write() as conn:
            conn.execute(text(statement), {"id": emitted.transaction_id})
    assert f.snapshot(url) == before
    assert s.txn.read(emitted.transaction_id).total_amount == Decimal("9.99")


def test_customer_search_is_answered_by_the_word_index_not_a_scan(s, url):
    f.customer(s, "Marco Polo", entity_code="CUST-9")
    with s.db.write():  # many other customers' index rows, so the planner has a real choice to make
        search.index_many(s.store, [(f"00000000-0000-7000-8000-{n:012d}", "customer",
                                     f"Customer {n} customer{n}@example.com") for n in range(3000)])
    raw = RawBooks(url)
    try:
        raw.execute("ANALYZE hera_search")
    finally:
        raw.close()
    with s.db.read() as conn:
        assert [e.entity_name for e in s.universal.search("customer", "mar pol")] == ["Marco Polo"]
        assert conn.execute(text(  # this transaction's scans of the word index: the search's own
            "SELECT pg_stat_get_xact_numscans('ix_hera_search_words'::regclass)")).scalar_one() == 1
