"""The owner's first day, as a person lives it, through the window alone: empty books become their business, they
sign in, set up the printers, enter a menu with recipes, add a cashier and a customer on account; the cashier takes
a table's order, sends it to the kitchen twice, takes cash (the receipt prints, the drawer opens), puts an order on
the customer's account and receives the payment; and the books agree."""
from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QPushButton

import hera_desktop
from hera_desktop.business_setup import new_business
from hera_desktop.gui import main
from hera_desktop.gui.customers.onboarding import OnboardingDialog
from hera_desktop.gui.printers_settings import PrintersSettings
from hera_desktop.gui.printouts import page
from hera_desktop.gui.runner import Runner
from hera_desktop.gui.session import Session
from hera_desktop.gui.setup_assistant import SetupAssistant
from hera_desktop.gui.signin import SignInDialog
from hera_desktop.gui.till.receipts import kitchen_ticket_html
from hera_desktop.printing import address, device
from hera_desktop.printing.queue import queue_of

from .test_setup_assistant import OWNER, PIN, fill_every_page
from .test_till import activate, add, open_till, press, receipts_dir, type_text  # noqa: F401

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from fake_printer import CUT, DRAWER_KICK, RASTER_IMAGE, FakePrinter  # noqa: E402

CASHIER, CASHIER_PIN = "Luca Rossi", "2468"
CUSTOMER = "Studio Verdi"


@pytest.fixture
def printers() -> Iterator[tuple[FakePrinter, FakePrinter, FakePrinter]]:
    """The receipt printer at the till, the kitchen's, and one on the side to print the expected ticket on."""
    fakes = tuple(FakePrinter().start() for _ in range(3))
    yield fakes  # type: ignore[misc]
    for fake in fakes:
        fake.stop()


@pytest.fixture
def empty_books(qapp: Any, tmp_path: Path) -> Iterator[Any]:
    hera = hera_desktop.open(tmp_path / "books.db")
    yield hera
    hera.close()


def when_a_dialog_opens(kind: type, act: Callable[[Any], None], problems: list[BaseException]) -> None:
    """Once a modal ``kind`` is up, ``act`` on it; a failure closes it and is kept for the test to raise."""
    def go() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(10, go)
            return
        try:
            act(dialog)
        except BaseException as exc:  # noqa: BLE001 - re-raised by the test, after the dialog is gone
            problems.append(exc)
            QDialog.done(dialog, QDialog.DialogCode.Rejected)
    QTimer.singleShot(0, go)


def keypad(dialog: SignInDialog, digits: str) -> None:
    """The PIN typed on the sign-in's on-screen keypad, then OK."""
    keys = {b.text(): b for b in dialog.findChildren(QPushButton)}
    for digit in digits:
        keys[digit].click()
    keys["OK"].click()


def click(qtbot: Any, button: Any) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def add_product(qtbot: Any, menu: Any, name: str, unit: str) -> None:
    panel = menu.products_panel
    click(qtbot, panel.new_button)
    panel.name.setText(name)
    panel.unit.setText(unit)
    click(qtbot, panel.save_button)
    assert panel.message.text() == f"{name} added.", panel.message.text()


def add_item_with_recipe(qtbot: Any, menu: Any, name: str, price: str, category: str, station: str,
                         product: str, quantity: str) -> None:
    editor = menu.editor
    click(qtbot, menu.new_button)
    editor.name.setText(name)
    editor.price.setText(price)
    editor.category.setCurrentText(category)
    editor.station.setText(station)
    click(qtbot, editor.save_button)
    assert editor.message.text() == f"{name} added to the menu.", editor.message.text()
    assert menu.selected_item() is not None and editor.item.entity_name == name  # shown, its recipe open to edit
    editor.product.setCurrentIndex(editor.product.findText(product, Qt.MatchFlag.MatchStartsWith))
    editor.quantity.setText(quantity)
    click(qtbot, editor.set_line_button)
    assert editor.message.text() == f"Recipe of {name} saved.", editor.message.text()
    assert [(line[1], line[2]) for line in editor.recipe.rows] == [(product, Decimal(quantity))]


