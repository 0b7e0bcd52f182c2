"""Shared fixtures: a real set of books, one organization in it, and its system scope.

The integration tests of storage, the universal API and the services run on both
databases the product runs on: each such test runs once on an SQLite file and once
on a PostgreSQL database (a throwaway server started for the run, see pg_server.py).
``db_path`` is where the books are: a file path on SQLite, a SQLAlchemy URL on
PostgreSQL; ``hera_desktop.open(db_path)`` opens either. ``--backend sqlite`` (or
``postgresql``) runs only one. What runs on SQLite alone, and why, is in
pg_sqlite_only.py.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import hera_desktop
from pg_sqlite_only import runs_on_postgresql

BACKENDS = ("sqlite", "postgresql")


def pytest_addoption(parser: Any) -> None:
    parser.addoption("--backend", action="append", choices=BACKENDS,
                     help="run the storage, universal and services tests on this database only (repeatable); "
                          "default: both")


def pytest_configure(config: Any) -> None:
    """The app's own folders (automatic backups, the log; see hera_desktop/config.py) in a folder of this run,
    never the home directory of whoever runs the tests; subprocesses inherit it."""
    import os
    import tempfile

    os.environ.setdefault("HERA_DESKTOP_HOME", tempfile.mkdtemp(prefix="hera-tests-home-"))


def pytest_generate_tests(metafunc: Any) -> None:
    if "backend" not in metafunc.fixturenames:
        return
    chosen = metafunc.config.getoption("backend") or list(BACKENDS)
    if not runs_on_postgresql(metafunc.definition):
        chosen = [b for b in chosen if b == "sqlite"] or ["sqlite"]
    if chosen != ["sqlite"]:
        metafunc.parametrize("backend", chosen, indirect=True)


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    """``--backend sqlite`` leaves out the tests of PostgreSQL's own storage (they need its server)."""
    chosen = config.getoption("backend")
    if not chosen or "postgresql" in chosen:
        return
    server_only = [item for item in items if "pg_server" in getattr(item, "fixturenames", ())
                   and "backend" not in item.fixturenames]
    if server_only:
        config.hook.pytest_deselected(items=server_only)
        items[:] = [item for item in items if item not in server_only]


@pytest.fixture
def backend(request: Any) -> str:
    """The database these books live in: "sqlite" unless the test runs on both."""
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[Any]:
    """One PostgreSQL server for the whole run, started the first time a test needs it."""
    from pg_server import PostgresServer

    server = PostgresServer()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def pg_empty_template(pg_server: Any) -> str:
    """A database with every migration run and nothing else: what a new set of books is."""
    name = pg_server.new_database()
    books = hera_desktop.open(pg_server.url(name))
    books.close()
    pg_server.make_template(name)
    return name


@pytest.fixture
def pg_database(request: Any, pg_server: Any) -> Iterator[Any]:
    """pg_database(template) -> the URL of a fresh database cloned from ``template``, dropped after the test."""
    made: list[str] = []

    def clone(template: str) -> str:
        name = pg_server.new_database(template)
        made.append(name)
        return pg_server.url(name)

    yield clone
    for name in made:
        pg_server.drop_database(name)


@pytest.fixture
def db_path(request: Any, backend: str, tmp_path: Path) -> Any:
    if backend == "sqlite":
        return tmp_path / "books.db"
    return request.getfixturevalue("pg_database")(request.getfixturevalue("pg_empty_template"))


@pytest.fixture
def hera(db_path: Any) -> Iterator[hera_desktop.Hera]:
    books = hera_desktop.open(db_path)
    try:
        yield books
    finally:
        books.close()


@pytest.fixture
def org(hera: hera_desktop.Hera):
    return hera.create_organization("Mario's Trattoria", currency="USD")


@pytest.fixture
def s(hera: hera_desktop.Hera, org) -> hera_desktop.Scope:
    return hera.scope(org.id)


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    """HERA Desktop's log, written to a folder of this test as the app writes it; the path of the file."""
    from hera_desktop import logbook

    logbook.stop_log()
    path = logbook.start_log(tmp_path / "log")
    yield path
    logbook.stop_log()
