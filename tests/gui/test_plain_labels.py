"""What people typed is shown as typed: names, notes and references with HTML tags are never rendered as HTML.

One set of books where everything a person or an import names is named ``<b>Bold</b> <img src=x>``: the
organization, its administrator, a customer, a menu item, a product and a location. Every screen that shows
those names shows the tags as text. A label is either plain text, or rich text on purpose with the names
escaped; a tooltip or a printed document shows the literal tags once Qt has read it.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import Qt as TextQt
from PySide6.QtGui import QKeySequence, QMouseEvent, QTextDocument
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QToolTip

import hera_desktop
from hera_desktop.domain.errors import ValidationError
from hera_desktop.gui.customers.screen import CustomersScreen
from hera_desktop.gui.dayclose import DayCloseScreen
from hera_desktop.gui.errors import show_error
from hera_desktop.gui.inventory.screen import InventoryScreen
from hera_desktop.gui.journals.screen import JournalsScreen
from hera_desktop.gui.reports.screen import ReportsScreen
from hera_desktop.gui.runner import Runner
from hera_desktop.gui.session import Session
from hera_desktop.gui.shell import MainWindow
from hera_desktop.gui.signin import SignInDialog
from hera_desktop.gui.staff import StaffScreen
from hera_desktop.gui.till.screen import TillScreen

TAGS = "<b>Bold</b> <img src=x>"
PIN = "111111"


def rendered(text: str, text_format: Qt.TextFormat = Qt.TextFormat.AutoText) -> str:
    """What a person reads: the text as Qt lays it out (HTML when the format says so, or when Qt guesses so)."""
    rich = text_format == Qt.TextFormat.RichText or (
        text_format == Qt.TextFormat.AutoText and TextQt.mightBeRichText(text))
    if not rich:
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


def reads(label: QLabel) -> str:
    return rendered(label.text(), label.textFormat())


def plain(label: QLabel) -> str:
    """A label that shows people's words must be plain text; its text, for asserting on."""
    assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()
    return label.text()


@dataclass
class Tagged:
    hera: Any
    organization_id: str
    admin: str
    customer: str
    item: str
    product: str
    location: str

    def session(self) -> Session:
        session = Session(self.hera, self.hera.organization(self.organization_id), Runner(pool=None))
        session.sign_in(session.system.users.authenticate(self.admin, PIN))
        return session


@pytest.fixture
def tagged(qapp: Any, tmp_path: Path) -> Iterator[Tagged]:
    """Books whose organization, administrator, customer, menu item, product and location are all named TAGS."""
    hera = hera_desktop.open(tmp_path / "tagged.db")
    org = hera.create_organization(TAGS, currency="USD")
    s = hera.scope(org.id)
    location = s.universal.create_entity(entity_type="location", entity_name=TAGS,
                                         smart_code="HERA.INVENTORY.LOCATION.ENT.V1").id
    item = s.restaurant.menu.add_item(TAGS, "9.50", "Pizza", None, None).id
    product = s.universal.create_entity(entity_type="product", entity_name=TAGS,
                                        smart_code="HERA.INVENTORY.PRODUCT.ENT.V1").id
    s.inventory.adjust(product_id=product, adjustment_type="receipt", quantity=2, unit_cost="2.00",
                       reason="Opening stock", location_id=location)
    s.restaurant.menu.set_consumption(item, product, 1)
    customer = s.customers.onboard(name=TAGS, credit_limit="100").customer.id
    admin = s.users.create(TAGS, "admin", PIN).id
    hera.update_settings(org.id, till_location_id=location)
    yield Tagged(hera, org.id, admin, customer, item, product, location)
    hera.close()


def sell(tagged: Tagged, quantity: int = 3) -> Any:
    """A paid order of the tagged item for the tagged customer, served by the tagged administrator (past the stock)."""
    s = tagged.hera.scope(tagged.organization_id, actor_id=tagged.admin)
    return s.restaurant.process_order(
        customer_id=tagged.customer, server_id=tagged.admin, payment_method="cash",
        items=[{"menu_item_id": tagged.item, "quantity": quantity, "special_instructions": TAGS}])


