"""The business layer (domain/, the service results in domain/contracts/ included), the storage layer
(storage/), the universal API (universal/), the facade (app.py: Hera and Scope) and the demo books (demo.py) pass mypy in strict mode.

mypy runs as a separate program with the settings in pyproject.toml ([tool.mypy]),
exactly as a contributor runs it: ``python -m mypy``.
"""
from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHECKED = ("hera_desktop/domain", "hera_desktop/storage", "hera_desktop/universal", "hera_desktop/app.py",
           "hera_desktop/demo.py")


def _mypy(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)


def _modules_checked() -> int:
    """Every checked module, in the checked packages all but Alembic's revision scripts (written once, never
    edited)."""
    return sum(1 if (ROOT / checked).is_file() else
               sum(1 for path in (ROOT / checked).rglob("*.py") if "versions" not in path.relative_to(ROOT / checked).parts)
               for checked in CHECKED)


def test_domain_storage_universal_facade_and_demo_pass_mypy_strict() -> None:
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


def _is_any(annotation: ast.expr | None) -> bool:
    """``Any`` itself, or as the one type in a union (``Any | None``); a mapping of settings to values is fine."""
    if isinstance(annotation, ast.BinOp):
        return _is_any(annotation.left) or _is_any(annotation.right)
    return isinstance(annotation, ast.Name) and annotation.id == "Any"


def test_the_facade_says_what_it_hands_out() -> None:
    """Hera, Scope and the services they hand out return named types (no ``-> Any``), and every public
    attribute a Scope sets is declared with its type: a server or script is told what it gets."""
    tree = ast.parse((ROOT / "hera_desktop" / "app.py").read_text(encoding="utf-8"))
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    assert {"Hera", "Services", "Scope"} <= set(classes)
    vague = [f"{cls.name}.{fn.name}" for cls in classes.values() for fn in cls.body
             if isinstance(fn, ast.FunctionDef) and _is_any(fn.returns)]
    assert vague == []
    for name in ("Hera", "Scope"):
        declared = {a.target.id for a in classes[name].body
                    if isinstance(a, ast.AnnAssign) and isinstance(a.target, ast.Name)}
        init = next(fn for fn in classes[name].body if isinstance(fn, ast.FunctionDef) and fn.name == "__init__")
        set_there = {t.attr for node in ast.walk(init) if isinstance(node, ast.Assign) for t in node.targets
                     if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == "self"}
        assert {a for a in set_there if not a.startswith("_")} - declared == set(), name
