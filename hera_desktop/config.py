"""Where HERA Desktop keeps its files by default: the books, their backups and the log, in the platform's
user directories (``platformdirs``).

On Linux these are ``~/.local/share/HERA Desktop`` (books, backups) and ``~/.local/state/HERA Desktop/log``;
on Windows ``%LOCALAPPDATA%\\HERA Desktop`` (and its ``Logs``); on macOS ``~/Library/Application Support/HERA
Desktop`` and ``~/Library/Logs/HERA Desktop``. ``HERA_DESKTOP_HOME``, when set, puts all of them under one
folder instead (tests, a portable install on a USB stick).
"""
from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir, user_log_dir

APP_NAME = "HERA Desktop"
HOME_VARIABLE = "HERA_DESKTOP_HOME"


def _home() -> Path | None:
    home = os.environ.get(HOME_VARIABLE)
    return Path(home).expanduser() if home else None


def data_dir() -> Path:
    """The folder the books and their automatic backups live in."""
    home = _home()
    return home if home is not None else Path(user_data_dir(APP_NAME, appauthor=False))


def default_database_path() -> Path:
    return data_dir() / "books.db"


def backups_dir() -> Path:
    """Where automatic backups are kept."""
    return data_dir() / "backups"


def log_dir() -> Path:
    """Where the log file is written."""
    home = _home()
    return home / "log" if home is not None else Path(user_log_dir(APP_NAME, appauthor=False))