# ------------------------------------------------------------------ customers

def test_a_customer_named_with_html_tags_is_shown_as_plain_text(qtbot: Any, session_as: Any) -> None:
    session = session_as("manager")
    name = "<b>Bold</b> & <img src=x> Co"
    session.system.customers.onboard(name=name, credit_limit="10")
    screen = CustomersScreen(session)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.keyClicks(screen.search, "Bold")
    qtbot.keyClick(screen.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.detail.name_label.text() == name)
    assert screen.detail.name_label.textFormat() == Qt.TextFormat.PlainText
    assert screen.detail.code_label.textFormat() == Qt.TextFormat.PlainText
    assert plain(screen.count_label).endswith("for “Bold”")


def test_the_customer_banner_shows_its_title_in_bold_and_the_quoted_name_as_typed(qtbot: Any, tagged: Tagged) -> None:
    screen = CustomersScreen(tagged.session())
    qtbot.addWidget(screen)
    screen.show()
    screen.detail.load(tagged.customer, keep_edits=False)
    qtbot.waitUntil(lambda: screen.detail.name_label.text() == TAGS)

    screen.detail.say(ValidationError("name", f"{TAGS} is already a customer"))

    banner = screen.detail.banner
    assert reads(banner) == f"Please check what you entered. name: {TAGS} is already a customer"
    assert "<b>Please check what you entered.</b>" in banner.text()  # the title is bold, the name is not


# ------------------------------------------------------------------ the till, its receipt and kitchen ticket

def test_the_till_ticket_receipt_and_kitchen_ticket_show_names_and_notes_as_typed(qtbot: Any, tagged: Tagged,
                                                                                   tmp_path: Path) -> None:
    screen = TillScreen(tagged.session())
    screen.receipts_dir = tmp_path / "receipts"
    qtbot.addWidget(screen)
    screen.show()
    button = screen.menu.buttons[tagged.item]
    assert rendered(button.toolTip()) == f"{TAGS} (MENU-000001) — 9.50"

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # three, one past the two in stock
    screen.panel.note.setText(TAGS)
    qtbot.keyClick(screen.panel.note, Qt.Key.Key_Return)

    assert plain(screen.message) == f"Added {TAGS}"
    model = screen.model
    assert model.data(model.index(0, model.ITEM)) == f"{TAGS}\n» {TAGS}"
    assert rendered(model.data(model.index(0, model.ITEM), Qt.ItemDataRole.ToolTipRole)) == (
        f"3 × {TAGS} at 9.50 USD — {TAGS}")
    qtbot.waitUntil(lambda: screen.panel.stock_warning.isVisible())
    assert TAGS in plain(screen.panel.stock_warning)

    screen.panel.customer.set_customer(tagged.session().scope.customers.view(tagged.customer))
    screen.hold()  # kept as an open order: the bar's tooltip lists its lines
    kept = screen.orders.list.item(0)
    assert rendered(kept.toolTip()) == f"3 × {TAGS}"
    screen.open_draft(screen.orders.drafts[0])
    assert screen.panel.customer.edit.text() == TAGS

    screen.pay()
    dialog = screen.pay_dialog
    qtbot.keyClick(dialog, Qt.Key.Key_F6)  # card
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: screen.receipt_dialog is not None)

    receipt = screen.receipt_dialog
    text = receipt.text(0)
    assert text.splitlines()[0] == TAGS  # the organization's name heads the receipt
    assert f"3 × {TAGS}" in text and f"Server {TAGS}" in text and f"Customer {TAGS}" in text
    assert f"  {TAGS}" in text  # the special instructions under the item
    kitchen = receipt.text(1)
    assert f"3 ×\n{TAGS}\n" in kitchen
    assert f"» {TAGS}" in kitchen
    assert plain(receipt.headline).startswith("Paid — order ")
    assert plain(receipt.saved).startswith("Saved as PDF in ")


