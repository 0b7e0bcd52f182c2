"""The hera-desktop command as a person runs it: demo books, then chain verification."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hera_desktop", *args], capture_output=True, text=True, timeout=120)


def test_demo_prints_orders_stock_and_a_balanced_trial_balance(tmp_path: Path) -> None:
    books = tmp_path / "books.db"
    done = run("--database", str(books), "demo")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Order SALE-" in out and "paid by card" in out
    assert "Stock on hand" in out and "Value at Store front" in out
    assert "Trial balance" in out and "balanced" in out and "NOT BALANCED" not in out
    assert "intact" in out
    # Running it again reuses the demo organization and adds the flows once more.
    again = run("--database", str(books), "demo")
    assert again.returncode == 0 and "Demo organization found" in again.stdout


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
    checked = run("--database", str(books), "verify")
    assert checked.returncode == 1
    assert "BROKEN" in checked.stdout and code in checked.stdout and "changed" in checked.stdout


def test_a_problem_is_reported_in_words_not_a_traceback(tmp_path: Path) -> None:
    done = run("--database", str(tmp_path / "books.db"), "verify", "--organization", "not-an-id")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "organization" in done.stderr.lower()
