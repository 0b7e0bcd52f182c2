"""CI runs the README's test command, exactly, inside a virtual environment it makes itself."""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _readme_commands() -> list[str]:
    blocks = re.findall(r"```\n(.*?)\n```", (ROOT / "README.md").read_text(encoding="utf-8"), flags=re.S)
    return [b.strip() for b in blocks if "\n" not in b.strip()]


def test_ci_runs_the_readme_test_command_verbatim_in_a_fresh_venv() -> None:
    test_command = next(c for c in _readme_commands() if "pytest" in c)
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    lines = [ln.strip() for ln in script.splitlines() if ln.strip() and not ln.strip().startswith("#")]
    assert lines[-1] == test_command
    made = next(i for i, ln in enumerate(lines) if "-m venv" in ln)
    activated = next(i for i, ln in enumerate(lines) if ln.startswith("source ") and "/bin/activate" in ln)
    assert made < activated < len(lines) - 1


def test_every_test_dependency_is_declared_in_the_dev_extra() -> None:
    """The suite imports only what the package and its dev extra bring (a machine's own packages once hid one)."""
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    imported: set[str] = set()
    for path in (ROOT / "tests").rglob("*.py"):
        for name in re.findall(r"^\s*(?:from|import)\s+([a-zA-Z_][\w]*)", path.read_text(encoding="utf-8"), re.M):
            imported.add(name)
    stdlib_or_ours = {"__future__", "hera_desktop", "benchmarks", "tests"} | {
        p.stem for p in (ROOT / "tests").rglob("*.py")}
    third_party = {n for n in imported if n not in stdlib_or_ours and n not in sys.stdlib_module_names}
    provided_by = {"pytest": "pytest", "hypothesis": "hypothesis", "pytestqt": "pytest-qt", "PySide6": "PySide6",
                   "sqlalchemy": "SQLAlchemy", "alembic": "alembic", "pydantic": "pydantic",
                   "platformdirs": "platformdirs", "PyInstaller": "pyinstaller", "psycopg": "psycopg",
                   "PIL": "Pillow", "escpos": "python-escpos", "fastapi": "fastapi", "uvicorn": "uvicorn",
                   "httpx": "httpx"}
    undeclared = sorted(n for n in third_party if n not in provided_by or provided_by[n] not in pyproject)
    assert undeclared == []


def test_the_readme_links_only_files_inside_the_repository() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)#\s]+)\)", readme) + re.findall(r"`(\.\./[^`]+)`", readme)
    for target in targets:
        if target.startswith(("http://", "https://")):
            continue
        resolved = (ROOT / target).resolve()
        assert resolved.is_relative_to(ROOT) and resolved.exists(), target


def test_the_readme_names_every_system_package_the_window_needs() -> None:
    from hera_desktop.gui.display import XCB_LIBRARIES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = next(ln for ln in readme.splitlines() if ln.startswith("sudo apt install "))
    assert set(line.split()[3:]) == set(XCB_LIBRARIES.values())
