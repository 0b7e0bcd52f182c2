"""The HERA server over real HTTP on PostgreSQL, side by side with raw psycopg writing the same rows.

A throwaway PostgreSQL server (tests/pg_server.py: initdb from the installed binaries, a unix socket in a
temporary folder), ``hera-desktop serve --workers 2`` as an operator runs it (a subprocess on 127.0.0.1,
with a rate limit high enough not to be what is measured), then:

1. ``txn-emit`` of a balanced four-line journal from 16 concurrent clients (threads, each a keep-alive
   HTTP connection, admin token): emits per second and p50 / p99 latency; beside it raw psycopg from 16
   connections inserting the same header and four lines, one commit each (without what an emit also
   writes: the hash-chain counter, the change-feed event, the ledger's cached balances);
2. ``txn-query`` of 50 rows (the first page and a cursor page) at N transactions: p50 / p99;
3. a restaurant order through ``POST /api/v2/restaurant/orders`` (cashier token): p50 / p99.
"""
from __future__ import annotations

import importlib.util
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import hera_desktop
from hera_desktop.domain.ids import new_id, new_ids
from hera_desktop.services import api_tokens

from .common import Row, progress

CLIENTS = int(os.environ.get("HERA_BENCH_CLIENTS", "16"))
TARGET_EMITS_S = 300
TARGET_P99_MS = 100
GL_SC, LINE_SC = "HERA.FINANCE.GL.JOURNAL.V1", "HERA.FINANCE.GL.LINE.V1"
ROOT = Path(__file__).resolve().parents[1]


