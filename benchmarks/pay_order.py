"""Paying an order through ``s.restaurant.process_order``, side by side with raw ``sqlite3``.

One order is a sale of three items (two pizzas that take flour and mozzarella
from stock, a glass of wine), paid in cash: the sale, its payment, one stock
issue for the order, the three automatic journals, the hash-chain links, outbox events, the
ledger and stock caches and the products' derived fields. The raw side replays
exactly the rows one such order wrote (same tables, same columns, same indexes,
triggers and pragmas, on the same file) with plain ``sqlite3``: executemany
inserts, upserts of the cached balances, one transaction per order. Both sides
are timed in alternating blocks so the machine's noise falls on both.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from .common import Row, books, median_ms, progress
from .raw import RawReplay, last_chain_seq, transactions_after

TARGET_RATIO = 3.0
PRODUCT_SC = "HERA.INVENTORY.PRODUCT.ENT.V1"
LOCATION_SC = "HERA.INVENTORY.LOCATION.ENT.V1"


def setup(s: Any) -> tuple[list[dict[str, Any]], str]:
    """A small menu whose pizzas consume flour at the till's location; returns the order's items."""
    menu = s.restaurant.menu
    kitchen = s.universal.create_entity(entity_type="location", entity_name="Kitchen", smart_code=LOCATION_SC)
    flour = s.universal.create_entity(entity_type="product", entity_name="Flour 00", smart_code=PRODUCT_SC)
    mozzarella = s.universal.create_entity(entity_type="product", entity_name="Mozzarella", smart_code=PRODUCT_SC)
    for product, cost in ((flour, "0.80"), (mozzarella, "6.40")):
        s.inventory.adjust(product_id=product.id, adjustment_type="receipt", quantity=1_000_000, unit_cost=cost,
                           reason="Opening stock", location_id=kitchen.id)
    margherita = menu.add_item("Margherita", "12.50", "Pizza", "OVEN")
    diavola = menu.add_item("Diavola", "14.00", "Pizza", "OVEN")
    wine = menu.add_item("House Red", "7.00", "Drinks", "BAR", classification="beverage")
    menu.set_consumption(margherita.id, flour.id, "0.25")
    menu.set_consumption(diavola.id, flour.id, "0.25")
    menu.set_consumption(diavola.id, mozzarella.id, "0.125")
    items = [{"menu_item_id": margherita.id, "quantity": 2}, {"menu_item_id": diavola.id, "quantity": 1},
             {"menu_item_id": wine.id, "quantity": 1}]
    return items, kitchen.id


def run(orders: int, workdir: Path) -> list[Row]:
    hera, _org, s = books(workdir, "pay_order")
    try:
        items, kitchen = setup(s)
        pay = lambda: s.restaurant.process_order(items=items, payment_method="cash", location_id=kitchen)  # noqa: E731
        for _ in range(20):  # warm caches and statement compilation
            pay()
        before = last_chain_seq(hera.db.path)
        first = pay()
        raw = RawReplay(hera.db.path, transactions_after(hera.db.path, before))
        for _ in range(20):
            raw.replay()
        progress(f"paying {orders} orders, API and raw sqlite3 alternating ({raw.row_count} rows per order)")
        api_t: list[float] = []
        raw_t: list[float] = []
        block = 10
        while len(api_t) < orders:
            for _ in range(block):
                t = time.perf_counter()
                pay()
                api_t.append(time.perf_counter() - t)
            for _ in range(block):
                t = time.perf_counter()
                raw.replay()
                raw_t.append(time.perf_counter() - t)
        raw.close()
        api, base = median_ms(api_t), median_ms(raw_t)
        ratio = api / base
        total = first.order_summary.total_amount
        return [
            Row("pay an order: process_order", f"{len(api_t)} orders", f"{api:.2f} ms median",
                note=f"3 items ({total}), cash: {raw.transactions} transactions (sale, payment, the "
                     f"order's stock issue, their journals), {raw.row_count} rows written or updated per order"),
            Row("pay an order: raw sqlite3, same rows", f"{len(raw_t)} orders", f"{base:.2f} ms median"),
            Row("pay an order: API / raw", "", f"{ratio:.2f}x", f"<= {TARGET_RATIO:g}x", ratio <= TARGET_RATIO),
        ]
    finally:
        hera.close()
