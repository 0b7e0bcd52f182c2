"""The Products tab of the Menu screen: the stock items recipes take from, added, edited and retired.

A product is counted in a unit (kg, bottle) and reordered at its reorder level; its stock moves on the
Inventory screen. Retiring one is refused while it is on hand or still in a recipe, in words that say
what to do first.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QAbstractItemView, QFormLayout, QHBoxLayout, QHeaderView, QLineEdit, QPushButton,
                               QTableView, QVBoxLayout, QWidget)

from ...domain.errors import ValidationError
from ..labels import plain_label
from ..numbers import editable, parse_quantity
from .models import ID_ROLE, ProductsModel
from .retire import ReasonDialog


class ProductsPanel(QWidget):
    changed = Signal(str)  # the id of the product just added or changed

    def __init__(self, screen: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.screen = screen
        self.retire_dialog: ReasonDialog | None = None
        self.model = ProductsModel(self)
        self.view = QTableView(objectName="productsTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._chosen())
        self.name = QLineEdit(objectName="productName")
        self.code = QLineEdit(objectName="productCode", placeholderText="Made from the name when left empty")
        self.unit = QLineEdit(objectName="productUnit", placeholderText="kg, litre, bottle…")
        self.reorder = QLineEdit(objectName="productReorder")
        self.new_button = QPushButton("New product", objectName="newProduct")
        self.new_button.clicked.connect(self.clear)
        self.save_button = QPushButton("Add product", objectName="saveProduct")
        self.save_button.clicked.connect(self.save)
        self.retire_button = QPushButton("Retire…", objectName="retireProduct")
        self.retire_button.clicked.connect(self.ask_retire)
        self.message = plain_label(objectName="productMessage", wordWrap=True)
        form = QFormLayout()
        for label, widget in (("Name", self.name), ("Code", self.code), ("Unit", self.unit),
                              ("Reorder level", self.reorder)):
            form.addRow(label, widget)
        actions = QHBoxLayout()
        for button in (self.new_button, self.save_button, self.retire_button):
            actions.addWidget(button)
        actions.addStretch(1)
        side = QVBoxLayout()
        side.addLayout(form)
        side.addLayout(actions)
        side.addWidget(self.message)
        side.addStretch(1)
        box = QHBoxLayout(self)
        box.addWidget(self.view, 3)
        box.addLayout(side, 2)
        self.clear()

    @property
    def scope(self) -> Any:
        return self.screen.session.scope

    def set_products(self, products: list[Any], chosen: str | None = None) -> None:
        chosen = chosen or self.selected()
        self.model.set_rows(products)
        row = self.model.row_of(chosen) if chosen else -1
        if row >= 0:
            self.view.selectRow(row)
        else:
            self.clear()

    def selected(self) -> str | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.data(rows[0], ID_ROLE) if rows else None

    def select(self, product_id: str) -> None:
        self.view.selectRow(self.model.row_of(product_id))

    def product(self) -> Any:
        row = self.model.row_of(self.selected())
        return self.model.rows[row] if row >= 0 else None

    def _chosen(self) -> None:
        p = self.product()
        if p is None:
            return
        self.name.setText(p.product_name)
        self.code.setText(p.product_code)
        self.code.setEnabled(False)  # a code stays with its product (imports and sync find it by it)
        self.unit.setText(p.unit or "")
        self.reorder.setText(editable(p.reorder_level))
        self.save_button.setText("Save changes")
        self.retire_button.setEnabled(True)

    def clear(self) -> None:
        self.view.clearSelection()
        for edit in (self.name, self.code, self.unit, self.reorder):
            edit.clear()
        self.code.setEnabled(True)
        self.save_button.setText("Add product")
        self.retire_button.setEnabled(False)

    def save(self) -> None:
        try:
            reorder = parse_quantity(self.reorder.text(), "reorder_level")
        except ValidationError as exc:
            self.screen.fail(exc)
            return
        name, unit, inventory, p = self.name.text().strip(), self.unit.text().strip() or None, \
            self.scope.inventory, self.product()
        if p is None:
            code = self.code.text().strip() or None
            self.screen.change(lambda: inventory.add_product(name, code, reorder, unit),
                               lambda added: self._done(added.id, f"{added.entity_name} added."))
            return
        given = {k: v for k, v, old in (("name", name, p.product_name), ("unit", unit, p.unit),
                                         ("reorder_level", reorder, p.reorder_level)) if v is not None and v != old}
        if not given:
            self.message.setText("Nothing to save: the product is as shown.")
            return
        product_id = p.product_id
        self.screen.change(lambda: inventory.update_product(product_id, **given),
                           lambda changed: self._done(changed.product_id, f"{changed.product_name} saved."))

    def ask_retire(self) -> ReasonDialog | None:
        p = self.product()
        if p is None:
            return None
        product_id, name = p.product_id, p.product_name
        self.retire_dialog = ReasonDialog(
            "Retire a product", f"{name} will no longer be stocked; its movements stay in the books.",
            lambda reason: self.screen.change(lambda: self.scope.inventory.retire_product(product_id, reason),
                                              lambda _p: self._done(None, f"{name} is no longer stocked.")),
            self)
        self.retire_dialog.open()
        return self.retire_dialog

    def _done(self, product_id: str | None, text: str) -> None:
        self.message.setText(text)
        self.changed.emit(product_id or "")
