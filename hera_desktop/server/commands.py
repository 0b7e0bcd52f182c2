"""``hera-desktop serve`` and ``hera-desktop serve-admin``: the HERA server and its administration.

``serve-admin`` works on the server's database directly (as its owner): organizations, and the bearer
tokens terminals and people call the server with. A token is printed once, when it is made; only its
SHA-256 is kept.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from ..domain.errors import HeraError, ValidationError
from ..domain.roles import ROLES

_COLLAPSED = re.compile(r"^([a-z][a-z0-9+]*):/(?!/)", re.IGNORECASE)


def database_url(value: Any) -> str:
    """The database a server command names: a SQLAlchemy URL, or an SQLite file (a small office's server).
    Given before the subcommand it arrives as a path, whose ``//`` became ``/``; it is mended here."""
    text = str(value)
    if isinstance(value, Path):
        text = _COLLAPSED.sub(r"\1://", text)
    return text


def add_parsers(sub: Any, shown: dict[str, Any]) -> None:
    where = argparse.ArgumentParser(add_help=False)
    where.add_argument("--database", default=argparse.SUPPRESS, metavar="URL",
                       help="the server's database: postgresql+psycopg://USER@HOST/DB, or an SQLite file for a "
                            "small office")
    serve = sub.add_parser("serve", parents=[where], help="run the HERA server: the HERA V2 HTTP API over these "
                           "books, for terminals and integrations (needs pip install 'hera-desktop[server]')",
                           **shown)
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on; default 127.0.0.1 (put a "
                       "TLS proxy in front before listening on other addresses; docs/server.md)")
    serve.add_argument("--port", type=int, default=8700, help="default 8700")
    serve.add_argument("--workers", type=int, default=1, help="worker processes; default 1")
    serve.add_argument("--rate-limit", default="600/10", metavar="REQUESTS/SECONDS",
                       help="per token and worker; default 600/10 (600 requests in any 10 seconds)")
    serve.add_argument("--certificate", default=None, metavar="PEM", help="serve HTTPS with this certificate")
    serve.add_argument("--key", default=None, metavar="PEM", help="the certificate's private key")

    admin = sub.add_parser("serve-admin", parents=[where], help="administer the HERA server's database: "
                           "organizations and bearer tokens", **shown)
    about = admin.add_subparsers(dest="admin_command", required=True, metavar="{organization,token,grant,migrate}")
    orgs = about.add_parser("organization", parents=[where], help="create or list organizations", **shown)
    org_commands = orgs.add_subparsers(dest="organization_command", required=True, metavar="{create,list}")
    create = org_commands.add_parser("create", parents=[where], help="a new organization with the default chart "
                                     "of accounts and posting rules; prints its id", **shown)
    create.add_argument("--name", required=True)
    create.add_argument("--currency", required=True, help="three-letter code, like USD or EUR")
    org_commands.add_parser("list", parents=[where], help="every organization: id, currency, name", **shown)
    tokens = about.add_parser("token", parents=[where], help="create, list or revoke bearer tokens", **shown)
    token_commands = tokens.add_subparsers(dest="token_command", required=True, metavar="{create,list,revoke}")
    made = token_commands.add_parser("create", parents=[where], help="a new token, printed once (only its hash "
                                     "is kept)", **shown)
    made.add_argument("--organization", required=True, metavar="ID")
    made.add_argument("--name", required=True, help='what it is for, like "Till 2"')
    made.add_argument("--role", choices=ROLES, default="cashier",
                      help="what it may do, as a desktop user of this role may; default cashier")
    listed = token_commands.add_parser("list", parents=[where], help="tokens (never the tokens themselves)",
                                       **shown)
    listed.add_argument("--organization", default=None, metavar="ID", help="only this organization's")
    gone = token_commands.add_parser("revoke", parents=[where], help="refuse this token from now on, on every "
                                     "worker within seconds", **shown)
    gone.add_argument("token_id", metavar="TOKEN_ID", help="the id token list shows")
    grant = about.add_parser("grant", parents=[where], help="give a PostgreSQL login role exactly what the server "
                             "needs (run as the tables' owner; the role must not be a superuser or the owner)",
                             **shown)
    grant.add_argument("--role", required=True, metavar="NAME", help="the role serve connects as")
    about.add_parser("migrate", parents=[where], help="make or upgrade the server's tables (serve does it at "
                     "start; run this as the tables' owner when the server connects as a role that is not)",
                     **shown)


def _database(args: argparse.Namespace) -> str:
    if getattr(args, "database", None) is None:
        raise ValidationError("--database", "name the server's database (a postgresql+psycopg:// URL or a file)")
    return database_url(args.database)


class ServerNotInstalled(HeraError):
    code = "server_not_installed"


def serve(args: argparse.Namespace) -> int:
    """Refusals are HeraErrors (a sentence and exit 2, as the command line answers every mistake)."""
    database = _database(args)
    try:
        import fastapi  # noqa: F401  (what the server runs on, installed by the server extra)
        import uvicorn  # noqa: F401

        from .running import serve as run
    except ImportError:
        raise ServerNotInstalled("the server is not installed: pip install 'hera-desktop[server]'") from None
    from .limits import RateLimit

    try:
        RateLimit.parse(args.rate_limit)
    except ValueError as exc:
        raise ValidationError("--rate-limit", str(exc)) from None
    if not 1 <= args.workers <= 64:
        raise ValidationError("--workers", "must be 1 to 64")
    if not 0 <= args.port <= 65535:
        raise ValidationError("--port", "must be 0 to 65535")
    run(database, args.host, args.port, args.workers, args.rate_limit, args.certificate, args.key)
    return 0


def serve_admin(args: argparse.Namespace) -> int:
    from .. import open as open_books
    from ..services import api_tokens

    with open_books(_database(args), create=True) as hera:
        if args.admin_command == "migrate":
            print(f"The server's tables are at schema {hera.db.revision()}")
        elif args.admin_command == "grant":
            from ..storage.row_security import grant_server_role

            grant_server_role(hera.db.engine, args.role)
            print(f"{args.role} may now serve these books, and do nothing more; connect serve as {args.role}")
        elif args.admin_command == "organization":
            if args.organization_command == "create":
                org = hera.create_organization(args.name, currency=args.currency)
                print(org.id)
                print(f"Created {org.organization_name} ({org.currency}); make its tokens with: hera-desktop "
                      f"serve-admin token create --organization {org.id} --name NAME --role ROLE", file=sys.stderr)
            else:
                for org in hera.list_organizations():
                    print(f"{org.id}  {org.currency}  {org.organization_name}")
        elif args.token_command == "create":
            token, made = api_tokens.create(hera.db, args.organization, args.name, args.role)
            print(token)
            print(f"Token {made.id} for {made.name} ({made.role}). It is shown this once: only its hash is kept. "
                  "Send it as: Authorization: Bearer <token>", file=sys.stderr)
        elif args.token_command == "list":
            for t in api_tokens.every(hera.db, args.organization):
                state = "active" if t.active else f"revoked {t.revoked_at}"
                print(f"{t.id}  {t.organization_id}  {t.role:<10}  {state:<8}  {t.created_at}  {t.name}")
        else:
            done = api_tokens.revoke(hera.db, args.token_id)
            print(f"Revoked token {done.id} ({done.name}); every request with it is refused from now on")
    return 0
