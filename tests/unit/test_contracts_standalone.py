"""The contracts stand alone: a server names its request and response models by importing
hera_desktop.domain.contracts, and that loads no services, storage, universal API, SQLAlchemy or Qt.

Each check runs in a fresh interpreter, so what the rest of the suite imported cannot hide a load.
"""
from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import hera_desktop.domain.contracts as contracts

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("hera_desktop.services", "hera_desktop.storage", "hera_desktop.universal", "hera_desktop.app",
         "sqlalchemy", "PySide6")
MODULES = ["hera_desktop.domain.contracts",
           *(f"hera_desktop.domain.contracts.{m.name}" for m in pkgutil.iter_modules(contracts.__path__))]


def _loaded_by(statement: str) -> list[str]:
    """The heavy modules a fresh interpreter holds after running ``statement``."""
    probe = (f"import json, sys\n{statement}\n"
             f"print(json.dumps(sorted(m for m in sys.modules for h in {HEAVY!r} if m == h or m.startswith(h + '.'))))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return list(json.loads(done.stdout))


def test_every_contract_module_imports_without_the_layers_below() -> None:
    assert len(MODULES) > 10  # the universal API's contracts, the change feed's and the services' results
    assert _loaded_by("\n".join(f"import {m}" for m in MODULES)) == []


def test_a_server_names_the_service_results_cheaply() -> None:
    loaded = _loaded_by("from hera_desktop.domain.contracts.restaurant import OrderResult\n"
                        "from hera_desktop.domain.contracts.journals import JournalResult\n"
                        "from hera_desktop.domain.contracts.reports import TrialBalance\n"
                        "OrderResult.model_json_schema(); JournalResult.model_json_schema(); "
                        "TrialBalance.model_json_schema()")
    assert loaded == []


def test_the_probe_sees_a_load() -> None:
    """The checks above would pass vacuously if the probe missed what an import loads."""
    assert "sqlalchemy" in _loaded_by("import hera_desktop.storage.schema")
    assert "hera_desktop.app" in _loaded_by("import hera_desktop\nhera_desktop.open")
