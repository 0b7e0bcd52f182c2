"""The customers screen: onboarding with inline checks, search as you type, paging, detail, roles."""
from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from hera_desktop.gui.customers.detail import CustomerDetail
from hera_desktop.gui.customers.history_model import HistoryModel
from hera_desktop.gui.customers.list_model import CustomerListModel
from hera_desktop.gui.customers.onboarding import OnboardingDialog
from hera_desktop.gui.customers.screen import CustomersScreen

# The usage guide's table of customer status transitions, as a manager is offered them.
FROM_ACTIVE = ["inactive", "suspended", "closed"]
FROM_SUSPENDED = ["active", "closed"]


def open_screen(qtbot: Any, session: Any) -> CustomersScreen:
    screen = CustomersScreen(session)
    qtbot.addWidget(screen)
    screen.resize(1100, 760)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def listed(screen: CustomersScreen, column: int = 0) -> list[str]:
    model = screen.table.model()
    return [model.index(r, column).data() for r in range(model.rowCount())]


def type_into(qtbot: Any, dialog: OnboardingDialog, name: str, text: str) -> None:
    line = dialog.field(name).line
    dialog.activateWindow()
    line.setFocus()
    qtbot.waitUntil(line.hasFocus)
    line.selectAll()
    qtbot.keyClicks(line, text)
    qtbot.keyClick(line, Qt.Key.Key_Tab)  # leave the field, as a person moving on would


def change_status(qtbot: Any, detail: CustomerDetail, status: str, reason: str) -> None:
    detail.status.choose(status)
    qtbot.keyClicks(detail.status.reason, reason)
    qtbot.mouseClick(detail.status.button, Qt.MouseButton.LeftButton)


def test_a_customer_is_onboarded_and_moved_active_suspended_active(qtbot: Any, session_as: Any) -> None:
    screen = open_screen(qtbot, session_as("manager"))
    dialog = screen.onboard()
    assert dialog is not None and not dialog.save.isEnabled()
    type_into(qtbot, dialog, "name", "Nonna's Deli")
    type_into(qtbot, dialog, "email", "orders@nonnas.example")
    type_into(qtbot, dialog, "phone", "+1 555 0188")
    type_into(qtbot, dialog, "credit_limit", "750")
    assert dialog.save.isEnabled()
    qtbot.mouseClick(dialog.save, Qt.MouseButton.LeftButton)

    assert dialog.result() == OnboardingDialog.DialogCode.Accepted
    detail = screen.detail
    assert listed(screen) == ["Nonna's Deli"]
    assert detail.name_label.text() == "Nonna's Deli"
    assert detail.status.badge.text() == "Active"
    assert detail.account.limit.text() == "750.00 USD"
    assert detail.status.offered() == FROM_ACTIVE

    change_status(qtbot, detail, "suspended", "Payment overdue")
    assert detail.status.badge.text() == "Suspended"
    assert detail.status.offered() == FROM_SUSPENDED
    assert listed(screen, 2) == ["Suspended"]

    change_status(qtbot, detail, "active", "Paid in full")
    assert detail.status.badge.text() == "Active"
    assert detail.status.offered() == FROM_ACTIVE
    history = [(detail.history.index(r, 1).data(), detail.history.index(r, 2).data())
               for r in range(detail.history.rowCount())]
    assert history == [("Status", "Suspended → Active: Paid in full"),
                       ("Status", "Active → Suspended: Payment overdue")]


def test_a_status_change_needs_a_reason(qtbot: Any, session_as: Any, books: Any) -> None:
    screen = open_screen(qtbot, session_as("manager"))
    screen.show_customer(books[1].customers["Carlo Rossi"])
    screen.detail.status.choose("suspended")
    assert not screen.detail.status.button.isEnabled()
    qtbot.keyClicks(screen.detail.status.reason, "Payment overdue")
    assert screen.detail.status.button.isEnabled()


