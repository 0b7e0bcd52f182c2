"""Settings for managers and admins: the business (its name and what receipts print, currency, tax, till location,
business day), tax rates, printers, imports, and backups."""
from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton,
                               QScrollArea, QSpinBox, QTabWidget, QVBoxLayout, QWidget)

from ..domain.errors import HeraError, ValidationError
from .business_day_fields import BusinessDayFields
from .business_fields import LABELS as BUSINESS_LABELS
from .business_fields import BusinessFields, in_words
from .idle import idle_minutes
from .import_dialog import ImportDialog
from .labels import plain_label
from .screen import Screen


class SettingsScreen(Screen):
    title = "Settings"
    permission = "users.unlock"
    refresh_on = frozenset({"organization", "location"})

    def __init__(self, session: Any, parent: Any = None) -> None:
        super().__init__(session, parent)
        self.business = QGroupBox("Business")
        self.fields = BusinessFields(self.business)
        self.tax_rate, self.tax_label = self.fields.tax_rate, self.fields.tax_label
        self.currency_note = plain_label(objectName="currencyNote", wordWrap=True)
        self.currency_note.setVisible(False)
        self.till_location = QComboBox(objectName="tillLocation")
        self.idle_lock = QSpinBox(objectName="idleLockMinutes", minimum=0, maximum=240, suffix=" min",
                                  specialValueText="Never")
        self.refuse_short = QCheckBox("Refuse a sale when the books say an ingredient is short",
                                      objectName="refuseSaleWhenShort")
        self.void_needs_manager = QCheckBox("A cashier's void of a line the kitchen has needs a manager's PIN",
                                            objectName="voidNeedsManager")
        self.save_business = QPushButton("Save", objectName="saveBusiness")
        self.save_business.clicked.connect(self.save_settings)
        self.business_message = plain_label(objectName="businessMessage", wordWrap=True)
        self.day_fields = BusinessDayFields(self.business)
        form = QFormLayout(self.business)
        f = self.fields
        for label, field in (("Business name", f.name), ("Address", f.address), ("Tax id", f.tax_id),
                             ("Receipt footer", f.receipt_footer), ("Currency", f.currency)):
            form.addRow(label, field)
        form.addRow("", self.currency_note)
        form.addRow("Sales tax rate (%)", self.tax_rate)
        form.addRow("Tax name on receipts", self.tax_label)
        form.addRow("", f.prices_include_tax)
        form.addRow("Till takes stock from", self.till_location)
        form.addRow("", self.refuse_short)
        form.addRow("", self.void_needs_manager)
        form.addRow("Lock the window when untouched for", self.idle_lock)
        form.addRow("Time zone of the business day", self.day_fields.zone)
        form.addRow("Business day starts at", self.day_fields.cutoff)
        self.save_business.setMaximumWidth(160)
        # The message has a row of its own under the button: a long one wraps there instead of pushing Save aside.
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(self.save_business)
        form.addRow(save_row)
        form.addRow(self.business_message)

        self.data = QGroupBox("Data")
        self.import_button = QPushButton("Import from a CSV file…", objectName="openImport")
        self.import_button.clicked.connect(self.open_import)
        data = QHBoxLayout(self.data)
        data.addWidget(QLabel("Customers, menu items, products or the chart of accounts"))
        data.addStretch(1)
        data.addWidget(self.import_button)

        from .printers_settings import PrintersSettings
        from .tax_rates import TaxRatesBox

        self.tax_rates = TaxRatesBox(session)
        self.tax_rates.changed.connect(session.refresh_organization)
        self.printers = PrintersSettings(session)
        from .backups_page import BackupsPage

        self.backups = BackupsPage(session)
        self.backups.restored.connect(self._restored)
        business_page = QWidget()
        business_layout = QVBoxLayout(business_page)
        for box in (self.business, self.data):
            business_layout.addWidget(box)
        business_layout.addStretch(1)
        self.tabs = QTabWidget(objectName="settingsTabs")
        self.tabs.addTab(_scrolled(business_page), "Business")
        self.tabs.addTab(self.tax_rates, "Tax rates")
        self.tabs.addTab(self.printers, "Printers")
        self.tabs.addTab(self.backups, "Backups")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        session.user_changed.connect(self.apply_role)
        self.apply_role()

    def apply_role(self) -> None:
        s = self.session
        self.business.setEnabled(s.allows("settings.manage"))
        self.tax_rates.setEnabled(s.allows("settings.manage"))
        self.printers.setEnabled(s.allows("settings.manage"))
        self.data.setVisible(s.allows("batch.run"))
        self.tabs.setTabVisible(self.tabs.indexOf(self.backups), s.allows("books.back_up"))
        self.backups.restore_button.setVisible(s.allows("books.restore"))

    def refresh(self) -> None:
        if self.session.user is None:
            return
        self.read(lambda: (self.session.scope.organization, self.session.scope.org_settings.locations()), self._show)
        # The books refuse a new currency once any transaction is recorded: the field says so before anyone tries.
        self.read(lambda: bool(self.session.system.txn.query(limit=1).transactions), self._lock_currency)
        self.tax_rates.refresh()
        self.printers.refresh()
        self.backups.refresh()

    def _show(self, loaded: tuple[Any, list[Any]]) -> None:
        org, locations = loaded
        settings = org.settings
        self.fields.show_organization(org)
        self.day_fields.show(settings)
        self.till_location.clear()
        self.till_location.addItem("(no location)", None)
        for loc in locations:
            self.till_location.addItem(loc.entity_name, loc.id)
        self.till_location.setCurrentIndex(max(0, self.till_location.findData(settings.get("till_location_id"))))
        self.idle_lock.setValue(idle_minutes(settings))
        self.refuse_short.setChecked(bool(settings.get("refuse_sale_when_short", False)))
        self.void_needs_manager.setChecked(bool(settings.get("void_needs_manager", True)))

    def _lock_currency(self, recorded: bool) -> None:
        self.fields.currency.setEnabled(not recorded)
        why = (f"The currency stays {self.fields.currency.currentText()}: it cannot change once the books hold "
               "transactions (sales, payments, stock movements), whose amounts are in it." if recorded else "")
        self.fields.currency.setToolTip(why)
        self.currency_note.setText(why)
        self.currency_note.setVisible(recorded)

    def save_settings(self) -> None:
        try:  # the currency goes only while it may change; the books would refuse it anyway
            money = self.fields.money(with_currency=self.fields.currency.isEnabled())
        except ValidationError as exc:
            self.business_message.setText(_words(exc, BUSINESS_WORDS))
            return
        changes = {**self.fields.description(), **money,
                   "till_location_id": self.till_location.currentData(), "idle_lock_minutes": self.idle_lock.value(),
                   "refuse_sale_when_short": self.refuse_short.isChecked(),
                   "void_needs_manager": self.void_needs_manager.isChecked()}
        changes.update(self.day_fields.values())

        def saved(_: Any) -> None:
            self.session.refresh_organization()
            self.business_message.setText("Saved.")

        self.change(lambda: self.session.scope.org_settings.update(**changes), saved,
                    lambda exc: self.business_message.setText(_words(exc, BUSINESS_WORDS)))

    def _restored(self, _done: Any) -> None:
        """The books are the backup now: everyone starts afresh from them (the organization may have
        changed or, if it was made after the backup, be gone: then the window closes)."""
        window = self.window()
        try:
            self.session.refresh_organization()
        except HeraError:
            window.close()
            return
        if hasattr(window, "sign_out"):
            window.sign_out()

    def open_import(self) -> ImportDialog:
        dialog = ImportDialog(self.session, self)
        dialog.open()
        return dialog


# What the fields are called on this screen, for messages that name the setting or value that was wrong.
LABELS = {"tax_label": "Tax name on receipts", "till_location_id": "Till takes stock from",
          "time_zone": "Time zone of the business day", "day_cutoff": "Business day starts at",
          "idle_lock_minutes": "Lock the window when untouched for"}
# In the Business group a name is the business's.
BUSINESS_WORDS = {**LABELS, **BUSINESS_LABELS}


def _scrolled(page: QWidget) -> QScrollArea:
    """A page that scrolls where the window is shorter than its form."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(page)
    return area


def _words(exc: Exception, labels: dict[str, str] = LABELS) -> str:
    """The error in the screen's words: the label a person sees, never the setting's internal name."""
    return in_words(exc, labels)
