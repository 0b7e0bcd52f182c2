"""A bookkeeper at the Journals screen: enters entries by keyboard, reads the posted journals,
reverses an entry, traces a till posting to its order, keeps a draft across a restart."""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

import hera_desktop
from hera_desktop.gui.journals.accounts_model import AccountsTreeModel
from hera_desktop.gui.journals.entry_model import ACCOUNT, EntryLinesModel, Line
from hera_desktop.gui.journals.screen import JournalsScreen
from hera_desktop.gui.runner import Runner
from hera_desktop.gui.session import Session

EDITORS = {0: "accountEditor", 1: "amountEditor", 2: "amountEditor", 3: "descriptionEditor"}
# The offscreen platform cannot raise the account suggestions popup or let it grab the keyboard; it says so.
pytestmark = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing the keyboard")


def open_journals(qtbot: Any, session: Session) -> JournalsScreen:
    screen = JournalsScreen(session)
    qtbot.addWidget(screen)
    screen.resize(1110, 760)
    screen.show()
    return screen


def type_lines(qtbot: Any, screen: JournalsScreen, lines: list[tuple[str, str, str, str]]) -> None:
    """Type (account, debit, credit, description) lines into the grid, Tab from cell to cell."""
    grid, model = screen.editor.grid, screen.editor.model
    first = model.index(model.rowCount() - 1, ACCOUNT)
    grid.setCurrentIndex(first)
    grid.edit(first)
    for cells in lines:
        for col, text in enumerate(cells):
            [cell] = [e for e in grid.findChildren(QLineEdit, EDITORS[col]) if e.isVisible()]  # the open one
            if text:
                qtbot.keyClicks(cell, text)
            qtbot.keyClick(cell, Qt.Key.Key_Tab)


def balances(session: Session) -> dict[str, Decimal]:
    """{account code: balance} of the accounts with a balance in the trial balance."""
    return {r.account_code: r.balance for r in session.scope.reports.trial_balance().rows if r.balance}


def posted_rows(screen: JournalsScreen) -> list[Any]:
    return list(screen.posted.model.rows)


def account_id(session: Session, code: str) -> str:
    return session.scope.journals.account_by_code(code).id


def post_by_service(session: Session, reference: str, amount: str = "75.00") -> Any:
    return session.scope.journals.create_entry(
        reference=reference, description="Window cleaning",
        lines=[{"gl_account_id": account_id(session, "6000"), "amount": amount, "dr_cr": "DR"},
               {"gl_account_id": account_id(session, "1000"), "amount": amount, "dr_cr": "CR"}])


# ------------------------------------------------------------------ entering and posting

def test_bookkeeper_posts_a_balanced_three_line_entry_by_keyboard(qtbot: Any, session_as: Any) -> None:
    session = session_as("bookkeeper")
    before = balances(session)
    screen = open_journals(qtbot, session)
    editor = screen.editor
    qtbot.keyClicks(editor.reference, "RENT-2024-05")
    qtbot.keyClicks(editor.description, "May rent, by bank and cash")
    type_lines(qtbot, screen, [("6200", "1,200", "", "Rent for May"),
                               ("bank", "", "1000", "Bank transfer"),
                               ("Cash on", "", "200.00", "Cash")])

    assert [(ln.account_id, ln.debit, ln.credit) for ln in editor.model.filled()] == [
        (account_id(session, "6200"), Decimal("1200"), None),
        (account_id(session, "1010"), None, Decimal("1000")),
        (account_id(session, "1000"), None, Decimal("200.00"))]
    assert editor.model.data(editor.model.index(0, 0)) == "6200 · Rent"
    assert (editor.totals.debits.text(), editor.totals.credits.text()) == ("1,200.00", "1,200.00")
    assert editor.totals.difference.text() == "0.00"
    assert editor.post_button.isEnabled()

    qtbot.mouseClick(editor.post_button, Qt.MouseButton.LeftButton)

    assert re.sub("<[^>]+>", "", editor.saved.text()).startswith("Posted JE-")
    assert editor.reference.text() == "" and editor.model.filled() == []
    screen.tabs.setCurrentWidget(screen.posted)
    newest = posted_rows(screen)[0]
    assert (newest.reference, newest.description, newest.total_amount) == (
        "RENT-2024-05", "May rent, by bank and cash", Decimal("1200"))
    assert screen.posted.detail.detail.id == newest.id  # the new entry is shown
    detail_lines = screen.posted.detail.lines
    assert [detail_lines.data(detail_lines.index(r, 1)) for r in range(4)] == [
        "6200 · Rent", "1010 · Bank account", "1000 · Cash on hand", "Total"]
    after = balances(session)
    assert after["6200"] - before.get("6200", 0) == Decimal("1200")
    assert after["1010"] - before.get("1010", 0) == Decimal("-1000")
    assert after["1000"] - before["1000"] == Decimal("-200")


