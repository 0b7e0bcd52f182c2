"""Money and quantities typed into the screens are read in the user's locale, and never silently changed."""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterator

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QDialogButtonBox

from hera_desktop.gui.inventory.screen import InventoryScreen


@pytest.fixture
def locale() -> Iterator[Any]:
    """locale("de_DE") makes it the application's locale for this test."""
    previous = QLocale()

    def use(name: str) -> QLocale:
        QLocale.setDefault(QLocale(name))
        return QLocale()

    yield use
    QLocale.setDefault(previous)


def type_into(qtbot: Any, edit: Any, text: str) -> None:
    edit.clear()
    qtbot.keyClicks(edit, text)


# ------------------------------------------------------------------ the stock movement dialog

def open_count(qtbot: Any, session: Any, book: Any, kind: str = "adjustment") -> Any:
    screen = InventoryScreen(session)
    qtbot.addWidget(screen)
    screen.show()
    dialog = screen.open_adjustment(kind, book.products["Mozzarella (kg)"])
    dialog.location.setCurrentIndex(dialog.location.findData(book.locations["Store front"]))
    return dialog


def press_record(qtbot: Any, dialog: Any) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton)


def test_a_german_count_of_1_comma_5_kg_records_one_and_a_half_kg(qtbot: Any, session_as: Any, books: Any,
                                                                     locale: Any) -> None:
    locale("de_DE")
    session, (_, book) = session_as("manager"), books
    dialog = open_count(qtbot, session, book)
    type_into(qtbot, dialog.quantity, "1,5")
    type_into(qtbot, dialog.reason, "Monatsinventur")
    press_record(qtbot, dialog)
    assert not dialog.isVisible()
    mozzarella, store = book.products["Mozzarella (kg)"], book.locations["Store front"]
    assert session.scope.inventory.level(mozzarella, store) == Decimal("1.5")


def test_a_german_receipt_takes_a_unit_cost_with_a_decimal_comma(qtbot: Any, session_as: Any, books: Any,
                                                                    locale: Any) -> None:
    locale("de_DE")
    session, (_, book) = session_as("manager"), books
    oil = session.scope.inventory.add_product("Olivenöl (l)").id
    screen = InventoryScreen(session)
    qtbot.addWidget(screen)
    screen.show()
    dialog = screen.open_adjustment("receipt", oil)
    type_into(qtbot, dialog.quantity, "1.000")
    type_into(qtbot, dialog.unit_cost, "4,2375")
    type_into(qtbot, dialog.reason, "Lieferung")
    press_record(qtbot, dialog)
    assert not dialog.isVisible()
    assert session.scope.inventory.level(oil) == Decimal("1000")
    assert session.scope.inventory.average_cost(oil) == Decimal("4.2375")


