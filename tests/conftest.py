"""Shared fixtures: a real set of books on disk, one organization in it, and its system scope."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import hera_desktop


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "books.db"


@pytest.fixture
def hera(db_path: Path) -> Iterator[hera_desktop.Hera]:
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