def _pg_server() -> Any:
    """tests/pg_server.py's throwaway server (it needs nothing of pytest)."""
    spec = importlib.util.spec_from_file_location("hera_pg_server", ROOT / "tests" / "pg_server.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.PostgresServer()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def _spread(samples: list[float]) -> str:
    return f"p50 {statistics.median(samples) * 1000:.1f} ms, p99 {_pct(samples, 0.99):.1f} ms"


def run(emits: int, workdir: Path) -> list[Row]:
    pg = _pg_server()
    proc = None
    try:
        url = pg.url(pg.new_database())
        progress("books on PostgreSQL: an organization, its chart of accounts, a small menu, tokens")
        with hera_desktop.open(url) as hera:
            org = hera.create_organization("Benchmark server", currency="USD")
            s = hera.scope(org.id)
            accounts = [s.journals.account_by_code(code).id for code in ("1000", "1100", "4000", "2100")]
            menu = [s.restaurant.menu.add_item(name, price).id
                    for name, price in (("Margherita Pizza", "12.50"), ("House Red Wine", "6.00"))]
            admin = api_tokens.create(hera.db, org.id, "Benchmark admin", "admin")[0]
            cashier = api_tokens.create(hera.db, org.id, "Benchmark till", "cashier")[0]
        port = _free_port()
        env = {**os.environ, "HERA_DESKTOP_HOME": str(workdir / "server-home")}
        with (workdir / "serve.out").open("w") as log:  # the child keeps its own copy of the file
            proc = subprocess.Popen([sys.executable, "-m", "hera_desktop", "serve", "--database", url, "--port",
                                     str(port), "--workers", "2", "--rate-limit", "100000000/1"],
                                    env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        _wait_for(base, proc)
        rows = _emits(base, admin, accounts, emits)
        rows += _raw(pg, url, org.id, accounts, emits)
        rows.append(_ratio(rows))
        rows += _queries(pg, url, base, admin, org.id, emits)
        rows += _orders(base, cashier, menu, max(60, emits // 20))
        return rows
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        pg.stop()


def _wait_for(base: str, proc: subprocess.Popen[bytes]) -> None:
    import httpx

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("hera-desktop serve stopped at start (see serve.out)")
        try:
            if httpx.get(f"{base}/api/v2/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError("hera-desktop serve did not answer within 60 s")


def _journal(accounts: list[str], n: int) -> bytes:
    """A HERA client's txn-emit body: a balanced four-line journal (two debits, two credits)."""
    cash, bank, sales, tax = accounts
    amount = Decimal(10 + n % 90) + Decimal("0.25")
    from hera_desktop.server.wire import dumps  # decimals as exact JSON numbers, as a HERA client sends them

    lines = [{"line_type": "GL", "smart_code": LINE_SC, "entity_id": e, "line_amount": a, "dr_cr": side}
             for e, a, side in ((cash, amount, "dr"), (bank, Decimal("1.00"), "dr"),
                                (sales, amount, "cr"), (tax, Decimal("1.00"), "cr"))]
    return dumps({"transaction_type": "journal_entry", "smart_code": GL_SC, "reference_number": f"B-{n}",
                  "lines": lines})


def _emits(base: str, token: str, accounts: list[str], total: int) -> list[Row]:
    import httpx

    progress(f"txn-emit: {total:,} four-line journals from {CLIENTS} clients over HTTP")
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    per = total // CLIENTS

    def client(k: int) -> None:
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}",
                                                  "Content-Type": "application/json"}, timeout=60) as c:
            c.post("/api/v2/universal/txn-query", json={"limit": 1})  # the connection, warm
            for i in range(per):
                body = _journal(accounts, k * per + i)
                start = time.perf_counter()
                r = c.post("/api/v2/universal/txn-emit", content=body)
                took = time.perf_counter() - start
                with lock:
                    latencies.append(took)
                    if r.status_code != 201:
                        failures.append(f"{r.status_code} {r.text[:120]}")

    started = time.perf_counter()
    _together(client)
    elapsed = time.perf_counter() - started
    rate = len(latencies) / elapsed
    p99 = _pct(latencies, 0.99)
    _emits.rate = rate  # type: ignore[attr-defined]
    return [
        Row("server: txn-emit over HTTP", f"{len(latencies):,} emits, {CLIENTS} clients", f"{rate:,.0f} emits/s",
            f">= {TARGET_EMITS_S}/s", rate >= TARGET_EMITS_S and not failures,
            note=f"{_spread(latencies)}; {len(failures)} failed" + (f" ({failures[0]})" if failures else "")),
        Row("server: txn-emit p99", f"{len(latencies):,} emits", f"{p99:.1f} ms", f"<= {TARGET_P99_MS} ms",
            p99 <= TARGET_P99_MS),
    ]


def _together(work: Any) -> None:
    threads = [threading.Thread(target=work, args=(k,)) for k in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def _conninfo(url: str) -> str:
    import psycopg

    return psycopg.conninfo.make_conninfo(url.replace("postgresql+psycopg", "postgresql"))


_HEADER_SQL = ("INSERT INTO universal_transactions (id, organization_id, transaction_type, transaction_code, "
               "transaction_date, total_amount, currency, status, smart_code, business_context, metadata, "
               "terminal_id, chain_seq, prev_hash, content_hash, chain_format, created_at, updated_at, version) "
               "VALUES (%s, %s, 'journal_entry', %s, %s, %s, 'USD', 'posted', %s, '{}', '{}', %s, %s, %s, %s, 2, "
               "%s, %s, 1)")
_LINE_SQL = ("INSERT INTO universal_transaction_lines (id, organization_id, transaction_id, line_number, "
             "line_type, entity_id, line_amount, dr_cr, currency, smart_code, metadata, created_at) "
             "VALUES (%s, %s, %s, %s, 'GL', %s, %s, %s, 'USD', %s, '{}', %s)")


def _raw(pg: Any, url: str, org_id: str, accounts: list[str], total: int) -> list[Row]:
    """The same header and four lines from 16 raw psycopg connections, one commit each."""
    import psycopg

    progress(f"raw psycopg: {total:,} of the same rows from {CLIENTS} connections")
    per = total // CLIENTS
    latencies: list[float] = []
    lock = threading.Lock()
    cash, bank, sales, tax = accounts

    def client(k: int) -> None:
        terminal = str(uuid.uuid4())
        with psycopg.connect(_conninfo(url)) as conn:
            for i in range(per):
                ids = new_ids(5)
                now = time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime())
                amount = Decimal(10 + i % 90) + Decimal("0.25")
                start = time.perf_counter()
                with conn.transaction():
                    conn.execute(_HEADER_SQL, (ids[0], org_id, f"RAW-{k}-{i}", now[:19], str(amount + 1), GL_SC,
                                               terminal, i + 1, "0" * 64, "0" * 64, now, now))
                    with conn.cursor() as cur:
                        cur.executemany(_LINE_SQL, [
                            (ids[n + 1], org_id, ids[0], n + 1, e, str(a), side, LINE_SC, now)
                            for n, (e, a, side) in enumerate(((cash, amount, "DR"), (bank, Decimal(1), "DR"),
                                                              (sales, amount, "CR"), (tax, Decimal(1), "CR")))])
                with lock:
                    latencies.append(time.perf_counter() - start)

    started = time.perf_counter()
    _together(client)
    rate = len(latencies) / (time.perf_counter() - started)
    _raw.rate = rate  # type: ignore[attr-defined]
    return [Row("raw psycopg: the same rows", f"{len(latencies):,} journals, {CLIENTS} connections",
                f"{rate:,.0f} journals/s", note=f"{_spread(latencies)}; header and four lines only")]


def _ratio(rows: list[Row]) -> Row:
    server, raw = getattr(_emits, "rate"), getattr(_raw, "rate")
    return Row("server vs raw psycopg", "emits/s : journals/s", f"{server / raw:.2f}x of raw",
               note=f"raw is {raw / server:.1f}x the server's rate")


def _queries(pg: Any, url: str, base: str, token: str, org_id: str, emitted: int) -> list[Row]:
    import httpx
    import psycopg

    size = 1_000_000 if emitted >= 4_000 else 20_000
    have = emitted * 2  # the server's and the raw side's
    progress(f"txn-query: {size - have:,} more transaction headers by COPY, to {size:,} in all")
    terminal = str(uuid.uuid4())
    # COPY as the database's superuser: row-level security refuses COPY to anyone it holds (0012).
    database = url.split("/")[3].split("?")[0]
    with psycopg.connect(host=str(pg.socket), port=pg.port, user="postgres", dbname=database) as conn:
        with conn.cursor() as cur:
            with cur.copy("COPY universal_transactions (id, organization_id, transaction_type, transaction_code, "
                          "transaction_date, total_amount, currency, status, smart_code, business_context, "
                          "metadata, terminal_id, chain_seq, prev_hash, content_hash, chain_format, created_at, "
                          "updated_at, version) FROM STDIN") as copy:
                for start in range(0, size - have, 10_000):
                    ids = new_ids(min(10_000, size - have - start))
                    for n, rid in enumerate(ids, start):
                        at = f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}T12:00:00.{n % 1_000_000:06d}Z"
                        copy.write_row((rid, org_id, "journal_entry", f"COPY-{n}", at[:19], "10.00", "USD", "posted",
                                        GL_SC, "{}", "{}", terminal, n + 1, "0" * 64, "0" * 64, 2, at, at, 1))
        conn.execute("ANALYZE universal_transactions")
    firsts: list[float] = []
    nexts: list[float] = []
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60) as c:
        for _ in range(200):
            start = time.perf_counter()
            page = c.post("/api/v2/universal/txn-query", json={"transaction_type": "journal_entry", "limit": 50})
            firsts.append(time.perf_counter() - start)
            cursor = page.json()["next_cursor"]
            start = time.perf_counter()
            more = c.post("/api/v2/universal/txn-query", json={"transaction_type": "journal_entry", "limit": 50,
                                                                "cursor": cursor})
            nexts.append(time.perf_counter() - start)
            assert len(page.json()["transactions"]) == len(more.json()["transactions"]) == 50
    return [Row("server: txn-query, 50 rows, first page", f"{size:,} transactions", _spread(firsts)),
            Row("server: txn-query, 50 rows, cursor page", f"{size:,} transactions", _spread(nexts))]


def _orders(base: str, token: str, menu: list[str], count: int) -> list[Row]:
    import httpx

    progress(f"restaurant orders: {count} through POST /api/v2/restaurant/orders")
    samples: list[float] = []
    failed = 0
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=60) as c:
        for n in range(count):
            body = {"items": [{"menu_item_id": menu[0], "quantity": 2}, {"menu_item_id": menu[1], "quantity": 1}],
                    "table_number": 1 + n % 12, "payment_method": "card", "idempotency_key": f"bench-{new_id()}"}
            start = time.perf_counter()
            r = c.post("/api/v2/restaurant/orders", json=body)
            samples.append(time.perf_counter() - start)
            failed += r.status_code != 201
    return [Row("server: restaurant order over HTTP", f"{count} orders", _spread(samples),
                note=f"{failed} failed")]
