"""Settings, Business: the owner changes what receipts print about the business (name, address, tax id, footer),
whether menu prices include tax, and the currency while no transaction exists; mistakes are named by the field's
label and save nothing."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest

import hera_desktop
from hera_desktop.business_setup import new_business
from hera_desktop.gui.runner import Runner
from hera_desktop.gui.session import Session
from hera_desktop.gui.settings import SettingsScreen
from hera_desktop.gui.till.receipts import document, fetch, receipt_html

OWNER_PIN = "482915"


def open_settings(qtbot: Any, session: Session) -> SettingsScreen:
    screen = SettingsScreen(session)
    qtbot.addWidget(screen)
    screen.resize(900, 900)
    screen.show()
    return screen


def printed(scope: Any, sale_id: str) -> list[str]:
    html = receipt_html(fetch(scope, sale_id))
    return [line.strip() for line in document(html).toPlainText().splitlines() if line.strip()]


@pytest.fixture
def new_books(qapp: Any, tmp_path: Path) -> Iterator[Session]:
    """Books just set up, with no transaction yet, and their owner signed in."""
    hera = hera_desktop.open(tmp_path / "books.db")
    org, owner = new_business(hera, "Trattoria Bianchi", "USD", "Giulia Bianchi", OWNER_PIN)
    session = Session(hera, org, Runner(pool=None))
    session.sign_in(session.system.users.authenticate(owner.id, OWNER_PIN))
    yield session
    hera.close()


def test_a_manager_renames_the_business_and_the_receipt_prints_the_new_details(
        qtbot: Any, books: Any, session_as: Any) -> None:
    hera, book = books
    s = hera.scope(book.organization_id)
    sale_id = s.restaurant.process_order(items=[{"menu_item_id": book.menu["Tiramisu"]}],
                                         payment_method="card").sales_transaction.transaction_id
    session = session_as("manager")
    screen = open_settings(qtbot, session)
    assert screen.fields.name.text() == "Mario's Trattoria (demo)"
    screen.fields.name.setText("  Trattoria Bianchi ")
    screen.fields.address.setPlainText("Via Roma 1\n00100 Roma RM")
    screen.fields.tax_id.setText("IT01234567890")
    screen.fields.receipt_footer.setPlainText("Grazie!\nwww.trattoria.it")
    screen.fields.prices_include_tax.setChecked(True)
    screen.save_settings()
    assert screen.business_message.text() == "Saved."

    lines = printed(hera.scope(book.organization_id), sale_id)
    assert lines[:4] == ["Trattoria Bianchi", "Via Roma 1", "00100 Roma RM", "Tax id IT01234567890"]
    assert lines[-2:] == ["Grazie!", "www.trattoria.it"]
    org = hera.organization(book.organization_id)
    assert org.settings["prices_include_tax"] is True
    again = open_settings(qtbot, session)
    assert again.fields.name.text() == "Trattoria Bianchi"
    assert again.fields.address.toPlainText() == "Via Roma 1\n00100 Roma RM"
    assert again.fields.prices_include_tax.isChecked()


def test_the_currency_changes_until_the_first_sale_and_then_says_why_it_cannot(
        qtbot: Any, new_books: Session) -> None:
    session = new_books
    screen = open_settings(qtbot, session)
    assert screen.fields.currency.isEnabled() and not screen.currency_note.isVisible()
    screen.fields.currency.setCurrentText("eur")
    screen.save_settings()
    assert screen.business_message.text() == "Saved."
    assert session.hera.organization(session.organization.id).currency == "EUR"

    scope = session.scope
    soup = scope.restaurant.menu.add_item("Minestrone", "8.50", category="Soup")
    scope.restaurant.process_order(items=[{"menu_item_id": soup.id}], payment_method="cash")
    screen.refresh()
    assert not screen.fields.currency.isEnabled() and screen.fields.currency.currentText() == "EUR"
    assert screen.currency_note.isVisible()
    assert screen.currency_note.text().startswith("The currency stays EUR: it cannot change once the books hold "
                                                  "transactions")
    screen.fields.receipt_footer.setPlainText("Grazie e arrivederci")
    screen.save_settings()  # the rest still saves
    assert screen.business_message.text() == "Saved."
    org = session.hera.organization(session.organization.id)
    assert (org.currency, org.settings["receipt_footer"]) == ("EUR", "Grazie e arrivederci")


@pytest.mark.parametrize("change, message", [
    (lambda f: f.name.setText("   "), "Business name: an organization needs a name of 1 to 255 characters"),
    (lambda f: f.currency.setCurrentText("EU"), "Currency: must be a three-letter currency code like USD"),
    (lambda f: f.tax_id.setText("x" * 51), "Tax id: must be at most 50 characters (this is 51)"),
    (lambda f: f.address.setPlainText("a" * 501), "Address: must be at most 500 characters (this is 501)"),
    (lambda f: f.tax_rate.setText("120"), "Sales tax rate (%): must be a percentage from 0 to below 100, like 5 or "
                                          "7.25"),
])
def test_a_mistake_is_named_by_its_label_and_saves_nothing(qtbot: Any, new_books: Session, change: Any,
                                                            message: str) -> None:
    session = new_books
    before = session.hera.organization(session.organization.id)
    screen = open_settings(qtbot, session)
    screen.fields.receipt_footer.setPlainText("Grazie!")
    change(screen.fields)
    screen.save_settings()
    assert screen.business_message.text() == message
    assert session.hera.organization(session.organization.id) == before
