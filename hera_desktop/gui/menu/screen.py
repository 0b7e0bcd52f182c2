"""The Menu screen: a manager's menu items and the products their recipes take from stock.

The Items tab lists the menu (retired items too, on a toggle) beside the chosen item's editor: its
details, sold out today ("86") and back, retiring it, its recipe and its price history. The Products
tab keeps the stock items. Everything goes through the menu's and the inventory's own calls, so a
price set here is the till's price from the next ticket on, and is in the item's price history.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QPushButton, QSplitter, QTableView, QTabWidget, QVBoxLayout, QWidget)

from .. import sizes
from ..screen import Screen
from .editor import ItemEditor
from .models import ID_ROLE, ItemsModel
from .products import ProductsPanel


class MenuScreen(Screen):
    title = "Menu"
    permission = "menu.manage"
    refresh_on = frozenset({"menu_item", "product", "organization"})

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.menu: dict[str, Any] = {}
        self.products: list[Any] = []
        self._chosen: str | None = None  # the item to show once the menu reloads
        self.model = ItemsModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(0)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit(objectName="menuFilter", placeholderText="Find an item…", clearButtonEnabled=True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.show_retired = QCheckBox("Show retired items", objectName="showRetired")
        self.show_retired.toggled.connect(lambda _on: self._show_menu())
        self.new_button = QPushButton("New item", objectName="newItem")
        self.new_button.clicked.connect(self.new_item)
        self.view = QTableView(objectName="menuTable")
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        self.editor = ItemEditor(self)
        self.editor.changed.connect(self._reload_showing)
        self.products_panel = ProductsPanel(self)
        self.products_panel.changed.connect(lambda _id: self.refresh())

        bar = QHBoxLayout()
        bar.addWidget(self.filter, 1)
        bar.addWidget(self.show_retired)
        bar.addWidget(self.new_button)
        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        left_box.addLayout(bar)
        left_box.addWidget(self.view, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.editor)
        split.setSizes([660, 480])
        self.tabs = QTabWidget(objectName="menuTabs")
        self.tabs.addTab(split, "Items")
        self.tabs.addTab(self.products_panel, "Products")
        heading = QLabel("Menu", objectName="screenTitle")
        heading.setStyleSheet(sizes.heading(18))
        box = QVBoxLayout(self)
        box.addWidget(heading)
        box.addWidget(self.tabs, 1)

    # ------------------------------------------------------------------ loading

    def refresh(self) -> None:
        scope = self.session.scope
        self.read(lambda: (scope.restaurant.menu.items(include_retired=True),
                           scope.inventory.products(include_retired=True), scope.org_settings.tax_rules()),
                  self._loaded)

    def _loaded(self, loaded: tuple[dict[str, Any], list[Any], Any]) -> None:
        chosen, self._chosen = self._chosen or self.selected_item(), None
        self.menu, self.products, rules = loaded
        stocked = [p for p in self.products if not p.retired]
        self.editor.set_choices(sorted({i.category for i in self.menu.values()}), stocked, rules)
        self.products_panel.set_products(stocked)
        self._show_menu(chosen)

    def _show_menu(self, chosen: str | None = None) -> None:
        chosen = chosen or self.selected_item()
        items = [i for i in self.menu.values() if self.show_retired.isChecked() or not i.retired]
        self.model.set_rows(sorted(items, key=lambda i: (i.category, i.entity_name)),
                            self.session.organization.currency)
        self.select_item(chosen)

    def _reload_showing(self, item_id: str) -> None:
        self._chosen = item_id
        self.refresh()

    # ------------------------------------------------------------------ choosing an item

    def selected_item(self) -> str | None:
        rows = self.view.selectionModel().selectedRows()
        return self.proxy.data(rows[0], ID_ROLE) if rows else None

    def select_item(self, item_id: str | None) -> None:
        row = self.model.row_of(item_id) if item_id else -1
        if row < 0:
            self.view.clearSelection()
            self.editor.show_item(None)
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if self.selected_item() == item_id:
            self._selected()  # the same item, changed: show it afresh
        else:
            self.view.selectRow(index.row())

    def select_by_name(self, name: str) -> None:
        self.select_item(next((i.id for i in self.menu.values() if i.entity_name == name), None))

    def new_item(self) -> None:
        self.view.clearSelection()
        self.editor.show_item(None)
        self.editor.name.setFocus()

    def _selected(self) -> None:
        item_id = self.selected_item()
        if item_id is None:
            return
        menu = self.session.scope.restaurant.menu
        self.read(lambda: (menu.consumption([item_id]).get(item_id, []), menu.price_history(item_id)),
                  lambda found: self._show_item(item_id, *found))

    def _show_item(self, item_id: str, lines: list[Any], history: list[Any]) -> None:
        item = self.menu.get(item_id)
        if item is None or self.selected_item() != item_id:
            return  # another item was chosen meanwhile
        products = {p.product_id: p for p in self.products}
        recipe = [(pid, products[pid].product_name if pid in products else pid, qty,
                   (products[pid].unit or "") if pid in products else "") for pid, qty in lines]
        recipe.sort(key=lambda line: line[1])
        self.editor.show_item(item, recipe, history)
