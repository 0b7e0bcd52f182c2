"""The speed benchmarks still run end to end (at toy sizes); their timings are never asserted here."""
from __future__ import annotations

from pathlib import Path

import pytest

benchmarks = pytest.importorskip("benchmarks.common", reason="the benchmarks/ folder is not on the path")
from benchmarks import customer_search, import_vs_till, journal_import, open_check, pay_order  # noqa: E402
from benchmarks import server, trial_balance, two_tills  # noqa: E402
from benchmarks.common import Row, table  # noqa: E402


@pytest.mark.parametrize("module, size", [
    (pay_order, 10), (journal_import, 60), (trial_balance, 400), (customer_search, 150), (open_check, 200),
    (import_vs_till, 600), (two_tills, 20), (server, 64),
], ids=["pay_order", "journal_import", "trial_balance", "customer_search", "open_check", "import_vs_till",
        "two_tills", "server"])
def test_a_benchmark_runs_and_reports_a_target(module, size, tmp_path: Path):
    rows = module.run(size, tmp_path)

    assert rows and all(isinstance(r, Row) for r in rows)
    judged = [r for r in rows if r.ok is not None]
    assert judged, "every benchmark compares at least one figure with its target"
    assert all(r.target for r in judged)
    printed = table(rows)
    assert all(r.benchmark in printed for r in rows)
    assert ("PASS" in printed) or ("MISS" in printed)


def test_bulk_onboarding_finds_customers_by_prefix(tmp_path: Path):
    hera, _org, s = customer_search.books(tmp_path, "smoke")
    try:
        s.customers.onboard_many(customer_search.customers(50))
        assert s.customers.search("mar") or s.customers.search("jo")
    finally:
        hera.close()
