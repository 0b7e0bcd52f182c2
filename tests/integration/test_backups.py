"""Backups and restoring one, as a manager and the command line meet them: a backup taken while another
process sells holds every order already acknowledged and checks out; only the automatic backups the rule
keeps stay; a restore sets the books aside first and says what the backup lacks; a damaged backup is refused
and nothing changes; damaged books point at the latest good backup."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from raw_books import RawBooks

import hera_desktop
from hera_desktop import PermissionDeniedError
from hera_desktop.demo import create_demo
from hera_desktop.services import backups

TILL = """
import sys, time
from pathlib import Path
import hera_desktop
books, org, espresso, stop = sys.argv[1:5]
with hera_desktop.open(books, create=False) as hera:
    s = hera.scope(org)
    while not Path(stop).exists():
        sold = s.restaurant.process_order(items=[{"menu_item_id": espresso}], payment_method="cash")
        print(sold.sales_transaction.transaction_id, flush=True)
"""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app's own folders (the automatic backups among them) for this test alone."""
    where = tmp_path / "home"
    monkeypatch.setenv("HERA_DESKTOP_HOME", str(where))
    return where


@pytest.fixture
def demo(tmp_path: Path, home: Path):
    books = tmp_path / "shop" / "books.db"
    books.parent.mkdir()
    with hera_desktop.open(books) as hera:
        book = create_demo(hera)
    return books, book


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "hera_desktop", *args], capture_output=True, text=True,
                          timeout=120, env=env)
    assert "Traceback" not in done.stderr + done.stdout
    return done


def transaction_ids(path: Path) -> set[str]:
    raw = RawBooks(path)
    try:
        return {r[0] for r in raw.execute("SELECT id FROM universal_transactions")}
    finally:
        raw.close()


def sell(hera, book, count: int = 1) -> None:
    s = hera.scope(book.organization_id)
    for _ in range(count):
        s.restaurant.process_order(items=[{"menu_item_id": book.menu["Espresso"]}], payment_method="cash")


# ------------------------------------------------------------------ taking a backup

def test_a_backup_taken_while_another_process_sells_holds_every_acknowledged_order(demo, tmp_path: Path) -> None:
    books, book = demo
    stop, errors = tmp_path / "stop", tmp_path / "till errors.txt"
    acknowledged: list[str] = []
    with errors.open("w") as err, subprocess.Popen(
            [sys.executable, "-c", TILL, str(books), book.organization_id, book.menu["Espresso"], str(stop)],
            stdout=subprocess.PIPE, stderr=err, text=True) as till:
        reader = threading.Thread(target=lambda: acknowledged.extend(line.strip() for line in till.stdout))
        reader.start()
        try:
            deadline = time.monotonic() + 60
            while len(acknowledged) < 20 and time.monotonic() < deadline and till.poll() is None:
                time.sleep(0.05)
            assert len(acknowledged) >= 20, errors.read_text()
            before = set(acknowledged)  # acknowledged to the cashier before the backup started
            made = backups.take(books, tmp_path / "usb")
            time.sleep(0.3)
            still_selling = len(acknowledged) > len(before)
        finally:
            stop.touch()
            till.wait(30)
            reader.join(30)
    assert till.returncode == 0, errors.read_text()
    assert still_selling  # the till kept paying orders while the backup was written
    held = transaction_ids(Path(made.path))
    assert before <= held
    assert made.verified and made.transactions == len(held)
    assert backups.check(Path(made.path)).verified
    assert not list((tmp_path / "usb").glob("*.partial"))


def test_a_manager_backs_up_to_a_chosen_folder_and_a_cashier_may_not(demo, tmp_path: Path) -> None:
    books, book = demo
    usb = tmp_path / "USB STICK"
    usb.mkdir()
    with hera_desktop.open(books) as hera:
        made = hera.scope(book.organization_id, book.users["manager"]).backups.back_up(str(usb))
        with pytest.raises(PermissionDeniedError, match="may not back up the books"):
            hera.scope(book.organization_id, book.users["cashier"]).backups.back_up(str(usb))
    assert Path(made.path).parent == usb and Path(made.path).name.startswith("books-")
    assert made.verified and not made.automatic and made.size > 0
    assert list(usb.iterdir()) == [Path(made.path)]


def test_the_day_close_takes_an_automatic_backup_that_holds_the_closing(demo, home: Path) -> None:
    books, book = demo
    with hera_desktop.open(books) as hera:
        s = hera.scope(book.organization_id, book.users["manager"])
        closing = s.day_close.z_report(s.day_close.x_report().cash_expected)  # returns before the backup is done
        assert backups.backups_after_close_done(timeout=120)
        listed = s.backups.automatic()
    assert [Path(b.path).parent for b in listed] == [home / "backups"]
    assert closing.closing.transaction_id in transaction_ids(Path(listed[0].path))


