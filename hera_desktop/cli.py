"""The ``hera-desktop`` command: the desktop app (no subcommand), setting up a business on empty books, demo books,
chain verification, backups and restoring one, unlocking staff, a test page on a receipt printer.

Every outcome is one of six exit codes (EXIT_CODES), and every failure one plain sentence on stderr.
"""
from __future__ import annotations

import argparse
import logging
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable

from .domain.errors import HeraError, StorageError

OK, CHECK_FAILED, USAGE, BOOKS_UNAVAILABLE, PRINTER_UNAVAILABLE, UNEXPECTED = 0, 1, 2, 3, 4, 5
_log = logging.getLogger("hera_desktop.app")
EXIT_CODES = """\
exit codes:
  0  done
  1  the books could be read, but a check failed (verify found a broken hash chain, a missing tail, an
     anchor the books no longer hold, or a cached balance, stock level or change-feed event that disagrees
     with the records)
  2  wrong usage: an unknown command or option, a bad value, a name that matches no one or several;
     a backup or restore of books on a database server (its own tools back it up); no display to
     show the window on; or serve without the server installed (pip install 'hera-desktop[server]')
  3  the books could not be opened or written: missing, not a books file, damaged, written by a newer
     version, read-only (for a change), or the disk is full; or a backup could not be written, or was
     refused for a restore (damaged, or its hash chain broken: nothing was changed)
  4  the printer did not answer (off, unplugged, out of paper, another address), or printing is not
     installed (pip install 'hera-desktop[printers]')
  5  something unexpected went wrong; nothing was saved, and the log file (named on stderr) has the details"""


def _parser() -> argparse.ArgumentParser:
    # --database is accepted before the subcommand and after it; given after, it wins.
    books = argparse.ArgumentParser(add_help=False)
    books.add_argument("--database", type=Path, default=argparse.SUPPRESS,
                       help="the books (SQLite file); default: the user's data directory")
    shown = {"epilog": EXIT_CODES, "formatter_class": argparse.RawDescriptionHelpFormatter}
    p = argparse.ArgumentParser(prog="hera-desktop", description="HERA Desktop: point of sale and back office for "
                                "small restaurants. With no command, opens the window.", **shown)
    p.add_argument("--database", type=Path, default=None,
                   help="the books (SQLite file); default: the user's data directory")
    p.add_argument("--self-test", action="store_true",
                   help="take an order through the app's window offscreen on temporary demo books, exit 0 if all "
                        "went well (checks a packaged build)")
    sub = p.add_subparsers(dest="command")
    sub.add_parser("demo", parents=[books], help="run the usage guide's flows on demo books (temporary ones "
                   "unless --database is given) and print a summary", **shown)
    _setup_parser(sub.add_parser("setup", parents=[books], help="start empty books with your business and its "
                                 "owner, who signs in as an admin (no window; for installers and scripts)", **shown))
    v = sub.add_parser("verify", parents=[books], help="check every transaction's hash chain and name the first "
                       "broken link and any missing tail, and every cached balance, stock level, average cost, "
                       "customer balance and change-feed event against the records (never creates books)", **shown)
    v.add_argument("--organization", default=None, help="only this organization id")
    v.add_argument("--anchor", default=None, metavar="HASH",
                   help="check only that the books still hold the link a Z report printed (its hash, or at "
                        "least its first 12 hex digits) unchanged, with its chain unbroken up to it")
    _backup_parsers(sub, books, shown)
    shots = sub.add_parser("screenshots", help="render every screen with demo data to PNG files in DIR", **shown)
    shots.add_argument("directory", type=Path, metavar="DIR")
    shots.add_argument("--dark", action="store_true", help="picture the screens as a dark system theme shows them")
    test = sub.add_parser("print-test", help="print a test receipt on an ESC/POS printer and cut it (checks the "
                          "printer's address, the paper and the accents)", **shown)
    test.add_argument("--printer", required=True, metavar="ADDRESS",
                      help="tcp://HOST:PORT (a network printer's raw port, usually 9100) or usb://VENDOR:PRODUCT")
    test.add_argument("--paper", type=int, choices=(80, 58), default=80, help="the roll's width in mm; default 80")
    test.add_argument("--database", type=Path, default=None,
                      help="books whose business name and address head the test page (never created)")
    test.add_argument("--organization", default=None, help="the organization id, when the books hold several")
    users = sub.add_parser("users", parents=[books], help="the staff who sign in", **shown)
    about_users = users.add_subparsers(dest="users_command", required=True, metavar="unlock")
    unlock = about_users.add_parser("unlock", parents=[books], help="let a user locked out by wrong PINs sign in "
                                    "again (the owner's way back in when everyone is locked out)", **shown)
    unlock.add_argument("name", help="the user's name, as on the sign-in screen")
    unlock.add_argument("--organization", default=None, help="the organization id, when the books hold several")
    from .server.commands import add_parsers

    add_parsers(sub, shown)
    return p


