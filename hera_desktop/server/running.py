"""Running the HERA server under uvicorn: one process, or several workers over one database.

The books are opened once before the workers start, so the schema is upgraded once (several servers
starting together take turns: ``Database.upgrade``). Each worker then opens the books itself from
``HERA_SERVER_DATABASE`` (``app``, uvicorn's factory): workers share nothing but the database, so a
setting changed through one is what the others read at their next request.
"""
from __future__ import annotations

import os
from typing import Any

from .limits import RateLimit

DATABASE_VARIABLE = "HERA_SERVER_DATABASE"
RATE_LIMIT_VARIABLE = "HERA_SERVER_RATE_LIMIT"


def app() -> Any:
    """uvicorn's application factory in each worker process."""
    from .. import open as open_books
    from ..logbook import start_log
    from .app import create_app

    start_log()  # each worker writes the log too (the serve command's process started it for itself)
    hera = open_books(os.environ[DATABASE_VARIABLE], create=True)
    return create_app(hera, RateLimit.parse(os.environ.get(RATE_LIMIT_VARIABLE, "600/10")))


def serve(database: str, host: str = "127.0.0.1", port: int = 8700, workers: int = 1, rate_limit: str = "600/10",
          certificate: str | None = None, key: str | None = None) -> None:
    import uvicorn

    from .. import open as open_books

    RateLimit.parse(rate_limit)  # a bad limit is refused before anything starts
    with open_books(database, create=True):  # the schema made or upgraded here, once
        pass
    os.environ[DATABASE_VARIABLE] = database
    os.environ[RATE_LIMIT_VARIABLE] = rate_limit
    uvicorn.run("hera_desktop.server.running:app", factory=True, host=host, port=port, workers=workers,
                log_level="info", proxy_headers=True, ssl_certfile=certificate, ssl_keyfile=key,
                timeout_graceful_shutdown=10)
