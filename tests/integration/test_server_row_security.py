"""The server as deployed on PostgreSQL: connected as a role that is neither a superuser nor the tables' owner,
every request held to its token's organization by row-level security, behind the storage layer's own filter."""
from __future__ import annotations

import subprocess
import sys

import httpx
import psycopg

import hera_desktop
from hera_desktop.services import api_tokens
from server_fixtures import Api, json_of, send
from server_harness import serving

V2 = "/api/v2/universal"


def serve_admin(url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hera_desktop", "serve-admin", "--database", url, *args],
                          capture_output=True, text=True, timeout=120)


def test_the_server_role_serves_each_organization_and_reads_nothing_outside_a_request(pg_server, pg_database,
                                                                                      pg_empty_template):
    owner_url = pg_database(pg_empty_template)
    role = pg_server.login_role("hera_server")
    granted = serve_admin(owner_url, "grant", "--role", role)
    assert granted.returncode == 0, granted.stderr
    refused = serve_admin(owner_url, "grant", "--role", "postgres")
    assert refused.returncode != 0 and "superuser" in refused.stderr and "Traceback" not in refused.stderr
    with hera_desktop.open(owner_url) as owner:
        mario = owner.create_organization("Mario's Trattoria", currency="USD")
        luigi = owner.create_organization("Luigi's Pizzeria", currency="EUR")
        tokens = {o.id: api_tokens.create(owner.db, o.id, "Office", "admin")[0] for o in (mario, luigi)}

    server_url = owner_url.replace(f"//{'hera'}@", f"//{role}@")
    assert server_url != owner_url
    with hera_desktop.open(server_url) as books, serving(books) as url:
        health = httpx.get(f"{url}/api/v2/health").json()
        assert health["row_level_security"] == "enforced"
        a, b = Api(url, books, mario, {"admin": tokens[mario.id]}), Api(url, books, luigi, {"admin": tokens[luigi.id]})
        try:
            mine = send(a.client(), "POST", f"{V2}/txn-emit", a.journal("70.00"))
            theirs = send(b.client(), "POST", f"{V2}/txn-emit", b.journal("80.00"))
            assert mine.status_code == theirs.status_code == 201, (mine.text, theirs.text)
            seen_a = json_of(send(a.client(), "POST", f"{V2}/txn-query", {}))["transactions"]
            assert [t["total_amount"] for t in seen_a] == [70]
            tb = json_of(send(b.client(), "POST", "/api/v2/reports/trial-balance", {}))["data"]
            assert tb["total_debits"] == tb["total_credits"] == 80
            lost = send(a.client(), "POST", f"{V2}/txn-read", {"transaction_id": json_of(theirs)["transaction_id"]})
            assert lost.status_code == 404
        finally:
            for c in a.clients + b.clients:
                c.close()

    # the server's role, connected without a request's organization, reads no row of any table
    dsn = psycopg.conninfo.make_conninfo(server_url.replace("postgresql+psycopg", "postgresql"))
    with psycopg.connect(dsn) as conn:
        for table in ("core_organizations", "core_entities", "core_dynamic_data", "core_relationships",
                      "universal_transactions", "universal_transaction_lines", "hera_change_feed"):
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,), table
        assert conn.execute("SELECT count(*) FROM hera_api_tokens").fetchone()[0] == 2  # looked up by hash