def _backup_parsers(sub: Any, books: argparse.ArgumentParser, shown: dict[str, Any]) -> None:
    about = ("a checked copy of the books (integrity and hash chains), safe while tills sell; PATH is a folder "
             "(the copy is named for the time, like books-2026-12-04T1830.db) or a file name")
    made = sub.add_parser("backup", parents=[books], help=about, description=about, **shown)
    made.add_argument("path", type=Path, metavar="PATH", help="a folder (a USB stick, say) or a file name")
    about = ("make a backup the books, once it checks out; the books as they are are set aside beside them first "
             "(never overwritten), and what the backup lacks is said. Refused while a window or till on this "
             "computer has the books open; close the tills on other computers that share them first")
    back = sub.add_parser("restore", parents=[books], help=about, description=about, **shown)
    back.add_argument("backup", type=Path, metavar="BACKUP", help="the backup file to restore")


OWNER_PIN_VARIABLE = "HERA_OWNER_PIN"


def _setup_parser(p: argparse.ArgumentParser) -> None:
    p.add_argument("--name", required=True, help="the business's name, as receipts and reports print it")
    p.add_argument("--currency", required=True, help="three-letter currency code, like USD or EUR")
    p.add_argument("--owner", required=True, help="the owner's name, as on the sign-in screen")
    p.add_argument("--owner-pin", default=None, metavar="PIN",
                   help=f"the owner's PIN, 6 to 8 digits; or leave it out and set {OWNER_PIN_VARIABLE} (kept out "
                        "of shell history); when both are given, --owner-pin wins")
    p.add_argument("--address", default=None, help="printed under the name on receipts and reports")
    p.add_argument("--tax-id", default=None, help="the business's tax registration number")
    p.add_argument("--receipt-footer", default=None, help="printed at the bottom of every receipt")
    p.add_argument("--time-zone", default=None, help="the business day's time zone, like Europe/Rome; "
                   "default: this computer's")
    p.add_argument("--day-cutoff", default=None, metavar="HH:MM", help="when a business day starts; default 04:00")
    p.add_argument("--tax-rate", default=None, metavar="FRACTION", help="sales tax as a fraction, like 0.10 for "
                   "10%%; default 0.05")
    p.add_argument("--tax-label", default=None, metavar="NAME",
                   help="the tax's name as receipts print it, like VAT or IVA; default Sales Tax")
    p.add_argument("--prices-include-tax", action="store_true", default=None,
                   help="menu prices already include the tax (recorded as a setting)")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from .logbook import event, start_log

    log_file = start_log()
    command = "self-test" if args.self_test else args.command or "window"
    event(_log, logging.INFO, f"started: {command}", event="start", command=command,
          books=str(getattr(args, "database", None) or ""), process=os.getpid())
    code = UNEXPECTED
    try:
        code = _run(args)
    except Exception:  # noqa: BLE001 - the one place a surprise becomes a sentence and a log entry
        _log.exception("unexpected error", extra={"hera": {"event": "unexpected_error", "command": command}})
        print(f"hera-desktop: something unexpected went wrong, and nothing was saved; the details are in the "
              f"log, {log_file}", file=sys.stderr)
    finally:
        event(_log, logging.INFO, f"stopped: {command}, exit code {code}", event="stop", command=command,
              exit_code=code, process=os.getpid())
    return code