def test_an_unbalanced_entry_cannot_be_posted_and_shows_the_difference(qtbot: Any, session_as: Any) -> None:
    session = session_as("bookkeeper")
    screen = open_journals(qtbot, session)
    editor = screen.editor
    count = len(session.scope.journal_list.page().rows)
    qtbot.keyClicks(editor.reference, "SUPPLIES-7")
    type_lines(qtbot, screen, [("6000", "100", "", "Paper"), ("1000", "", "90", "Cash")])

    assert editor.totals.difference.text() == "10.00"
    assert editor.totals.state.text() == "more debits"
    assert editor.problem.text() == "Debits and credits differ by 10.00"
    assert not editor.post_button.isEnabled()
    qtbot.mouseClick(editor.post_button, Qt.MouseButton.LeftButton)
    editor.post()
    assert len(session.scope.journal_list.page().rows) == count


def test_a_line_with_an_unknown_account_is_marked_and_blocks_posting(qtbot: Any, session_as: Any) -> None:
    screen = open_journals(qtbot, session_as("bookkeeper"))
    editor = screen.editor
    qtbot.keyClicks(editor.reference, "X-1")
    type_lines(qtbot, screen, [("6000", "50", "", ""), ("petty cash tin", "", "50", "")])

    assert editor.problem.text() == "Line 2: No account matches “petty cash tin”"
    assert editor.model.data(editor.model.index(1, ACCOUNT), Qt.ItemDataRole.ToolTipRole).startswith("No account")
    assert not editor.post_button.isEnabled()


# ------------------------------------------------------------------ the same reference twice

def test_posting_a_reference_again_is_refused_with_a_pointer_to_the_existing_entry(qtbot: Any,
                                                                                    session_as: Any) -> None:
    session = session_as("bookkeeper")
    screen = open_journals(qtbot, session)
    editor = screen.editor
    opening = session.scope.journal_list.entry_with_reference("OPENING-CASH")
    qtbot.keyClicks(editor.reference, "OPENING-CASH")
    type_lines(qtbot, screen, [("1000", "20", "", ""), ("3000", "", "20", "")])
    editor.check_reference()  # what the pause after typing does

    assert editor.pointer.isVisible()
    assert opening.transaction_code in editor.pointer.text.text()
    assert not editor.post_button.isEnabled()
    qtbot.mouseClick(editor.pointer.open_button, Qt.MouseButton.LeftButton)
    assert screen.tabs.currentWidget() is screen.posted
    assert screen.posted.detail.detail.transaction_code == opening.transaction_code


def test_a_reference_posted_meanwhile_elsewhere_is_refused_at_post_with_an_offer_to_open_it(
        qtbot: Any, session_as: Any) -> None:
    session = session_as("bookkeeper")
    screen = open_journals(qtbot, session)
    editor = screen.editor
    qtbot.keyClicks(editor.reference, "CLEANING-11")
    type_lines(qtbot, screen, [("6000", "80", "", ""), ("1000", "", "80", "")])
    editor.check_reference()
    assert editor.post_button.isEnabled()
    other = post_by_service(session, "CLEANING-11", "75.00")  # another terminal was quicker
    count = len(session.scope.journal_list.page().rows)

    qtbot.mouseClick(editor.post_button, Qt.MouseButton.LeftButton)

    assert len(session.scope.journal_list.page().rows) == count
    dialog = editor.pointer.dialog
    assert dialog is not None and other.journal_entry.transaction_code in dialog.text()
    assert editor.model.filled()  # what was typed is still there, to change the reference
    opener = next(b for b in dialog.buttons() if b.objectName() == "openExistingEntryFromDialog")
    qtbot.mouseClick(opener, Qt.MouseButton.LeftButton)
    assert screen.posted.detail.detail.id == other.journal_entry.transaction_id


# ------------------------------------------------------------------ reversal

def test_a_reversal_with_a_reason_restores_the_trial_balance(qtbot: Any, session_as: Any) -> None:
    session = session_as("bookkeeper")
    before = balances(session)
    entry = post_by_service(session, "CLEANING-12").journal_entry
    assert balances(session) != before
    screen = open_journals(qtbot, session)
    screen.tabs.setCurrentWidget(screen.posted)
    screen.posted.show_entry(entry.transaction_id)
    detail = screen.posted.detail
    assert detail.reverse_button.isEnabled()

    qtbot.mouseClick(detail.reverse_button, Qt.MouseButton.LeftButton)
    dialog = screen.posted.reverse_dialog
    assert dialog is not None and not dialog.ok.isEnabled()  # no reason, no reversal
    qtbot.keyClicks(dialog.reason, "Posted twice by mistake")
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)

    assert balances(session) == before
    assert detail.detail.id == entry.transaction_id
    assert detail.detail.reversed_by is not None
    assert "Posted twice by mistake" in detail.trace.text()
    assert not detail.reverse_button.isEnabled()
    statuses = {r.transaction_code: r for r in posted_rows(screen)}
    assert statuses[entry.transaction_code].reversed_by_code == detail.detail.reversed_by.transaction_code


