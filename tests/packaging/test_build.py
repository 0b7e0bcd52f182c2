"""The packaged app: PyInstaller builds the one-folder app, and the built executable passes its self-test
(its window offscreen on temporary demo books, an order taken at the till and paid in cash, found in the books)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def self_test(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}  # the self-test goes offscreen itself
    return subprocess.run([*command, "--self-test"], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_the_self_test_takes_an_order_through_the_window(tmp_path: Path) -> None:
    done = self_test([sys.executable, "-m", "hera_desktop"], tmp_path)
    assert done.returncode == 0, done.stderr
    assert "self-test passed" in done.stdout and "paid in cash" in done.stdout


@pytest.mark.packaging
def test_the_built_app_passes_its_self_test(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    try:
        built = subprocess.run(["bash", str(ROOT / "packaging" / "build.sh"), str(dist)], cwd=ROOT,
                               env={**os.environ, "PYTHON": sys.executable}, capture_output=True, text=True,
                               timeout=1200)
        assert built.returncode == 0, f"build failed:\n{built.stdout[-4000:]}\n{built.stderr[-4000:]}"
        app = dist / "hera-desktop" / "hera-desktop"
        assert app.is_file()
        done = self_test([str(app)], tmp_path)
        assert done.returncode == 0, f"self-test exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
        assert "self-test passed" in done.stdout and "paid in cash" in done.stdout
    finally:
        shutil.rmtree(dist, ignore_errors=True)  # 180 MB a build