def test_a_backup_that_cannot_be_written_says_so(demo, tmp_path: Path) -> None:
    books, _ = demo
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("x")
    with pytest.raises(hera_desktop.StorageError, match="cannot be written to"):
        backups.take(books, blocked / "sub")


# ------------------------------------------------------------------ what is kept

def fake_backups(folder: Path, moments: list[datetime]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for m in moments:
        (folder / backups.backup_name("books", m)).write_bytes(b"x")


def test_the_newest_of_each_of_14_days_and_of_12_months_are_kept(tmp_path: Path, home: Path) -> None:
    folder, books = home / "backups", tmp_path / "books.db"
    start = datetime(2025, 1, 1, 12, 0)
    moments = [start + timedelta(days=d, hours=h) for d in range(0, 700, 3) for h in (0, 6)]
    fake_backups(folder, moments)
    manual = folder / "books-2025-01-01T1200-manual.db"
    manual.write_bytes(b"mine")
    other_books = folder / "demo-2025-01-01T1200.db"
    other_books.write_bytes(b"theirs")
    backups.prune(books)
    kept = sorted(b.taken_at for b in backups.automatic_backups(books))
    newest_days = sorted({m.date() for m in moments})[-14:]
    newest_months = sorted({(m.year, m.month) for m in moments})[-12:]
    expected = {max(m for m in moments if m.date() == d) for d in newest_days} | {
        max(m for m in moments if (m.year, m.month) == ym) for ym in newest_months}
    assert kept == sorted(expected)
    assert manual.exists() and other_books.exists()  # a manual backup, and another books file's, stay


def test_todays_backup_is_due_until_it_is_taken(demo) -> None:
    books, _ = demo
    assert backups.due(books)
    backups.take(books)
    assert not backups.due(books)
    with hera_desktop.open(books) as hera:
        assert backups.take_if_due(hera.db) is None


# ------------------------------------------------------------------ restoring

def test_a_restore_sets_the_books_aside_and_says_what_the_backup_lacks(demo, tmp_path: Path) -> None:
    books, book = demo
    made = backups.take(books, tmp_path / "usb")
    with hera_desktop.open(books) as hera:
        sell(hera, book, 3)
    newer = transaction_ids(books) - transaction_ids(Path(made.path))
    assert len(newer) >= 3
    done = run("--database", str(books), "restore", made.path)
    assert done.returncode == 0, done.stderr
    aside, = books.parent.glob("books.db.set-aside-*[0-9]")
    assert f"set aside at {aside}" in done.stdout
    assert f"({len(newer)} of them) are not in the restored books" in done.stdout
    assert f"the books set aside at {aside} still have them" in done.stdout
    assert newer <= transaction_ids(aside)  # the set-aside books still have them
    assert transaction_ids(books) == transaction_ids(Path(made.path))
    with hera_desktop.open(books) as hera:
        assert hera.verify().intact
        sell(hera, book)  # the restored books carry on selling
        assert hera.verify().intact


def test_a_damaged_backup_is_refused_and_nothing_changes(demo, tmp_path: Path) -> None:
    books, _ = demo
    made = Path(backups.take(books, tmp_path / "usb").path)
    with made.open("r+b") as f:
        f.seek(4096 * 3)
        f.write(b"\xa5" * 4096 * 4)
    before = books.read_bytes()
    done = run("restore", str(made), "--database", str(books))
    assert done.returncode == 3
    assert done.stderr.strip().startswith(f"hera-desktop: The backup {made.name} cannot be used")
    assert books.read_bytes() == before
    assert not list(books.parent.glob("*set-aside*"))


def test_a_backup_with_a_broken_chain_is_refused(demo, tmp_path: Path) -> None:
    books, _ = demo
    made = Path(backups.take(books, tmp_path / "usb").path)
    raw = RawBooks(made)
    raw.lift_immutability()
    raw.execute("UPDATE universal_transactions SET total_amount = '0.01' WHERE transaction_type = 'journal_entry'")
    raw.conn.commit()
    raw.close()
    with pytest.raises(backups.BackupUnusableError, match="hash chain is broken"):
        backups.restore(books, made)
    assert not list(books.parent.glob("*set-aside*"))


def test_damaged_books_are_set_aside_whole_and_the_backup_takes_their_place(demo, tmp_path: Path) -> None:
    books, _ = demo
    made = backups.take(books)
    with books.open("r+b") as f:
        f.seek(4096 * 3)
        f.write(b"\xa5" * 4096 * 4)
    damaged = books.read_bytes()
    refused = run("verify", "--database", str(books))
    assert refused.returncode == 3
    assert "books.db is not a HERA Desktop books file, or it is damaged" in refused.stderr
    assert (f"The latest good backup is {made.path}" in refused.stderr
            and f"hera-desktop --database {books} restore {made.path}" in refused.stderr)
    done = run("--database", str(books), "restore", made.path)
    assert done.returncode == 0, done.stderr
    aside, = books.parent.glob("books.db.set-aside-*[0-9]")
    assert aside.read_bytes() == damaged
    assert f"set aside at {aside}" in done.stdout
    with hera_desktop.open(books) as hera:
        assert hera.verify().intact


# ------------------------------------------------------------------ the command line

def test_backup_on_the_command_line_with_the_database_before_or_after(demo, tmp_path: Path) -> None:
    books, _ = demo
    first = run("--database", str(books), "backup", str(tmp_path / "usb"))
    assert first.returncode == 0, first.stderr
    made = next((tmp_path / "usb").glob("books-*.db"))
    assert first.stdout.splitlines() == [
        f"Backed up {books} to {made}",
        f"Verified: SQLite's integrity check passed and the hash chains of its {backups.check(made).transactions} "
        "transactions are intact"]
    named = tmp_path / "friday.db"
    second = run("backup", str(named), "--database", str(books))
    assert second.returncode == 0 and f"to {named}" in second.stdout and backups.check(named).verified


def test_backup_on_the_command_line_refuses_what_it_cannot_read_or_write(demo, tmp_path: Path) -> None:
    books, _ = demo
    missing = run("--database", str(tmp_path / "nothing.db"), "backup", str(tmp_path))
    assert missing.returncode == 3 and "There are no books at" in missing.stderr
    blocked = tmp_path / "plain file"
    blocked.write_text("x")
    unwritable = run("--database", str(books), "backup", str(blocked / "in it"))
    assert unwritable.returncode == 3 and "The backup cannot be written to" in unwritable.stderr
    assert not (tmp_path / "nothing.db").exists()


def test_books_on_a_server_are_backed_up_with_the_servers_own_tools() -> None:
    for command in ("backup", "restore"):
        done = run("--database", "postgresql+psycopg://hera@db.example/books", command, "/tmp/somewhere")
        assert done.returncode == 2
        assert done.stderr.strip() == (
            "hera-desktop: Backups are made of books in a file on this computer; books on a PostgreSQL server are "
            "backed up with PostgreSQL's own tools (pg_dump, or the server's continuous archiving)")


def test_an_upgraded_backup_check_leaves_the_file_as_it_was(demo, tmp_path: Path) -> None:
    books, _ = demo
    made = Path(backups.take(books, tmp_path / "usb").path)
    before = made.read_bytes()
    assert backups.check(made).verified
    assert made.read_bytes() == before and sorted(p.name for p in made.parent.iterdir()) == [made.name]
    assert os.path.getsize(made) == len(before)


def test_a_backup_restored_where_there_are_no_books_becomes_them(demo, tmp_path: Path) -> None:
    books, book = demo
    made = backups.take(books, tmp_path / "usb")
    new_computer = tmp_path / "new computer" / "books.db"
    done = backups.restore(new_computer, Path(made.path))
    assert done.set_aside is None and done.sentence == "There were no books to set aside."
    with hera_desktop.open(new_computer, create=False) as hera:
        assert hera.verify().intact and hera.organization(book.organization_id)


def test_the_books_cannot_be_restored_from_themselves(demo) -> None:
    books, _ = demo
    with pytest.raises(backups.BackupUnusableError, match="is the books themselves"):
        backups.restore(books, books)
    assert not list(books.parent.glob("*set-aside*"))


def test_backup_and_restore_document_their_exit_codes() -> None:
    for command in ("backup", "restore"):
        shown = run(command, "--help")
        assert shown.returncode == 0 and "exit codes:" in shown.stdout
        assert "refused for a restore" in shown.stdout and "a backup or restore of books on a database server" in (
            " ".join(shown.stdout.split()))


def test_the_command_line_does_not_restore_books_a_window_or_till_has_open(demo, tmp_path: Path) -> None:
    books, book = demo
    made = backups.take(books, tmp_path / "usb")
    stop = tmp_path / "stop"
    holder = ("import sys, time\nfrom pathlib import Path\nimport hera_desktop\n"
              "with hera_desktop.open(sys.argv[1], create=False) as hera:\n"
              "    hera.list_organizations()\n    print('open', flush=True)\n"
              "    while not Path(sys.argv[2]).exists():\n        time.sleep(0.05)\n")
    with subprocess.Popen([sys.executable, "-c", holder, str(books), str(stop)], stdout=subprocess.PIPE,
                          text=True) as window:
        assert window.stdout.readline().strip() == "open"
        before = transaction_ids(books)
        refused = run("--database", str(books), "restore", made.path)
        stop.touch()
    assert refused.returncode == 3
    assert refused.stderr.strip() == ("hera-desktop: The books are open in a window or a till on this computer; "
                                      "close it, then restore (nothing was changed)")
    assert transaction_ids(books) == before and not list(books.parent.glob("*set-aside*"))
    assert run("--database", str(books), "restore", made.path).returncode == 0  # once it is closed
