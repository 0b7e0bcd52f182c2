"""Books changed behind the app's back: the manager is told in a banner when the window opens, and after a day
close; the cashier is not (and keeps selling)."""
from __future__ import annotations

import sqlite3
from typing import Any

from PySide6.QtWidgets import QMessageBox

from hera_desktop.gui.dayclose import DayCloseScreen
from hera_desktop.gui.shell import MainWindow


def edit_a_cached_total(books: Any) -> str:
    """A cached account total raised by 1000, straight in the file; the sentence verify says about it."""
    hera, _book = books
    raw = sqlite3.connect(hera.db.path)
    try:
        account, code, name, credit = raw.execute(
            "SELECT b.account_id, e.entity_code, e.entity_name, b.credit FROM hera_gl_account_balances b "
            "JOIN core_entities e ON e.id = b.account_id ORDER BY e.entity_code LIMIT 1").fetchone()
        raw.execute("UPDATE hera_gl_account_balances SET credit = ? WHERE account_id = ?",
                    (str(float(credit) + 1000), account))
        raw.commit()
    finally:
        raw.close()
    return f"GL account {code} {name}: cached credit {float(credit) + 1000:,.2f}, daily totals say {float(credit):,.2f}"


def window_of(qtbot: Any, session: Any) -> MainWindow:
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    return window


def test_the_manager_sees_a_banner_naming_what_the_check_on_opening_found(qtbot: Any, books: Any,
                                                                          session_as: Any) -> None:
    said = edit_a_cached_total(books)
    window = window_of(qtbot, session_as("manager"))
    assert window.books_check_bar is not None and window.books_check_bar.isVisible()
    assert said in window.books_check_banner.text()
    assert "hera-desktop verify" in window.books_check_banner.text()
    # Kept as evidence in the books themselves.
    events = window.session.scope.txn.query(transaction_type="security_event").transactions
    assert [e.business_context.get("event") for e in events] == ["books_check_failed"]


def test_an_edited_newest_transaction_is_named_in_the_banner(qtbot: Any, books: Any, session_as: Any) -> None:
    hera, _book = books
    raw = sqlite3.connect(hera.db.path)
    try:
        raw.execute("DROP TRIGGER universal_transactions_no_update")  # what anyone with the file can do
        code = raw.execute("SELECT transaction_code FROM universal_transactions ORDER BY chain_seq DESC LIMIT 1"
                           ).fetchone()[0]
        raw.execute("UPDATE universal_transactions SET description = 'nothing to see' WHERE transaction_code = ?",
                    (code,))
        raw.commit()
    finally:
        raw.close()
    window = window_of(qtbot, session_as("admin"))
    assert window.books_check_bar.isVisible()
    assert f"Transaction {code}" in window.books_check_banner.text()
    assert "changed after it was recorded" in window.books_check_banner.text()


def test_a_cashier_is_not_shown_the_banner_and_the_till_keeps_selling(qtbot: Any, books: Any,
                                                                      session_as: Any) -> None:
    edit_a_cached_total(books)
    hera, book = books
    window = window_of(qtbot, session_as("cashier"))
    assert window.books_check_bar is not None and not window.books_check_bar.isVisible()
    assert window.session.books_check.findings  # the check did find it
    assert window.nav.currentItem().text() == "Till"
    sold = window.session.scope.restaurant.process_order(
        items=[{"menu_item_id": book.menu["Tiramisu"]}], payment_method="card")
    assert sold.sales_transaction.transaction_code.startswith("SALE-")


def test_untouched_books_show_no_banner(qtbot: Any, session_as: Any) -> None:
    window = window_of(qtbot, session_as("manager"))
    assert window.books_check_bar is None and window.session.books_check.findings == []


def test_after_a_day_close_the_full_check_reports_what_it_found(qtbot: Any, books: Any, session_as: Any) -> None:
    session = session_as("manager")
    window = window_of(qtbot, session)
    assert window.books_check_bar is None  # the books were intact when the window opened
    said = edit_a_cached_total(books).replace("daily totals say", "lines say")
    checks: list[str] = []
    session.books_check.checked.connect(checks.append)
    screen = window.show_screen("Close day")
    assert isinstance(screen, DayCloseScreen)
    screen.counted.setText("0.00")
    screen.ask_to_close()
    box = screen.findChild(QMessageBox, "confirmClose")
    box.button(QMessageBox.StandardButton.Yes).click()
    assert "closed" in screen.status.text()
    assert checks == ["full"]
    assert window.books_check_bar.isVisible() and said in window.books_check_banner.text()
