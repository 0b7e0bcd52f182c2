"""Shared fixtures: a real set of books on disk, one organization in it, and its system scope."""
from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

import hera_desktop

# Hypothesis imports this module only to report a failing example; under filterwarnings=error a
# deprecation inside its dependencies would turn that report into an INTERNALERROR. Import it once here.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import hypothesis.extra._patching  # noqa: F401


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