def _run(args: argparse.Namespace) -> int:
    if args.self_test:
        from .gui.selftest import self_test
        return self_test()
    if args.command is None:
        from .gui.main import run
        return run(args.database)
    commands: dict[str, Callable[[argparse.Namespace], int]] = {
        "demo": _demo, "setup": _setup, "verify": _verify, "screenshots": _screenshots, "users": _users,
        "print-test": _print_test, "backup": _backup, "restore": _restore, "serve": _serve,
        "serve-admin": _serve_admin}
    try:
        return commands[args.command](args)
    except StorageError as exc:
        print(f"hera-desktop: {exc.message}", file=sys.stderr)
        _offer_backup(exc, args)
        return BOOKS_UNAVAILABLE
    except HeraError as exc:
        print(f"hera-desktop: {exc.message}", file=sys.stderr)
        return USAGE


def _serve(args: argparse.Namespace) -> int:
    from .server.commands import serve

    return serve(args)


def _serve_admin(args: argparse.Namespace) -> int:
    from .server.commands import serve_admin

    return serve_admin(args)


def _open(database: Path | None, create: bool = True) -> Any:
    from . import open as open_books

    hera = open_books(database, create=create)
    if hera.db.backup_path is not None:
        print(f"Upgraded the books; the previous version was saved as {hera.db.backup_path}")
    if hera.read_only:
        print(f"These books are read-only ({hera.read_only}).")
    return hera


def _demo(args: argparse.Namespace) -> int:
    if args.database is not None:
        return _run_demo(args.database)
    # Never the live books: the flows would add fake sales to a real day, even a closed one.
    with tempfile.TemporaryDirectory(prefix="hera-demo-") as tmp:
        return _run_demo(Path(tmp) / "demo.db", temporary=True)


def _run_demo(database: Path, temporary: bool = False) -> int:
    from .demo import create_demo, find_demo, load_demo, run_guide_flows, summary

    with _open(database) as hera:
        existing = find_demo(hera)
        book = load_demo(hera, existing) if existing else create_demo(hera)
        print("Books: temporary, removed when the demo ends (give --database PATH to keep them)" if temporary
              else f"Books: {hera.db.path}")
        print("Demo organization " + ("found" if existing else "created") + "; running the usage guide's flows:")
        for line in run_guide_flows(hera, book):
            print(f"  - {line}")
        print()
        print(summary(hera, book.organization_id))
        report = hera.verify(book.organization_id)
        print(f"\nHash chains: {report.transactions} transactions in {report.chains} chain(s), "
              + ("intact" if report.intact else "BROKEN"))
    return OK


def _setup(args: argparse.Namespace) -> int:
    import os

    from .business_setup import new_business

    pin = args.owner_pin if args.owner_pin is not None else os.environ.get(OWNER_PIN_VARIABLE)
    if not pin:
        print(f"hera-desktop: the owner needs a PIN: give --owner-pin PIN or set {OWNER_PIN_VARIABLE}",
              file=sys.stderr)
        return USAGE
    chosen = {"address": args.address, "tax_id": args.tax_id, "receipt_footer": args.receipt_footer,
              "time_zone": args.time_zone, "day_cutoff": args.day_cutoff, "tax_rate": args.tax_rate,
              "tax_label": args.tax_label, "prices_include_tax": args.prices_include_tax}
    with _open(args.database) as hera:
        org, owner = new_business(hera, args.name, args.currency, args.owner, pin,
                                  {k: v for k, v in chosen.items() if v is not None})
        print(f"Created {org.organization_name} ({org.id}) in {hera.db.path}; {owner.entity_name} signs in as "
              "its admin")
    return OK


def _screenshots(args: argparse.Namespace) -> int:
    from .gui.screenshots import render_all

    for path in render_all(args.directory, dark=args.dark):
        print(path)
    return OK


def _verify(args: argparse.Namespace) -> int:
    if args.anchor is not None:
        return _verify_anchor(args)
    with _open(args.database, create=False) as hera:  # a mistyped path must not become empty, "intact" books
        report = hera.verify(args.organization)
    if report.intact:
        print(f"Intact: {report.transactions} transactions in {report.chains} chain(s); balances, stock, "
              "customer balances and the change feed agree with them")
        return OK
    for link in report.broken:
        print(f"BROKEN: organization {link.organization_id}, terminal {link.terminal_id}, "
              f"transaction #{link.chain_seq} {link.transaction_code} ({link.transaction_id}): {link.problem}")
    for gone in report.missing:
        print(f"MISSING: organization {gone.organization_id}, terminal {gone.terminal_id} "
              f"(by the {gone.witness}): {gone.problem}")
    for found in report.disagreements:
        print(f"DISAGREES: organization {found.organization_id}: {found.problem}")
    return CHECK_FAILED


