"""The customers screen: the list with search as you type on the left, the chosen customer on the right."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLineEdit, QPushButton, QSplitter,
                               QTableView, QVBoxLayout, QWidget)

from .. import theme
from ...services.customer_directory import PAGE_SIZE
from ..labels import plain_label
from ..screen import Screen
from ..sizes import px
from .detail import CustomerDetail
from .list_model import CustomerListModel
from .onboarding import OnboardingDialog


class CustomersScreen(Screen):
    title = "Customers"
    permission = "customers.view"
    refresh_on = frozenset({"customer", "sale", "payment", "status_change"})  # orders move balances

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.setObjectName("customersScreen")
        self.model = CustomerListModel(lambda: self.session.scope.customer_directory, self.runner.read, self)
        self.model.failed.connect(self.fail)
        self.model.loaded.connect(self._list_loaded)
        self.model.rowsInserted.connect(lambda *_: self._say_count())
        self.search = QLineEdit(objectName="customerSearch", clearButtonEnabled=True,
                                placeholderText="Search by name, code, email or phone")
        self.search.textChanged.connect(self.model.search)
        self.search.returnPressed.connect(self._to_list)
        self.new_button = QPushButton("New customer…", objectName="newCustomer")
        self.new_button.clicked.connect(self.onboard)
        self.count_label = plain_label(objectName="customerCount")
        self.count_label.setStyleSheet(theme.tone_style("muted", f"font-size: {px(12)}px;"))
        self.table = QTableView(objectName="customerTable")
        self._setup_table()
        self.detail = CustomerDetail(session)
        self.detail.customer_loaded.connect(self.model.update_customer)
        here = Qt.ShortcutContext.WidgetWithChildrenShortcut  # other screens may use the same keys
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.search.setFocus, context=here)
        QShortcut(QKeySequence.StandardKey.New, self, activated=self.onboard, context=here)
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.new_button)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(bar)
        column.addWidget(self.table, 1)
        column.addWidget(self.count_label)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([450, 570])
        split.setChildrenCollapsible(False)
        QVBoxLayout(self).addWidget(split)
        session.user_changed.connect(self._apply_role)
        self._apply_role()

    def _setup_table(self) -> None:
        t = self.table
        t.setModel(self.model)
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.setAlternatingRowColors(True)
        t.setShowGrid(False)
        t.verticalHeader().hide()
        t.verticalHeader().setDefaultSectionSize(30)
        header = t.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col, width in ((1, 130), (2, 84), (3, 80)):
            t.setColumnWidth(col, width)
        t.selectionModel().currentRowChanged.connect(self._chosen)

    def _apply_role(self) -> None:
        """Another person took over: offer what their role allows (editing, status changes, onboarding)."""
        self.new_button.setVisible(self.session.allows("customers.onboard"))
        self.detail.reload()

    def refresh(self) -> None:
        self.model.reload()
        self.detail.reload()

    def _chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.detail.show_customer(self.model.customer(current.row()).id if current.isValid() else None)

    def _list_loaded(self) -> None:
        """Keep the chosen customer chosen if they are still listed; otherwise show nobody."""
        row = self.model.row_of(self.detail.customer_id) if self.detail.customer_id else -1
        if row >= 0:
            self.select_row(row)
        else:
            self.detail.show_customer(None)
        self._say_count()

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index)

    def _to_list(self) -> None:
        """Enter in the search box goes to the list, on the first match unless one is chosen."""
        self.table.setFocus()
        if not self.table.currentIndex().isValid() and self.model.rows:
            self.select_row(0)

    def show_customer(self, customer_id: str) -> None:
        """Choose a customer (in the list if listed) and show them."""
        row = self.model.row_of(customer_id)
        if row >= 0:
            self.select_row(row)
        else:
            self.detail.show_customer(customer_id)

    def _say_count(self) -> None:
        n = len(self.model.rows)
        if self.model.query:
            found = "No customers match" if n == 0 else f"{n:,} found"
            self.count_label.setText(f"{found} for “{self.model.query}”"
                                     + (f" (the first {PAGE_SIZE}: type more to narrow)" if n >= PAGE_SIZE else ""))
        else:
            more = ", scroll for more" if self.model.next_cursor else ""
            self.count_label.setText(f"{n:,} customers shown{more}")

    def onboard(self) -> OnboardingDialog | None:
        """Open the onboarding form (window-modal, not blocking); the new customer is shown once saved."""
        if not self.session.allows("customers.onboard"):
            return None
        dialog = OnboardingDialog(self.session, self)
        dialog.accepted.connect(lambda: self._onboarded(dialog))
        dialog.open()
        return dialog

    def _onboarded(self, dialog: OnboardingDialog) -> None:
        customer = dialog.onboarded.customer
        self.search.setText(customer.entity_name)
        self.show_customer(customer.id)