def station_row(printers: PrintersSettings, name: str) -> int:
    rows = {printers.stations.item(r, 0).text(): r for r in range(printers.stations.rowCount())}
    assert name in rows, f"the Printers tab lists the stations {sorted(rows)}"
    return rows[name]


def test_the_owners_first_day_from_empty_books_to_a_payment_on_account(
        qtbot: Any, empty_books: Any, tmp_path: Path, printers: tuple[FakePrinter, FakePrinter, FakePrinter]) -> None:
    receipt_printer, kitchen_printer, side_printer = printers
    hera = empty_books
    problems: list[BaseException] = []

    # Empty books: the assistant asks for the business and its owner.
    def set_up(assistant: Any) -> None:
        fill_every_page(assistant)  # Trattoria Bianchi, EUR, 10 % IVA in the prices, the owner
        assistant.button(assistant.WizardButton.FinishButton).click()

    when_a_dialog_opens(SetupAssistant, set_up, problems)
    org = main.choose_organization(hera, QSettings(), runner=Runner(pool=None))
    assert not problems, problems
    assert org.organization_name == "Trattoria Bianchi"

    # The owner signs in: theirs is the only name, so they type only the PIN.
    session = Session(hera, org, Runner(pool=None))
    chosen: list[str] = []

    def owner_signs_in(dialog: SignInDialog) -> None:
        chosen.append(dialog.users.currentItem().text() if dialog.users.currentItem() else "")
        keypad(dialog, PIN)  # clicked: after the assistant has closed, the window that follows must still build

    when_a_dialog_opens(SignInDialog, owner_signs_in, problems)
    window = main.sign_in(session)
    assert not problems, problems
    assert chosen == [f"{OWNER} — admin"]
    assert window is not None and session.role == "admin"
    qtbot.addWidget(window)
    window.resize(1280, 820)
    window.show()
    activate(qtbot, window)

    # Settings › Printers: the receipt printer, its drawer opened on cash, printing as soon as an order is paid.
    settings = window.show_screen("Settings")
    settings.tabs.setCurrentIndex(settings.tabs.indexOf(settings.printers))
    printers_tab = settings.findChild(PrintersSettings)
    printers_tab.receipt.setText(receipt_printer.address)
    printers_tab.auto_print.setChecked(True)
    printers_tab.drawer.setChecked(True)
    click(qtbot, printers_tab.save_button)
    assert printers_tab.message.text() == "Printers saved."

    # Menu: two products, and two items each taking one of them, for two kitchen stations.
    menu = window.show_screen("Menu")
    menu.tabs.setCurrentIndex(1)
    add_product(qtbot, menu, "Pizza dough", "ball")
    add_product(qtbot, menu, "Red wine", "bottle")
    menu.tabs.setCurrentIndex(0)
    add_item_with_recipe(qtbot, menu, "Margherita", "9.00", "Pizza", "KITCHEN", "Pizza dough", "1")
    add_item_with_recipe(qtbot, menu, "Red wine glass", "5.00", "Drinks", "BAR", "Red wine", "0.2")

    # The kitchen station the menu now names gets its printer; the bar keeps its PDFs.
    window.show_screen("Settings")
    row = station_row(printers_tab, "Kitchen")
    station_row(printers_tab, "Bar")
    printers_tab.stations.item(row, 1).setText(kitchen_printer.address)
    click(qtbot, printers_tab.save_button)
    assert printers_tab.message.text() == "Printers saved."

    # Staff: a cashier.
    staff = window.show_screen("Staff")
    staff.new_name.setText(CASHIER)
    staff.new_role.setCurrentText("cashier")
    staff.new_pin.setText(CASHIER_PIN)
    staff.new_pin_again.setText(CASHIER_PIN)
    click(qtbot, staff.add_user)
    assert [(r["name"], r["role"]) for r in staff.rows] == [(OWNER, "admin"), (CASHIER, "cashier")]

    # Customers: a regular who may owe up to 200.
    customers = window.show_screen("Customers")
    click(qtbot, customers.new_button)
    onboarding = customers.findChild(OnboardingDialog)
    activate(qtbot, onboarding)
    qtbot.keyClicks(onboarding.field("name").editor, CUSTOMER)
    onboarding.field("credit_limit").editor.selectAll()
    qtbot.keyClicks(onboarding.field("credit_limit").editor, "200")
    click(qtbot, onboarding.save)
    assert onboarding.result() == QDialog.DialogCode.Accepted

    # The owner signs out; the cashier signs in, choosing their name.
    window.findChild(type(window.actions()[0]), "signOutAction").trigger()
    dialog = window.sign_in_dialog
    assert dialog is not None and dialog.isVisible() and session.user is None
    dialog.select_user(CASHIER)
    keypad(dialog, CASHIER_PIN)
    assert session.user is not None and (session.user.entity_name, session.role) == (CASHIER, "cashier")

    # The till: table 4's order, sent to the kitchen, one more pizza, sent again.
    till = window.show_screen("Till")
    till.receipts_dir = tmp_path / "receipts"
    activate(qtbot, window)
    till.focus_search()
    press(qtbot, Qt.Key.Key_F4)
    type_text(qtbot, "4")
    press(qtbot, Qt.Key.Key_Return)
    add(qtbot, "margh")
    add(qtbot, "red wine")
    press(qtbot, Qt.Key.Key_F7)
    first = till.kitchen_dialog
    assert first is not None, till.message.text()
    assert till.message.text() == "Round 1 of Table 4 sent to the kitchen: Kitchen, Bar."
    [round_1] = kitchen_printer.wait_for(1)
    assert RASTER_IMAGE in round_1 and CUT in round_1
    first.accept()
    activate(qtbot, window)
    till.focus_search()
    add(qtbot, "margh")
    press(qtbot, Qt.Key.Key_F7)
    second = till.kitchen_dialog
    assert second is not None and second is not first, till.message.text()
    [ticket] = second.tickets
    assert (ticket.station, [(line.name, line.quantity) for line in ticket.lines]) == (
        "KITCHEN", [("Margherita", Decimal("1"))])
    round_1, round_2 = kitchen_printer.wait_for(2)
    # What the kitchen printer got is that ticket, the new pizza alone: the same bytes it prints as.
    device.send(address.parse(side_printer.address), page(kitchen_ticket_html(ticket), 576), 576)
    assert round_2 == side_printer.wait_for(1)[0] and round_2 != round_1
    second.accept()

    # Cash: the receipt prints and the drawer opens, without anyone pressing Done.
    activate(qtbot, window)
    till.focus_search()
    press(qtbot, Qt.Key.Key_F12)
    activate(qtbot, till.pay_dialog)
    press(qtbot, Qt.Key.Key_F5)
    type_text(qtbot, "30")
    press(qtbot, Qt.Key.Key_Return)
    assert till.message.text().startswith("Paid 23.00 EUR") and "change 7.00 EUR" in till.message.text()
    drawer, receipt = receipt_printer.wait_for(2)
    assert DRAWER_KICK in drawer and RASTER_IMAGE not in drawer
    assert RASTER_IMAGE in receipt and CUT in receipt
    assert queue_of(session).wait(10) and len(kitchen_printer.jobs) == 2  # nothing new for the kitchen
    till.receipt_dialog.accept()

    # A glass on the regular's account, then they settle it at the till (F11).
    activate(qtbot, window)
    till.focus_search()
    add(qtbot, "red wine")
    press(qtbot, Qt.Key.Key_F3)
    type_text(qtbot, "verdi")
    press(qtbot, Qt.Key.Key_Return)
    press(qtbot, Qt.Key.Key_F12)
    activate(qtbot, till.pay_dialog)
    press(qtbot, Qt.Key.Key_F7)
    press(qtbot, Qt.Key.Key_Return)
    assert till.message.text().startswith("Paid 5.00 EUR"), till.message.text()
    till.receipt_dialog.accept()
    activate(qtbot, window)
    till.focus_search()
    press(qtbot, Qt.Key.Key_F3)
    type_text(qtbot, "verdi")
    press(qtbot, Qt.Key.Key_Return)
    press(qtbot, Qt.Key.Key_F11)
    payment = till.account_payment_dialog
    assert payment is not None, till.message.text()
    assert payment.amount.text() == "5.00"  # what is owed, offered
    click(qtbot, payment.receive)
    assert till.message.text() == f"Received 5.00 EUR on account from {CUSTOMER}; 0.00 EUR still owed."

    # The books.
    books = hera.scope(org.id)
    trial = books.reports.trial_balance()
    assert trial.balanced and trial.total_debits > 0
    balances = {r.account_code: r.balance for r in trial.rows}
    assert balances.get("1100", Decimal(0)) == 0  # the receivable is back to nothing
    [regular] = books.customers.search(CUSTOMER)
    assert books.customers.view(regular.id).account_balance == 0
    stock = {p.product_name: books.inventory.level(p.product_id) for p in books.inventory.products()}
    assert stock == {"Pizza dough": Decimal("-2"), "Red wine": Decimal("-0.4")}  # 2 pizzas, 2 glasses
    sends = books.txn.query(transaction_type="kitchen_send").transactions
    assert len(sends) == 2


