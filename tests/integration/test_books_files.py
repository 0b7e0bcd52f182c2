"""Opening a books file that is not right: one plain sentence, nothing written; read-only books open for reading."""
from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

import pytest
from books_media import fill, make_read_only, small_disk

import hera_desktop
from hera_desktop import StorageError


def books_with_an_organization(path: Path) -> None:
    with hera_desktop.open(path) as hera:
        hera.create_organization("Mario's Trattoria")


def refusal(path: Path, **kw) -> str:
    with pytest.raises(StorageError) as refused:
        hera_desktop.open(path, **kw)
    return refused.value.message


def test_a_file_that_is_not_books_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    notdb = tmp_path / "notdb.db"
    notdb.write_text("Shopping list: flour, tomatoes, basil\n" * 20)
    assert refusal(notdb) == "notdb.db is not a HERA Desktop books file, or it is damaged"
    assert notdb.read_text().startswith("Shopping list") and sorted(os.listdir(tmp_path)) == ["notdb.db"]


def test_damaged_books_are_refused(tmp_path: Path) -> None:
    books = tmp_path / "books.db"
    books_with_an_organization(books)
    with books.open("r+b") as f:
        f.seek(4096 * 3)
        f.write(b"\xa5" * 4096 * 4)  # four pages of the middle of the file overwritten
    assert refusal(books) == "books.db is not a HERA Desktop books file, or it is damaged"


