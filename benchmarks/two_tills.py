"""Two tills, each a process of its own, paying orders in loops on the same books: Pay p50 / p99 / max."""
from __future__ import annotations

from pathlib import Path

from .common import Row, books, progress
from .tills import Tills, figures, prepared

TARGET_MAX_S = 0.5


def run(orders: int, workdir: Path) -> list[Row]:
    hera, org, s = books(workdir, "two_tills")
    try:
        items, kitchen = prepared(s)
        tills = Tills(2, hera.db.path, org.id, items, kitchen, most=orders)
        progress(f"two till processes paying {orders:,} orders each")
        tills.go()
        (a, fa), (b, fb) = tills.finish_when_done()
        both = a + b
        failures = fa + fb
        return [
            Row("two tills: Pay, both", f"{len(both):,} Pays", figures(both), f"max <= {TARGET_MAX_S} s",
                max(both) <= TARGET_MAX_S, note=f"till 1: {figures(a)}; till 2: {figures(b)}"),
            Row("two tills: failures", f"{len(both):,} Pays", f"{len(failures)} failed", "0", not failures,
                note="; ".join(sorted(set(failures)))[:200]),
        ]
    finally:
        hera.close()