def test_an_ampersand_in_a_menu_item_or_category_is_shown_not_made_a_shortcut(qtbot: Any, session_as: Any) -> None:
    session = session_as("manager")
    item = session.scope.restaurant.menu.add_item("Fish & Chips", "11.00", "Fish & Grill", None, None)
    screen = TillScreen(session)
    qtbot.addWidget(screen)
    screen.show()
    button = screen.menu.buttons[item.id]
    category = screen.menu.findChild(QPushButton, "category:Fish & Grill")

    screen.menu.select_category("Fish & Grill")

    for shown in (button, category):
        assert QKeySequence.mnemonic(shown.text()).isEmpty()  # Qt would underline the letter after a single &
    assert button.text().replace("&&", "&").startswith("Fish & Chips\n")
    assert category.text().replace("&&", "&") == "Fish & Grill" and category.isChecked()
    assert screen.menu.category() == "Fish & Grill"
    assert [i.entity_name for i in screen.menu.visible] == ["Fish & Chips"]


# ------------------------------------------------------------------ stock

def test_inventory_shows_product_and_location_names_as_typed(qtbot: Any, tagged: Tagged) -> None:
    sell(tagged)  # one below zero
    screen = InventoryScreen(tagged.session())
    qtbot.addWidget(screen)
    screen.resize(1100, 700)
    screen.show()
    model = screen.model
    row = next(i for i, r in enumerate(model.rows) if r.product_id == tagged.product)
    assert model.data(model.index(row, 0)) == TAGS
    assert rendered(model.data(model.index(row, 0), Qt.ItemDataRole.ToolTipRole)) == (
        f"Below zero: -1 at {TAGS}. Sold past what the books had: receive or count it.")

    screen.select_product(tagged.product)

    assert plain(screen.history.heading) == f"Movement history — {TAGS}"
    assert screen.history.location.itemText(1) == TAGS
    dialog = screen.open_adjustment("issue", tagged.product)
    qtbot.addWidget(dialog)
    assert plain(dialog.on_hand).startswith(f"On hand at {TAGS}: ")


# ------------------------------------------------------------------ signing in, the window, settings

def test_sign_in_window_title_and_status_bar_show_the_names_as_typed(qtbot: Any, tagged: Tagged) -> None:
    session = Session(tagged.hera, tagged.hera.organization(tagged.organization_id), Runner(pool=None))
    dialog = SignInDialog(session)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == f"Sign in — {TAGS}"
    assert dialog.users.item(0).text() == f"{TAGS} — admin"
    dialog.users.setCurrentRow(0)
    qtbot.keyClicks(dialog.pin, "000000")
    qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)
    assert plain(dialog.message)

    window = MainWindow(tagged.session())
    qtbot.addWidget(window)
    assert window.windowTitle() == f"HERA Desktop — {TAGS}"
    assert plain(window.org_label) == TAGS
    assert plain(window.user_label) == f"{TAGS} (admin)"


def test_the_staff_table_and_its_message_show_user_names_as_typed(qtbot: Any, tagged: Tagged) -> None:
    screen = StaffScreen(tagged.session())
    qtbot.addWidget(screen)
    screen.show()
    assert screen.table.item(0, 0).text() == TAGS

    qtbot.keyClicks(screen.new_name, f"{TAGS} Two")
    screen.new_role.setCurrentText("cashier")
    qtbot.keyClicks(screen.new_pin, "4321")
    qtbot.keyClicks(screen.new_pin_again, "4321")
    qtbot.mouseClick(screen.add_user, Qt.MouseButton.LeftButton)

    assert plain(screen.message) == f"{TAGS} Two added as cashier."
    assert f"{TAGS} Two" in [screen.table.item(r, 0).text() for r in range(screen.table.rowCount())]


# ------------------------------------------------------------------ reports and the day close

