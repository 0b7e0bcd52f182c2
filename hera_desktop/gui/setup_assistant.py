"""The first start on empty books: set up one's own business, or explore the demo restaurant.

Setting up asks, a page at a time, what ``hera-desktop setup`` takes: the business and what its receipts print,
its money (currency and sales tax), its business day, and its owner, who signs in as an admin. Each page is
checked by the same rules as the command (``business_setup.checked``) before the next is shown, and named in the
page's words. Finish makes the books in one unit of work off the GUI thread (the owner's PIN hash is slow): all of
it, or, if anything fails, nothing.
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QLocale
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (QFormLayout, QLineEdit, QRadioButton, QVBoxLayout, QWidget, QWizard, QWizardPage)

from . import theme
from .. import business_setup
from ..domain.errors import ValidationError
from ..services.setup import DEFAULT_SETTINGS
from .business_day_fields import BusinessDayFields
from .business_fields import LABELS as BUSINESS_LABELS
from .business_fields import BusinessFields, in_words
from .labels import plain_label

DEMO_PINS = "PINs 111111 manager, 2222 cashier, 3333 bookkeeper, 999999 admin"
LABELS = {**BUSINESS_LABELS, "time_zone": "Time zone", "day_cutoff": "Business day starts at",
          "owner": "Your name", "owner_pin": "PIN", "owner_pin_again": "PIN again", "books": "These books"}


class SetupAssistant(QWizard):
    """Accepted once the books hold the new organization (``organization``); rejected, they are unchanged."""

    START, BUSINESS, MONEY, DAY, OWNER = range(5)

    def __init__(self, hera: Any, runner: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hera, self.runner = hera, runner
        self.organization: Any = None
        self._working = False
        self.setObjectName("setupAssistant")
        self.setWindowTitle("Welcome to HERA Desktop")
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.start = StartPage()
        self.fields = BusinessFields(self)
        self.day_fields = BusinessDayFields(self)
        self.fields.show("", _local_currency(), DEFAULT_SETTINGS)
        self.day_fields.show(DEFAULT_SETTINGS)
        f = self.fields
        self.owner_name = QLineEdit(objectName="ownerName")
        self.owner_pin = _pin_field("ownerPin")
        self.owner_pin_again = _pin_field("ownerPinAgain")
        self.business = DetailsPage(
            "Your business", "Printed at the top of every receipt and report, as you type it here.",
            [("Business name", "name", f.name), ("Address", "address", f.address), ("Tax id", "tax_id", f.tax_id),
             ("Receipt footer", "receipt_footer", f.receipt_footer)], f.description)
        self.money = DetailsPage(
            "Money", "The currency cannot change once the first sale is made; the tax can, in Settings.",
            [("Currency", "currency", f.currency), ("Sales tax rate (%)", "tax_rate", f.tax_rate),
             ("Tax name on receipts", "tax_label", f.tax_label), ("", "prices_include_tax", f.prices_include_tax)],
            f.money)
        self.day = DetailsPage(
            "Business day", "Sales before the day's start belong to the day before: a late evening is one day.",
            [("Time zone", "time_zone", self.day_fields.zone),
             ("Business day starts at", "day_cutoff", self.day_fields.cutoff)], self.day_fields.values)
        self.owner = DetailsPage(
            "You, the owner", "You sign in as the admin, with a PIN of 6 to 8 digits, and add your staff later.",
            [("Your name", "owner", self.owner_name), ("PIN", "owner_pin", self.owner_pin),
             ("PIN again", "owner_pin_again", self.owner_pin_again)], self._owner)
        for page_id, page in ((self.START, self.start), (self.BUSINESS, self.business), (self.MONEY, self.money),
                              (self.DAY, self.day), (self.OWNER, self.owner)):
            self.setPage(page_id, page)
        self.setStartId(self.START)

    def _owner(self) -> dict[str, Any]:
        pin = self.owner_pin.text()
        details = business_setup.checked({"owner": self.owner_name.text(), "owner_pin": pin})
        if self.owner_pin_again.text() != pin:
            raise ValidationError("owner_pin_again", "is not the same as the PIN above; type the same PIN twice")
        return details

    def details(self) -> dict[str, Any]:
        """Everything the pages hold, as ``business_setup`` takes it."""
        return {**self.fields.description(), **self.fields.money(), **self.day_fields.values(),
                "owner": self.owner_name.text(), "owner_pin": self.owner_pin.text()}

    def validateCurrentPage(self) -> bool:  # noqa: N802 - Qt's name
        # Qt asks again when the wizard is accepted: once the books are made, the answer is yes.
        if self.organization is not None:
            return True
        if self._working:
            return False
        page = self.currentPage()
        if not page.validatePage():
            return False
        if self.currentId() == self.START and self.start.demo.isChecked():
            self._make(self._demo)
            return False
        if self.currentId() == self.OWNER:
            try:
                details = self.details()
            except ValidationError as exc:  # a page changed after it was checked
                self._say(in_words(exc, LABELS))
                return False
            self._make(lambda: self._business(details))
            return False  # accepted when the books answer
        return True

    def _business(self, details: dict[str, Any]) -> Any:
        identity = {k: details.pop(k) for k in business_setup.IDENTITY}
        org, _owner = business_setup.new_business(self.hera, settings=details, **identity)
        return org

    def _demo(self) -> Any:
        from ..demo import create_demo

        return self.hera.organization(create_demo(self.hera).organization_id)

    def _make(self, work: Callable[[], Any]) -> None:
        self._working = True
        self._say("Setting up the books…")
        self._buttons(False)
        self.runner.change(work, self._made, self._failed)

    def _made(self, organization: Any) -> None:
        self._working = False
        self.organization = organization
        self._say("")
        self._buttons(True)
        self.accept()

    def _failed(self, exc: Exception) -> None:
        self._working = False
        self._buttons(True)
        self._say(in_words(exc, LABELS))

    def _say(self, text: str) -> None:
        page = self.currentPage()
        if isinstance(page, (DetailsPage, StartPage)):
            page.message.setText(text)

    def _buttons(self, enabled: bool) -> None:
        for which in (QWizard.WizardButton.BackButton, QWizard.WizardButton.FinishButton,
                      QWizard.WizardButton.CancelButton):
            self.button(which).setEnabled(enabled)

    def reject(self) -> None:
        if not self._working:  # the books are being made: closing now would drop their answer
            super().reject()


class StartPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("These books are empty")
        self.setSubTitle("What would you like to do?")
        self.own = QRadioButton("Set up my business", objectName="setUpBusiness", checked=True)
        self.demo = QRadioButton("Explore the demo restaurant", objectName="exploreDemo")
        self.message = plain_label(objectName="setupMessage", wordWrap=True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.own)
        layout.addWidget(plain_label("Your business's name, address, currency and tax, and you as its owner: a few "
                                     "questions, then you sign in and add your menu and staff.", wordWrap=True))
        layout.addSpacing(12)
        layout.addWidget(self.demo)
        layout.addWidget(plain_label("Mario's Trattoria with a menu, stock, customers and staff to try everything "
                                     f"on ({DEMO_PINS}).", wordWrap=True))
        layout.addStretch(1)
        layout.addWidget(self.message)
        self.demo.toggled.connect(self.setFinalPage)  # the button becomes Finish, or Next again

    def nextId(self) -> int:  # noqa: N802 - Qt's name
        return -1 if self.demo.isChecked() else SetupAssistant.BUSINESS


class DetailsPage(QWizardPage):
    """A page of details, checked by the business's rules when the person moves on."""

    def __init__(self, title: str, subtitle: str, rows: list[tuple[str, str, QWidget]],
                 values: Callable[[], dict[str, Any]]) -> None:
        super().__init__()
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.values = values
        self.widgets = {name: widget for _label, name, widget in rows}
        self.message = plain_label(objectName="setupMessage", wordWrap=True)
        self.message.setStyleSheet(theme.tone_style("error"))
        form = QFormLayout(self)
        for label, _name, widget in rows:
            form.addRow(label, widget)
        form.addRow(self.message)

    def validatePage(self) -> bool:  # noqa: N802 - Qt's name
        try:
            business_setup.checked(self.values())
        except ValidationError as exc:
            self.message.setText(in_words(exc, LABELS))
            widget = self.widgets.get(exc.field)
            if widget is not None:
                widget.setFocus()
            return False
        self.message.clear()
        return True


def _pin_field(name: str) -> QLineEdit:
    field = QLineEdit(objectName=name, echoMode=QLineEdit.EchoMode.Password, placeholderText="6 to 8 digits")
    field.setValidator(QRegularExpressionValidator(r"\d{0,8}"))
    return field


def _local_currency() -> str:
    code = QLocale().currencySymbol(QLocale.CurrencySymbolFormat.CurrencyIsoCode)
    return code if len(code) == 3 else "USD"
