"""GUI tests drive the real widgets offscreen, over demo books in a real SQLite file.

Work runs synchronously (Runner(pool=None)) so tests are deterministic.
"""
from __future__ import annotations

import copy
import os
import shutil

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402
from typing import Any, Callable, Iterator  # noqa: E402

import pytest  # noqa: E402

import hera_desktop  # noqa: E402
from hera_desktop.demo import DemoBook, create_demo  # noqa: E402
from hera_desktop.gui.runner import Runner  # noqa: E402
from hera_desktop.gui.session import Session  # noqa: E402

@pytest.fixture(autouse=True)
def preferences_of_this_test(tmp_path: Path) -> Iterator[None]:
    """What the app remembers on this computer (last user, window size) goes to the test's own folder."""
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "preferences"))
    yield


PINS = {"manager": "111111", "cashier": "2222", "bookkeeper": "3333", "admin": "999999"}


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: Any) -> tuple[Path, DemoBook]:
    """Demo books made once per run: each of its four users' PINs costs a deliberately slow hash."""
    path = tmp_path_factory.mktemp("demo-template") / "books.db"
    hera = hera_desktop.open(path)
    try:
        book = create_demo(hera)
    finally:
        hera.close()  # the last connection checkpoints the write-ahead log into the file
    return path, book


@pytest.fixture
def books(tmp_path: Path, demo_template: tuple[Path, DemoBook]) -> Iterator[tuple[Any, DemoBook]]:
    """Demo books (menu, stock at two locations, customers, one user per role) in a real file of this test's."""
    path = tmp_path / "books.db"
    shutil.copyfile(demo_template[0], path)
    hera = hera_desktop.open(path)
    yield hera, copy.deepcopy(demo_template[1])
    hera.close()


@pytest.fixture
def session_as(qapp: Any, books: tuple[Any, DemoBook]) -> Callable[[str], Session]:
    """session_as("cashier") -> a Session signed in as the demo user of that role."""
    hera, book = books

    def make(role: str) -> Session:
        session = Session(hera, hera.organization(book.organization_id), Runner(pool=None))
        user = session.system.users.authenticate(book.users[role], PINS[role])
        session.sign_in(user)
        return session

    return make