def test_a_bad_email_is_pointed_out_under_the_field_and_save_stays_disabled(qtbot: Any, session_as: Any) -> None:
    dialog = OnboardingDialog(session_as("cashier"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    type_into(qtbot, dialog, "name", "Walk-in Wanda")
    type_into(qtbot, dialog, "email", "wanda@")
    error = dialog.field("email").error_label
    assert "is not an email address" in error.text()
    assert not dialog.save.isEnabled()
    type_into(qtbot, dialog, "email", "wanda@example.com")
    assert error.text() == ""
    assert dialog.save.isEnabled()


def test_a_refusal_from_the_books_is_explained_and_the_form_keeps_what_was_typed(qtbot: Any,
                                                                                session_as: Any) -> None:
    dialog = OnboardingDialog(session_as("bookkeeper"))  # may view customers, may not onboard them
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog, "name", "Studio Verde")
    type_into(qtbot, dialog, "email", "hi@studioverde.example")
    qtbot.mouseClick(dialog.save, Qt.MouseButton.LeftButton)
    assert dialog.result() != OnboardingDialog.DialogCode.Accepted
    assert dialog.banner.isVisibleTo(dialog)
    assert "Not allowed" in dialog.banner.text() and "Nothing was saved" in dialog.banner.text()
    assert dialog.field("name").text() == "Studio Verde"
    assert dialog.field("email").text() == "hi@studioverde.example"


def test_search_as_you_type_filters_the_list(qtbot: Any, session_as: Any) -> None:
    screen = open_screen(qtbot, session_as("cashier"))
    assert listed(screen) == ["Acme Corporation", "Bella Events Ltd", "Carlo Rossi"]
    qtbot.keyClicks(screen.search, "b")
    assert listed(screen) == ["Bella Events Ltd"]
    assert screen.count_label.text() == "1 found for “b”"
    screen.search.clear()
    qtbot.keyClicks(screen.search, "carlo.ro")  # email addresses are searchable too
    assert listed(screen) == ["Carlo Rossi"]
    qtbot.keyClicks(screen.search, "x")
    assert listed(screen) == []
    assert "No customers match" in screen.count_label.text()
    screen.search.clear()
    assert len(listed(screen)) == 3


def test_enter_in_the_search_box_opens_the_first_match(qtbot: Any, session_as: Any) -> None:
    screen = open_screen(qtbot, session_as("cashier"))
    qtbot.keyClicks(screen.search, "bella")
    qtbot.keyClick(screen.search, Qt.Key.Key_Return)
    assert screen.detail.name_label.text() == "Bella Events Ltd"
    assert screen.detail.account.limit.text() == "1,500.00 USD"


def test_the_list_and_history_models_pass_the_model_tester(qtmodeltester: Any, session_as: Any,
                                                            books: Any) -> None:
    session = session_as("manager")
    model = CustomerListModel(lambda: session.scope.customer_directory, session.runner.read)
    model.search("")
    assert model.rowCount() == 3
    qtmodeltester.check(model)
    model.search("acme")
    qtmodeltester.check(model)
    history = HistoryModel()
    carlo = books[1].customers["Carlo Rossi"]
    session.scope.customers.transition_status(carlo, "suspended", "Payment overdue")
    history.set_history(session.scope.customers.history(carlo))
    qtmodeltester.check(history)


@pytest.fixture
def many_customers(books: Any) -> int:
    """About a thousand more customers, written straight through the universal API (fast to arrange)."""
    hera, book = books
    s = hera.scope(book.organization_id)
    with hera.db.write():
        for i in range(1000):
            s.universal.create_entity(entity_type="customer", entity_name=f"Guest {i:04d}",
                                      entity_code=f"CUST-GST-{i:04d}", smart_code="HERA.CRM.CUST.ENT.PROF.V1")
    return 1003


def test_the_list_holds_one_page_and_fetches_more_as_it_scrolls(qtbot: Any, session_as: Any,
                                                                many_customers: int) -> None:
    screen = open_screen(qtbot, session_as("manager"))
    model = screen.model
    assert model.rowCount() == 200
    assert "scroll for more" in screen.count_label.text()
    assert model.canFetchMore(model.index(-1, -1).parent())
    screen.table.scrollToBottom()  # the view asks the model for the next page
    qtbot.waitUntil(lambda: model.rowCount() > 200)
    assert model.rowCount() == 400
    while model.canFetchMore(model.index(-1, -1).parent()):
        model.fetchMore(model.index(-1, -1).parent())
    names = listed(screen)
    assert len(names) == len(set(names)) == many_customers
    assert names == sorted(names)
    assert screen.count_label.text() == f"{many_customers:,} customers shown"


def test_a_cashier_may_onboard_but_is_not_offered_status_changes_or_editing(qtbot: Any, session_as: Any,
                                                                            books: Any) -> None:
    screen = open_screen(qtbot, session_as("cashier"))
    assert screen.new_button.isVisible()
    screen.show_customer(books[1].customers["Carlo Rossi"])
    detail = screen.detail
    assert detail.status.badge.text() == "Active"
    assert detail.status.offered() == []
    assert not detail.status.button.isVisible()
    assert "Only a manager" in detail.status.hint.text()
    assert all(field.line.isReadOnly() for field in detail.fields.values())
    assert not detail.save.isVisible()
    # The manager takes over the same till: now the changes are offered.
    session = screen.session
    session.sign_in(session.system.users.authenticate(books[1].users["manager"], "111111"))
    assert detail.status.offered() == FROM_ACTIVE
    assert not detail.fields["email"].line.isReadOnly()


def test_a_bookkeeper_may_look_but_is_not_offered_onboarding(qtbot: Any, session_as: Any) -> None:
    screen = open_screen(qtbot, session_as("bookkeeper"))
    assert len(listed(screen)) == 3
    assert not screen.new_button.isVisible()


def test_details_are_edited_in_place(qtbot: Any, session_as: Any, books: Any) -> None:
    screen = open_screen(qtbot, session_as("manager"))
    screen.show_customer(books[1].customers["Acme Corporation"])
    detail = screen.detail
    assert not detail.save.isEnabled()
    limit = detail.fields["credit_limit"].line
    limit.selectAll()
    qtbot.keyClicks(limit, "900")
    qtbot.mouseClick(detail.save, Qt.MouseButton.LeftButton)
    assert detail.banner.text() == "Changes saved."
    assert detail.account.limit.text() == "900.00 USD"
    assert not detail.save.isEnabled()


def test_an_edit_after_someone_else_changed_the_customer_says_so_and_shows_theirs(qtbot: Any, session_as: Any,
                                                                                  books: Any) -> None:
    hera, book = books
    acme = book.customers["Acme Corporation"]
    screen = open_screen(qtbot, session_as("manager"))
    screen.show_customer(acme)
    detail = screen.detail
    phone = detail.fields["phone"].line
    phone.selectAll()
    qtbot.keyClicks(phone, "+1 555 0999")
    # Meanwhile, at the office, someone else updates Acme's email.
    other = hera.scope(book.organization_id)
    other.customers.update_details(acme, version=other.customers.view(acme).version, email="ap@acme.example")
    qtbot.mouseClick(detail.save, Qt.MouseButton.LeftButton)
    assert "Changed by someone else" in detail.banner.text()
    assert detail.fields["email"].text() == "ap@acme.example"
    assert detail.fields["phone"].text() == "+1 555 0100"
    assert hera.scope(book.organization_id).customers.view(acme).phone == "+1 555 0100"


def test_the_account_shows_balance_against_the_limit_and_orders_in_history(qtbot: Any, session_as: Any,
                                                                          books: Any) -> None:
    hera, book = books
    bella = book.customers["Bella Events Ltd"]
    hera.scope(book.organization_id).restaurant.process_order(
        customer_id=bella, table_number=1, items=[{"menu_item_id": book.menu["Margherita Pizza"], "quantity": 4}],
        payments=[{"method": "on_account"}])
    screen = open_screen(qtbot, session_as("cashier"))
    screen.show_customer(bella)
    detail = screen.detail
    balance = hera.scope(book.organization_id).customers.balance(bella)
    assert detail.account.balance.text() == f"{balance:,.2f} USD"
    assert detail.account.limit.text() == "1,500.00 USD"
    assert detail.account.available.text() == f"{1500 - balance:,.2f} USD"
    whats = [detail.history.index(r, 1).data() for r in range(detail.history.rowCount())]
    assert "Order" in whats
    assert listed(screen, 3)[listed(screen).index("Bella Events Ltd")] == f"{balance:,.2f}"


def test_search_off_the_gui_thread_shows_the_answer_to_the_last_keystroke(qtbot: Any, books: Any) -> None:
    from PySide6.QtCore import QThreadPool

    from hera_desktop.gui.runner import Runner
    from hera_desktop.gui.session import Session

    hera, book = books
    pool = QThreadPool()
    session = Session(hera, hera.organization(book.organization_id), Runner(pool))
    session.sign_in(session.system.users.authenticate(book.users["cashier"], "2222"))
    screen = open_screen(qtbot, session)
    qtbot.waitUntil(lambda: len(listed(screen)) == 3)
    qtbot.keyClicks(screen.search, "carlo")
    qtbot.waitUntil(lambda: listed(screen) == ["Carlo Rossi"])
    assert pool.waitForDone(5000)
    assert listed(screen) == ["Carlo Rossi"]