def _verify_anchor(args: argparse.Namespace) -> int:
    with _open(args.database, create=False) as hera:
        report = hera.verify_anchor(args.anchor, args.organization)
    if report.intact:
        print(f"Anchor seq {report.chain_seq} of chain {report.terminal_id} (organization {report.organization_id}, "
              f"{report.transaction_code}) is intact: it and every transaction before it are unchanged")
        return OK
    print(f"ANCHOR {report.anchor}: {report.problem}")
    return CHECK_FAILED


def _books_file(database: Path | None) -> Path:
    """The books file a backup or a restore is about (the user's own when none is named)."""
    from .config import default_database_path
    from .services.backups import BackupsNeedBooksFileError, server_books_sentence

    if database is not None and _SERVER.match(str(database)):
        raise BackupsNeedBooksFileError(server_books_sentence())
    return database.expanduser() if database is not None else default_database_path()


_SERVER = re.compile(r"^postgres(ql)?(\+\w+)?:/", re.IGNORECASE)  # as a path, the URL's // became /


def _backup(args: argparse.Namespace) -> int:
    from .services import backups

    books = backups.located(_books_file(args.database))
    made = backups.take(books, args.path)
    print(f"Backed up {books} to {made.path}")
    print(f"Verified: SQLite's integrity check passed and the hash chains of its {made.transactions} transactions "
          "are intact")
    return OK


def _restore(args: argparse.Namespace) -> int:
    from .services import backups

    books = _books_file(args.database)
    backups.refuse_if_open_elsewhere(books)
    done = backups.restore(books, args.backup)
    print(f"Restored {books} from {done.backup.path} (checked: integrity and hash chains of its "
          f"{done.backup.transactions} transactions)")
    if done.set_aside:
        print(f"The books as they were are set aside at {done.set_aside}")
    print(done.sentence)
    print("Tills on other computers that share these books should be closed and opened again")
    return OK


def _offer_backup(exc: StorageError, args: argparse.Namespace) -> None:
    """Damaged books: name the latest good backup and the command that restores it."""
    from .services.backups import restore_hint
    from .storage.books_file import DamagedBooksError

    if isinstance(exc, DamagedBooksError) and getattr(args, "command", None) != "restore":
        hint = restore_hint(exc.path)
        if hint:
            print(hint, file=sys.stderr)


def _users(args: argparse.Namespace) -> int:
    from .staff_recovery import unlock_by_name

    with _open(args.database, create=False) as hera:
        user, org = unlock_by_name(hera, args.name, args.organization)
    print(f"Unlocked {user} in {org}: they can sign in with their PIN again")
    return OK


def _print_test(args: argparse.Namespace) -> int:
    from .gui.letterhead import Letterhead
    from .gui.screenshots import use_offscreen_without_display
    from .printing import address, device, paper

    where = address.parse(args.printer, "--printer")
    business = Letterhead("HERA Desktop")
    if args.database is not None:
        with _open(args.database, create=False) as hera:
            business = Letterhead.of(_organization(hera, args.organization))
    try:
        device.library()
    except device.PrintingNotInstalled as exc:
        print(f"hera-desktop: {exc.message}", file=sys.stderr)
        return PRINTER_UNAVAILABLE
    use_offscreen_without_display()
    from PySide6.QtGui import QGuiApplication

    from .gui.printouts import test_job

    app = QGuiApplication.instance() or QGuiApplication(["hera-desktop"])  # noqa: F841 - fonts need it
    job = test_job(business, where, paper.dots(args.paper))
    try:
        device.send(where, job.page, dots=job.dots)
    except (device.PrinterNotAnswering, device.PrintingNotInstalled) as exc:
        print(f"hera-desktop: {exc.message}", file=sys.stderr)
        return PRINTER_UNAVAILABLE
    print(f"Printed a test receipt on {where}")
    return OK


def _organization(hera: Any, organization_id: str | None) -> Any:
    from .domain.errors import ValidationError

    if organization_id is not None:
        return hera.organization(organization_id)
    found = hera.list_organizations()
    if len(found) != 1:
        raise ValidationError("--organization", f"these books hold {len(found)} organizations: name one by its id")
    return found[0]


if __name__ == "__main__":
    raise SystemExit(main())
