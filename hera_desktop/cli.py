"""The ``hera-desktop`` command: the desktop app (no subcommand), demo books, chain verification."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .domain.errors import HeraError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="hera-desktop",
                                description="HERA Desktop: point of sale and back office for small restaurants.")
    p.add_argument("--database", type=Path, default=None,
                   help="the books (SQLite file); default: the user's data directory")
    p.add_argument("--self-test", action="store_true",
                   help="take an order through the app's window offscreen on temporary demo books, exit 0 if all "
                        "went well (checks a packaged build)")
    sub = p.add_subparsers(dest="command")
    sub.add_parser("demo", help="create demo books (menu, stock, customers, staff), run the usage guide's "
                                "flows on them and print a summary")
    v = sub.add_parser("verify", help="check every transaction's hash chain and name the first broken link")
    v.add_argument("--organization", default=None, help="only this organization id")
    shots = sub.add_parser("screenshots", help="render every screen with demo data to PNG files in DIR")
    shots.add_argument("directory", type=Path, metavar="DIR")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.self_test:
        from .gui.selftest import self_test
        return self_test()
    if args.command is None:
        from .gui.main import run
        return run(args.database)
    try:
        return {"demo": _demo, "verify": _verify, "screenshots": _screenshots}[args.command](args)
    except HeraError as exc:
        print(f"hera-desktop: {exc.message}", file=sys.stderr)
        return 2


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from . import open as open_books

    hera = open_books(args.database)
    if hera.db.backup_path is not None:
        print(f"Upgraded the books; the previous version was saved as {hera.db.backup_path}")
    return hera


def _demo(args: argparse.Namespace) -> int:
    from .demo import create_demo, find_demo, load_demo, run_guide_flows, summary

    with _open(args) as hera:
        existing = find_demo(hera)
        book = load_demo(hera, existing) if existing else create_demo(hera)
        print(f"Books: {hera.db.path or 'in memory'}")
        print("Demo organization " + ("found" if existing else "created") + "; running the usage guide's flows:")
        for line in run_guide_flows(hera, book):
            print(f"  - {line}")
        print()
        print(summary(hera, book.organization_id))
        report = hera.verify(book.organization_id)
        print(f"\nHash chains: {report.transactions} transactions in {report.chains} chain(s), "
              + ("intact" if report.intact else "BROKEN"))
    return 0


def _screenshots(args: argparse.Namespace) -> int:
    from .gui.screenshots import render_all

    for path in render_all(args.directory):
        print(path)
    return 0


def _verify(args: argparse.Namespace) -> int:
    with _open(args) as hera:
        report = hera.verify(args.organization)
    if report.intact:
        print(f"Intact: {report.transactions} transactions in {report.chains} chain(s)")
        return 0
    for link in report.broken:
        print(f"BROKEN: organization {link.organization_id}, terminal {link.terminal_id}, "
              f"transaction #{link.chain_seq} {link.transaction_code} ({link.transaction_id}): {link.problem}")
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