# ------------------------------------------------------------------ drafts

def test_the_draft_survives_closing_and_reopening_the_books(qtbot: Any, books: Any, session_as: Any,
                                                            tmp_path: Any) -> None:
    screen = open_journals(qtbot, session_as("bookkeeper"))
    editor = screen.editor
    qtbot.keyClicks(editor.reference, "ACCRUAL-06")
    qtbot.keyClicks(editor.description, "Wages accrued")
    type_lines(qtbot, screen, [("6100", "640.50", "", "June wages"), ("2000", "", "600", "")])
    qtbot.waitUntil(lambda: editor.saved.text() == "Draft saved", timeout=5000)  # saved by itself

    hera, book = books
    screen.close()
    hera.close()
    reopened = hera_desktop.open(tmp_path / "books.db")
    try:
        session = Session(reopened, reopened.organization(book.organization_id), Runner(pool=None))
        session.sign_in(session.system.users.authenticate(book.users["bookkeeper"], "3333"))
        again = open_journals(qtbot, session).editor
        assert (again.reference.text(), again.description.text()) == ("ACCRUAL-06", "Wages accrued")
        assert [(ln.debit, ln.credit, ln.description) for ln in again.model.filled()] == [
            (Decimal("640.50"), None, "June wages"), (None, Decimal("600"), "")]
        assert again.model.data(again.model.index(0, 0)) == "6100 · Wages"
        assert again.totals.difference.text() == "40.50"
        assert again.saved.text() == "Draft restored"
    finally:
        reopened.close()


def test_another_user_signing_in_keeps_the_first_users_draft_and_shows_their_own(qtbot: Any, books: Any,
                                                                                 session_as: Any) -> None:
    hera, book = books
    session = session_as("bookkeeper")
    screen = open_journals(qtbot, session)
    qtbot.keyClicks(screen.editor.reference, "MINE-1")
    type_lines(qtbot, screen, [("6000", "5", "", "")])

    session.sign_in(session.system.users.authenticate(book.users["manager"], "111111"))

    assert screen.editor.reference.text() == "" and screen.editor.model.filled() == []
    bookkeeper = hera.scope(book.organization_id, book.users["bookkeeper"])
    assert bookkeeper.journal_drafts.load().reference == "MINE-1"


# ------------------------------------------------------------------ automatic postings from the till

def test_an_automatic_posting_from_a_till_order_shows_and_opens_its_order(qtbot: Any, books: Any,
                                                                         session_as: Any) -> None:
    hera, book = books
    order = hera.scope(book.organization_id).restaurant.process_order(
        table_number=9, items=[{"menu_item_id": book.menu["Margherita Pizza"], "quantity": 2}],
        payment_method="card")
    sale_code = order.sales_transaction.transaction_code
    screen = open_journals(qtbot, session_as("bookkeeper"))
    posted = screen.posted
    screen.tabs.setCurrentWidget(posted)
    posted.filters.kind.setCurrentIndex(posted.filters.kind.findData("automatic"))

    rows = [r for r in posted_rows(screen) if r.order_code == sale_code]
    assert {r.reference for r in rows} >= {sale_code, order.payment_transaction.transaction_code}
    assert all(r.automatic for r in posted_rows(screen))
    sale_posting = next(r for r in rows if r.reference == sale_code)
    row = posted.model.row_of(sale_posting.id)
    assert posted.model.data(posted.model.index(row, 4)) == sale_code
    posted.table.setCurrentIndex(posted.model.index(row, 0))
    detail = posted.detail
    assert f"order <b>{sale_code}</b>" in detail.trace.text() or sale_code in detail.trace.text()
    assert detail.order_button.text() == f"Open order {sale_code}"

    qtbot.mouseClick(detail.order_button, Qt.MouseButton.LeftButton)
    dialog = posted.order_dialog
    assert dialog is not None and dialog.windowTitle() == f"Order {sale_code}"
    assert [i.description for i in dialog.items.rows] == ["Margherita Pizza"]
    assert "table 9" in dialog.facts.text()
    assert sale_posting.transaction_code in [p.transaction_code for p in dialog.postings.rows]


# ------------------------------------------------------------------ filters

