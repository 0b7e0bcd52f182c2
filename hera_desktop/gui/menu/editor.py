"""The item editor of the Menu screen: an item's details, its tax rate, sold out today, retiring it, its
recipe and its price history.

Saving sends only what was changed (``update_item``), so a rename alone leaves the price history
alone; with no item chosen, saving adds a new item. An item is taxed at its category's rate unless it
is given a rate of its own (``org_settings.assign_tax_rate``), which only those who may change the tax
rates may do. The recipe lists what one sold item takes from
stock, a line set (added or changed) or taken out at a time.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView,
                               QLineEdit, QPushButton, QTableView, QVBoxLayout, QWidget)

from ...domain.errors import ValidationError
from ...domain.pricing import TaxRules, tax_rules
from ..labels import plain_label
from ..numbers import editable, parse_money, parse_quantity
from .models import ID_ROLE, PriceHistoryModel, RecipeModel, item_state
from .retire import ReasonDialog


def _table(model: Any, name: str) -> QTableView:
    view = QTableView(objectName=name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    return view


class ItemEditor(QWidget):
    changed = Signal(str)  # the id of the item just added or changed

    def __init__(self, screen: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.screen = screen
        self.item: Any = None  # the MenuItem shown; None: a new item
        self.retire_dialog: ReasonDialog | None = None
        self.name = QLineEdit(objectName="itemName")
        self.price = QLineEdit(objectName="itemPrice")
        self.category = QComboBox(objectName="itemCategory", editable=True)
        self.station = QLineEdit(objectName="itemStation", placeholderText="Decided by the item's name")
        self.classification = QLineEdit(objectName="itemClassification", placeholderText="e.g. beverage")
        self.tax_rate = QComboBox(objectName="itemTaxRate")
        self.rules: TaxRules = tax_rules({})
        self.category.currentTextChanged.connect(lambda _text: self._name_category_rate())
        self.state = plain_label(objectName="itemState")
        self.save_button = QPushButton("Add item", objectName="saveItem")
        self.save_button.clicked.connect(self.save)
        self.sold_out_button = QPushButton("Sold out today (86)", objectName="soldOut")
        self.sold_out_button.clicked.connect(self.toggle_sold_out)
        self.retire_button = QPushButton("Retire…", objectName="retireItem")
        self.retire_button.clicked.connect(self.ask_retire)
        self.message = plain_label(objectName="itemMessage", wordWrap=True)
        form = QFormLayout()
        for label, widget in (("Name", self.name), ("Price", self.price), ("Category", self.category),
                              ("Kitchen station", self.station), ("Classification", self.classification),
                              ("Tax rate", self.tax_rate), ("Status", self.state)):
            form.addRow(label, widget)
        actions = QHBoxLayout()
        for button in (self.save_button, self.sold_out_button, self.retire_button):
            actions.addWidget(button)
        actions.addStretch(1)

        self.recipe = RecipeModel(self)
        self.recipe_view = _table(self.recipe, "recipeTable")
        self.recipe_view.selectionModel().selectionChanged.connect(self._recipe_line_chosen)
        self.product = QComboBox(objectName="recipeProduct")
        self.product.setMinimumWidth(160)
        self.quantity = QLineEdit(objectName="recipeQuantity", placeholderText="per item sold")
        self.quantity.setMinimumWidth(110)
        self.set_line_button = QPushButton("Set", objectName="setRecipeLine")
        self.set_line_button.clicked.connect(self.set_line)
        self.remove_line_button = QPushButton("Take out", objectName="removeRecipeLine")
        self.remove_line_button.clicked.connect(self.remove_line)
        line = QHBoxLayout()
        line.addWidget(self.product, 2)
        for widget in (self.quantity, self.set_line_button, self.remove_line_button):
            line.addWidget(widget)
        recipe_box = QGroupBox("Recipe: taken from stock for each one sold")
        recipe_layout = QVBoxLayout(recipe_box)
        recipe_layout.addWidget(self.recipe_view)
        recipe_layout.addLayout(line)

        self.history = PriceHistoryModel(self)
        self.history_view = _table(self.history, "priceHistory")
        history_box = QGroupBox("Price history")
        QVBoxLayout(history_box).addWidget(self.history_view)

        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addLayout(actions)
        box.addWidget(self.message)
        box.addWidget(recipe_box, 1)
        box.addWidget(history_box, 1)
        self.show_item(None)

    @property
    def scope(self) -> Any:
        return self.screen.session.scope

    @property
    def currency(self) -> str:
        return str(self.screen.session.organization.currency)

    # ------------------------------------------------------------------ showing

    def set_choices(self, categories: list[str], products: list[Any], rules: TaxRules | None = None) -> None:
        if rules is not None:
            self._set_rates(rules)
        text = self.category.currentText()
        self.category.clear()
        self.category.addItems(categories)
        self.category.setCurrentText(text)
        chosen = self.product.currentData()
        self.product.clear()
        for p in products:
            self.product.addItem(f"{p.product_name} ({p.unit})" if p.unit else p.product_name, p.product_id)
        if chosen is not None and self.product.findData(chosen) >= 0:
            self.product.setCurrentIndex(self.product.findData(chosen))

    def _set_rates(self, rules: TaxRules) -> None:
        """The choice of tax rate: the category's (first), then every rate by name."""
        chosen = self.tax_rate.currentData()
        self.rules = rules
        self.tax_rate.clear()
        self.tax_rate.addItem("", None)
        for rate in rules.rates.values():
            self.tax_rate.addItem(f"{rate.label} {rate.percent}%", rate.name)
        self.tax_rate.setCurrentIndex(max(0, self.tax_rate.findData(chosen)))
        self._name_category_rate()

    def _name_category_rate(self) -> None:
        rate = self.rules.rate_for(None, self.category.currentText().strip())
        self.tax_rate.setItemText(0, f"Category's rate ({rate.label} {rate.percent}%)")

    def show_item(self, item: Any, recipe: list[Any] | None = None, history: list[Any] | None = None) -> None:
        """Show this MenuItem (None: a blank form to add one), with its recipe and price history."""
        self.item = item
        self.name.setText(item.entity_name if item else "")
        self.price.setText(editable(item.price, self.currency) if item else "")
        self.category.setCurrentText(item.category if item else "")
        self.station.setText(item.kitchen_station if item else "")
        self.classification.setText((item.classification or "") if item else "")
        own = item.tax_rate if item and item.tax_rate in self.rules.rates else None
        self.tax_rate.setCurrentIndex(max(0, self.tax_rate.findData(own)))
        self.state.setText(item_state(item) if item else "New item")
        live = item is not None and not item.retired
        for widget in (self.name, self.price, self.category, self.station, self.classification):
            widget.setEnabled(item is None or live)
        self.tax_rate.setEnabled((item is None or live) and self.scope.allows("settings.manage"))
        self.save_button.setText("Save changes" if item else "Add item")
        self.save_button.setEnabled(item is None or live)
        self.sold_out_button.setEnabled(live)
        self.sold_out_button.setText("Back on sale" if live and not item.available else "Sold out today (86)")
        self.retire_button.setEnabled(live)
        for widget in (self.product, self.quantity, self.set_line_button, self.remove_line_button):
            widget.setEnabled(live)
        self.recipe.set_rows(recipe or [], self.currency)
        self.history.set_rows(history or [], self.currency)

    def say(self, text: str) -> None:
        self.message.setText(text)

    # ------------------------------------------------------------------ changing the item

    def _typed(self) -> dict[str, Any]:
        """What the form says, checked as far as the screen can (the menu checks the rest)."""
        return {"name": self.name.text().strip(),
                "price": parse_money(self.price.text(), "price", self.currency),
                "category": self.category.currentText().strip(),
                "kitchen_station": self.station.text().strip() or None,
                "classification": self.classification.text().strip() or None}

    def save(self) -> None:
        try:
            typed = self._typed()
        except ValidationError as exc:
            self.screen.fail(exc)
            return
        menu, settings = self.scope.restaurant.menu, self.scope.org_settings
        rate = self.tax_rate.currentData()
        if self.item is None:
            if typed["price"] is None:
                self.screen.fail(ValidationError("price", "a menu item needs a price"))
                return

            def add() -> Any:
                item = menu.add_item(typed["name"], typed["price"], typed["category"] or "Other",
                                     typed["kitchen_station"], typed["classification"])
                if rate is not None:
                    settings.assign_tax_rate(rate, item_id=item.id)
                return item
            self.screen.change(add, lambda item: self._done(item, f"{item.entity_name} added to the menu."))
            return
        current = {"name": self.item.entity_name, "price": self.item.price, "category": self.item.category,
                   "kitchen_station": self.item.kitchen_station, "classification": self.item.classification}
        given = {k: v for k, v in typed.items() if v is not None and v != current[k]}
        own = self.item.tax_rate if self.item.tax_rate in self.rules.rates else None
        if not given and rate == own:
            self.say("Nothing to save: the item is as shown.")
            return
        item, item_id = self.item, self.item.id

        def save() -> Any:
            saved = menu.update_item(item_id, **given) if given else item
            if rate != own:
                settings.assign_tax_rate(rate, item_id=item_id)
            return saved
        self.screen.change(save, lambda saved: self._done(saved, f"{saved.entity_name} saved."))

    def toggle_sold_out(self) -> None:
        if self.item is None:
            return
        item_id, back = self.item.id, not self.item.available
        self.screen.change(lambda: self.scope.restaurant.menu.update_item(item_id, available=back),
                           lambda item: self._done(item, f"{item.entity_name} is "
                                                   + ("back on sale." if back else "sold out for today.")))

    def ask_retire(self) -> ReasonDialog | None:
        """Ask why the item leaves the menu (window-modal); retiring it follows the answer."""
        if self.item is None:
            return None
        item_id, name = self.item.id, self.item.entity_name
        self.retire_dialog = ReasonDialog(
            "Retire a menu item", f"{name} leaves the menu for good; past sales keep its name.",
            lambda reason: self.screen.change(lambda: self.scope.restaurant.menu.retire_item(item_id, reason),
                                              lambda item: self._done(item, f"{name} is no longer on the menu.")),
            self)
        self.retire_dialog.open()
        return self.retire_dialog

    def _done(self, item: Any, text: str) -> None:
        self.say(text)
        self.changed.emit(item.id)

    # ------------------------------------------------------------------ the recipe

    def _recipe_line_chosen(self, *_: Any) -> None:
        rows = self.recipe_view.selectionModel().selectedRows()
        if rows:
            line = self.recipe.rows[rows[0].row()]
            self.product.setCurrentIndex(max(0, self.product.findData(line[0])))
            self.quantity.setText(editable(line[2]))

    def set_line(self) -> None:
        if self.item is None or self.product.currentData() is None:
            return
        try:
            quantity = parse_quantity(self.quantity.text(), "quantity")
        except ValidationError as exc:
            self.screen.fail(exc)
            return
        if quantity is None:
            self.screen.fail(ValidationError("quantity", "say how much of the product one item takes"))
            return
        item_id, product_id, name = self.item.id, self.product.currentData(), self.item.entity_name
        self.screen.change(lambda: self.scope.restaurant.menu.set_consumption(item_id, product_id, quantity),
                           lambda _rel: self._recipe_done(item_id, f"Recipe of {name} saved."))

    def remove_line(self) -> None:
        rows = self.recipe_view.selectionModel().selectedRows()
        if self.item is None or not rows:
            self.say("Choose the line of the recipe to take out.")
            return
        item_id, product_id = self.item.id, self.recipe.data(rows[0], ID_ROLE)
        self.screen.change(lambda: self.scope.restaurant.menu.remove_consumption(item_id, product_id),
                           lambda _none: self._recipe_done(item_id, "Taken out of the recipe."))

    def _recipe_done(self, item_id: str, text: str) -> None:
        self.say(text)
        self.quantity.clear()
        self.changed.emit(item_id)
