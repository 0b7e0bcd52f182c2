"""The Python examples in docs/ run as written, against real books on disk."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _python_blocks(name: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", (DOCS / name).read_text(encoding="utf-8"), flags=re.S)


def test_the_api_examples_run_as_written(tmp_path: Path) -> None:
    blocks = _python_blocks("api.md")
    assert len(blocks) >= 2
    namespace: dict[str, object] = {}
    books = tmp_path / "books.db"
    try:
        for block in blocks:
            exec(compile(block.replace("path/to/books.db", str(books)), "docs/api.md", "exec"), namespace)
        s = namespace["s"]
        tb = s.reports.trial_balance()  # type: ignore[attr-defined]
        assert tb.total_debits == tb.total_credits
        assert s.universal.get_entity(namespace["e"].id).status == "deleted"  # type: ignore[attr-defined]
    finally:
        hera = namespace.get("hera")
        if hera is not None:
            hera.close()  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", ["api.md", "vocabulary.md"])
def test_links_between_docs_resolve(name: str) -> None:
    for target in re.findall(r"\]\(([^)#]+\.md)\)", (DOCS / name).read_text(encoding="utf-8")):
        assert (DOCS / target).exists(), target
