"""The stock movement dialog: receive, issue, transfer or count, with a reason and a reference.

It shows only the fields the movement needs (a unit cost for a receipt, a
destination for a transfer, the counted quantity for a count) and what is on
hand where the stock moves from. When there is not enough stock the service
refuses, and the dialog stays open saying how much there is and how much was asked.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QWidget

from .. import theme
from ...domain.errors import HeraError, InsufficientInventoryError, ValidationError
from ...domain.ids import new_id
from ...domain.money import ZERO
from ..errors import show_error
from ..cells import COST, QUANTITY, display
from ..labels import plain_label
from ..numbers import parse_quantity

KINDS = (("receipt", "Receive stock"), ("issue", "Issue stock"), ("transfer", "Transfer between locations"),
         ("adjustment", "Count: set to what was counted"))
QUANTITY_LABELS = {"receipt": "Quantity received", "issue": "Quantity issued", "transfer": "Quantity to move",
                   "adjustment": "Counted quantity"}


def _qty(value: Any) -> str:
    return display(value, QUANTITY, "")


class AdjustmentDialog(QDialog):
    def __init__(self, session: Any, overview: Any, kind: str = "receipt", product_id: str | None = None,
                 location_id: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("adjustmentDialog")
        self.setWindowTitle("Stock movement")
        self.session, self.overview = session, overview
        self.key = f"stock-{new_id()}"  # made once per draft: a double click records the movement once
        self.outcome: Any = None
        self.products = {p.product_id: p for p in overview.products}
        self.kind = QComboBox(objectName="kind")
        for key, text in KINDS:
            self.kind.addItem(text, key)
        self.product = QComboBox(objectName="product")
        for p in overview.products:
            self.product.addItem(p.product_name, p.product_id)
        self.location, self.to_location = QComboBox(objectName="location"), QComboBox(objectName="toLocation")
        for loc in overview.locations:
            self.location.addItem(loc.name, loc.location_id)
            self.to_location.addItem(loc.name, loc.location_id)
        self.quantity, self.unit_cost = QLineEdit(objectName="quantity"), QLineEdit(objectName="unitCost")
        self.reason, self.reference = QLineEdit(objectName="reason"), QLineEdit(objectName="reference")
        self.reason.setPlaceholderText("Why the stock moves: delivery, breakage, restock the store front…")
        self.reference.setPlaceholderText("Delivery note, purchase order… (optional)")
        self.on_hand = plain_label(objectName="onHand")
        self.message = plain_label(objectName="adjustMessage", wordWrap=True)
        self.message.setStyleSheet(theme.tone_style("error"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("Record")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.form = QFormLayout(self)
        for label, widget in (("Movement", self.kind), ("Product", self.product), ("At", self.location),
                              ("To", self.to_location), ("Quantity", self.quantity), ("Unit cost", self.unit_cost),
                              ("Reason", self.reason), ("Reference", self.reference)):
            self.form.addRow(label, widget)
        self.form.addRow(self.on_hand)
        self.form.addRow(self.message)
        self.form.addRow(self.buttons)
        for combo in (self.kind, self.product, self.location):
            combo.currentIndexChanged.connect(self._update)
        self._select(self.kind, kind)
        self._select(self.product, product_id)
        self._select(self.location, location_id)
        if self.to_location.count() > 1 and self.to_location.currentIndex() == self.location.currentIndex():
            self.to_location.setCurrentIndex(1)
        self._update()
        self.setMinimumWidth(460)

    @staticmethod
    def _select(combo: QComboBox, value: Any) -> None:
        at = combo.findData(value)
        if value is not None and at >= 0:
            combo.setCurrentIndex(at)

    @property
    def kind_key(self) -> str:
        return self.kind.currentData()

    def _update(self) -> None:
        kind = self.kind_key
        self.form.setRowVisible(self.to_location, kind == "transfer")
        self.form.setRowVisible(self.unit_cost, kind == "receipt")
        self.form.labelForField(self.location).setText("From" if kind == "transfer" else "At")
        self.form.labelForField(self.quantity).setText(QUANTITY_LABELS[kind])
        product = self.products.get(self.product.currentData())
        if product is None:
            self.on_hand.setText("")
            return
        here = product.by_location.get(self.location.currentData(), ZERO)
        cost = display(product.average_cost, COST, "")
        self.on_hand.setText(f"On hand at {self.location.currentText()}: {_qty(here)} "
                             f"(in all {_qty(product.on_hand)}); average cost {cost}")
        self.message.setText("")

    # ------------------------------------------------------------------ recording

    def _number(self, edit: QLineEdit, field: str) -> Decimal:
        """What was typed, read in the user's locale: "1,5" kg is one and a half in German."""
        value = parse_quantity(edit.text(), field)
        if value is None:
            raise ValidationError(field, "please enter a number")
        return value

    def submit(self) -> None:
        """Record the movement (off the GUI thread); the dialog closes when it is recorded."""
        kind, scope = self.kind_key, self.session.scope
        try:
            quantity = self._number(self.quantity, QUANTITY_LABELS[kind].lower())
            cost = self._number(self.unit_cost, "unit cost") if kind == "receipt" else None
        except ValidationError as exc:
            self.message.setText(exc.message)
            self.adjustSize()
            return
        product, location = self.product.currentData(), self.location.currentData() or None
        reason, reference = self.reason.text().strip(), self.reference.text().strip() or None
        if kind == "adjustment":
            def work() -> Any:
                return scope.stock_count.record(product, location, quantity, reason, reference, self.key)
        else:
            to_location = (self.to_location.currentData() or None) if kind == "transfer" else None

            def work() -> Any:
                return scope.inventory.adjust(product_id=product, adjustment_type=kind, quantity=quantity,
                                              unit_cost=cost, reason=reason, reference=reference,
                                              location_id=location, to_location_id=to_location,
                                              idempotency_key=self.key)
        self.buttons.setEnabled(False)
        self.session.runner.change(work, self._recorded, self._refused)

    def _recorded(self, outcome: Any) -> None:
        self.outcome = outcome
        self.buttons.setEnabled(True)
        self.accept()

    def _refused(self, exc: Exception) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, InsufficientInventoryError):
            where = exc.details.get("location") or self.location.currentText()
            self.message.setText(f"Not enough {exc.details.get('product', 'stock')} at {where}: "
                                 f"{_qty(exc.available)} on hand, {_qty(exc.requested)} requested. "
                                 "Nothing was recorded.")
        elif isinstance(exc, HeraError):
            self.message.setText(exc.message)
        else:
            show_error(self, exc)
        self.adjustSize()
