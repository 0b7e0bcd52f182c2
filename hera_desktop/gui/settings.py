"""Settings for managers and admins: the business (tax, till location) and imports."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QSpinBox, QVBoxLayout)

from ..domain.errors import ValidationError
from .business_day_fields import BusinessDayFields
from .idle import idle_minutes
from .import_dialog import ImportDialog
from .labels import plain_label
from .numbers import editable, parse_number
from .screen import Screen


class SettingsScreen(Screen):
    title = "Settings"
    permission = "users.unlock"
    refresh_on = frozenset({"organization", "location"})

    def __init__(self, session: Any, parent: Any = None) -> None:
        super().__init__(session, parent)
        self.business = QGroupBox("Business")
        self.tax_rate = QLineEdit(objectName="taxRate", placeholderText="5")
        self.tax_label = QLineEdit(objectName="taxLabel")
        self.till_location = QComboBox(objectName="tillLocation")
        self.idle_lock = QSpinBox(objectName="idleLockMinutes", minimum=0, maximum=240, suffix=" min",
                                  specialValueText="Never")
        self.refuse_short = QCheckBox("Refuse a sale when the books say an ingredient is short",
                                      objectName="refuseSaleWhenShort")
        self.save_business = QPushButton("Save", objectName="saveBusiness")
        self.save_business.clicked.connect(self.save_settings)
        self.business_message = plain_label(objectName="businessMessage", wordWrap=True)
        self.day_fields = BusinessDayFields(self.business)
        form = QFormLayout(self.business)
        form.addRow("Sales tax rate (%)", self.tax_rate)
        form.addRow("Tax name on receipts", self.tax_label)
        form.addRow("Till takes stock from", self.till_location)
        form.addRow("", self.refuse_short)
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

        layout = QVBoxLayout(self)
        for box in (self.business, self.data):
            layout.addWidget(box)
        layout.addStretch(1)
        session.user_changed.connect(self.apply_role)
        self.apply_role()

    def apply_role(self) -> None:
        s = self.session
        self.business.setEnabled(s.allows("settings.manage"))
        self.data.setVisible(s.allows("batch.run"))

    def refresh(self) -> None:
        if self.session.user is None:
            return
        self.read(lambda: (self.session.scope.organization.settings, self.session.scope.org_settings.locations()),
                  self._show)

    def _show(self, loaded: tuple[dict[str, Any], list[Any]]) -> None:
        settings, locations = loaded
        self.tax_rate.setText(editable((Decimal(str(settings.get('tax_rate', '0.05'))) * 100).normalize()))
        self.tax_label.setText(settings.get("tax_label", "Sales Tax"))
        self.day_fields.show(settings)
        self.till_location.clear()
        self.till_location.addItem("(no location)", None)
        for loc in locations:
            self.till_location.addItem(loc.entity_name, loc.id)
        self.till_location.setCurrentIndex(max(0, self.till_location.findData(settings.get("till_location_id"))))
        self.idle_lock.setValue(idle_minutes(settings))
        self.refuse_short.setChecked(bool(settings.get("refuse_sale_when_short", False)))

    def save_settings(self) -> None:
        try:
            percent = parse_number(self.tax_rate.text().strip().rstrip("%"), "tax_rate", negative=False)
        except ValidationError:
            percent = None
        if percent is None or not 0 <= percent < 100:
            self.business_message.setText(TAX_RATE_HINT)
            return
        rate = percent / 100
        changes = {"tax_rate": rate, "tax_label": self.tax_label.text(),
                   "till_location_id": self.till_location.currentData(), "idle_lock_minutes": self.idle_lock.value(),
                   "refuse_sale_when_short": self.refuse_short.isChecked()}
        changes.update(self.day_fields.values())

        def saved(_: Any) -> None:
            self.session.refresh_organization()
            self.business_message.setText("Saved.")

        self.change(lambda: self.session.scope.org_settings.update(**changes), saved,
                    lambda exc: self.business_message.setText(_words(exc)))

    def open_import(self) -> ImportDialog:
        dialog = ImportDialog(self.session, self)
        dialog.open()
        return dialog


TAX_RATE_HINT = "Sales tax rate (%): must be a percentage from 0 to below 100, like 5 or 7.25"

# What the fields are called on this screen, for messages that name the setting or value that was wrong.
LABELS = {"tax_label": "Tax name on receipts", "till_location_id": "Till takes stock from",
          "time_zone": "Time zone of the business day", "day_cutoff": "Business day starts at",
          "idle_lock_minutes": "Lock the window when untouched for"}


def _words(exc: Exception) -> str:
    """The error in the screen's words: the label a person sees, never the setting's internal name."""
    from .errors import describe

    if isinstance(exc, ValidationError):
        if exc.field == "tax_rate":
            return TAX_RATE_HINT
        prefix = f"{exc.field}: "
        if exc.field in LABELS and exc.message.startswith(prefix):
            return f"{LABELS[exc.field]}: {exc.message[len(prefix):]}"
    return describe(exc)[1]
