"""A throwaway PostgreSQL server for the tests, started from the installed binaries.

One server per test session: ``initdb`` into a temporary folder, ``pg_ctl start``
listening only on a unix socket in that folder, then a login role that is not a
superuser (as the remote instance's own role is). Each test gets a fresh database
owned by that role, cloned from a template that was migrated once
(``CREATE DATABASE ... TEMPLATE``), and dropped afterwards.

``pg_ctl`` and ``initdb`` refuse to run as root, so a run as root starts them as
the ``postgres`` user (``runuser``). Debian keeps them outside PATH: ``pg_config
--bindir`` names the folder.
"""
from __future__ import annotations

import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

ROLE = "hera"
# A server that lives for one test run: durability settings off make creating a database per test cheap.
SETTINGS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off", "listen_addresses=''",
            "max_connections=200", "shared_buffers=64MB")


class PostgresUnavailable(RuntimeError):
    """The PostgreSQL binaries are not installed (``apt-get install postgresql``), or the server would not start."""


def bindir() -> Path:
    found = shutil.which("pg_config")
    if found:
        out = subprocess.run([found, "--bindir"], capture_output=True, text=True, check=True).stdout.strip()
        if (Path(out) / "pg_ctl").exists():
            return Path(out)
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "pg_ctl").exists():
            return candidate
    raise PostgresUnavailable("PostgreSQL is not installed: pg_ctl was not found (install the postgresql package)")


class PostgresServer:
    """A running server: ``url(database)`` connects as the test role; ``admin`` runs SQL as the superuser."""

    def __init__(self) -> None:
        self.bin = bindir()
        self.root = Path(tempfile.mkdtemp(prefix="hera-pg-"))
        self.data = self.root / "data"
        self.socket = self.root  # the unix socket lives here; nothing listens on the network
        self.port = 5432  # only names the socket file (.s.PGSQL.5432) in our own folder
        self._names = itertools.count(1)
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            owner = pwd.getpwnam("postgres")
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--encoding=UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        options = " ".join(f"-c {s}" for s in SETTINGS) + f" -k {self.socket} -p {self.port}"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-o", options, "-w", "start")
        self.admin(f"CREATE ROLE {ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bin / tool), *args]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            log = self.root / "server.log"
            detail = log.read_text()[-2000:] if log.exists() else ""
            raise PostgresUnavailable(f"{tool} failed: {done.stderr.strip() or done.stdout.strip()}\n{detail}")

    def url(self, database: str, role: str = ROLE) -> str:
        return f"postgresql+psycopg://{role}@/{database}?host={self.socket}&port={self.port}"

    def admin(self, *statements: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(host=str(self.socket), port=self.port, user="postgres", dbname=database,
                             autocommit=True) as conn:
            for sql in statements:
                conn.execute(sql)

    def login_role(self, name: str) -> str:
        """A login role that is neither a superuser nor an owner of anything (as the HERA server's is), made once
        for the server's life; returns its name. It holds no rights in any database until granted them."""
        self.admin(f"DO $$ BEGIN CREATE ROLE {name} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS; "
                   "EXCEPTION WHEN duplicate_object THEN NULL; END $$")
        return name

    def new_database(self, template: str | None = None) -> str:
        """A fresh, empty database owned by the test role (a copy of ``template`` if given); returns its name."""
        name = f"books_{os.getpid()}_{next(self._names)}"
        clone = f" TEMPLATE {template}" if template else ""
        self.admin(f"CREATE DATABASE {name} OWNER {ROLE}{clone}")
        return name

    def make_template(self, name: str) -> None:
        """Let ``name`` be cloned, and nobody connect to it again (a clone needs a template nobody is in)."""
        self.admin(f"ALTER DATABASE {name} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false")

    def drop_database(self, name: str) -> None:
        self.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
