"""The fields that describe the business: its name, address, tax id and receipt footer (what receipts and report
PDFs print), its currency, and its sales tax. The first-start assistant and the settings screen show the same
fields, read them the same way and name them the same way in messages."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit, QWidget

from ..domain import contracts as c
from ..domain.errors import ValidationError
from .numbers import editable, parse_number

# Offered first in the currency list; any other three-letter code can be typed.
CURRENCIES = ("EUR", "USD", "GBP", "CHF", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "RON",
              "TRY", "JPY", "CNY", "INR", "SGD", "HKD", "ZAR", "BRL", "MXN")

TAX_RATE_HINT = "Sales tax rate (%): must be a percentage from 0 to below 100, like 5 or 7.25"

# What the fields are called on screen, for messages that name the detail that was wrong.
LABELS = {"name": "Business name", "address": "Address", "tax_id": "Tax id", "receipt_footer": "Receipt footer",
          "currency": "Currency", "tax_label": "Tax name on receipts", "prices_include_tax": "Menu prices include tax"}


class BusinessFields:
    """The business's description and money fields, made for a form to lay out where it likes."""

    def __init__(self, parent: QWidget) -> None:
        self.name = QLineEdit(parent, objectName="businessName")
        self.address = _lines(parent, "businessAddress", "Street and number\nPostcode and town")
        self.tax_id = QLineEdit(parent, objectName="taxId")
        self.receipt_footer = _lines(parent, "receiptFooter", "Thank you!")
        self.currency = QComboBox(parent, objectName="currency", editable=True)
        self.currency.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.currency.addItems(list(CURRENCIES))
        self.currency.lineEdit().setMaxLength(3)
        self.tax_rate = QLineEdit(parent, objectName="taxRate", placeholderText="5")
        self.tax_label = QLineEdit(parent, objectName="taxLabel")
        self.prices_include_tax = QCheckBox("Menu prices already include the tax", parent,
                                            objectName="pricesIncludeTax")

    def show(self, name: str, currency: str, settings: dict[str, Any]) -> None:
        self.name.setText(name)
        self.address.setPlainText(settings.get("address") or "")
        self.tax_id.setText(settings.get("tax_id") or "")
        self.receipt_footer.setPlainText(settings.get("receipt_footer") or "")
        self.currency.setCurrentText(currency)
        self.tax_rate.setText(editable((Decimal(str(settings.get("tax_rate", "0.05"))) * 100).normalize()))
        self.tax_label.setText(settings.get("tax_label", "Sales Tax"))
        self.prices_include_tax.setChecked(bool(settings.get("prices_include_tax", False)))

    def show_organization(self, org: c.Organization) -> None:
        self.show(org.organization_name, org.currency, org.settings)

    def description(self) -> dict[str, Any]:
        """The name and what is printed with it, as typed (the rules that check them are the books')."""
        return {"name": self.name.text(), "address": self.address.toPlainText(), "tax_id": self.tax_id.text(),
                "receipt_footer": self.receipt_footer.toPlainText()}

    def money(self, with_currency: bool = True) -> dict[str, Any]:
        """The currency and the sales tax; the rate typed as a percentage, given as the fraction the books keep.
        A rate that is not a percentage from 0 to below 100 is a ValidationError of ``tax_rate``."""
        values: dict[str, Any] = {"currency": self.currency.currentText().strip()} if with_currency else {}
        return {**values, "tax_rate": rate_from_percent(self.tax_rate.text()), "tax_label": self.tax_label.text(),
                "prices_include_tax": self.prices_include_tax.isChecked()}


def rate_from_percent(typed: str) -> Decimal:
    """A tax rate typed as a percentage (in the user's locale, "%" allowed) as a fraction: "7.25" -> 0.0725."""
    try:
        percent = parse_number(typed.strip().rstrip("%"), "tax_rate", negative=False)
    except ValidationError:
        percent = None
    if percent is None or not 0 <= percent < 100:
        raise ValidationError("tax_rate", TAX_RATE_HINT)
    return percent / 100


def in_words(exc: Exception, labels: dict[str, str]) -> str:
    """The error in a screen's words: the label a person sees, never the detail's internal name."""
    from .errors import describe

    if isinstance(exc, ValidationError):
        if exc.field == "tax_rate":
            return TAX_RATE_HINT
        prefix = f"{exc.field}: "
        if exc.field in labels and exc.message.startswith(prefix):
            return f"{labels[exc.field]}: {exc.message[len(prefix):]}"
    return describe(exc)[1]


def _lines(parent: QWidget, name: str, placeholder: str) -> QPlainTextEdit:
    edit = QPlainTextEdit(parent, objectName=name, placeholderText=placeholder)
    edit.setTabChangesFocus(True)  # Tab moves on to the next field, as in every other field of the form
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 3 + 14)
    return edit