def test_the_posted_list_filters_by_reference_text_account_and_date(qtbot: Any, session_as: Any) -> None:
    session = session_as("bookkeeper")
    post_by_service(session, "CLEANING-13")
    screen = open_journals(qtbot, session)
    posted, filters = screen.posted, screen.posted.filters
    screen.tabs.setCurrentWidget(posted)

    qtbot.keyClicks(filters.reference, "CLEAN")
    qtbot.keyClick(filters.reference, Qt.Key.Key_Return)
    assert [r.reference for r in posted_rows(screen)] == ["CLEANING-13"]
    filters.clear()
    qtbot.keyClicks(filters.text, "owner")
    qtbot.keyClick(filters.text, Qt.Key.Key_Return)
    assert [r.reference for r in posted_rows(screen)] == ["OPENING-CASH"]
    filters.clear()
    filters.account.setCurrentIndex(filters.account.findData(account_id(session, "6000")))
    assert [r.reference for r in posted_rows(screen)] == ["CLEANING-13"]
    filters.clear()
    filters.date_to.setDate(filters.date_to.date().fromString("2001-01-01", "yyyy-MM-dd"))
    assert posted_rows(screen) == [] and posted.count.text() == "0 entries shown"


# ------------------------------------------------------------------ chart of accounts

def test_chart_of_accounts_adds_renames_and_deactivates_only_unused_accounts(qtbot: Any, session_as: Any) -> None:
    session = session_as("bookkeeper")
    screen = open_journals(qtbot, session)
    view = screen.accounts
    screen.tabs.setCurrentWidget(view)
    cash = view.model.index_of(account_id(session, "1000"))
    view.tree.setCurrentIndex(cash)
    assert not view.buttons["deactivate"].isEnabled()
    assert "has postings" in view.hint.text()

    qtbot.mouseClick(view.buttons["add"], Qt.MouseButton.LeftButton)
    dialog = view.dialog
    qtbot.keyClicks(dialog.code, "6300")
    qtbot.keyClicks(dialog.name, "Utilities")
    dialog.kind.setCurrentIndex(dialog.kind.findData("expense"))
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    added = view.selected()
    assert (added.code, added.name, added.account_type, added.active) == ("6300", "Utilities", "expense", True)

    qtbot.mouseClick(view.buttons["rename"], Qt.MouseButton.LeftButton)
    view.dialog.name.setText("Electricity and water")
    qtbot.mouseClick(view.dialog.ok, Qt.MouseButton.LeftButton)
    assert view.selected().name == "Electricity and water"

    qtbot.mouseClick(view.buttons["deactivate"], Qt.MouseButton.LeftButton)
    assert not view.selected().active
    assert view.model.data(view.model.index_of(added.id).siblingAtColumn(3)) == "Inactive"
    screen.tabs.setCurrentWidget(screen.editor)
    assert "6300 · Electricity and water" not in [a.label for a in screen.editor.model.choices()]


def test_deactivating_an_account_the_till_posts_to_is_refused_with_the_reason(qtbot: Any, session_as: Any) -> None:
    session = session_as("bookkeeper")
    screen = open_journals(qtbot, session)
    view = screen.accounts
    screen.tabs.setCurrentWidget(view)
    view.tree.setCurrentIndex(view.model.index_of(account_id(session, "4000")))  # Sales: no postings yet
    assert view.buttons["deactivate"].isEnabled()

    qtbot.mouseClick(view.buttons["deactivate"], Qt.MouseButton.LeftButton)

    assert view.refused is not None and view.refused.windowTitle() == "Cannot deactivate 4000"
    assert "'Restaurant sale'" in view.refused.text()
    assert view.selected().active


def test_a_manager_may_post_but_not_change_the_chart_of_accounts(qtbot: Any, session_as: Any) -> None:
    screen = open_journals(qtbot, session_as("manager"))
    screen.tabs.setCurrentWidget(screen.accounts)
    assert not screen.accounts.buttons["add"].isEnabled()
    assert "may look" in screen.accounts.hint.text()


# ------------------------------------------------------------------ the models

@pytest.mark.parametrize("which", ["entry", "posted", "detail", "accounts"])
def test_each_model_passes_the_model_tester(qtbot: Any, qtmodeltester: Any, session_as: Any, which: str) -> None:
    session = session_as("bookkeeper")
    post_by_service(session, "CLEANING-14")
    screen = open_journals(qtbot, session)
    if which == "entry":
        model: Any = EntryLinesModel()
        model.set_accounts(screen.editor.model.choices())
        model.set_lines([Line(account_id=account_id(session, "6000"), debit=Decimal("10")),
                         Line(account_text="nowhere", credit=Decimal("10"), description="x")])
    elif which == "posted":
        screen.tabs.setCurrentWidget(screen.posted)
        model = screen.posted.model
    elif which == "detail":
        screen.tabs.setCurrentWidget(screen.posted)
        screen.posted.show_entry(posted_rows(screen)[0].id)
        model = screen.posted.detail.lines
    else:
        model = AccountsTreeModel()
        model.set_groups(session.scope.chart_of_accounts.tree())
    qtmodeltester.check(model)
