"""Where the books live by default: the platform's user data directory."""
from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "HERA Desktop"


def default_database_path() -> Path:
    return Path(user_data_dir(APP_NAME, appauthor=False)) / "books.db"
