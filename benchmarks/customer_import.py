"""Importing customers from a CSV file as a manager does: preview (every row checked), then an atomic import."""
from __future__ import annotations

import csv
import io
import time
from pathlib import Path

from .common import Row, books, progress
from .customer_search import customers


def run(count: int, workdir: Path) -> list[Row]:
    hera, _org, s = books(workdir, "customer_import")
    try:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=["name", "email", "phone", "credit_limit", "payment_terms"])
        writer.writeheader()
        writer.writerows(customers(count, seed=11))
        text = out.getvalue()
        progress(f"previewing and importing {count:,} customers from CSV")
        start = time.perf_counter()
        preview = s.imports.preview("customers", text)
        previewed = time.perf_counter() - start
        start = time.perf_counter()
        result = s.imports.run(preview, atomic=True)
        imported = time.perf_counter() - start
        assert result.imported == count, result.rejected[:3]
        return [Row("customer import: preview", f"{count:,} rows", f"{count / previewed:,.0f} rows/s"),
                Row("customer import: all or nothing", f"{count:,} rows", f"{count / imported:,.0f} rows/s",
                    note=f"{previewed + imported:.1f} s from file to books")]
    finally:
        hera.close()
