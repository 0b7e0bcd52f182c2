"""Onboarding a new customer: a short form that checks each value as it is entered.

Save stays disabled until every field is acceptable. If the books refuse the
customer anyway, the reason is shown beside the field it concerns (or above the
form), and everything typed stays in place to be corrected.
"""
from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QPushButton, QVBoxLayout)

from .. import theme
from ...domain.errors import ValidationError
from ...domain.money import ZERO
from ...services.customers import check_email, check_phone, check_terms
from ..errors import describe
from ..labels import rich_label
from ..numbers import editable
from .fields import ValidatedField, banner_style, add_row, check_name, credit_limit_check, plain

PAYMENT_TERMS = ("NET30", "NET15", "NET60", "COD", "Due on receipt")


class OnboardingDialog(QDialog):
    def __init__(self, session: Any, parent: Any = None) -> None:
        super().__init__(parent)
        self.session = session
        self.onboarded: Any = None  # the OnboardResult once saved
        self.setWindowTitle("New customer")
        self.setObjectName("onboardingDialog")
        self.setMinimumWidth(520)
        currency = session.organization.currency
        terms = QComboBox(objectName="paymentTerms", editable=True)
        terms.addItems(PAYMENT_TERMS)
        self.fields = {
            "name": ValidatedField("name", QLineEdit(objectName="name", placeholderText="Business or person"),
                                   check_name, required=True, parent=self),
            "email": ValidatedField("email", QLineEdit(objectName="email", placeholderText="name@example.com"),
                                    check_email, parent=self),
            "phone": ValidatedField("phone", QLineEdit(objectName="phone", placeholderText="+1 555 0100"),
                                    check_phone, parent=self),
            "credit_limit": ValidatedField("credit_limit", QLineEdit(editable(ZERO, currency), objectName="creditLimit"),
                                           credit_limit_check(currency), required=True, parent=self),
            "payment_terms": ValidatedField("payment_terms", terms, check_terms, required=True, parent=self),
        }
        self.banner = rich_label(objectName="onboardingMessage", wordWrap=True)
        self.banner.setStyleSheet(banner_style())
        self.banner.hide()
        intro = QLabel("Email and phone are optional. The credit limit is how much the customer may owe "
                       "on account; 0 means pay at the till.", wordWrap=True)
        intro.setStyleSheet(theme.tone_style("muted"))
        form = QFormLayout()
        form.setVerticalSpacing(8)
        for label, key in (("Name", "name"), ("Email", "email"), ("Phone", "phone"),
                           ("Credit limit", "credit_limit"), ("Payment terms", "payment_terms")):
            add_row(form, label, self.fields[key])
            self.fields[key].changed.connect(self._update_save)
        buttons = QDialogButtonBox()
        self.save = QPushButton("Save customer", objectName="saveCustomer", default=True)
        buttons.addButton(self.save, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.save.clicked.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self._saving = False
        self._update_save()

    def field(self, name: str) -> ValidatedField:
        return self.fields[name]

    def _update_save(self) -> None:
        self.save.setEnabled(not self._saving and all(f.valid for f in self.fields.values()))

    def submit(self) -> None:
        if self._saving or not all(f.valid for f in self.fields.values()):
            return
        self._saving = True
        self.save.setText("Saving…")
        self._update_save()
        self.banner.hide()
        values: dict[str, Any] = {k: f.text() or None for k, f in self.fields.items()}
        values["credit_limit"] = self.fields["credit_limit"].check(self.fields["credit_limit"].text())
        customers = self.session.scope.customers
        self.session.runner.change(lambda: customers.onboard(**values), self._done, self._refused)

    def _done(self, result: Any) -> None:
        self._saving = False
        self.onboarded = result
        self.accept()

    def _refused(self, exc: Exception) -> None:
        """Nothing was saved: say why, where it belongs, and keep every value for correcting."""
        self._saving = False
        self.save.setText("Save customer")
        if isinstance(exc, ValidationError) and exc.field in self.fields:
            self.fields[exc.field].refuse(plain(exc))
        else:
            title, message = describe(exc)
            kept = "" if "nothing was saved" in message.lower() else " Nothing was saved; your entries are kept."
            self.banner.setText(f"<b>{escape(title)}.</b> {escape(message.rstrip('.'))}.{escape(kept)}")
            self.banner.show()
        self._update_save()
