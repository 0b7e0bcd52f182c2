"""On a PostgreSQL server the database itself keeps each organization's rows to that organization.

The HERA server connects as a role that owns nothing (``hera_server`` here), granted what the core does
by ``grant_server_role``; each request acts for its organization (``Database.acting_for``). These tests
make books with two restaurants as the owner, then look at them as the server's role.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterator

import psycopg
import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

import factories as f
import hera_desktop
from flows_factories import build_restaurant, order_items
from hera_desktop import StorageError, ValidationError
from hera_desktop.storage import search
from hera_desktop.storage.database import HEAD_REVISION, MIGRATIONS, WRITER_LOCK
from hera_desktop.storage.row_security import (ORGANIZATION_TABLES, PRIVILEGES, grant_server_role, role_bypass,
                                               row_security_enabled)
from raw_books import RawBooks

SERVER = "hera_server"


@dataclass
class Books:
    template: str
    a: str  # Mario's Trattoria
    b: str  # Luigi's Bistro


def _trade(books: hera_desktop.Hera, organization_id: str) -> None:
    """A day's work: the restaurant set up, an order paid, a journal posted."""
    org = books.organization(organization_id)
    s = books.scope(organization_id)
    r = build_restaurant(books, org, s)
    s.restaurant.process_order(items=order_items(r, pizza=2, wine=1), customer_id=r.customer.id, table_number=4)
    cash, supplies = f.gl_account(s, "1000").id, f.gl_account(s, "6000").id
    s.journals.create_entry(date="2024-03-01", reference="JE-1", description="Napkins", lines=[
        {"gl_account_id": supplies, "amount": "15.00", "dr_cr": "DR", "description": "Napkins"},
        {"gl_account_id": cash, "amount": "15.00", "dr_cr": "CR", "description": "Cash"}])


@pytest.fixture(scope="module")
def two_restaurants(pg_server: Any, pg_empty_template: str) -> Books:
    """Books holding two organizations with their work, the server's role granted: a template to clone."""
    name = pg_server.new_database(pg_empty_template)
    with hera_desktop.open(pg_server.url(name)) as books:
        a = books.create_organization("Mario's Trattoria", currency="USD").id
        b = books.create_organization("Luigi's Bistro", currency="USD").id
        for org in (a, b):
            _trade(books, org)
        grant_server_role(books.db.engine, pg_server.login_role(SERVER))
    pg_server.make_template(name)
    return Books(name, a, b)


@pytest.fixture
def owner_url(pg_database: Any, two_restaurants: Books) -> str:
    return pg_database(two_restaurants.template)


@pytest.fixture
def server_url(owner_url: str) -> str:
    return owner_url.replace("://hera@", f"://{SERVER}@")


@pytest.fixture
def server(server_url: str) -> Iterator[hera_desktop.Hera]:
    with hera_desktop.open(server_url) as books:
        yield books


