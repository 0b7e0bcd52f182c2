"""The hera-desktop command as a person runs it: demo books, chain verification, unlocking staff, bad books
files and missing displays, each answered in one plain sentence with a documented exit code."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import PySide6
from books_media import fill, make_read_only, small_disk

import hera_desktop
from hera_desktop import AuthenticationError, UserLockedError
from hera_desktop.demo import create_demo
from hera_desktop.gui.display import XCB_LIBRARIES

CASHIER, CASHIER_PIN = "Luca Conti", "2222"


def run(*args: str, env: dict[str, str] | None = None, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hera_desktop", *args], capture_output=True, text=True,
                          timeout=timeout, env=env)


def without_display(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return {**env, **extra}


def plain(done: subprocess.CompletedProcess[str]) -> str:
    """The one sentence on stderr (and no traceback)."""
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    return done.stderr.strip()


def demo_books(path: Path) -> str:
    """Demo books made in-process (faster than the command); the demo organization's id."""
    with hera_desktop.open(path) as hera:
        return create_demo(hera).organization_id


def test_demo_prints_orders_stock_and_a_balanced_trial_balance(tmp_path: Path) -> None:
    books = tmp_path / "books.db"
    done = run("--database", str(books), "demo")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert f"Books: {books}" in out
    assert "Order SALE-" in out and "paid by card" in out
    assert "Stock on hand" in out and "Value at Store front" in out
    assert "Trial balance" in out and "balanced" in out and "NOT BALANCED" not in out
    assert "intact" in out
    # Running it again reuses the demo organization and adds the flows once more; --database after it works too.
    again = run("demo", "--database", str(books))
    assert again.returncode == 0 and "Demo organization found" in again.stdout


def test_demo_without_database_never_touches_the_default_books(tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path / "home"), "XDG_DATA_HOME": str(tmp_path / "data")}
    done = run("demo", env=env)
    assert done.returncode == 0, done.stderr
    assert "Books: temporary, removed when the demo ends (give --database PATH to keep them)" in done.stdout
    assert "Order SALE-" in done.stdout
    assert not (tmp_path / "data").exists() and not (tmp_path / "home").exists()


def test_verify_names_the_transaction_that_was_edited_behind_the_apps_back(tmp_path: Path) -> None:
    books = tmp_path / "books.db"
    assert run("--database", str(books), "demo").returncode == 0
    assert run("--database", str(books), "verify").returncode == 0
    raw = sqlite3.connect(books)
    raw.execute("DROP TRIGGER universal_transactions_no_update")
    code = raw.execute("SELECT transaction_code FROM universal_transactions WHERE transaction_type='sale' "
                       "ORDER BY chain_seq LIMIT 1").fetchone()[0]
    raw.execute("UPDATE universal_transactions SET total_amount='1.00' WHERE transaction_code=?", (code,))
    raw.commit()
    raw.close()
    checked = run("verify", "--database", str(books))
    assert checked.returncode == 1
    assert "BROKEN" in checked.stdout and code in checked.stdout and "changed" in checked.stdout


def closed_day(path: Path) -> tuple[str, str, int]:
    """Demo books with a day of trade closed: the printed anchor's short hash, the closing's code, its seq."""
    with hera_desktop.open(path) as hera:
        book = create_demo(hera)
        cashier = hera.scope(book.organization_id, actor_id=book.users["cashier"])
        cashier.restaurant.process_order(items=[{"menu_item_id": book.menu["Tiramisu"]}], payment_method="cash")
        manager = hera.scope(book.organization_id, actor_id=book.users["manager"])
        z = manager.day_close.z_report("7.35")
        return z.anchor.short_hash, z.closing.transaction_code, z.anchor.chain_seq


def test_verify_anchor_says_the_printed_z_report_is_intact_or_which_link_is_gone(tmp_path: Path) -> None:
    books = tmp_path / "books.db"
    printed, code, seq = closed_day(books)
    done = run("verify", "--anchor", printed, "--database", str(books))
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Anchor seq {seq} of chain " in done.stdout and "is intact" in done.stdout and code in done.stdout
    raw = sqlite3.connect(books)
    raw.execute("DROP TRIGGER universal_transactions_no_update")
    raw.execute("UPDATE universal_transactions SET description = 'Coffee' WHERE transaction_type = 'sale'")
    raw.commit()
    raw.close()
    altered = run("--database", str(books), "verify", "--anchor", printed)
    assert altered.returncode == 1
    assert f"ANCHOR {printed}" in altered.stdout and "altered" in altered.stdout
    assert "changed" in altered.stdout  # which link: the sale edited before the closing