def test_the_time_zone_is_found_by_any_part_of_its_name(qtbot: Any, empty_books: Any) -> None:
    assistant = SetupAssistant(empty_books, Runner(pool=None))
    qtbot.addWidget(assistant)
    completer = assistant.day_fields.zone.completer()
    completer.setCompletionPrefix("berlin")
    assert completer.currentCompletion() == "Europe/Berlin"


def test_the_only_person_in_new_books_is_chosen_at_sign_in_and_with_two_nobody_is(qtbot: Any,
                                                                                  empty_books: Any) -> None:
    hera = empty_books
    org, owner = new_business(hera, "Trattoria Bianchi", "EUR", OWNER, PIN)
    session = Session(hera, org, Runner(pool=None))
    alone = SignInDialog(session)
    qtbot.addWidget(alone)
    assert alone.users.currentItem().text() == f"{OWNER} — admin"
    keypad(alone, PIN)
    assert alone.result() == QDialog.DialogCode.Accepted and session.user.id == owner.id

    QSettings().clear()  # another computer: nobody signed in here yet
    hera.scope(org.id, actor_id=owner.id).users.create(name=CASHIER, role="cashier", pin=CASHIER_PIN)
    two = SignInDialog(Session(hera, org, Runner(pool=None)))
    qtbot.addWidget(two)
    assert two.users.currentItem() is None  # a PIN typed now would spend someone's tries


def test_a_void_goes_to_the_stations_printer_too_and_a_station_without_one_prints_nothing(
        qtbot: Any, books: Any, open_till: Any, printers: tuple[FakePrinter, FakePrinter, FakePrinter]) -> None:
    _receipt, bar_printer, _side = printers
    hera, book = books
    hera.update_settings(book.organization_id, kitchen_printers={"BAR": bar_printer.address})
    screen = open_till("manager")
    add(qtbot, "marg")
    add(qtbot, "wine")
    press(qtbot, Qt.Key.Key_F7)
    assert screen.kitchen_dialog is not None
    [round_1] = bar_printer.wait_for(1)  # the wine; the pizza station has no printer, only its PDF
    screen.kitchen_dialog.accept()
    activate(qtbot, screen)
    screen.panel.select_row(1)
    press(qtbot, Qt.Key.Key_Delete)
    screen.void_dialog.reason.setText("wrong wine")
    screen.void_dialog.void_button.click()
    assert "*** VOID ***" in screen.kitchen_dialog.text(0)
    _, void = bar_printer.wait_for(2)
    assert RASTER_IMAGE in void and void != round_1
    assert queue_of(screen.session).wait(10) and len(bar_printer.jobs) == 2
