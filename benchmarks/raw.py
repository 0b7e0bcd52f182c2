"""Plain ``sqlite3`` replaying rows the API wrote: the floor a benchmark's figure is compared with.

Given the transactions one operation recorded, it captures every row that
operation wrote or changed (headers, lines, change-feed events, the cached ledger
and stock balances, the products' derived fields) and writes the same rows
again, with new time-ordered ids (UUIDv7, as the API makes them; random ones
would scatter the inserts over the primary-key indexes and flatter the API) and
its own hash chain, in one transaction per replay: executemany inserts, upserts
of the caches. Same file, same tables, indexes, triggers and pragmas (WAL,
synchronous=FULL, foreign keys, the page cache's size).
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from hera_desktop.domain.ids import new_id
from hera_desktop.storage.database import BULK_CHECKPOINT_PAGES, CHECKPOINT_PAGES

CACHE_KEYS = {"hera_gl_daily_balances": ("organization_id", "account_id", "posting_date", "currency"),
              "hera_gl_account_balances": ("organization_id", "account_id", "currency"),
              "hera_stock_levels": ("organization_id", "product_id", "location_id")}


def connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=10000",
                   "cache_size=-32000"):
        conn.execute(f"PRAGMA {pragma}")
    return conn


def _insert(table: str, columns: list[str], upsert_key: tuple[str, ...] = ()) -> str:
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    if upsert_key:
        rest = [c for c in columns if c not in upsert_key]
        sql += f" ON CONFLICT ({', '.join(upsert_key)}) DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in rest)
    return sql


class RawReplay:
    def __init__(self, path: Path, txn_ids: list[str], bulk: bool = False) -> None:
        """``bulk``: replay as the API's bulk writes commit (``Database.write(bulk=True)``), checkpointing the
        write-ahead log every ``BULK_CHECKPOINT_PAGES`` instead of every 1,000 pages."""
        self.conn = connect(path)
        self.bulk = bulk
        self.terminal = new_id()
        self.seq = 0
        self.feed_seq = 0
        self.caches: dict[str, tuple[list[str], list[tuple[Any, ...]]]] = {}
        self._capture(txn_ids)

    def _rows(self, sql: str, params: list[Any]) -> tuple[list[str], list[tuple[Any, ...]]]:
        cur = self.conn.execute(sql, params)
        return [d[0] for d in cur.description], cur.fetchall()

    def _by_ids(self, table: str, column: str, ids: list[str]) -> tuple[list[str], list[tuple[Any, ...]]]:
        cols: list[str] = []
        rows: list[tuple[Any, ...]] = []
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            cols, part = self._rows(f"SELECT * FROM {table} WHERE {column} IN ({','.join('?' * len(chunk))})", chunk)
            rows += part
        return cols, rows

    def _capture(self, txn_ids: list[str]) -> None:
        self.headers = self._by_ids("universal_transactions", "id", txn_ids)
        self.lines = self._by_ids("universal_transaction_lines", "transaction_id", txn_ids)
        self.events = self._by_ids("hera_change_feed", "record_id", txn_ids)
        lines = [dict(zip(self.lines[0], r)) for r in self.lines[1]]
        org = lines[0]["organization_id"]
        day_of = {h[0]: h[self.headers[0].index("transaction_date")][:10] for h in self.headers[1]}
        cells = {(ln["entity_id"], day_of[ln["transaction_id"]]) for ln in lines if ln["dr_cr"]}
        for table, wanted in (("hera_gl_daily_balances", cells), ("hera_gl_account_balances", {a for a, _ in cells})):
            cols, rows = self._rows(f"SELECT * FROM {table} WHERE organization_id = ?", [org])
            if table == "hera_gl_daily_balances":
                rows = [r for r in rows if (r[cols.index("account_id")], r[cols.index("posting_date")]) in wanted]
            else:
                rows = [r for r in rows if r[cols.index("account_id")] in wanted]
            self.caches[table] = (cols, rows)
        products = sorted({ln["entity_id"] for ln in lines if ln["line_type"] == "INVENTORY"})
        if products:
            cols, rows = self._rows("SELECT * FROM hera_stock_levels WHERE organization_id = ?", [org])
            self.caches["hera_stock_levels"] = (cols, [r for r in rows if r[cols.index("product_id")] in products])
        marks = ",".join("?" * len(products))
        self.fields = self._rows(
            f"SELECT id, field_value_number, updated_at FROM core_dynamic_data WHERE organization_id = ? AND "
            f"entity_id IN ({marks}) AND field_name IN ('current_inventory', 'average_cost')", [org, *products])

    @property
    def transactions(self) -> int:
        return len(self.headers[1])

    @property
    def row_count(self) -> int:
        return sum(len(part[1]) for part in (self.headers, self.lines, self.events, self.fields,
                                             *self.caches.values()))

    def replay(self) -> None:
        hcols, hrows = self.headers
        lcols, lrows = self.lines
        ecols, erows = self.events
        new_ids = {r[0]: new_id() for r in hrows}
        headers = []
        for r in hrows:
            self.seq += 1
            row = dict(zip(hcols, r))
            row.update(id=new_ids[row["id"]], terminal_id=self.terminal, chain_seq=self.seq,
                       transaction_code=f"{row['transaction_code']}-R{self.seq}",  # codes are unique per kind
                       idempotency_key=f"raw-{new_ids[row['id']]}" if row["idempotency_key"] else None)
            headers.append(tuple(row.values()))
        tid = lcols.index("transaction_id")
        lines = [(new_id(), *r[1:tid], new_ids[r[tid]], *r[tid + 1:]) for r in lrows]
        events = []
        for r in erows:  # the raw replay's own terminal numbers its events, as its chain
            self.feed_seq += 1
            row = dict(zip(ecols, r))
            row.update(id=new_id(), record_id=new_ids[row["record_id"]], terminal_id=self.terminal,
                       change_seq=self.feed_seq)
            events.append(tuple(row.values()))
        c = self.conn
        if self.bulk:
            c.execute(f"PRAGMA wal_autocheckpoint={BULK_CHECKPOINT_PAGES}")
        c.execute("BEGIN IMMEDIATE")
        c.executemany(_insert("universal_transactions", hcols), headers)
        c.executemany(_insert("universal_transaction_lines", lcols), lines)
        c.executemany(_insert("hera_change_feed", ecols), events)
        for table, (cols, rows) in self.caches.items():
            c.executemany(_insert(table, cols, CACHE_KEYS[table]), rows)
        c.executemany("UPDATE core_dynamic_data SET field_value_number = ?, updated_at = ?, version = version + 1 "
                      "WHERE id = ?", [(r[1], r[2], r[0]) for r in self.fields[1]])
        c.execute("COMMIT")
        if self.bulk:
            c.execute(f"PRAGMA wal_autocheckpoint={CHECKPOINT_PAGES}")

    def close(self) -> None:
        self.conn.close()


def transactions_after(path: Path, chain_seq: int) -> list[str]:
    """Ids of the transactions recorded after ``chain_seq`` (this file's own terminal only has recorded any)."""
    conn = sqlite3.connect(str(path))
    try:
        return [r[0] for r in conn.execute("SELECT id FROM universal_transactions WHERE chain_seq > ?", (chain_seq,))]
    finally:
        conn.close()


def last_chain_seq(path: Path) -> int:
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute("SELECT coalesce(max(chain_seq), 0) FROM universal_transactions").fetchone()[0]
    finally:
        conn.close()
