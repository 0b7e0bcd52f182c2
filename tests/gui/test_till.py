"""The till, driven the way a cashier drives it: keys go to whatever has the focus."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

import hera_desktop
from hera_desktop.domain.errors import PermissionDeniedError, StorageError
from hera_desktop.gui.runner import Runner
from hera_desktop.gui.session import Session
from hera_desktop.gui.till.receipt_dialog import ReceiptDialog
from hera_desktop.gui.till.screen import TillScreen
from hera_desktop.gui.till.ticket import TicketModel

from .conftest import PINS

# ------------------------------------------------------------------ how a cashier works the till


def activate(qtbot: Any, window: QWidget) -> None:
    """What the window system does when a window opens: it gets the keyboard."""
    window.activateWindow()
    window.windowHandle().requestActivate()
    qtbot.waitUntil(window.isActiveWindow)


def press(qtbot: Any, key: Any, modifier: Any = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)


def type_text(qtbot: Any, text: str) -> None:
    qtbot.keyClicks(QApplication.focusWidget(), text)


def double_click(qtbot: Any, widget: QWidget) -> None:
    """The events a real double click delivers (QTest's mouseDClick sends only the last of them)."""
    left = Qt.MouseButton.LeftButton
    qtbot.mousePress(widget, left)
    qtbot.mouseRelease(widget, left)
    qtbot.mousePress(widget, left)
    qtbot.mouseDClick(widget, left)
    qtbot.mouseRelease(widget, left)


def add(qtbot: Any, search: str) -> None:
    type_text(qtbot, search)
    press(qtbot, Qt.Key.Key_Return)


def ticket_lines(screen: TillScreen) -> list[tuple[str, ...]]:
    m = screen.model
    return [tuple(m.data(m.index(r, c)) for c in (m.QTY, m.ITEM, m.AMOUNT)) for r in range(m.rowCount())]


def as_system(scope: Any) -> Any:
    """The same books read by the system: a cashier reads no raw records."""
    return scope.hera.scope(scope.organization_id)


def sales(scope: Any) -> list[Any]:
    return as_system(scope).txn.query(transaction_type="sale").transactions


def pay_with_keys(qtbot: Any, screen: TillScreen, method_key: Any = Qt.Key.Key_F6, tendered: str = "") -> Any:
    press(qtbot, Qt.Key.Key_F12)
    dialog = screen.pay_dialog
    activate(qtbot, dialog)
    press(qtbot, method_key)
    if tendered:
        type_text(qtbot, tendered)
    press(qtbot, Qt.Key.Key_Return)
    return dialog


@pytest.fixture
def receipts_dir(tmp_path: Path) -> Path:
    return tmp_path / "receipts"


@pytest.fixture
def open_till(qtbot: Any, session_as: Any, receipts_dir: Path) -> Any:
    def make(role: str = "cashier", session: Session | None = None) -> TillScreen:
        screen = TillScreen(session or session_as(role))
        screen.receipts_dir = receipts_dir
        qtbot.addWidget(screen)
        screen.resize(1180, 780)
        screen.show()
        activate(qtbot, screen)
        return screen
    return make


# ------------------------------------------------------------------ taking and paying an order

def test_a_cashier_takes_and_pays_a_three_item_order_with_the_keyboard_only(qtbot: Any, open_till: Any,
                                                                             books: Any) -> None:
    screen = open_till("cashier")
    assert QApplication.focusWidget() is screen.menu.search

    add(qtbot, "marg")
    add(qtbot, "carbonara")
    add(qtbot, "wine")
    press(qtbot, "+")                       # two glasses of wine
    press(qtbot, Qt.Key.Key_Up)             # the carbonara line
    press(qtbot, Qt.Key.Key_F5)
    type_text(qtbot, "no pepper")
    press(qtbot, Qt.Key.Key_Return)
    press(qtbot, Qt.Key.Key_F4)
    type_text(qtbot, "12")
    press(qtbot, Qt.Key.Key_Return)
    press(qtbot, Qt.Key.Key_F3)
    type_text(qtbot, "acme")
    press(qtbot, Qt.Key.Key_Return)

    assert ticket_lines(screen) == [("1", "Margherita Pizza", "12.50"),
                                    ("1", "Spaghetti Carbonara Pasta\n» no pepper", "13.80"),
                                    ("2", "House Red Wine", "15.00")]
    assert screen.panel.customer.edit.text() == "Acme Corporation"
    assert screen.panel.title.text() == "Table 12"
    assert (screen.panel.subtotal.text(), screen.panel.tax.text(), screen.panel.total.text()) == (
        "41.30 USD", "2.07 USD", "43.37 USD")  # tax 2.065 rounds half-up, as the books do

    dialog = pay_with_keys(qtbot, screen, Qt.Key.Key_F5, tendered="50")
    assert dialog.result() == dialog.DialogCode.Accepted

    receipt = screen.receipt_dialog
    assert receipt is not None and receipt.isVisible()
    assert receipt.headline.text() == "Change due 6.63 USD"
    assert "43.37" in receipt.text() and "no pepper" in receipt.text()
    hera, book = books
    recorded = sales(hera.scope(book.organization_id))
    assert len(recorded) == 1
    sale = hera.scope(book.organization_id).txn.read(recorded[0].id)
    assert sale.total_amount == Decimal("43.37")
    assert sale.source_entity_id == book.customers["Acme Corporation"]
    assert sale.business_context["table_number"] == 12
    assert sale.business_context["server_id"] == book.users["cashier"]
    activate(qtbot, receipt)
    press(qtbot, Qt.Key.Key_Escape)
    assert screen.receipt_dialog is None
    assert screen.model.rowCount() == 0 and screen.panel.title.text() == "New order"
    activate(qtbot, screen)                 # back at the till, ready for the next order
    assert QApplication.focusWidget() is screen.menu.search


def test_the_menu_is_searched_by_name_or_code_and_browsed_by_category(qtbot: Any, open_till: Any,
                                                                     books: Any) -> None:
    _hera, book = books
    screen = open_till("cashier")
    menu = screen.menu
    tiramisu = menu.items[book.menu["Tiramisu"]]

    add(qtbot, tiramisu.entity_code.lower())
    type_text(qtbot, "pasta")
    shown = [i.entity_name for i in menu.visible]
    menu.search.clear()
    menu.select_category("Drinks")

    assert ticket_lines(screen) == [("1", "Tiramisu", "7.00")]
    assert shown == ["Penne Arrabbiata Pasta", "Spaghetti Carbonara Pasta"]
    assert [i.entity_name for i in menu.visible] == ["Espresso", "House Red Wine", "Sparkling Water"]
    assert [b.isVisible() for b in menu.buttons.values()].count(True) == 3
    assert all(b.width() >= 150 and b.height() >= 80 for b in menu.buttons.values() if b.isVisible())


def test_tab_walks_from_the_search_box_through_the_order_fields(qtbot: Any, open_till: Any) -> None:
    screen = open_till("cashier")
    p = screen.panel
    walked = []
    for _ in range(5):
        press(qtbot, Qt.Key.Key_Tab)
        walked.append(QApplication.focusWidget())
    assert walked == [p.table, p.customer.edit, p.server, p.view, screen.menu.search]


def test_the_ticket_shows_the_figures_the_books_record(qtbot: Any, open_till: Any) -> None:
    screen = open_till("cashier")
    orders = [["espresso"], ["quattro", "tiramisu", "bruschetta"], ["penne", "penne", "penne", "water"]]
    for searches in orders:
        for text in searches:
            add(qtbot, text)
        preview = screen.model.totals(screen.panel.rate())
        pay_with_keys(qtbot, screen)
        summary = screen.last_order.order_summary
        assert (summary.subtotal, summary.tax_amount, summary.total_amount) == (
            preview.subtotal, preview.tax, preview.total)
        activate(qtbot, screen)


def test_void_a_line_before_payment(qtbot: Any, open_till: Any) -> None:
    screen = open_till("cashier")
    for text in ("marg", "carbonara", "wine"):
        add(qtbot, text)
    press(qtbot, Qt.Key.Key_Up)
    press(qtbot, Qt.Key.Key_Delete)

    assert [line[1] for line in ticket_lines(screen)] == ["Margherita Pizza", "House Red Wine"]
    assert screen.panel.subtotal.text() == "20.00 USD"
    press(qtbot, "-")   # never below one: voiding is a deliberate act
    assert ticket_lines(screen)[-1][0] == "1"


def test_one_order_paid_part_by_card_and_the_rest_in_cash(qtbot: Any, open_till: Any, books: Any) -> None:
    hera, book = books
    screen = open_till("cashier")
    add(qtbot, "quattro")
    add(qtbot, "wine")                      # 22.40 + tax 1.12 = 23.52
    press(qtbot, Qt.Key.Key_F12)
    dialog = screen.pay_dialog
    activate(qtbot, dialog)
    press(qtbot, Qt.Key.Key_F6)
    type_text(qtbot, "10")
    press(qtbot, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.due.text() == "Still to pay 13.52 USD"
    press(qtbot, Qt.Key.Key_F5)
    type_text(qtbot, "20")
    assert dialog.change.text() == "Change 6.48 USD"
    press(qtbot, Qt.Key.Key_Return)

    scope = hera.scope(book.organization_id)
    payments = scope.restaurant.payments_of(screen.last_order.sales_transaction.transaction_id)
    assert [(p.business_context["payment_method"], p.total_amount) for p in payments] == [
        ("card", Decimal("10.00")), ("cash", Decimal("13.52"))]
    assert screen.receipt_dialog.headline.text() == "Change due 6.48 USD"


# ------------------------------------------------------------------ refusals and retries

def test_on_account_past_the_credit_limit_is_refused_with_both_figures_and_the_order_stays(
        qtbot: Any, open_till: Any, books: Any) -> None:
    hera, book = books
    scope = hera.scope(book.organization_id)
    screen = open_till("cashier")
    add(qtbot, "quattro")
    for _ in range(6):
        press(qtbot, "+")                   # 7 × 14.90 = 104.30, with tax 109.52
    press(qtbot, Qt.Key.Key_F4)
    type_text(qtbot, "7")
    press(qtbot, Qt.Key.Key_Return)
    press(qtbot, Qt.Key.Key_F3)
    type_text(qtbot, "carlo")
    press(qtbot, Qt.Key.Key_Return)
    press(qtbot, Qt.Key.Key_F8)             # kept as table 7's open order
    press(qtbot, Qt.Key.Key_F9)
    press(qtbot, Qt.Key.Key_Return)
    assert screen.panel.title.text() == "Table 7 — open order"

    dialog = pay_with_keys(qtbot, screen, Qt.Key.Key_F7)

    message = dialog.message.text()
    assert dialog.isVisible() and "Credit limit reached" in message
    assert "109.52 USD" in message and "100.00 USD" in message
    assert sales(scope) == [] and as_system(scope).txn.query(transaction_type="payment").transactions == []
    assert [d.entity_name for d in scope.order_drafts.list()] == ["Table 7"]
    assert ticket_lines(screen) == [("7", "Quattro Formaggi Pizza", "104.30")]
    assert dialog.pay_button.isEnabled()

    press(qtbot, Qt.Key.Key_F6)             # the customer pays by card instead
    press(qtbot, Qt.Key.Key_Return)
    assert len(sales(scope)) == 1
    assert scope.order_drafts.list() == []


def test_a_double_click_on_pay_records_one_sale(qtbot: Any, open_till: Any, books: Any) -> None:
    hera, book = books
    screen = open_till("cashier")
    add(qtbot, "marg")
    press(qtbot, Qt.Key.Key_F12)
    dialog = screen.pay_dialog
    activate(qtbot, dialog)

    double_click(qtbot, dialog.pay_button)

    assert len(sales(hera.scope(book.organization_id))) == 1
    assert len(screen.findChildren(ReceiptDialog)) == 1


def test_pay_is_disabled_while_the_payment_is_being_recorded(qtbot: Any, session_as: Any, open_till: Any,
                                                             books: Any) -> None:
    hera, book = books
    session = session_as("cashier")
    pool = QThreadPool()
    session.runner = Runner(pool)
    screen = open_till(session=session)
    qtbot.waitUntil(lambda: bool(screen.menu.items))
    add(qtbot, "marg")
    press(qtbot, Qt.Key.Key_F12)
    dialog = screen.pay_dialog
    activate(qtbot, dialog)

    double_click(qtbot, dialog.pay_button)
    assert not dialog.pay_button.isEnabled()
    press(qtbot, Qt.Key.Key_F12)            # and Pay on the till does nothing meanwhile
    qtbot.waitUntil(lambda: screen.receipt_dialog is not None)
    pool.waitForDone()

    assert len(sales(hera.scope(book.organization_id))) == 1


def test_retrying_pay_after_a_lost_answer_records_one_sale(qtbot: Any, open_till: Any, books: Any,
                                                           monkeypatch: Any) -> None:
    hera, book = books
    screen = open_till("cashier")
    drafts = screen.session.scope.order_drafts
    real_pay = drafts.pay
    calls = []

    def answer_lost(*args: Any, **kwargs: Any) -> Any:
        result = real_pay(*args, **kwargs)
        calls.append(result)
        if len(calls) == 1:  # recorded, but the till never hears back
            raise StorageError("The books could not be reached")
        return result

    monkeypatch.setattr(drafts, "pay", answer_lost)
    add(qtbot, "marg")
    add(qtbot, "wine")
    dialog = pay_with_keys(qtbot, screen, Qt.Key.Key_F6)
    assert dialog.isVisible() and "The books could not be saved" in dialog.message.text()
    assert len(ticket_lines(screen)) == 2

    press(qtbot, Qt.Key.Key_Return)         # the cashier tries again

    assert calls[1].replayed
    assert len(sales(hera.scope(book.organization_id))) == 1
    assert screen.receipt_dialog is not None and screen.model.rowCount() == 0


def test_a_failed_action_keeps_the_ticket_and_says_why(qtbot: Any, open_till: Any, monkeypatch: Any) -> None:
    screen = open_till("cashier")
    add(qtbot, "marg")

    def refuse(*_a: Any, **_k: Any) -> Any:
        raise StorageError("The disk is full")

    monkeypatch.setattr(screen.session.scope.order_drafts, "save", refuse)
    press(qtbot, Qt.Key.Key_F8)

    box = screen.findChild(QMessageBox, "errorDialog")
    assert box is not None and box.text() == "The disk is full"
    assert ticket_lines(screen) == [("1", "Margherita Pizza", "12.50")]


# ------------------------------------------------------------------ open orders

def test_an_open_order_survives_closing_and_reopening_the_books(qtbot: Any, open_till: Any, books: Any,
                                                               tmp_path: Path) -> None:
    hera, book = books
    screen = open_till("cashier")
    add(qtbot, "marg")
    add(qtbot, "water")
    press(qtbot, Qt.Key.Key_F5)
    type_text(qtbot, "no ice")
    press(qtbot, Qt.Key.Key_Return)
    press(qtbot, Qt.Key.Key_F4)
    type_text(qtbot, "5")
    press(qtbot, Qt.Key.Key_Return)
    press(qtbot, Qt.Key.Key_F8)
    assert "Table 5 is kept" in screen.message.text()
    assert screen.model.rowCount() == 0 and screen.orders.names() == ["Table 5"]
    screen.close()
    hera.close()

    reopened = hera_desktop.open(tmp_path / "books.db")
    try:
        session = Session(reopened, reopened.organization(book.organization_id), Runner(pool=None))
        session.sign_in(session.system.users.authenticate(book.users["cashier"], PINS["cashier"]))
        again = open_till(session=session)
        assert again.orders.names() == ["Table 5"]
        press(qtbot, Qt.Key.Key_F9)
        press(qtbot, Qt.Key.Key_Return)
        assert ticket_lines(again) == [("1", "Margherita Pizza", "12.50"), ("1", "Sparkling Water\n» no ice", "3.00")]
        assert again.panel.table.text() == "5"

        pay_with_keys(qtbot, again)

        assert again.orders.names() == []
        assert session.scope.order_drafts.list() == []
        assert len(sales(session.scope)) == 1
    finally:
        reopened.close()


def test_cancelling_an_open_order_discards_it(qtbot: Any, open_till: Any, books: Any) -> None:
    hera, book = books
    screen = open_till("cashier")
    add(qtbot, "tiramisu")
    press(qtbot, Qt.Key.Key_F8)
    press(qtbot, Qt.Key.Key_F9)
    press(qtbot, Qt.Key.Key_Return)
    draft_id = screen.model.draft_id

    screen.panel.cancel.click()
    screen.cancel_box.button(QMessageBox.StandardButton.Yes).click()

    assert screen.orders.names() == [] and screen.model.rowCount() == 0
    assert hera.scope(book.organization_id).universal.get_entity(draft_id).metadata["deleted_reason"] == "cancelled"


# ------------------------------------------------------------------ receipts, reprints, refunds

def test_the_receipt_and_kitchen_tickets_are_saved_as_pdf_and_a_reprint_says_copy(
        qtbot: Any, open_till: Any, receipts_dir: Path, tmp_path: Path) -> None:
    screen = open_till("cashier")
    add(qtbot, "marg")
    add(qtbot, "wine")
    pay_with_keys(qtbot, screen)
    code = screen.last_order.sales_transaction.transaction_code
    receipt = screen.receipt_dialog

    names = sorted(p.name for p in receipts_dir.iterdir())
    assert names == sorted([f"{code}.pdf", f"{code}-kitchen-bar.pdf", f"{code}-kitchen-pizza_station.pdf"])
    assert all(p.read_bytes().startswith(b"%PDF") for p in receipts_dir.iterdir())
    assert "COPY" not in receipt.text()
    assert [receipt.tabs.tabText(i) for i in range(receipt.tabs.count())] == [
        "Receipt", "Kitchen: Pizza Station", "Kitchen: Bar"]
    assert "Margherita Pizza" in receipt.text(1) and "House Red Wine" not in receipt.text(1)

    receipt.accept()
    activate(qtbot, screen)
    press(qtbot, Qt.Key.Key_F10)
    recent = screen.recent_dialog
    activate(qtbot, recent)
    press(qtbot, Qt.Key.Key_Return)         # reprint the newest sale

    copy = screen.receipt_dialog
    assert copy is not receipt and copy.receipt.copy
    assert "*** COPY ***" in copy.text() and "COPY" in copy.text(1)
    assert (receipts_dir / f"{code}-copy-1.pdf").read_bytes().startswith(b"%PDF")

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    copy.print_to(printer)
    assert (tmp_path / "printed.pdf").read_bytes().startswith(b"%PDF")


def test_refund_is_not_offered_to_a_cashier(qtbot: Any, open_till: Any) -> None:
    screen = open_till("cashier")
    add(qtbot, "espresso")
    pay_with_keys(qtbot, screen)
    screen.receipt_dialog.accept()

    recent = screen.show_recent()

    assert recent.list.count() == 1 and recent.refund_button is None
    assert recent.findChild(QWidget, "refund") is None
    with pytest.raises(PermissionDeniedError):  # and the books would refuse anyway
        screen.session.scope.restaurant.refund(screen.last_order.sales_transaction.transaction_id, "try")


def test_a_manager_refunds_a_paid_order_with_a_reason(qtbot: Any, open_till: Any, books: Any) -> None:
    hera, book = books
    screen = open_till("manager")
    add(qtbot, "espresso")
    pay_with_keys(qtbot, screen)
    screen.receipt_dialog.accept()
    sale_id = screen.last_order.sales_transaction.transaction_id

    recent = screen.show_recent()
    refund = recent.ask_refund()
    assert not refund.ok.isEnabled()        # a reason is required
    activate(qtbot, refund)
    type_text(qtbot, "Cold coffee")
    press(qtbot, Qt.Key.Key_Return)

    sale = hera.scope(book.organization_id).txn.read(sale_id)
    assert sale.is_reversed
    reversal = hera.scope(book.organization_id).txn.read(sale.reversed_by)
    assert reversal.total_amount == -sale.total_amount or reversal.total_amount == sale.total_amount
    assert "refunded" in recent.message.text()
    assert recent.list.item(0).text().endswith("REFUNDED")


# ------------------------------------------------------------------ the ticket model

def test_the_ticket_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    model = TicketModel("USD")
    model.add("a", "Margherita Pizza", Decimal("12.50"))
    model.add("b", "House Red Wine", Decimal("7.50"))
    model.add("a", "Margherita Pizza", Decimal("12.50"))
    model.set_note(1, "no ice")

    qtmodeltester.check(model)

    assert [(ln.name, ln.quantity, ln.note) for ln in model.lines] == [
        ("Margherita Pizza", 2, ""), ("House Red Wine", 1, "no ice")]
    assert model.totals(Decimal("0.05")).total == Decimal("34.13")  # 32.50 + 1.625 → 1.63
    assert not model.setData(model.index(0, model.QTY), "0")
    assert model.setData(model.index(0, model.QTY), "3") and model.lines[0].quantity == 3