def test_books_cut_short_are_refused(tmp_path: Path) -> None:
    books = tmp_path / "books.db"
    books_with_an_organization(books)
    os.truncate(books, books.stat().st_size // 2)
    assert refusal(books) == "books.db is not a HERA Desktop books file, or it is damaged"


def test_another_programs_database_is_not_taken_over(tmp_path: Path) -> None:
    other = tmp_path / "recipes.db"
    raw = sqlite3.connect(other)
    raw.execute("CREATE TABLE recipe (name TEXT)")
    raw.commit()
    raw.close()
    assert refusal(other) == "recipes.db is not a HERA Desktop books file, or it is damaged"
    raw = sqlite3.connect(other)
    assert [r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")] == ["recipe"]
    raw.close()


def test_a_folder_is_refused(tmp_path: Path) -> None:
    assert refusal(tmp_path) == (f"{tmp_path} is a folder, not a books file; name a file in it, "
                                 f"e.g. {tmp_path / 'books.db'}")


def test_books_written_by_a_newer_version_say_so_and_are_not_touched(tmp_path: Path) -> None:
    books = tmp_path / "books.db"
    books_with_an_organization(books)
    raw = sqlite3.connect(books)
    raw.execute("UPDATE alembic_version SET version_num = '0099'")
    raw.commit()
    raw.close()
    assert refusal(books) == ("These books were written by a newer HERA Desktop (schema 0099); "
                              "update the app to open them")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["books.db"]  # no backup, no upgrade attempted


def test_books_that_must_exist_are_not_created(tmp_path: Path) -> None:
    typo = tmp_path / "bokos" / "books.db"
    assert refusal(typo, create=False) == (f"There are no books at {typo} (the folder {typo.parent} does not "
                                           "exist); check the path")
    assert refusal(tmp_path / "books.db", create=False) == f"There are no books at {tmp_path / 'books.db'}; check the path"
    assert list(tmp_path.iterdir()) == []


def test_books_on_a_read_only_disk_open_for_reading_and_refuse_every_change(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk") as disk:
        books = disk / "books.db"
        books_with_an_organization(books)
        make_read_only(disk)
        with hera_desktop.open(books) as hera:
            assert hera.read_only == "the disk they are on is read-only"
            org = hera.list_organizations()[0]
            assert org.organization_name == "Mario's Trattoria"
            s = hera.scope(org.id)
            assert s.reports.trial_balance().total_debits == 0 and hera.verify().intact
            with pytest.raises(StorageError) as refused:
                s.customers.onboard(name="Giulia Bianchi", email="giulia@example.com")
            assert refused.value.message == ("These books are read-only (the disk they are on is read-only); "
                                             "nothing was saved")
        with pytest.raises(StorageError, match="New books cannot be made in .*: the disk they are on is read-only"):
            hera_desktop.open(disk / "new.db")


def test_a_read_only_books_file_opens_for_reading(tmp_path: Path) -> None:
    books = tmp_path / "books.db"
    books_with_an_organization(books)
    subprocess.run(["chattr", "+i", str(books)], check=True)  # immutable: even root cannot write it
    try:
        with hera_desktop.open(books) as hera:
            assert hera.read_only == "the file is read-only"
            assert [o.organization_name for o in hera.list_organizations()] == ["Mario's Trattoria"]
            with pytest.raises(StorageError, match=r"^These books are read-only \(the file is read-only\); "
                                                   "nothing was saved$"):
                hera.create_organization("Second restaurant")
    finally:
        subprocess.run(["chattr", "-i", str(books)], check=True)


def test_a_full_disk_saves_nothing_and_says_so(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk") as disk:
        with hera_desktop.open(disk / "books.db") as hera:
            org = hera.create_organization("Mario's Trattoria")
            s = hera.scope(org.id)
            filler = fill(disk)
            with pytest.raises(StorageError) as refused:
                for n in range(200):
                    s.customers.onboard(name=f"Customer {n}", email=f"c{n}@example.com", phone="555-0100")
            assert refused.value.message == "The disk is full; nothing was saved"
            saved = n
            filler.unlink()
            names = [e.entity_name for e in s.universal.query_entities(entity_type="customer", limit=500).entities]
            assert len(names) == saved and f"Customer {saved}" not in names  # the refused one left no half


def test_books_cannot_be_opened_on_a_full_disk_and_it_says_why(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk") as disk:
        books_with_an_organization(disk / "books.db")
        fill(disk)
        assert refusal(disk / "books.db") == "The disk holding books.db is full; free some space and open the books again"


def test_read_only_books_of_an_older_version_ask_to_be_opened_where_they_can_be_upgraded(tmp_path: Path) -> None:
    from alembic.script import ScriptDirectory

    from hera_desktop.storage.database import HEAD_REVISION, MIGRATIONS

    first = ScriptDirectory(str(MIGRATIONS)).get_base()
    books = tmp_path / "books.db"
    books_with_an_organization(books)
    raw = sqlite3.connect(books)
    raw.execute("UPDATE alembic_version SET version_num = ?", (first,))
    raw.commit()
    raw.close()
    subprocess.run(["chattr", "+i", str(books)], check=True)
    try:
        assert refusal(books) == (f"These books need upgrading from schema {first} to {HEAD_REVISION}, but they "
                                  "are read-only (the file is read-only); open them once where they can be written")
    finally:
        subprocess.run(["chattr", "-i", str(books)], check=True)


def test_staff_sign_in_to_read_only_books_to_look_at_them(tmp_path: Path) -> None:
    books = tmp_path / "books.db"
    with hera_desktop.open(books) as hera:
        org = hera.create_organization("Mario's Trattoria")
        bookkeeper = hera.scope(org.id).users.create(name="Bea", role="bookkeeper", pin="3333")
    subprocess.run(["chattr", "+i", str(books)], check=True)
    try:
        with hera_desktop.open(books) as hera:
            users = hera.scope(org.id).users
            with pytest.raises(hera_desktop.AuthenticationError, match="Wrong PIN for Bea"):
                users.authenticate(bookkeeper.id, "4444")
            assert users.authenticate(bookkeeper.id, "3333").id == bookkeeper.id
            assert hera.scope(org.id, actor_id=bookkeeper.id).reports.trial_balance().balanced
    finally:
        subprocess.run(["chattr", "-i", str(books)], check=True)
