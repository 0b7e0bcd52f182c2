"""The layers import one way, top to bottom: a test of the import graph, read from the source.

domain/ is pure (the standard library and pydantic); gui/ reaches the books through the Hera facade
and the services, never storage/, universal/ or SQLAlchemy; no lower layer imports Qt or a layer
above it (gui/, and the server and sync layers to come).
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import Callable

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "hera_desktop"


def _type_checking(node: ast.If) -> bool:
    return (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"
            or isinstance(node.test, ast.Attribute) and node.test.attr == "TYPE_CHECKING")


def _nodes(tree: ast.AST, at_run_time: bool) -> list[ast.AST]:
    """Every node, or (at_run_time) every node but the bodies of ``if TYPE_CHECKING:``."""
    if not at_run_time:
        return list(ast.walk(tree))
    out, todo = [], [tree]
    while todo:
        node = todo.pop()
        out.append(node)
        todo.extend(node.orelse if isinstance(node, ast.If) and _type_checking(node) else ast.iter_child_nodes(node))
    return out


def imports_of(path: Path, at_run_time: bool = False) -> set[str]:
    """Every module a file imports, absolute (relative imports resolved against its package)."""
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    package = parts[:-1] if parts[-1] != "__init__" else parts[:-1]
    found: set[str] = set()
    for node in _nodes(ast.parse(path.read_text(encoding="utf-8")), at_run_time):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def type_only_imports_of(path: Path) -> set[str]:
    """What a file imports only under ``if TYPE_CHECKING:``: names for the type checker, never run."""
    return imports_of(path) - imports_of(path, at_run_time=True)


def files(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


def offending(layer: str, allowed: Callable[[str], bool]) -> list[str]:
    return [f"{p.relative_to(PACKAGE.parent)} imports {m}" for p in files(layer) for m in sorted(imports_of(p))
            if not allowed(m)]


def _top(module: str) -> str:
    return module.split(".")[0]


def test_domain_is_pure() -> None:
    def allowed(m: str) -> bool:
        return (_top(m) in sys.stdlib_module_names or _top(m) in ("pydantic", "pydantic_core", "__future__")
                or m.startswith("hera_desktop.domain"))
    assert offending("domain", allowed) == []


def test_the_window_never_reaches_the_database_layers() -> None:
    def allowed(m: str) -> bool:
        return not (_top(m) == "sqlalchemy" or m.startswith(("hera_desktop.storage", "hera_desktop.universal")))
    assert offending("gui", allowed) == []


# A service is handed its organization's Scope and names that type for the type checker (under
# ``if TYPE_CHECKING:``, never run); nothing else of the layers above, and nothing of them at run time.
SCOPE_TYPE = {"hera_desktop.app", "hera_desktop.app.Scope"}


@pytest.mark.parametrize("layer", ["domain", "storage", "universal", "services"])
def test_lower_layers_never_import_qt_or_a_layer_above(layer: str) -> None:
    above = ("hera_desktop.gui", "hera_desktop.server", "hera_desktop.sync", "hera_desktop.cli",
             "hera_desktop.app")
    def allowed(m: str) -> bool:
        return _top(m) not in ("PySide6", "shiboken6") and not m.startswith(above)
    scope_type = {f"{p.relative_to(PACKAGE.parent)} imports {m}" for p in files(layer) if layer == "services"
                  for m in SCOPE_TYPE & type_only_imports_of(p)}
    assert [found for found in offending(layer, allowed) if found not in scope_type] == []


def test_storage_never_imports_the_api_or_the_services() -> None:
    def allowed(m: str) -> bool:
        return not m.startswith(("hera_desktop.universal", "hera_desktop.services"))
    assert offending("storage", allowed) == []


def test_the_universal_api_never_imports_the_services() -> None:
    assert offending("universal", lambda m: not m.startswith("hera_desktop.services")) == []


def test_the_walk_sees_relative_imports() -> None:
    """The rules above would pass vacuously if relative imports were missed."""
    assert "hera_desktop.domain.errors" in imports_of(PACKAGE / "storage" / "database.py")


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def import_cycles() -> list[list[str]]:
    """Groups of modules that import each other, directly or around a loop (imports inside functions
    count: a cycle hidden in a function is still one; names imported for the type checker only do not),
    by Tarjan's strongly connected components."""
    modules = _modules()
    graph = {m: sorted(i for i in imports_of(p, at_run_time=True) if i in modules and i != m)
             for m, p in modules.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for module in graph:
        if module not in index:
            visit(module)
    return cycles


def test_no_modules_import_each_other() -> None:
    """A module never needs one that needs it back (journal import and journals once did): each
    concept stands on the ones below it."""
    assert import_cycles() == []


def test_a_cycle_would_be_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "hera_desktop"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "orders.py").write_text("from . import payments\n")
    (package / "payments.py").write_text("def pay():\n    from .orders import x\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", package)
    assert import_cycles() == [["hera_desktop.orders", "hera_desktop.payments"]]


def test_the_walk_tells_names_for_the_type_checker_from_imports_that_run() -> None:
    """Only what is imported under ``if TYPE_CHECKING:`` is type-only; the service's own imports run."""
    batch = PACKAGE / "services" / "batch.py"
    assert type_only_imports_of(batch) == SCOPE_TYPE
    assert "hera_desktop.domain.contracts.batch" in imports_of(batch, at_run_time=True)
