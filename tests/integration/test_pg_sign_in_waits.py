"""On PostgreSQL, as on SQLite, a sign-in keeps no other till waiting while its slow PIN hash is checked.

Writers on PostgreSQL take turns through one transaction-level advisory lock (storage/database.py,
WRITER_LOCK), as SQLite's writers do through BEGIN IMMEDIATE. Where test_users.py holds SQLite's write
lock in a second connection, this test holds PostgreSQL's writer lock in one.
"""
from __future__ import annotations

import threading
import time

import psycopg
import pytest

import hera_desktop
from hera_desktop.storage.database import WRITER_LOCK
from raw_books import RawBooks

PATIENCE_MS = 250  # how long another till waits for its turn to write before it gives up


@pytest.fixture
def url(pg_database, pg_empty_template):
    return pg_database(pg_empty_template)


def _save_something(other_till: RawBooks) -> bool:
    """Whether another till got its turn to write within its patience (it writes nothing, then gives the turn back)."""
    try:
        with other_till.conn.transaction():
            other_till.execute(f"SET LOCAL lock_timeout = '{PATIENCE_MS}ms'")
            other_till.execute(WRITER_LOCK)
        return True
    except psycopg.errors.LockNotAvailable:
        return False


def test_other_work_can_be_saved_on_postgresql_while_a_pin_is_checked(url):
    with hera_desktop.open(url) as books:
        s = books.scope(books.create_organization("Mario's Trattoria", currency="USD").id)
        user = s.users.create(name="Carla", role="cashier", pin="2468")
        other_till = RawBooks(url)
        try:
            with s.db.write():  # the other till does wait for a writer: what it sees below means something
                assert _save_something(other_till) is False
            signed_in: list = []
            checking = threading.Thread(target=lambda: signed_in.append(s.users.authenticate(user.id, "2468")))
            refused = tries = 0
            started = time.monotonic()
            checking.start()
            while checking.is_alive():
                tries += 1
                refused += not _save_something(other_till)
            checking.join()
            took = time.monotonic() - started
        finally:
            other_till.close()
    assert [u.id for u in signed_in] == [user.id]
    assert took > PATIENCE_MS / 1000, "the check must outlast the other till's patience, or this proves nothing"
    assert tries > 1 and refused == 0
