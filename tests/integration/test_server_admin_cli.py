"""``hera-desktop serve-admin``: organizations and tokens on the server's database, as an operator types them."""
from __future__ import annotations

import os
import subprocess
import sys

import httpx

import hera_desktop
from server_harness import serving


def admin(db_path, *args: str, before: bool = False) -> subprocess.CompletedProcess:
    where = ["--database", str(db_path)]
    argv = [*where, "serve-admin", *args] if before else ["serve-admin", *args, *where]
    return subprocess.run([sys.executable, "-m", "hera_desktop", *argv], capture_output=True, text=True,
                          timeout=120, env=os.environ.copy())


def test_an_operator_makes_an_organization_and_a_token_that_calls_the_server_until_revoked(db_path, backend):
    made = admin(db_path, "organization", "create", "--name", "Mario's Trattoria", "--currency", "EUR")
    assert made.returncode == 0, made.stderr
    org_id = made.stdout.strip()
    listed = admin(db_path, "organization", "list", before=True)  # --database before the subcommand works too
    assert listed.returncode == 0 and f"{org_id}  EUR  Mario's Trattoria" in listed.stdout
    token = admin(db_path, "token", "create", "--organization", org_id, "--name", "Till 2", "--role", "bookkeeper")
    assert token.returncode == 0, token.stderr
    secret = token.stdout.strip()
    assert secret.startswith("hts_") and "shown this once" in token.stderr
    tokens = admin(db_path, "token", "list", "--organization", org_id)
    assert "bookkeeper" in tokens.stdout and "Till 2" in tokens.stdout and secret not in tokens.stdout
    token_id = tokens.stdout.split()[0]

    with hera_desktop.open(db_path) as hera, serving(hera) as url:
        call = {"headers": {"Authorization": f"Bearer {secret}"}, "timeout": 30}
        answer = httpx.post(f"{url}/api/v2/reports/trial-balance", json={}, **call)
        assert answer.status_code == 200, answer.text
        assert httpx.post(f"{url}/api/v2/universal/txn-emit", json={}, **call).status_code == 403  # a bookkeeper
        revoked = admin(db_path, "token", "revoke", token_id)
        assert revoked.returncode == 0 and "Revoked" in revoked.stdout
        import time

        time.sleep(2.1)  # past the time a worker trusts a token it checked
        assert httpx.post(f"{url}/api/v2/reports/trial-balance", json={}, **call).status_code == 401
    assert "revoked" in admin(db_path, "token", "list").stdout


def test_mistakes_are_one_sentence_and_exit_2(db_path, backend):
    nobody = admin(db_path, "token", "create", "--organization", "01a2429a-0140-73d0-9188-7caea6cf388b",
                   "--name", "Till")
    assert nobody.returncode == 2 and "No organization" in nobody.stderr and "Traceback" not in nobody.stderr
    bad = admin(db_path, "token", "create", "--organization", "not-an-id", "--name", "Till")
    assert bad.returncode == 2 and "organization" in bad.stderr
    role = admin(db_path, "token", "create", "--organization", "x", "--name", "Till", "--role", "owner")
    assert role.returncode == 2 and "invalid choice" in role.stderr
    currency = admin(db_path, "organization", "create", "--name", "X", "--currency", "dollars")
    assert currency.returncode == 2 and "currency" in currency.stderr
    missing = subprocess.run([sys.executable, "-m", "hera_desktop", "serve-admin", "organization", "list"],
                             capture_output=True, text=True, timeout=60)
    assert missing.returncode == 2 and "--database" in missing.stderr
    unknown = admin(db_path, "token", "revoke", "01a2429a-0140-73d0-9188-7caea6cf388b")
    assert unknown.returncode == 2 and "No token" in unknown.stderr


def test_serve_without_the_server_installed_says_how_to_install_it(tmp_path):
    """As on a desktop installed without the server extra: uvicorn cannot be imported."""
    script = ("import sys; sys.modules['uvicorn'] = None; from hera_desktop.cli import main; "
              f"sys.exit(main(['serve', '--database', {str(tmp_path / 'books.db')!r}]))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "pip install 'hera-desktop[server]'" in done.stderr and "Traceback" not in done.stderr