@pytest.mark.qt_log_ignore("does not support raise")  # the offscreen platform cannot raise the tooltip
def test_reports_show_item_and_server_names_as_typed(qtbot: Any, tagged: Tagged) -> None:
    sell(tagged)
    screen = ReportsScreen(tagged.session())
    qtbot.addWidget(screen)
    screen.resize(1100, 760)
    screen.select("sales_by_item", run=False)
    screen.show()
    model = screen.model
    assert model.data(model.index(0, 0)) == TAGS
    for label in (screen.heading, screen.subtitle, screen.note):
        plain(label)
    mark = screen.chart.marks()[0].center()
    QApplication.sendEvent(screen.chart, QMouseEvent(  # the pointer comes to rest on the item's bar
        QEvent.Type.MouseMove, mark, screen.chart.mapToGlobal(mark), Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier))
    assert QToolTip.isVisible()
    assert rendered(QToolTip.text()).startswith(f"{TAGS}: ")
    QToolTip.hideText()

    screen.select("sales_by_server")
    assert model.data(model.index(0, 0)) == TAGS


def test_the_day_report_shows_the_organization_product_and_location_as_typed(qtbot: Any, tagged: Tagged) -> None:
    sell(tagged)
    screen = DayCloseScreen(tagged.session())
    qtbot.addWidget(screen)
    screen.show()
    text = screen.report.toPlainText()
    assert text.splitlines()[0] == TAGS
    assert f"\n{TAGS}\n{TAGS}\n-1\n" in text  # the product below zero, where, and by how much (one cell a line)
    plain(screen.status)


# ------------------------------------------------------------------ journals

def test_a_journal_entry_shows_its_description_reference_and_reversal_reason_as_typed(qtbot: Any,
                                                                                       tagged: Tagged) -> None:
    session = tagged.session()
    journals = session.scope.journals
    entry = journals.create_entry(reference=TAGS, description=TAGS, lines=[
        {"gl_account_id": journals.account_by_code("6000").id, "amount": "5", "dr_cr": "DR"},
        {"gl_account_id": journals.account_by_code("1000").id, "amount": "5", "dr_cr": "CR"}]).journal_entry
    journals.reverse(entry.transaction_id, TAGS)
    screen = JournalsScreen(session)
    qtbot.addWidget(screen)
    screen.resize(1110, 760)
    screen.show()
    screen.tabs.setCurrentWidget(screen.posted)
    screen.posted.show_entry(entry.transaction_id)
    detail = screen.posted.detail
    qtbot.waitUntil(lambda: detail.detail is not None and detail.detail.id == entry.transaction_id)

    assert plain(detail.title) == f"{entry.transaction_code}  ·  {TAGS}"
    assert f"Reference {TAGS}" in plain(detail.facts) and f"posted by {TAGS}" in plain(detail.facts)
    assert detail.trace.textFormat() == Qt.TextFormat.RichText  # a link to the reversal, on purpose
    assert reads(detail.trace).endswith(f": {TAGS}")
    posted = screen.posted.model
    row = next(r for r in range(posted.rowCount()) if posted.rows[r].id == entry.transaction_id)
    assert rendered(posted.data(posted.index(row, 3), Qt.ItemDataRole.ToolTipRole)) == TAGS

    editor = screen.editor
    screen.tabs.setCurrentWidget(editor)
    editor.reference.setText(TAGS)
    editor.check_reference()
    assert reads(editor.pointer.text).startswith(f"⚠ Reference {TAGS} was already posted as ")
    box = editor.pointer.refuse(TAGS, session.scope.journal_list.entry_with_reference(TAGS))
    assert box.textFormat() == Qt.TextFormat.PlainText and f"Reference {TAGS} already" in box.text()
    box.close()


# ------------------------------------------------------------------ error messages

def test_an_error_that_quotes_what_was_typed_says_it_as_typed(qtbot: Any, qapp: Any) -> None:
    box = show_error(None, ValidationError("name", f"{TAGS} is already taken"))
    qtbot.addWidget(box)
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert box.text() == f"name: {TAGS} is already taken"
    box.close()