def test_an_english_count_of_1_comma_5_is_refused_as_ambiguous_and_nothing_is_recorded(
        qtbot: Any, session_as: Any, books: Any, locale: Any) -> None:
    locale("en_US")
    session, (_, book) = session_as("manager"), books
    mozzarella, store = book.products["Mozzarella (kg)"], book.locations["Store front"]
    before = session.scope.inventory.level(mozzarella, store)
    dialog = open_count(qtbot, session, book)
    type_into(qtbot, dialog.quantity, "1,5")
    type_into(qtbot, dialog.reason, "Monthly count")
    press_record(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.message.text() == ("counted quantity: '1,5' is ambiguous here: “,” groups thousands and “.” "
                                     "marks decimals, as in 1,234.5")
    assert session.scope.inventory.level(mozzarella, store) == before


# ------------------------------------------------------------------ the pay dialog

def open_pay(qtbot: Any, total: str = "23.52") -> Any:
    from hera_desktop.gui.till.pay_dialog import PayDialog
    dialog = PayDialog(Decimal(total), "USD")
    qtbot.addWidget(dialog)
    dialog.show()
    sent: list[Any] = []
    dialog.submitted.connect(sent.append)
    return dialog, sent


def test_a_third_decimal_in_the_amount_to_pay_is_refused_with_a_message(qtbot: Any, locale: Any) -> None:
    locale("en_US")
    dialog, sent = open_pay(qtbot)
    dialog.choose("card")
    type_into(qtbot, dialog.amount, "10.005")
    assert dialog.amount.text() == "10.005"  # the keystroke is kept: what was typed stays in view
    qtbot.mouseClick(dialog.pay_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "amount: has more decimals than USD allows (10.005)"
    assert sent == []


def test_cash_tendered_with_a_decimal_comma_in_german(qtbot: Any, locale: Any) -> None:
    locale("de_DE")
    dialog, sent = open_pay(qtbot)
    assert dialog.amount.placeholderText() == "23,52"
    type_into(qtbot, dialog.tendered, "50,5")
    assert dialog.change.text() == "Change 26.98 USD"
    qtbot.mouseClick(dialog.pay_button, Qt.MouseButton.LeftButton)
    assert sent == [[{"method": "cash", "amount": "23.52", "tendered": "50.5"}]]


def test_a_tendered_amount_that_reads_two_ways_is_refused(qtbot: Any, locale: Any) -> None:
    locale("en_US")
    dialog, sent = open_pay(qtbot)
    type_into(qtbot, dialog.tendered, "50,5")
    qtbot.mouseClick(dialog.pay_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == ("tendered: '50,5' is ambiguous here: “,” groups thousands and “.” marks "
                                     "decimals, as in 1,234.5")
    assert sent == []


# ------------------------------------------------------------------ journal lines

from hera_desktop.gui.journals.entry_model import CREDIT, DEBIT  # noqa: E402

from .test_journals import open_journals, type_lines  # noqa: E402

JOURNALS_LOG = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing the keyboard")


@JOURNALS_LOG
def test_a_minus_typed_as_a_debit_is_kept_in_view_and_refused_with_the_way_to_credit_it(
        qtbot: Any, session_as: Any, locale: Any) -> None:
    locale("en_US")
    screen = open_journals(qtbot, session_as("bookkeeper"))
    editor, model = screen.editor, screen.editor.model
    qtbot.keyClicks(editor.reference, "FIX-1")
    type_lines(qtbot, screen, [("6000", "25", "", "Paper"), ("1000", "-25", "", "Cash")])
    assert model.data(model.index(1, DEBIT)) == "-25"
    assert model.data(model.index(1, DEBIT), Qt.ItemDataRole.ToolTipRole) == (
        "Debit: cannot be negative (-25); to record 25.00 on the other side, type it as a credit")
    assert editor.problem.text() == ("Line 2: Debit: cannot be negative (-25); to record 25.00 on the other side, "
                                     "type it as a credit")
    assert editor.totals.debits.text() == "25.00"
    assert not editor.post_button.isEnabled()

    model.setData(model.index(1, CREDIT), "25")
    assert (model.lines[1].debit, model.lines[1].credit, model.data(model.index(1, DEBIT))) == (
        None, Decimal("25"), "")
    assert editor.problem.text() == "Balanced: ready to post"


@JOURNALS_LOG
def test_a_third_decimal_on_a_journal_line_is_refused_not_dropped(qtbot: Any, session_as: Any, locale: Any) -> None:
    locale("en_US")
    screen = open_journals(qtbot, session_as("bookkeeper"))
    editor, model = screen.editor, screen.editor.model
    qtbot.keyClicks(editor.reference, "FIX-2")
    type_lines(qtbot, screen, [("6000", "10.005", "", ""), ("1000", "", "10.00", "")])
    assert model.data(model.index(0, DEBIT)) == "10.005"
    assert editor.problem.text() == "Line 1: Debit: has more decimals than USD allows (10.005)"
    assert not editor.post_button.isEnabled()


@JOURNALS_LOG
def test_a_german_bookkeeper_posts_amounts_with_a_decimal_comma(qtbot: Any, session_as: Any, locale: Any) -> None:
    locale("de_DE")
    session = session_as("bookkeeper")
    screen = open_journals(qtbot, session)
    editor, model = screen.editor, screen.editor.model
    qtbot.keyClicks(editor.reference, "MIETE-5")
    type_lines(qtbot, screen, [("6200", "1.234,5", "", "Miete"), ("1000", "", "1234,50", "Kasse")])
    assert [(ln.debit, ln.credit) for ln in model.filled()] == [(Decimal("1234.5"), None), (None, Decimal("1234.50"))]
    assert model.data(model.index(0, DEBIT), Qt.ItemDataRole.EditRole) == "1234,50"
    qtbot.mouseClick(editor.post_button, Qt.MouseButton.LeftButton)
    posted = session.scope.journal_list.entry_with_reference("MIETE-5")
    assert posted is not None
    assert [ln.line_amount for ln in session.scope.txn.read(posted.id).lines] == [Decimal("1234.5")] * 2


# ------------------------------------------------------------------ the cash counted at the close of day

def test_cash_counted_in_german_closes_the_day_with_that_amount(qtbot: Any, books: Any, session_as: Any,
                                                              locale: Any) -> None:
    from hera_desktop.gui.dayclose import DayCloseScreen
    from .test_day_close import confirm, take_the_days_orders
    locale("de_DE")
    take_the_days_orders(books)  # 26.25 expected in the drawer
    session = session_as("manager")
    screen = DayCloseScreen(session)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.keyClicks(screen.counted, "25,5")
    assert screen.difference.text() == "0.75 USD short"
    qtbot.keyClick(screen.counted, Qt.Key.Key_Return)
    confirm(screen)
    [closing] = session.scope.txn.query(transaction_type="day_close").transactions
    assert closing.business_context["counted_cash"] == "25.5"
    assert screen.counted.text() == "25,50"


def test_a_third_decimal_of_cash_counted_is_said_and_the_day_stays_open(qtbot: Any, books: Any, session_as: Any,
                                                                       locale: Any) -> None:
    from hera_desktop.gui.dayclose import DayCloseScreen
    locale("en_US")
    screen = DayCloseScreen(session_as("manager"))
    qtbot.addWidget(screen)
    screen.show()
    qtbot.keyClicks(screen.counted, "25.505")
    assert screen.counted.text() == "25.505"
    assert screen.difference.text() == "Cash counted: has more decimals than USD allows (25.505)"
    assert not screen.z_button.isEnabled()


# ------------------------------------------------------------------ a customer's credit limit

def test_a_german_credit_limit_with_grouping_and_a_decimal_comma_is_stored_exactly(
        qtbot: Any, session_as: Any, books: Any, locale: Any) -> None:
    from .test_customers import open_screen, type_into as type_field
    locale("de_DE")
    session = session_as("manager")
    screen = open_screen(qtbot, session)
    dialog = screen.onboard()
    assert dialog.field("credit_limit").text() == "0,00"
    type_field(qtbot, dialog, "name", "Feinkost Huber")
    type_field(qtbot, dialog, "credit_limit", "1.500,50")
    qtbot.mouseClick(dialog.save, Qt.MouseButton.LeftButton)
    stored = session.scope.universal.get_dynamic_field(screen.detail.customer.id, "credit_limit")
    assert stored.field_value_number == Decimal("1500.50")
    assert screen.detail.fields["credit_limit"].text() == "1500,50"


def test_a_credit_limit_that_reads_two_ways_is_marked_and_cannot_be_saved(qtbot: Any, session_as: Any, books: Any,
                                                                          locale: Any) -> None:
    from .test_customers import open_screen
    locale("en_US")
    screen = open_screen(qtbot, session_as("manager"))
    screen.show_customer(books[1].customers["Acme Corporation"])
    detail = screen.detail
    limit = detail.fields["credit_limit"].line
    limit.selectAll()
    qtbot.keyClicks(limit, "1,5")
    assert detail.fields["credit_limit"].error() == (
        "'1,5' is ambiguous here: “,” groups thousands and “.” marks decimals, as in 1,234.5")
    assert not detail.save.isEnabled()
