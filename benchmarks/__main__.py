"""``python -m benchmarks [--quick] [--only NAME ...]``: run the speed benchmarks and print one table.

Full sizes are the issue's (1,000,000 posted lines, 100,000 customers); ``--quick``
uses smaller data (CI-friendly, well under a minute) and says so in the table.
"""
from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from . import customer_search, journal_import, pay_order, trial_balance
from . import gui_reports
from . import gui_journals
from . import gui_figures
from . import customer_import
from . import open_check
from . import backup_while_selling
from . import import_vs_till, two_tills
from . import server
from .common import Row, table

# name: (module, full size, quick size, what the size counts)
BENCHMARKS = {
    "pay_order": (pay_order, 300, 60, "orders"),
    "journal_import": (journal_import, 20_000, 3_000, "entries"),
    "trial_balance": (trial_balance, 1_000_000, 40_000, "lines"),
    "customer_search": (customer_search, 100_000, 10_000, "customers"),
    "gui_reports": (gui_reports, 1_000_000, 40_000, "lines"),
    "gui_journals": (gui_journals, 100_000, 10_000, "entries"),
    "gui_figures": (gui_figures, 100_000, 10_000, "customers"),
    "customer_import": (customer_import, 10_000, 2_000, "customers"),
    "open_check": (open_check, 300_000, 20_000, "transactions"),
    "backup_while_selling": (backup_while_selling, 20_000, 1_000, "entries"),
    "import_vs_till": (import_vs_till, 300_000, 20_000, "entries"),
    "two_tills": (two_tills, 1_000, 200, "orders per till"),
    "server": (server, 8_000, 800, "emits"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller data sets (CI); not the issue's sizes")
    parser.add_argument("--only", nargs="+", choices=sorted(BENCHMARKS), help="run only these benchmarks")
    parser.add_argument("--dir", type=Path, help="where to put the benchmark databases (default: a temp dir)")
    args = parser.parse_args(argv)
    names = args.only or list(BENCHMARKS)
    mode = "quick (smaller sizes, not the issue's)" if args.quick else "full (the issue's sizes)"
    print(f"HERA Desktop benchmarks: {mode}; Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
          f"{os.cpu_count()} CPUs, load {_load()}", flush=True)
    rows: list[Row] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="hera-bench-", dir=args.dir) as tmp:
        for name in names:
            module, full, quick, unit = BENCHMARKS[name]
            size = quick if args.quick else full
            print(f"{name} ({size:,} {unit})", flush=True)
            rows.extend(module.run(size, Path(tmp)))
    print()
    print(table(rows))
    print(f"\n{mode}; {time.perf_counter() - started:.0f} s in all; load average now {_load()} "
          f"(other work on the machine slows every figure, the raw baselines too)")
    return 0


def _load() -> str:
    try:
        return " / ".join(f"{x:.1f}" for x in os.getloadavg())
    except (AttributeError, OSError):
        return "unknown"


if __name__ == "__main__":
    sys.exit(main())
