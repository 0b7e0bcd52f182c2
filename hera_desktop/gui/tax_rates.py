"""The business's tax rates, for the settings screen: the rates with their accounts, adding, changing or
removing one, which rate each menu category is taxed at, and whether menu prices include the tax.

Every change goes through ``org_settings`` (checked there, one unit of work each), off the GUI thread; the
widget shows what the books hold afterwards.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QGroupBox, QHBoxLayout, QHeaderView,
                               QLineEdit, QPushButton, QTableView, QVBoxLayout)

from ..domain.errors import HeraError, ValidationError
from ..domain.pricing import ROUNDINGS, TaxRules
from .errors import describe
from .labels import plain_label
from .numbers import editable, parse_number

Index = QModelIndex | QPersistentModelIndex
ROUNDING_NAMES = {"receipt": "Round the tax once per rate on the receipt", "line": "Round the tax on each line"}


class TaxRatesModel(QAbstractTableModel):
    """Name | Printed as | Rate | Account: one row per rate, the standard rate first."""

    HEADERS = ("Name", "Printed as", "Rate", "Account")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rates: list[Any] = []

    def set_rules(self, rules: TaxRules) -> None:
        self.beginResetModel()
        self.rates = list(rules.rates.values())
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self.rates)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt's name
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.HEADERS)):
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rates):
            return None
        rate = self.rates[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (rate.name, rate.label, f"{rate.percent}%", rate.account)[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class TaxRatesBox(QGroupBox):
    """The "Tax rates" part of the settings screen; ``refresh()`` reads the books again."""

    changed = Signal()  # a change was saved: the organization's settings are new

    def __init__(self, session: Any, parent: Any = None) -> None:
        super().__init__("Tax rates", parent)
        self.session = session
        self.model = TaxRatesModel(self)
        self.rules: TaxRules | None = None
        self.view = QTableView(objectName="taxRates")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.view.selectionModel().currentRowChanged.connect(lambda current, _previous: self._fill(current.row()))

        self.name = QLineEdit(objectName="taxRateName", placeholderText="Name, like food")
        self.label = QLineEdit(objectName="taxRateLabel", placeholderText="Printed as, like Food")
        self.percent = QLineEdit(objectName="taxRatePercent", placeholderText="Rate %")
        self.save_rate = QPushButton("Add or change rate", objectName="saveTaxRate")
        self.save_rate.clicked.connect(self.save)
        self.remove_rate = QPushButton("Remove", objectName="removeTaxRate")
        self.remove_rate.clicked.connect(self.remove)
        rate_row = QHBoxLayout()
        for w in (self.name, self.label, self.percent, self.save_rate, self.remove_rate):
            rate_row.addWidget(w)

        self.category = QComboBox(objectName="taxCategory", editable=True)
        self.category_rate = QComboBox(objectName="taxCategoryRate")
        self.assign = QPushButton("Tax category at", objectName="assignTaxRate")
        self.assign.clicked.connect(self.assign_category)
        self.categories = plain_label(objectName="taxCategories", wordWrap=True)
        category_row = QHBoxLayout()
        category_row.addWidget(self.category, 2)
        category_row.addWidget(self.assign)
        category_row.addWidget(self.category_rate, 1)

        self.included = QCheckBox("Menu prices include tax", objectName="pricesIncludeTax")
        self.rounding = QComboBox(objectName="taxRounding")
        for key in ROUNDINGS:
            self.rounding.addItem(ROUNDING_NAMES[key], key)
        self.included.toggled.connect(lambda on: self._update(prices_include_tax=on))
        self.rounding.activated.connect(lambda _i: self._update(tax_rounding=self.rounding.currentData()))
        self.message = plain_label(objectName="taxRatesMessage", wordWrap=True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addLayout(rate_row)
        layout.addLayout(category_row)
        layout.addWidget(self.categories)
        layout.addWidget(self.included)
        layout.addWidget(self.rounding)
        layout.addWidget(self.message)

    # ------------------------------------------------------------------ reading

    def refresh(self) -> None:
        scope = self.session.scope

        def work() -> tuple[TaxRules, list[str]]:
            return (scope.org_settings.tax_rules(),
                    sorted({item.category for item in scope.restaurant.menu.items().values()}))

        self.session.runner.read(work, self.show_rules, self._failed)

    def show_rules(self, answer: tuple[TaxRules, list[str]]) -> None:
        rules, menu_categories = answer
        self.rules = rules
        self.model.set_rules(rules)
        typed = self.category.currentText()
        self.category.clear()
        self.category.addItems(sorted(set(menu_categories) | set(rules.categories)))
        self.category.setCurrentText(typed)
        self.category_rate.clear()
        for rate in rules.rates.values():
            self.category_rate.addItem(f"{rate.label} {rate.percent}%", rate.name)
        self.categories.setText("; ".join(f"{c}: {rules.rates[r].label} {rules.rates[r].percent}%"
                                          for c, r in sorted(rules.categories.items()) if r in rules.rates)
                                or "No category has a rate of its own: every item is taxed at the standard rate.")
        # Showing what the books hold is not a change to save.
        self.included.blockSignals(True)
        self.included.setChecked(rules.prices_include_tax)
        self.included.blockSignals(False)
        self.rounding.setCurrentIndex(max(0, self.rounding.findData(rules.rounding)))

    def _fill(self, row: int) -> None:
        if 0 <= row < len(self.model.rates):
            rate = self.model.rates[row]
            self.name.setText(rate.name)
            self.label.setText(rate.label)
            self.percent.setText(editable(rate.rate * 100))

    # ------------------------------------------------------------------ changing

    def save(self) -> None:
        """Add the rate typed, or change the one of that name."""
        try:
            percent = parse_number(self.percent.text().strip().rstrip("%"), "Rate", negative=False)
        except ValidationError as exc:
            self.message.setText(exc.message)
            return
        if percent is None or percent >= 100:
            self.message.setText("Type the rate in percent, from 0 to below 100, like 7 for 7%.")
            return
        name, label = self.name.text().strip(), self.label.text().strip() or None
        scope = self.session.scope
        self._change(lambda: scope.org_settings.set_tax_rate(name, percent / 100, label=label),
                     lambda rate: f"{rate.label} {rate.percent}% saved (its tax goes to account {rate.account}).")

    def remove(self) -> None:
        """Remove the rate named (choosing one in the list names it); its account stays in the chart."""
        name = self.name.text().strip()
        if not name:
            self.message.setText("Choose the tax rate to remove in the list.")
            return
        shown = next((r.label for r in self.model.rates if r.name == name), name)
        scope = self.session.scope
        self._change(lambda: scope.org_settings.remove_tax_rate(name),
                     lambda _rules: f"{shown} removed; its account stays in the chart with the tax it collected.")

    def assign_category(self) -> None:
        category, rate_name = self.category.currentText().strip(), self.category_rate.currentData()
        if not category:
            self.message.setText("Choose or type the menu category to tax.")
            return
        scope = self.session.scope
        self._change(lambda: scope.org_settings.assign_tax_rate(rate_name, category=category),
                     lambda rules: f"{category} is taxed at {rules.rates[rate_name].label} "
                                   f"{rules.rates[rate_name].percent}%.")

    def _update(self, **changes: Any) -> None:
        scope = self.session.scope
        self._change(lambda: scope.org_settings.update(**changes), lambda _s: "Saved.")

    def _change(self, work: Any, said: Any) -> None:
        def done(result: Any) -> None:
            self.session.refresh_organization()
            self.message.setText(said(result))
            self.changed.emit()
            self.refresh()

        self.session.runner.change(work, done, self._failed)

    def _failed(self, exc: Exception) -> None:
        self.message.setText(exc.message if isinstance(exc, HeraError) else describe(exc)[1])
        if self.rules is not None:
            self.show_rules((self.rules, [self.category.itemText(i) for i in range(self.category.count())]))
