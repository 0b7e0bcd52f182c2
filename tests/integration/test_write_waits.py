"""A write waits its turn while another program holds the books' write lock, for up to half a minute."""
from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pytest

import hera_desktop
from hera_desktop.storage import engine


def hold_write_lock(path: Path, seconds: float) -> threading.Thread:
    """Another program (plain sqlite3) takes the write lock and keeps it ``seconds``; returns once it holds it."""
    held = threading.Event()

    def hold() -> None:
        other = sqlite3.connect(str(path), isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        held.set()
        time.sleep(seconds)
        other.execute("ROLLBACK")
        other.close()

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait()
    return thread


@pytest.fixture
def books(tmp_path: Path) -> Any:
    hera = hera_desktop.open(tmp_path / "books.db")
    yield hera, hera.scope(hera.create_organization("Mario's Trattoria", currency="USD").id)
    hera.close()


def test_a_customer_is_saved_once_another_program_lets_go_of_the_books(books: Any, tmp_path: Path) -> None:
    hera, s = books
    other = hold_write_lock(tmp_path / "books.db", 0.5)
    saved = s.customers.onboard(name="Acme Catering")
    other.join()
    assert [c.entity_name for c in s.customers.search("acme")] == [saved.customer.entity_name]


def test_a_write_that_waited_too_long_says_the_books_are_busy_and_saves_nothing(
        books: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hera, s = books
    monkeypatch.setattr(engine, "WRITE_WAIT_S", 0.2)  # half a minute in the app
    other = hold_write_lock(tmp_path / "books.db", 1.0)
    with pytest.raises(hera_desktop.HeraError, match="The books are busy in another window or terminal; "
                                                     "try again in a moment"):
        s.customers.onboard(name="Acme Catering")
    other.join()
    assert s.customers.search("acme") == []
    assert s.customers.onboard(name="Acme Catering").customer.entity_name == "Acme Catering"  # the books work on
