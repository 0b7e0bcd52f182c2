"""``hera-desktop serve`` as an operator runs it: several uvicorn workers over one database, real HTTP."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import httpx
import pytest

import hera_desktop
from hera_desktop.services import api_tokens

pytestmark = pytest.mark.usefixtures("backend")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(db_path, tmp_path):
    """``serve --workers 3`` over the test's books, with a manager's token; (url, token, the process)."""
    with hera_desktop.open(db_path) as hera:
        org = hera.create_organization("Mario's Trattoria", currency="USD")
        token, _ = api_tokens.create(hera.db, org.id, "Office", "manager")
    port = free_port()
    env = {**os.environ, "HERA_DESKTOP_HOME": str(tmp_path / "home")}
    output = tmp_path / "serve.out"
    with output.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "hera_desktop", "serve", "--database", str(db_path),
                                 "--port", str(port), "--workers", "3"], env=env, stdout=out,
                                stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/api/v2/health", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"serve did not start: {output.read_text()}")
        time.sleep(0.2)
    try:
        yield url, token, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def burst(url: str, token: str, n: int = 24) -> list[tuple[str, Decimal]]:
    """n tax-rule reads at once, each on a connection of its own: (worker, the standard rate) per answer."""
    def one(_: int) -> tuple[str, Decimal]:
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=30) as c:
            r = c.post("/api/v2/settings/tax-rules", json={})
            assert r.status_code == 200, r.text
            rates = {name: Decimal(str(t["rate"])) for name, t in r.json()["data"]["rates"].items()}
            return r.headers["X-HERA-Worker"], rates.get("standard", Decimal(-1))
    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(one, range(n)))


def test_a_setting_changed_through_one_worker_is_what_every_worker_reads_next(served):
    url, token, proc = served
    before = []
    for _ in range(10):  # until the answers came from more than one worker
        before += burst(url, token)
        if len({w for w, _ in before}) >= 2:
            break
    assert len({w for w, _ in before}) >= 2, "the requests never reached a second worker"
    old = {rate for _, rate in before}
    assert len(old) == 1
    with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {token}"}) as c:
        changed = c.post("/api/v2/settings/tax-rates", json={"name": "standard", "rate": "0.0825",
                                                             "label": "Sales Tax"})
        assert changed.status_code == 200, changed.text
    after = burst(url, token, 36)
    assert len({w for w, _ in after}) >= 2
    assert {rate for _, rate in after} == {Decimal("0.0825")}, after
    assert old != {Decimal("0.0825")}
