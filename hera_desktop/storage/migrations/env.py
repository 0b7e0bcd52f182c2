"""Alembic environment: runs on the connection HERA Desktop hands it (or a URL from the config)."""
from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from hera_desktop.storage.schema import metadata

config = context.config


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        url = config.get_main_option("sqlalchemy.url")
        if url is None:
            raise RuntimeError("alembic: give the books' connection or a sqlalchemy.url")
        engine = create_engine(url)
        with engine.begin() as connection:
            _migrate(connection)
        return
    _migrate(connection)


def _migrate(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


run()
