"""Which tests run on SQLite alone, and why: the one place that says so.

The integration tests (storage, universal API, services) run on SQLite and on
PostgreSQL. Those listed here are about the SQLite books file itself (its
checks, read-only mode, write-ahead log, copies and upgrades in place, other
programs reading it), which a PostgreSQL server has no equivalent of. The GUI,
unit and packaging tests run on SQLite only: the desktop app's own books.
"""
from __future__ import annotations

from typing import Any

# Modules about the books file, the command line on it, or its old schema versions.
MODULES = {
    "test_books_files.py": "checks of the books file (not books, damaged, read-only, locked)",
    "test_cli.py": "the command line opens books files on this computer",
    "test_universal_migrations.py": "upgrades SQLite files written by older versions, with a backup copy",
    "test_benchmarks_smoke.py": "the benchmarks measure the desktop's SQLite books",
    "test_docs_examples.py": "the README's examples open books files",
    "test_backups.py": "backups are copies of the books file (a PostgreSQL server has its own tools)",
}

# Single tests: {"module::test": why}.
TESTS: dict[str, str] = {
    "test_universal_transactions.py::test_keys_stored_by_earlier_versions_still_replay":
        "earlier versions ran on SQLite only; the test writes their rows with sqlite3",
    "test_journal_import.py::test_an_import_defers_checkpoints_and_leaves_ordinary_commits_as_they_were":
        "about SQLite's write-ahead log checkpoints",
    "test_customers.py::test_history_is_read_through_an_index_not_by_walking_every_transaction":
        "reads SQLite's query plan",
    "test_users.py::test_other_work_can_be_saved_while_a_pin_is_checked":
        "holds SQLite's write lock from a second sqlite3 connection (test_pg_sign_in_waits.py: PostgreSQL's)",
    "test_users.py::test_the_acting_user_is_stamped_on_every_record_they_create":
        "reads the outbox's JSON with SQLite's json_extract",
    "test_entity_codes.py::test_the_next_code_is_found_by_an_index_seek_not_by_reading_every_code": "reads SQLite's query plan",
}


def runs_on_postgresql(definition: Any) -> bool:
    path = definition.path
    if path.parent.name != "integration" or path.name in MODULES:
        return False
    return f"{path.name}::{definition.originalname}" not in TESTS
