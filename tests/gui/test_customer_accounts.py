"""Customer accounts on screen: receiving a payment from the customer screen and at the till, and the
statement saved as a PDF."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication

from hera_desktop.gui.customers.screen import CustomersScreen
from hera_desktop.gui.customers.statement import statement_model, statement_subtitle, statement_title
from hera_desktop.gui.export import table_html
from hera_desktop.gui.letterhead import Letterhead
from hera_desktop.gui.till.receipts import document
from hera_desktop.gui.till.screen import TillScreen

BELLA = "Bella Events Ltd"


def open_customers(qtbot: Any, session: Any, customer_id: str) -> CustomersScreen:
    screen = CustomersScreen(session)
    qtbot.addWidget(screen)
    screen.resize(1100, 760)
    screen.show()
    qtbot.waitExposed(screen)
    screen.show_customer(customer_id)
    return screen


def owed(hera: Any, book: Any, name: str = BELLA) -> Decimal:
    return hera.scope(book.organization_id).customers.balance(book.customers[name])


def charge_bella(hera: Any, book: Any) -> None:
    """Bella's party of four puts their pizzas on account."""
    hera.scope(book.organization_id).restaurant.process_order(
        customer_id=book.customers[BELLA], table_number=1,
        items=[{"menu_item_id": book.menu["Margherita Pizza"], "quantity": 4}], payments=[{"method": "on_account"}])


def printed(html: str) -> list[str]:
    return [line.strip() for line in document(html).toPlainText().splitlines() if line.strip()]


def test_a_cashier_receives_part_of_what_bella_owes_by_card_from_the_customer_screen(
        qtbot: Any, session_as: Any, books: Any) -> None:
    hera, book = books
    charge_bella(hera, book)
    before = owed(hera, book)
    assert before > 50
    screen = open_customers(qtbot, session_as("cashier"), book.customers[BELLA])
    detail = screen.detail
    assert detail.account.receive.isVisible() and detail.account.receive.isEnabled()
    qtbot.mouseClick(detail.account.receive, Qt.MouseButton.LeftButton)
    dialog = detail.payment_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.amount.text() == f"{before:,.2f}"  # the whole balance, unless the cashier types less
    assert f"owes {before:,.2f} USD" in dialog.owed.text()
    dialog.amount.setText("50")
    qtbot.mouseClick(dialog.findChild(type(detail.account.receive), "accountMethod:card"), Qt.MouseButton.LeftButton)
    dialog.reference.setText("Slip 7")
    qtbot.mouseClick(dialog.receive, Qt.MouseButton.LeftButton)

    assert not dialog.isVisible()
    assert owed(hera, book) == before - 50
    assert detail.account.balance.text() == f"{before - 50:,.2f} USD"
    assert detail.banner.text() == f"Received 50.00 USD from {BELLA} on account."
    paid = hera.scope(book.organization_id).customers.history(book.customers[BELLA])[0]
    assert (paid.total_amount, paid.reference, paid.business_context["payment_method"]) == (
        Decimal("50"), "Slip 7", "card")


def test_more_than_is_owed_is_refused_in_the_dialog_and_nothing_is_received(
        qtbot: Any, session_as: Any, books: Any) -> None:
    hera, book = books
    charge_bella(hera, book)
    before = owed(hera, book)
    detail = open_customers(qtbot, session_as("cashier"), book.customers[BELLA]).detail
    dialog = detail.receive_payment()
    for typed, words in (("0", "Must be more than zero"), ("-3", "Cannot be negative"), ("", "Enter the amount received"),
                         (f"{before + 1}", f"owes {before:,.2f} USD")):
        dialog.amount.setText(typed)
        qtbot.mouseClick(dialog.receive, Qt.MouseButton.LeftButton)
        assert dialog.isVisible() and words in dialog.message.text() and dialog.receive.isEnabled()
    assert owed(hera, book) == before


def test_nothing_owed_means_nothing_to_receive_and_a_bookkeeper_is_not_offered_it(
        qtbot: Any, session_as: Any, books: Any) -> None:
    hera, book = books
    acme = book.customers["Acme Corporation"]
    assert owed(hera, book, "Acme Corporation") == 0
    detail = open_customers(qtbot, session_as("cashier"), acme).detail
    assert not detail.account.receive.isEnabled()
    bookkeeper = open_customers(qtbot, session_as("bookkeeper"), book.customers[BELLA]).detail
    assert not bookkeeper.account.receive.isVisible() and bookkeeper.account.statement.isVisible()


def test_the_statement_pdf_shows_the_letterhead_opening_sales_payments_and_closing_balance(
        qtbot: Any, session_as: Any, books: Any, tmp_path: Path) -> None:
    hera, book = books
    hera.scope(book.organization_id).org_settings.update(address="Via Roma 1", tax_id="IT01234567890")
    bella = book.customers[BELLA]
    charge_bella(hera, book)
    hera.scope(book.organization_id).customers.settle_account(bella, "20.00", payment_method="cash",
                                                              reference="Cheque 12")
    detail = open_customers(qtbot, session_as("bookkeeper"), bella).detail
    qtbot.mouseClick(detail.account.statement, Qt.MouseButton.LeftButton)
    dialog = detail.statement_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.date_from.setDate(QDate.currentDate().addDays(-1))
    dialog.save(tmp_path / "bella.pdf")
    assert dialog.saved == tmp_path / "bella.pdf" and "Saved the statement" in dialog.message.text()
    assert (tmp_path / "bella.pdf").read_bytes().startswith(b"%PDF")

    statement = dialog.statement  # what the PDF was printed from
    closing = owed(hera, book)
    assert statement.closing_balance == closing
    lines = printed(table_html(statement_model(statement), statement_title(statement), statement_subtitle(statement),
                               Letterhead.of(hera.organization(book.organization_id))))
    assert lines[:4] == ["Mario's Trattoria (demo)", "Via Roma 1", "Tax id IT01234567890",
                         f"Statement of account — {BELLA}"]
    text = "\n".join(lines)
    sales = closing + 20
    for expected in ("Opening balance at", "0.00 USD", "Bought on account, order", f"{sales:,.2f} USD",
                     "Payment in cash (Cheque 12)", "20.00 USD", "Total for the period",
                     f"Closing balance at {statement.date_to}", f"{closing:,.2f} USD"):
        assert expected in text
    assert lines[-2:] == [f"Closing balance at {statement.date_to}", f"{closing:,.2f} USD"]


def test_at_the_till_f11_takes_a_payment_on_the_account_of_the_customer_on_the_ticket(
        qtbot: Any, session_as: Any, books: Any) -> None:
    hera, book = books
    charge_bella(hera, book)
    before = owed(hera, book)
    till = TillScreen(session_as("cashier"))
    qtbot.addWidget(till)
    till.resize(1180, 780)
    till.show()
    till.activateWindow()
    qtbot.waitUntil(till.isActiveWindow)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F11)
    assert till.account_payment_dialog is None and "choose the customer first (F3)" in till.message.text()

    qtbot.keyClicks(till.panel.customer.edit, "bella")
    qtbot.keyClick(till.panel.customer.edit, Qt.Key.Key_Return)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F11)
    dialog = till.account_payment_dialog
    assert dialog is not None and dialog.customer.entity_name == BELLA
    dialog.amount.setText(f"{before}")
    qtbot.mouseClick(dialog.receive, Qt.MouseButton.LeftButton)
    assert owed(hera, book) == 0
    assert till.message.text() == f"Received {before:,.2f} USD on account from {BELLA}; 0.00 USD still owed."
    assert "owes 0.00" in till.panel.customer.detail.text()
