#!/usr/bin/env bash
# Build HERA Desktop as a one-folder app: packaging/build.sh [DIST_DIR]  (default: dist/)
# The app lands in DIST_DIR/hera-desktop/; its executable is DIST_DIR/hera-desktop/hera-desktop.
# PYTHON picks the interpreter whose packages are frozen (default: python3).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
python="${PYTHON:-python3}"
dist="$(mkdir -p "${1:-$root/dist}" && cd "${1:-$root/dist}" && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/hera-build.XXXXXX")"
trap 'rm -rf "$work"' EXIT

if ! "$python" -m PyInstaller --version >/dev/null 2>&1; then
  echo "Installing PyInstaller..." >&2
  "$python" -m pip install -q "pyinstaller>=6.10"
fi
cd "$root"
"$python" -m PyInstaller --noconfirm --log-level WARN --distpath "$dist" --workpath "$work" "$here/hera_desktop.spec"
echo "$dist/hera-desktop/hera-desktop"