def test_verify_names_a_deleted_tail(tmp_path: Path) -> None:
    books = tmp_path / "books.db"
    closed_day(books)
    raw = sqlite3.connect(books)
    raw.execute("DROP TRIGGER universal_transactions_no_delete")
    raw.execute("DROP TRIGGER universal_transaction_lines_no_delete")
    newest = raw.execute("SELECT id, chain_seq, terminal_id FROM universal_transactions "
                         "ORDER BY chain_seq DESC LIMIT 1").fetchone()
    raw.execute("DELETE FROM universal_transaction_lines WHERE transaction_id = ?", (newest[0],))
    raw.execute("DELETE FROM universal_transactions WHERE id = ?", (newest[0],))
    raw.commit()
    raw.close()
    done = run("--database", str(books), "verify")
    assert done.returncode == 1
    assert "MISSING: organization" in done.stdout
    assert f"transaction {newest[1]} of terminal {newest[2]} is missing" in done.stdout


def test_an_anchor_too_short_to_name_a_link_is_wrong_usage(tmp_path: Path) -> None:
    books = tmp_path / "books.db"
    hera_desktop.open(books).close()
    done = run("--database", str(books), "verify", "--anchor", "3f5a")
    assert done.returncode == 2
    assert "12 to 64 hex digits" in plain(done)


def test_verify_fails_on_an_edited_trial_balance_naming_the_account_and_both_figures(tmp_path: Path) -> None:
    books = tmp_path / "books.db"
    assert run("--database", str(books), "demo").returncode == 0  # its orders credit 4000 Sales
    raw = sqlite3.connect(books)
    account, credit = raw.execute(
        "SELECT b.account_id, b.credit FROM hera_gl_account_balances b JOIN core_entities e ON e.id = b.account_id "
        "WHERE e.entity_code = '4000'").fetchone()
    raw.execute("UPDATE hera_gl_account_balances SET credit = '2790.91' WHERE account_id = ?", (account,))
    raw.commit()
    raw.close()
    checked = run("verify", "--database", str(books))
    assert checked.returncode == 1
    assert ("DISAGREES: organization " in checked.stdout
            and f"GL account 4000 Sales: cached credit 2,790.91, lines say {float(credit):,.2f}" in checked.stdout)
    assert "BROKEN" not in checked.stdout  # no transaction was touched: the chain is intact


def test_a_problem_is_reported_in_words_not_a_traceback(tmp_path: Path) -> None:
    books = tmp_path / "books.db"
    hera_desktop.open(books).close()
    done = run("--database", str(books), "verify", "--organization", "not-an-id")
    assert done.returncode == 2
    assert "organization" in plain(done).lower()


def test_every_command_documents_its_exit_codes_in_its_help() -> None:
    for command in ([], ["demo"], ["verify"], ["screenshots"], ["users"], ["users", "unlock"]):
        shown = run(*command, "--help")
        assert shown.returncode == 0, command
        assert "exit codes:" in shown.stdout, command
        for code in ("0  done", "1  the books could be read, but a check failed", "2  wrong usage",
                     "3  the books could not be opened or written"):
            assert code in shown.stdout, (command, code)


def test_verify_of_a_mistyped_path_refuses_instead_of_creating_empty_intact_books(tmp_path: Path) -> None:
    typo = tmp_path / "bokos" / "books.db"
    done = run("verify", "--database", str(typo))
    assert done.returncode == 3
    assert plain(done) == (f"hera-desktop: There are no books at {typo} (the folder {typo.parent} does not "
                           "exist); check the path")
    assert "Intact" not in done.stdout and not typo.parent.exists()
    missing = run("--database", str(tmp_path / "book.db"), "verify")
    assert missing.returncode == 3 and "There are no books at" in plain(missing)
    assert list(tmp_path.iterdir()) == []


def test_a_file_that_is_not_books_exits_3_not_1_which_means_tampered(tmp_path: Path) -> None:
    notdb = tmp_path / "notdb.db"
    notdb.write_text("not books at all\n" * 40)
    for command in (["verify"], ["demo"], ["users", "unlock", CASHIER]):
        done = run(*command, "--database", str(notdb))
        assert done.returncode == 3, command
        assert plain(done) == "hera-desktop: notdb.db is not a HERA Desktop books file, or it is damaged"
    folder = run("verify", "--database", str(tmp_path))
    assert folder.returncode == 3 and "is a folder, not a books file" in plain(folder)


def test_books_from_a_newer_version_ask_for_an_update(tmp_path: Path) -> None:
    books = tmp_path / "books.db"
    hera_desktop.open(books).close()
    raw = sqlite3.connect(books)
    raw.execute("UPDATE alembic_version SET version_num = '0099'")
    raw.commit()
    raw.close()
    done = run("verify", "--database", str(books))
    assert done.returncode == 3
    assert plain(done) == ("hera-desktop: These books were written by a newer HERA Desktop (schema 0099); "
                           "update the app to open them")