def _counts(url: str, organization: str | None = None) -> dict[str, int]:
    """Rows of each table of organizations' rows, read in one transaction (acting for ``organization``)."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            if organization is not None:
                conn.execute(text("SELECT set_config('hera.organization_id', :o, true)"), {"o": organization})
            return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in ORGANIZATION_TABLES}
    finally:
        engine.dispose()


def test_the_server_role_sees_no_row_of_any_organization_until_a_transaction_acts_for_one(owner_url, server_url,
                                                                                         two_restaurants):
    everything = _counts(owner_url)
    assert all(everything[t] > 0 for t in ("core_organizations", "core_entities", "universal_transactions",
                                           "universal_transaction_lines", "hera_change_feed", "hera_stock_levels",
                                           "hera_gl_account_balances", "hera_search", "hera_chain_counters"))
    assert _counts(server_url) == {t: 0 for t in ORGANIZATION_TABLES}
    mario, luigi = _counts(server_url, two_restaurants.a), _counts(server_url, two_restaurants.b)
    assert mario["core_organizations"] == luigi["core_organizations"] == 1
    assert {t: mario[t] + luigi[t] for t in ORGANIZATION_TABLES} == everything


def test_every_table_of_organizations_rows_is_guarded_but_the_token_table(owner_url):
    engine = create_engine(owner_url)
    try:
        with engine.connect() as conn:
            with_organization = set(conn.execute(text(
                "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() "
                "AND column_name = 'organization_id'")).scalars())
            guarded = dict(conn.execute(text(
                "SELECT relname, relrowsecurity FROM pg_class WHERE relnamespace = current_schema()::regnamespace "
                "AND relkind = 'r'")).all())
            sequences = conn.execute(text("SELECT count(*) FROM pg_sequences")).scalar_one()
            assert row_security_enabled(conn)
    finally:
        engine.dispose()
    assert with_organization - set(ORGANIZATION_TABLES) == {"hera_api_tokens"}
    assert {t for t, on in guarded.items() if on} == set(ORGANIZATION_TABLES)
    assert set(PRIVILEGES) == set(guarded)  # the server's role is granted something on every table, no more
    assert sequences == 0  # ids are made by the app: the server's role needs no sequence


def test_acting_for_an_organization_the_server_takes_orders_posts_journals_and_reads_only_its_books(
        server, two_restaurants):
    a = two_restaurants.a
    with server.db.acting_for(a):
        s = server.scope(a)
        pizza = next(iter(s.restaurant.menu.items().values()))
        order = s.restaurant.process_order(items=[{"menu_item_id": pizza.id, "quantity": 1}])
        cash, sales = f.gl_account(s, "1000").id, f.gl_account(s, "6000").id
        s.journals.create_entry(date="2024-03-02", reference="JE-2", description="Soap", lines=[
            {"gl_account_id": sales, "amount": "4.00", "dr_cr": "DR", "description": "Soap"},
            {"gl_account_id": cash, "amount": "4.00", "dr_cr": "CR", "description": "Cash"}])
        tb = s.reports.trial_balance()
        assert tb.total_debits == tb.total_credits > Decimal("0")
        assert {o.id for o in server.list_organizations()} == {a}
        assert s.txn.read(order.sales_transaction.transaction_id).organization_id == a
        with server.db.read() as conn:
            seen = set(conn.execute(text(
                "SELECT organization_id FROM core_entities UNION SELECT organization_id FROM universal_transactions "
                "UNION SELECT organization_id FROM hera_change_feed")).scalars())
        assert seen == {a}
        assert server.verify(a).intact


def test_inside_a_request_another_organizations_rows_can_be_neither_added_nor_changed(server, owner_url,
                                                                                   two_restaurants):
    a, b = two_restaurants.a, two_restaurants.b
    before = _counts(owner_url)
    with server.db.acting_for(a):
        with pytest.raises(StorageError, match="another organization.*row-level security"):
            with server.db.write() as conn:
                conn.execute(text(
                    "INSERT INTO core_entities (id, organization_id, entity_type, entity_name, entity_code, "
                    "smart_code, status, metadata, created_at, updated_at) VALUES ('01a20000-0000-7000-8000-"
                    "0000000000aa', :b, 'customer', 'Planted', 'CUST-X', 'HERA.CRM.CUST.ENT.PROF.V1', 'active', "
                    "'{}', '2024-01-01', '2024-01-01')"), {"b": b})
        with server.db.write() as conn:
            changed = conn.execute(text("UPDATE core_entities SET entity_name = 'Taken' WHERE organization_id = :b"),
                                   {"b": b}).rowcount
            mine = conn.execute(text("UPDATE core_entities SET version = version WHERE organization_id = :a"),
                                {"a": a}).rowcount
        assert changed == 0 and mine > 0
        with pytest.raises(StorageError, match="another organization"):  # nor moved out of its organization
            with server.db.write() as conn:
                conn.execute(text("UPDATE core_entities SET organization_id = :b WHERE organization_id = :a"),
                             {"a": a, "b": b})
    assert _counts(owner_url) == before
    with hera_desktop.open(owner_url) as owner:
        assert "Taken" not in {e.entity_name for e in owner.scope(b).universal.query_entities(limit=500).entities}


def test_the_organization_lasts_only_as_long_as_its_transaction(server, two_restaurants):
    with server.db.acting_for(two_restaurants.a):
        with server.db.read() as conn:
            first = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
            assert conn.execute(text("SELECT count(*) FROM core_entities")).scalar_one() > 0
    with server.db.read() as conn:  # the same pooled connection, a new transaction acting for nobody
        assert conn.execute(text("SELECT pg_backend_pid()")).scalar_one() == first
        assert conn.execute(text("SELECT current_setting('hera.organization_id', true)")).scalar_one() == ""
        assert conn.execute(text("SELECT count(*) FROM core_entities")).scalar_one() == 0
    with server.db.acting_for(two_restaurants.b), server.db.write() as conn:  # a writer's too
        assert conn.execute(text("SELECT count(DISTINCT organization_id) FROM core_entities")).scalar_one() == 1
    with server.db.write() as conn:
        assert conn.execute(text("SELECT count(*) FROM core_entities")).scalar_one() == 0


@pytest.mark.parametrize("statement", [
    "UPDATE universal_transactions SET description = 'edited'",
    "DELETE FROM universal_transactions",
    "UPDATE universal_transaction_lines SET line_amount = 0",
    "DELETE FROM universal_transaction_lines",
    "DELETE FROM core_entities",
    "UPDATE hera_change_feed SET record_id = id",
    "ALTER TABLE core_entities DISABLE ROW LEVEL SECURITY",
    "ALTER TABLE universal_transactions NO FORCE ROW LEVEL SECURITY",
    "DROP POLICY hera_organization ON core_entities",
    "DROP TABLE hera_api_tokens",
    "CREATE TABLE hera_extra (id int)",
    "TRUNCATE hera_stock_levels",
])
def test_the_server_role_can_neither_change_transactions_nor_alter_the_tables(server, two_restaurants, statement):
    with server.db.acting_for(two_restaurants.a):
        with pytest.raises(StorageError, match="permission denied|must be owner"):
            with server.db.write() as conn:
                conn.execute(text(statement))


def test_switching_row_security_off_shows_the_server_role_nothing_more(server, two_restaurants):
    with pytest.raises(StorageError, match="row-level security"):
        with server.db.read() as conn:
            conn.execute(text("SET LOCAL row_security = off"))
            conn.execute(text("SELECT count(*) FROM core_entities"))


def test_the_owner_sees_every_organization_except_while_acting_for_one(owner_url, two_restaurants):
    with hera_desktop.open(owner_url) as owner:
        with owner.db.read() as conn:
            assert role_bypass(conn) is not None and "owns" in role_bypass(conn)
            assert conn.execute(text("SELECT count(DISTINCT organization_id) FROM core_entities")).scalar_one() == 2
        with owner.db.acting_for(two_restaurants.b), owner.db.read() as conn:
            assert set(conn.execute(text("SELECT organization_id FROM universal_transactions")).scalars()) == {
                two_restaurants.b}


def test_a_health_check_can_tell_the_server_role_is_held(server):
    with server.db.read() as conn:
        assert row_security_enabled(conn)
        assert role_bypass(conn) is None


def test_acting_for_takes_an_organization_id_and_keeps_it_for_the_whole_unit_of_work(server, two_restaurants):
    with pytest.raises(ValidationError, match="organization_id"):
        with server.db.acting_for("Mario's"):
            pass
    with server.db.acting_for(two_restaurants.a), server.db.read():
        with server.db.acting_for(two_restaurants.a):  # the same organization: nothing changes
            pass
        with pytest.raises(StorageError, match="inside a unit of work"):
            with server.db.acting_for(two_restaurants.b):
                pass


@pytest.mark.parametrize("role, why", [
    ("hera", "owns the books' tables"),
    ("postgres", "superuser"),
    ("nobody_here", "no role named"),
    ("x; DROP TABLE core_entities", "not a role name"),
])
def test_only_a_role_that_owns_nothing_is_granted_what_the_server_needs(owner_url, role, why):
    engine = create_engine(owner_url)
    try:
        with pytest.raises((ValidationError, StorageError), match=why):
            grant_server_role(engine, role)
    finally:
        engine.dispose()


def test_granting_again_takes_away_what_the_server_role_was_given_beyond_its_needs(pg_server, owner_url):
    pg_server.admin(f"GRANT ALL ON universal_transactions TO {SERVER}", database=make_url(owner_url).database)
    may = f"SELECT has_table_privilege('{SERVER}', 'universal_transactions', :what)"
    engine = create_engine(owner_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text(may), {"what": "DELETE"}).scalar_one()
            conn.rollback()
            grant_server_role(conn, SERVER)  # on a connection: in a transaction of its own, committed
            with conn.begin():  # or in the caller's transaction
                grant_server_role(conn, SERVER)
                assert not conn.execute(text(may), {"what": "UPDATE"}).scalar_one()
                assert not conn.execute(text(may), {"what": "DELETE"}).scalar_one()
                assert conn.execute(text(may), {"what": "INSERT"}).scalar_one()
    finally:
        engine.dispose()



def test_server_roles_are_postgresql_s(tmp_path):
    with hera_desktop.open(tmp_path / "books.db") as books:
        with pytest.raises(StorageError, match="PostgreSQL"):
            grant_server_role(books.db.engine, SERVER)
        with books.db.read() as conn:
            assert not row_security_enabled(conn)
            assert role_bypass(conn) is not None
        org = books.create_organization("Mario's Trattoria", currency="USD")
        with books.db.acting_for(org.id):  # nothing to set on SQLite: the core works as ever
            assert books.scope(org.id).reports.trial_balance().total_debits == Decimal("0")


def _migrate(url: str, revision: str, down: bool = False) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            cfg.attributes["connection"] = conn
            (command.downgrade if down else command.upgrade)(cfg, revision)
            conn.commit()
    finally:
        engine.dispose()


def test_books_holding_data_gain_and_lose_row_security_with_the_migration(owner_url, server_url):
    _migrate(owner_url, "0011", down=True)
    assert _counts(server_url)["core_entities"] > 0  # granted, and nothing holds it
    with hera_desktop.open(owner_url) as owner:  # the owner opens them: upgraded again, the rows kept
        assert owner.db.revision() == HEAD_REVISION
        with owner.db.read() as conn:
            assert row_security_enabled(conn)
        assert len(owner.list_organizations()) == 2
    assert _counts(server_url) == {t: 0 for t in ORGANIZATION_TABLES}


def test_a_superuser_upgrading_the_books_leaves_the_owner_its_rows_and_the_search(owner_url, server_url,
                                                                                  two_restaurants):
    _migrate(owner_url, "0011", down=True)
    _migrate(make_url(owner_url).set(username="postgres").render_as_string(hide_password=False), "head")
    engine = create_engine(owner_url)
    try:
        with engine.connect() as conn:
            assert set(conn.execute(text("SELECT DISTINCT array_to_string(roles, ',') FROM pg_policies "
                                         "WHERE policyname = 'hera_owner'")).scalars()) == {"hera"}
            assert conn.execute(text("SELECT proowner::regrole::text FROM pg_proc "
                                     "WHERE proname = 'hera_search_find'")).scalar_one() == "hera"
    finally:
        engine.dispose()
    with hera_desktop.open(owner_url) as owner:
        assert len(owner.list_organizations()) == 2
        assert [c.entity_name for c in owner.scope(two_restaurants.b).universal.search("customer", "acme")] == [
            "Acme Catering"]
    assert _counts(server_url) == {t: 0 for t in ORGANIZATION_TABLES}


def test_only_the_books_owner_can_grant_the_server_role(server_url):
    engine = create_engine(server_url)
    try:
        with pytest.raises(StorageError, match="does not own the books' tables"):
            grant_server_role(engine, SERVER)
    finally:
        engine.dispose()


def test_the_server_finds_customers_by_their_words_with_the_word_index_and_only_in_its_organization(
        server, owner_url, two_restaurants):
    a, b = two_restaurants.a, two_restaurants.b
    with hera_desktop.open(owner_url) as owner:  # many other customers' words, so the planner has a real choice
        s = owner.scope(a)
        with s.db.write():
            search.index_many(s.store, [(f"00000000-0000-7000-8000-{n:012d}", "customer",
                                         f"Customer {n} customer{n}@example.com") for n in range(3000)])
        with s.db.write() as conn:
            conn.execute(text("ANALYZE hera_search"))
    find = text("SELECT hera_search_find(:o, 'customer', to_tsquery('simple', 'acme:* & cat:*'), 10)")
    with server.db.acting_for(a), server.db.read() as conn:
        found = server.scope(a).universal.search("customer", "acme cat")
        assert [c.entity_name for c in found] == ["Acme Catering"] and found[0].organization_id == a
        assert conn.execute(text(  # this transaction's scans of the word index
            "SELECT pg_stat_get_xact_numscans('ix_hera_search_words'::regclass)")).scalar_one() == 1
        assert list(conn.execute(find, {"o": b}).scalars()) == []  # another organization's words: none
    with server.db.read() as conn:  # a transaction that acts for no organization finds nothing
        assert list(conn.execute(find, {"o": a}).scalars()) == []
    with hera_desktop.open(owner_url) as owner, owner.db.read() as conn:  # the owner, outside a request, does
        assert len(list(conn.execute(find, {"o": b}).scalars())) == 1


def test_a_health_check_of_books_without_tables_says_so(pg_server):
    url = pg_server.url(pg_server.new_database())
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            assert not row_security_enabled(conn)
            assert "no tables yet" in role_bypass(conn)
            with pytest.raises(StorageError, match="no tables yet"):
                grant_server_role(conn, pg_server.login_role(SERVER))
    finally:
        engine.dispose()
        pg_server.drop_database(make_url(url).database)


def test_a_writer_acting_for_an_organization_takes_its_turn_like_every_writer(server, owner_url, two_restaurants):
    other_till = RawBooks(owner_url)
    try:
        with server.db.acting_for(two_restaurants.a), server.db.write() as conn:
            assert conn.execute(text("SELECT current_setting('hera.organization_id')")).scalar_one() == two_restaurants.a
            with pytest.raises(psycopg.errors.LockNotAvailable):  # the writers' lock is this unit's
                with other_till.conn.transaction():
                    other_till.execute("SET LOCAL lock_timeout = '100ms'")
                    other_till.execute(WRITER_LOCK)
    finally:
        other_till.close()
