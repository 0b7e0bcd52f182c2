"""The Inventory screen: stock on hand per product and location, low stock marked, movements recorded.

Managers see every product's quantity at each location, average cost and
value, record receipts, issues, transfers and counts, and read a product's
stock card below the table. Sales at the till change stock too, so the screen
reloads when orders or stock change. A sale may take stock below zero; such
products are marked, counted in the summary, and "Below zero only" lists just them.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QPushButton, QSplitter, QTableView, QVBoxLayout, QWidget)

from .. import sizes, theme
from ...domain.money import fmt
from ..labels import plain_label
from ..screen import Screen
from .adjust import AdjustmentDialog
from .history import ALL, HistoryPanel
from .models import PRODUCT_ROLE, StockModel

BUTTONS = (("receipt", "Receive…"), ("issue", "Issue…"), ("transfer", "Transfer…"), ("adjustment", "Count…"))


class StockFilter(QSortFilterProxyModel):
    """Products by name, and optionally only those below zero somewhere."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.below_zero_only = False

    def show_below_zero_only(self, on: bool) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.9 and later, where invalidateFilter is deprecated
            self.beginFilterChange()
            self.below_zero_only = on
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.below_zero_only = on
            self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        model = self.sourceModel()
        if self.below_zero_only and not model.below_zero(model.rows[row]):
            return False
        return super().filterAcceptsRow(row, parent)


class InventoryScreen(Screen):
    title = "Inventory"
    permission = "inventory.adjust"
    refresh_on = frozenset({"product", "location", "inventory_adjustment", "sale"})  # sales take stock

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.overview: Any = None
        self.dialog: AdjustmentDialog | None = None
        self._moved: str | None = None  # the product just moved: shown when the stock reloads
        self.model = StockModel(self)
        self.proxy = StockFilter(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(0)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit(objectName="productFilter", placeholderText="Find a product…",
                                clearButtonEnabled=True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.below_zero = QCheckBox("Below zero only", objectName="belowZeroOnly")
        self.below_zero.toggled.connect(self.proxy.show_below_zero_only)
        self.view = QTableView(objectName="stockTable")
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(False)
        self.view.selectionModel().selectionChanged.connect(self._selected)
        self.view.doubleClicked.connect(lambda _: self.open_adjustment("receipt"))
        self.summary = plain_label(objectName="stockSummary")
        self.history = HistoryPanel(session)
        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        bar.addWidget(self.filter, 1)
        bar.addWidget(self.below_zero)
        for kind, text in BUTTONS:
            button = self.buttons[kind] = QPushButton(text, objectName=f"{kind}Button")
            button.clicked.connect(lambda _=False, k=kind: self.open_adjustment(k))
            bar.addWidget(button)
        heading = QLabel("Inventory", objectName="screenTitle")
        heading.setStyleSheet(sizes.heading(18))
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.view)
        split.addWidget(self.history)
        split.setSizes([380, 300])
        box = QVBoxLayout(self)
        box.addWidget(heading)
        box.addLayout(bar)
        box.addWidget(self.summary)
        box.addWidget(split, 1)

    def refresh(self) -> None:
        scope = self.session.scope
        self.read(lambda: scope.stock_history.on_hand(), self._loaded)

    def _loaded(self, overview: Any) -> None:
        chosen, self._moved = self._moved or self.selected_product(), None
        self.overview = overview
        currency = self.session.organization.currency
        self.model.set_overview(overview, currency)
        self.view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.history.set_locations(overview.locations)
        low = sum(1 for p in overview.products if p.low)
        negative = self.model.negative_count()
        value = fmt(overview.total_value, currency)
        below = f" · {negative} below zero (sold past the books: receive or count them)" if negative else ""
        self.summary.setText(f"{len(overview.products)} products · {low} at or below their reorder level{below} · "
                             f"stock value {value}")
        self.summary.setStyleSheet(theme.tone_style("error") if low or negative else "")
        self.below_zero.setText(f"Below zero only ({negative})")
        self.select_product(chosen or (overview.products[0].product_id if overview.products else None))

    # ------------------------------------------------------------------ choosing a product

    def selected_product(self) -> str | None:
        rows = self.view.selectionModel().selectedRows()
        return self.proxy.data(rows[0], PRODUCT_ROLE) if rows else None

    def select_product(self, product_id: str | None) -> None:
        row = self.model.row_of(product_id) if product_id else -1
        if row < 0:
            self.history.show_product(None)
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if self.selected_product() == product_id:
            self._selected()  # same product, new figures: reload its history
        else:
            self.view.selectRow(index.row())

    def _selected(self, *_: QItemSelection) -> None:
        product_id = self.selected_product()
        row = self.model.row_of(product_id) if product_id else -1
        self.history.show_product(product_id, self.model.rows[row].product_name if row >= 0 else "")

    # ------------------------------------------------------------------ recording movements

    def open_adjustment(self, kind: str, product_id: str | None = None) -> AdjustmentDialog | None:
        """Open the movement dialog (window-modal, not blocking) for the chosen product; returns it."""
        if self.overview is None or not self.overview.products:
            return None
        location = self.history.location.currentData()
        self.dialog = AdjustmentDialog(self.session, self.overview, kind, product_id or self.selected_product(),
                                       location if location != ALL else None, self)
        dialog = self.dialog
        dialog.accepted.connect(lambda: setattr(self, "_moved", dialog.product.currentData()))
        dialog.open()
        return self.dialog