def test_books_on_a_read_only_disk_can_be_verified_but_not_written(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", size="8m") as disk:
        books = disk / "books.db"
        demo_books(books)
        make_read_only(disk)
        checked = run("verify", "--database", str(books))
        assert checked.returncode == 0, checked.stderr
        assert "These books are read-only (the disk they are on is read-only)." in checked.stdout
        assert "Intact:" in checked.stdout
        demo = run("demo", "--database", str(books))
        assert demo.returncode == 3
        assert plain(demo) == ("hera-desktop: These books are read-only (the disk they are on is read-only); "
                               "nothing was saved")


def test_a_full_disk_is_said_in_plain_words(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", size="8m") as disk:
        books = disk / "books.db"
        demo_books(books)
        with hera_desktop.open(books):  # held open so the log's index stays; then the disk fills
            fill(disk)
            done = run("demo", "--database", str(books))
        assert done.returncode == 3
        assert plain(done) == "hera-desktop: The disk is full; nothing was saved"


def test_the_owner_unlocks_a_locked_out_cashier_by_name(tmp_path: Path) -> None:
    books = tmp_path / "books.db"
    org_id = demo_books(books)
    with hera_desktop.open(books) as hera:
        s = hera.scope(org_id)
        cashier = next(u for u in s.users.list() if u["name"] == CASHIER)["id"]
        for _ in range(10):
            try:
                s.users.authenticate(cashier, "0000")
            except UserLockedError:
                break
            except AuthenticationError:
                pass
        with pytest.raises(UserLockedError):
            s.users.authenticate(cashier, CASHIER_PIN)
    done = run("users", "unlock", "luca conti", "--database", str(books))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Unlocked {CASHIER} in Mario's Trattoria (demo): they can sign in with their PIN again"
    with hera_desktop.open(books) as hera:
        assert hera.scope(org_id).users.authenticate(cashier, CASHIER_PIN).entity_name == CASHIER


def test_unlocking_a_name_that_matches_no_one_or_with_several_organizations_is_wrong_usage(tmp_path: Path) -> None:
    books = tmp_path / "books.db"
    demo_books(books)
    nobody = run("--database", str(books), "users", "unlock", "Nobody Here")
    assert nobody.returncode == 2
    assert plain(nobody) == "hera-desktop: No user named 'Nobody Here' in Mario's Trattoria (demo)"
    with hera_desktop.open(books) as hera:
        second = hera.create_organization("Second Kitchen")
    several = run("--database", str(books), "users", "unlock", CASHIER)
    assert several.returncode == 2
    assert "these books hold several organizations" in plain(several) and "--organization ID" in plain(several)
    chosen = run("--database", str(books), "users", "unlock", CASHIER, "--organization", second.id)
    assert chosen.returncode == 2 and "No user named 'Luca Conti' in Second Kitchen" in plain(chosen)


def test_the_window_without_a_display_says_what_is_missing_quickly(tmp_path: Path) -> None:
    started = time.monotonic()
    done = run("--database", str(tmp_path / "books.db"), env=without_display(), timeout=60)
    assert done.returncode == 2
    said = plain(done)
    assert said.startswith("hera-desktop: The window cannot open: there is no display (DISPLAY is not set")
    assert "\n" not in said and "qt.qpa" not in said
    assert time.monotonic() - started < 30
    assert not (tmp_path / "books.db").exists()


def test_the_window_offscreen_does_not_wait_for_a_question_nobody_sees(tmp_path: Path) -> None:
    done = run("--database", str(tmp_path / "books.db"), env=without_display(QT_QPA_PLATFORM="offscreen"),
               timeout=60)
    assert done.returncode == 2
    assert plain(done) == ("hera-desktop: QT_QPA_PLATFORM=offscreen draws the window where nobody can see it, so "
                           "HERA Desktop does not start; unset QT_QPA_PLATFORM and run it on a desktop "
                           "(hera-desktop --self-test checks the app offscreen)")


def test_the_packages_named_are_those_whose_libraries_qts_x11_plugin_cannot_find(tmp_path: Path) -> None:
    qt = Path(PySide6.__file__).parent / "Qt"
    plugin, qpa = qt / "plugins" / "platforms" / "libqxcb.so", qt / "lib" / "libQt6XcbQpa.so.6"
    needed = set()
    for library in (plugin, qpa):
        dynamic = subprocess.run(["readelf", "-d", str(library)], capture_output=True, text=True, check=True).stdout
        needed |= {line.split("[")[1].rstrip("]") for line in dynamic.splitlines() if "(NEEDED)" in line}
    system = {n for n in needed if not n.startswith(("libQt6", "libc.", "libm.", "libstdc++", "libgcc_s"))}
    assert system <= set(XCB_LIBRARIES)  # every system library Qt's X11 plugin links to has its package named
    loader = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, check=True).stdout
    unfound = {line.split()[0] for line in loader.splitlines() if "not found" in line}
    said = plain(run("--database", str(tmp_path / "books.db"), env=without_display(DISPLAY=":97"), timeout=60))
    if unfound:
        named = said.split("sudo apt install ")[1].split()
        assert sorted(named) == sorted({XCB_LIBRARIES[u] for u in unfound})
    else:
        assert "sudo apt install" not in said and "the display :97 cannot be reached" in said
