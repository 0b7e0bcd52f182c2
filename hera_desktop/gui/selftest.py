"""``hera-desktop --self-test``: a smoke run of the whole app, used to check a packaged build.

It opens the main window offscreen on temporary demo books, signs in as the
cashier, takes an order at the till through its widgets (an item, paid in
cash), and checks that the sale and its payment are in the books. It never
touches the user's own books. Exit status 0 when all went well; otherwise 1,
with what failed.
"""
from __future__ import annotations

import faulthandler
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any, Callable

CASHIER, PIN = "Luca", "2222"


class SelfTestFailed(Exception):
    pass


def self_test() -> int:
    faulthandler.enable()  # a crash in Qt's native code still says where
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from .main import application

    app = application()
    app.setQuitOnLastWindowClosed(False)  # closing the window is part of the run, not the end of the process
    steps: list[str] = []
    try:
        with tempfile.TemporaryDirectory(prefix="hera-self-test-") as tmp:
            from .. import open as open_books

            hera = open_books(Path(tmp) / "books.db")
            try:
                _run(hera, steps)
            finally:
                _tear_down(app)
                hera.close()
    except Exception as exc:  # the point of a smoke run: say what broke, exit non-zero
        done = "; ".join(steps) or "nothing"
        detail = str(exc) if isinstance(exc, SelfTestFailed) else "".join(traceback.format_exception(exc))
        print(f"hera-desktop self-test FAILED after: {done}\n{detail}", file=sys.stderr)
        return 1
    print("hera-desktop self-test passed: " + "; ".join(steps))
    return 0


def _run(hera: Any, steps: list[str]) -> None:
    from PySide6.QtCore import QThreadPool

    from ..demo import create_demo
    from .runner import Runner
    from .session import Session

    book = create_demo(hera)
    steps.append("demo books created")
    runner = Runner(QThreadPool.globalInstance())
    session = Session(hera, hera.organization(book.organization_id), runner)
    window = _sign_in(session)
    steps.append("signed in as the cashier")
    window.show()
    try:
        till = window.show_screen("Till")
        _settle(runner)
        sale = _take_order(till, runner, session)
        steps.append(f"order {sale.transaction_code} taken at the till and paid in cash")
        _check_books(session, sale)
        steps.append("sale and cash payment found in the books")
    finally:
        window.close()
        _settle(runner)


def _tear_down(app: Any) -> None:
    """Delete every window while Qt is still up: left to the interpreter's exit, the order of
    destruction can crash a frozen build."""
    from PySide6.QtCore import QEvent, QThreadPool

    QThreadPool.globalInstance().waitForDone(10000)
    for widget in app.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    app.processEvents()


def _sign_in(session: Any) -> Any:
    """Sign in as the cashier through the app's own start (``main.sign_in``), typing into its dialog; returns
    the main window."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from .main import sign_in

    refusal: list[str] = []

    def type_pin() -> None:
        dialog = QApplication.activeModalWidget()
        dialog.select_user(CASHIER)
        dialog.pin.setText(PIN)
        dialog.ok.click()
        watch = QTimer(dialog, interval=50)  # a refused PIN leaves the dialog up with a message: close it
        watch.timeout.connect(lambda: (refusal.append(dialog.message.text()), dialog.reject())
                              if dialog.message.text() else None)
        watch.start()

    QTimer.singleShot(0, type_pin)
    window = sign_in(session)
    if window is None or session.role != "cashier":
        raise SelfTestFailed(f"signing in as {CASHIER} failed: {refusal[0] if refusal else 'no message'}")
    return window


def _take_order(till: Any, runner: Any, session: Any) -> Any:
    """Add a menu item to the ticket and pay it in cash, through the till's widgets; returns the sale."""
    menu = till.menu
    if not _settle(runner, lambda: bool(menu.visible)):
        raise SelfTestFailed("the till's menu did not load")
    menu.search.setText("Margherita")
    menu.search.returnPressed.emit()  # what Enter in the search box does: add the best match
    if len(till.model.lines) != 1:
        raise SelfTestFailed(f"adding Margherita Pizza left {len(till.model.lines)} lines on the ticket")
    till.panel.pay.click()
    dialog = till.pay_dialog
    if dialog is None or not dialog.isVisible():
        raise SelfTestFailed("Pay did not open the pay dialog")
    dialog.choose("cash")
    dialog.tendered.setText("20")
    dialog.pay_button.click()
    if not _settle(runner, lambda: till.last_order is not None):
        raise SelfTestFailed(f"the payment was not recorded: {dialog.message.text() or 'no message'}")
    return session.scope.restaurant.sale(till.last_order.sales_transaction.transaction_id)


def _check_books(session: Any, sale: Any) -> None:
    scope = session.scope
    recorded = scope.restaurant.sale(sale.id)
    items = [ln for ln in recorded.lines if ln.line_type == "ITEM"]
    if not items:
        raise SelfTestFailed(f"{recorded.transaction_code} has no item lines")
    payments = scope.restaurant.payments_of(recorded.id)
    if [p.business_context.get("payment_method") for p in payments] != ["cash"] or \
            sum(p.total_amount for p in payments) != recorded.total_amount:
        raise SelfTestFailed(f"{recorded.transaction_code} is not paid in full in cash: {payments}")
    if not session.hera.verify(session.organization.id).intact:
        raise SelfTestFailed("the books' hash chain does not verify after the order")


def _settle(runner: Any, until: Callable[[], bool] | None = None, seconds: float = 20.0) -> bool:
    """Let background work and the events it posts finish (optionally until a condition holds)."""
    from PySide6.QtCore import QEventLoop

    # QEventLoop.processEvents(flags) returns a bool; PySide6 6.12 leaks a reference to None on each call
    # of a void Qt function such as QCoreApplication.processEvents, which a long loop would feel.
    loop = QEventLoop()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
        idle = not runner._jobs
        if idle and (until is None or until()):
            loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
            return True
        time.sleep(0.002)
    return False
