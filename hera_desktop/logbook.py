"""The log a manager can send: one JSON object per line in ``hera-desktop.log``, in the platform's log folder
(``config.log_dir()``), rotated at 5 MB with the last five files kept.

What is written: the app's start and stop, sign-ins, wrong PINs and lockouts, every call that changes the
books (its kind, organization, record id, duration and outcome; see ``public_calls``), backups and checks,
and every unexpected error with its traceback. Each line holds ``time`` (UTC), ``level``, ``logger``,
``message`` and the event's own fields.

What is never written: PINs, PIN hashes, salts, tokens, passwords. Nothing logs a call's arguments, only
what the call was and how it went; and as a last guard any field whose name says it is a secret is
replaced by ``"[hidden]"`` before the line is written.
"""
from __future__ import annotations

import json
import logging
import logging.handlers
import os
import platform
import re
import sys
import traceback
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .config import default_database_path, log_dir

LOG_NAME = "hera-desktop.log"
MAX_BYTES = 5 * 1024 * 1024
KEPT_FILES = 5
ROOT = "hera_desktop"
SECRET_WORDS = frozenset({"pin", "pins", "secret", "token", "password", "salt", "credential", "passphrase"})
HIDDEN = "[hidden]"

_handler: logging.Handler | None = None


def log_path() -> Path:
    """Where the log is written: the file being written, or where the app writes it (whether or not it exists
    yet)."""
    if _handler is not None:
        return Path(getattr(_handler, "baseFilename"))
    return log_dir() / LOG_NAME


def _is_secret(name: str) -> bool:
    """A field named for a secret: one of its words (``pin_hash``, ``api-token``, ``newPin``) is one."""
    words = re.findall(r"[a-z]+|[A-Z][a-z]*", name)
    return any(word.lower() in SECRET_WORDS for word in words)


def _hidden(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: HIDDEN if isinstance(k, str) and _is_secret(k) else _hidden(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_hidden(v) for v in value]
    return value


class JsonLines(logging.Formatter):
    """A record as one line of JSON: the standard fields, then the event's (``extra={"hera": {...}}``)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        fields = getattr(record, "hera", None)
        if isinstance(fields, dict):
            line.update(_hidden(fields))
        if record.exc_info:
            line["traceback"] = "".join(traceback.format_exception(*record.exc_info))
        return json.dumps(line, ensure_ascii=False, default=str)


def start_log(folder: Path | None = None) -> Path:
    """Write HERA Desktop's log from now on (once per process; later calls return the same file)."""
    global _handler
    if _handler is not None:
        return Path(getattr(_handler, "baseFilename"))
    where = (folder or log_dir())
    path = where / LOG_NAME
    try:
        where.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=KEPT_FILES, encoding="utf-8", delay=True)
    except OSError:  # a read-only home: the app still runs, without its log
        return path
    handler.setFormatter(JsonLines())
    handler.setLevel(logging.INFO)
    root = logging.getLogger(ROOT)
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    _handler = handler
    return path


def stop_log() -> None:
    """Stop writing the log (the end of the process; tests that start it again elsewhere)."""
    global _handler
    if _handler is None:
        return
    logging.getLogger(ROOT).removeHandler(_handler)
    _handler.close()
    _handler = None


def event(logger: logging.Logger, level: int, message: str, **fields: Any) -> None:
    """Log one event with its fields (never a secret: see the module)."""
    if logger.isEnabledFor(level):
        logger.log(level, message, extra={"hera": fields})


def diagnostics(books: Any = None, lines: int = 40) -> str:
    """A summary a manager can paste into a message: versions, where the books and the log are, and the
    log's last lines (which hold no secret)."""
    from importlib.metadata import PackageNotFoundError, version

    def version_of(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"

    qt = sys.modules.get("PySide6")
    out = [f"HERA Desktop {version_of('hera-desktop')}",
           f"Python {platform.python_version()} on {platform.platform()}",
           f"PySide6 {getattr(qt, '__version__', 'not loaded')}, SQLAlchemy {version_of('SQLAlchemy')}",
           f"Books: {books if books is not None else default_database_path()}",
           f"Log: {log_path()}", f"Process: {os.getpid()} {' '.join(sys.argv[:1])}"]
    path = log_path()
    try:
        tail = path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
    except OSError:
        tail = []
    if tail:
        out += ["", f"Last {len(tail)} lines of the log:", *tail]
    return "\n".join(out)
