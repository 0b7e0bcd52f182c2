"""The first start on empty books: the setup assistant makes the owner's own business (every setting they chose,
the owner signing in with their PIN) or the demo restaurant; a mistake is named on its page and writes nothing,
and so does cancelling."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from PySide6.QtCore import QSettings, QTime, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QDialog, QWizard

import hera_desktop
from hera_desktop.business_setup import new_business
from hera_desktop.gui.main import choose_organization
from hera_desktop.gui.runner import Runner
from hera_desktop.gui.screenshots import picture_setup_assistant
from hera_desktop.gui.session import Session
from hera_desktop.gui.setup_assistant import SetupAssistant
from hera_desktop.gui.signin import SignInDialog

OWNER, PIN = "Giulia Bianchi", "482915"


@pytest.fixture
def empty_books(qapp: Any, tmp_path: Path) -> Iterator[Any]:
    hera = hera_desktop.open(tmp_path / "books.db")
    yield hera
    hera.close()


def when_the_assistant_opens(act: Callable[[SetupAssistant], None], problems: list[BaseException]) -> None:
    """Once the assistant is up, ``act`` on it; should ``act`` fail, the assistant is closed and the failure kept."""
    def go() -> None:
        assistant = QApplication.activeModalWidget()
        if not isinstance(assistant, SetupAssistant):
            QTimer.singleShot(10, go)
            return
        try:
            act(assistant)
        except BaseException as exc:  # noqa: BLE001 - re-raised by the test, after the dialog is gone
            problems.append(exc)
            QDialog.done(assistant, QDialog.DialogCode.Rejected)
        QTimer.singleShot(5000, lambda: still_open(assistant))

    def still_open(assistant: SetupAssistant) -> None:
        if assistant.isVisible():  # the test fails instead of waiting for ever
            problems.append(AssertionError("the assistant is still open"))
            QDialog.done(assistant, QDialog.DialogCode.Rejected)
    QTimer.singleShot(0, go)


def first_start(hera: Any, act: Callable[[SetupAssistant], None]) -> Any:
    problems: list[BaseException] = []
    when_the_assistant_opens(act, problems)
    org = choose_organization(hera, QSettings(), runner=Runner(pool=None))
    if problems:
        raise problems[0]
    return org


def fill_every_page(a: SetupAssistant) -> None:
    a.next()
    a.fields.name.setText("Trattoria Bianchi")
    a.fields.address.setPlainText("Via Roma 1\n00100 Roma RM")
    a.fields.tax_id.setText("IT01234567890")
    a.fields.receipt_footer.setPlainText("Grazie!")
    a.next()
    a.fields.currency.setCurrentText("EUR")
    a.fields.tax_rate.setText("10")
    a.fields.tax_label.setText("IVA")
    a.fields.prices_include_tax.setChecked(True)
    a.next()
    a.day_fields.zone.setCurrentText("Europe/Rome")
    a.day_fields.cutoff.setTime(QTime(5, 0))
    a.next()
    a.owner_name.setText(OWNER)
    a.owner_pin.setText(PIN)
    a.owner_pin_again.setText(PIN)


def test_empty_books_become_the_owners_business_and_the_owner_signs_in_with_the_pin(empty_books: Any) -> None:
    hera = empty_books

    def set_up(a: SetupAssistant) -> None:
        assert a.currentId() == a.START and a.start.own.isChecked()
        fill_every_page(a)
        assert a.currentId() == a.OWNER
        a.button(QWizard.WizardButton.FinishButton).click()

    org = first_start(hera, set_up)
    assert [o.id for o in hera.list_organizations()] == [org.id]
    assert (org.organization_name, org.currency) == ("Trattoria Bianchi", "EUR")
    assert {k: org.settings[k] for k in ("address", "tax_id", "receipt_footer", "tax_rate", "tax_label",
                                         "prices_include_tax", "time_zone", "day_cutoff")} == {
        "address": "Via Roma 1\n00100 Roma RM", "tax_id": "IT01234567890", "receipt_footer": "Grazie!",
        "tax_rate": "0.1", "tax_label": "IVA", "prices_include_tax": True, "time_zone": "Europe/Rome",
        "day_cutoff": "05:00"}
    assert Decimal(org.settings["tax_rate"]) == Decimal("0.10")
    assert hera.scope(org.id).chart_of_accounts.tree(), "the default chart is in, as `hera-desktop setup` makes it"

    session = Session(hera, org, Runner(pool=None))
    sign_in = SignInDialog(session)
    sign_in.select_user(OWNER)
    sign_in.pin.setText(PIN)
    sign_in.try_sign_in()
    assert sign_in.result() == SignInDialog.DialogCode.Accepted
    assert (session.user.entity_name, session.role) == (OWNER, "admin")


def test_the_demo_choice_makes_the_demo_restaurant(empty_books: Any) -> None:
    def explore(a: SetupAssistant) -> None:
        a.start.demo.setChecked(True)
        finish = a.button(QWizard.WizardButton.FinishButton)
        assert finish.isVisible() and not a.button(QWizard.WizardButton.NextButton).isVisible()
        finish.click()

    org = first_start(empty_books, explore)
    assert org.organization_name == "Mario's Trattoria (demo)"
    assert [o.id for o in empty_books.list_organizations()] == [org.id]


def test_cancelling_writes_nothing(empty_books: Any) -> None:
    def cancel(a: SetupAssistant) -> None:
        fill_every_page(a)
        a.button(QWizard.WizardButton.CancelButton).click()

    assert first_start(empty_books, cancel) is None
    assert empty_books.list_organizations() == []


def open_assistant(qtbot: Any, hera: Any) -> SetupAssistant:
    assistant = SetupAssistant(hera, Runner(pool=None))
    qtbot.addWidget(assistant)
    assistant.show()
    return assistant


def on_page(a: SetupAssistant, page: int) -> None:
    fill_every_page(a)
    while a.currentId() != page:
        a.back()


@pytest.mark.parametrize("page, mistake, message", [
    (SetupAssistant.BUSINESS, lambda a: a.fields.name.setText("  "),
     "Business name: an organization needs a name of 1 to 255 characters"),
    (SetupAssistant.BUSINESS, lambda a: a.fields.tax_id.setText("IT 1\nIT 2"),
     "Tax id: contains a line break; it must be one line"),
    (SetupAssistant.MONEY, lambda a: a.fields.currency.setCurrentText("EU"),
     "Currency: must be a three-letter currency code like USD"),
    (SetupAssistant.MONEY, lambda a: a.fields.tax_rate.setText("120"),
     "Sales tax rate (%): must be a percentage from 0 to below 100, like 5 or 7.25"),
    (SetupAssistant.MONEY, lambda a: a.fields.tax_label.setText(""),
     "Tax name on receipts: must be a short name like Sales Tax"),
    (SetupAssistant.DAY, lambda a: a.day_fields.zone.setCurrentText("Mars/Olympus"),
     "Time zone: 'Mars/Olympus' is not a time zone name"),
    (SetupAssistant.OWNER, lambda a: a.owner_name.setText(""), "Your name: must not be empty"),
    (SetupAssistant.OWNER, lambda a: (a.owner_pin.setText("1234"), a.owner_pin_again.setText("1234")),
     "PIN: must be 6 to 8 digits (the owner signs in as an admin)"),
    (SetupAssistant.OWNER, lambda a: a.owner_pin_again.setText("482916"),
     "PIN again: is not the same as the PIN above; type the same PIN twice"),
])
def test_a_mistake_is_named_on_its_page_which_stays_and_nothing_is_written(
        qtbot: Any, empty_books: Any, page: int, mistake: Callable[[SetupAssistant], Any], message: str) -> None:
    a = open_assistant(qtbot, empty_books)
    on_page(a, page)
    mistake(a)
    if page == a.OWNER:
        a.button(QWizard.WizardButton.FinishButton).click()
    else:
        a.next()
    assert a.currentId() == page and a.isVisible()
    assert a.currentPage().message.text().startswith(message)
    assert empty_books.list_organizations() == []


def test_books_that_gained_a_business_meanwhile_are_not_set_up_twice(qtbot: Any, empty_books: Any) -> None:
    a = open_assistant(qtbot, empty_books)
    fill_every_page(a)
    other, _ = new_business(empty_books, "Osteria Rossi", "EUR", "Marco Rossi", "135790")  # another window was quicker
    a.button(QWizard.WizardButton.FinishButton).click()
    assert a.isVisible() and a.organization is None
    assert a.currentPage().message.text().startswith(
        f"These books: already hold an organization: Osteria Rossi ({other.id})")
    assert [o.organization_name for o in empty_books.list_organizations()] == ["Osteria Rossi"]


def test_the_screenshots_picture_the_assistant_on_its_first_and_business_pages(
        empty_books: Any, tmp_path: Path) -> None:
    made = picture_setup_assistant(empty_books, tmp_path)
    assert [p.name for p in made] == ["setup-assistant.png", "setup-assistant-business.png"]
    for path in made:
        image = QImage(str(path))
        assert not image.isNull() and image.width() > 300 and image.height() > 200
    assert QImage(str(made[0])) != QImage(str(made[1])), "the business page is a page of its own"
    assert empty_books.list_organizations() == []
