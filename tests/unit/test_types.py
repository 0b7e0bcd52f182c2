"""The business layer (domain/) and the storage layer (storage/) pass mypy in strict mode.

mypy runs as a separate program with the settings in pyproject.toml ([tool.mypy]),
exactly as a contributor runs it: ``python -m mypy``.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHECKED = ("hera_desktop/domain", "hera_desktop/storage")


def _mypy(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)


def _modules_checked() -> int:
    """Every module of the checked packages but Alembic's revision scripts (written once, never edited)."""
    return sum(1 for folder in CHECKED for path in (ROOT / folder).rglob("*.py")
               if "versions" not in path.relative_to(ROOT / folder).parts)


def test_domain_and_storage_pass_mypy_strict() -> None:
    done = _mypy()
    assert done.returncode == 0, f"mypy found errors:\n{done.stdout}{done.stderr}"
    checked = re.search(r"no issues found in (\d+) source files", done.stdout)
    assert checked is not None, done.stdout
    assert int(checked.group(1)) == _modules_checked()


def test_the_check_is_strict(tmp_path: Path) -> None:
    """The settings the suite checks with refuse a function without annotations and a bare generic."""
    module = tmp_path / "loose.py"
    module.write_text("def total(amounts):\n    return sum(amounts)\n\n\ndef names() -> list:\n    return []\n")
    done = _mypy(str(module))
    assert done.returncode == 1
    assert "loose.py:1: error: Function is missing a type annotation" in done.stdout
    assert "loose.py:5: error: Missing type arguments for generic type \"list\"" in done.stdout
