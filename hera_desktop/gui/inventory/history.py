"""The stock card of one product: its movements at one location or everywhere, newest first."""
from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QTableView,
                               QVBoxLayout, QWidget)

from ..errors import show_error
from ..labels import plain_label
from .models import MovementModel

ALL = "*"  # the location choice meaning every location


class HistoryPanel(QWidget):
    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.product_id: str | None = None
        self.product_name = ""
        self.heading = plain_label("Movement history", objectName="historyTitle")
        self.heading.setStyleSheet("font-weight: 600;")
        self.location = QComboBox(objectName="historyLocation")
        self.location.addItem("All locations", ALL)
        self.model = MovementModel(self)
        self.view = QTableView(objectName="historyTable")
        self.view.setModel(self.model)
        self.view.verticalHeader().setVisible(False)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(QLabel("Location"))
        top.addWidget(self.location)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(top)
        box.addWidget(self.view, 1)
        self.location.currentIndexChanged.connect(lambda _: self.reload())

    def set_locations(self, locations: list[Any]) -> None:
        current = self.location.currentData()
        self.location.blockSignals(True)
        while self.location.count() > 1:
            self.location.removeItem(1)
        for loc in locations:
            self.location.addItem(loc.name, loc.location_id)
        self.location.setCurrentIndex(max(self.location.findData(current), 0))
        self.location.blockSignals(False)

    def show_product(self, product_id: str | None, name: str = "") -> None:
        self.product_id, self.product_name = product_id, name
        self.reload()

    def choose_location(self, location_id: str | None) -> None:
        self.location.setCurrentIndex(max(self.location.findData(ALL if location_id is None else location_id), 0))

    def reload(self) -> None:
        if self.product_id is None:
            self.heading.setText("Movement history: choose a product")
            self.model.set_movements([], self.session.organization.currency)
            return
        product_id, where = self.product_id, self.location.currentData()
        scope = self.session.scope
        self.heading.setText(f"Movement history — {self.product_name}")
        self.session.runner.read(
            lambda: scope.stock_history.movements(product_id, None if where == ALL else where),
            lambda moves: self._loaded(product_id, where, moves), lambda exc: show_error(self, exc))

    def _loaded(self, product_id: str, where: Any, moves: list[Any]) -> None:
        if product_id == self.product_id and where == self.location.currentData():  # not overtaken by a newer choice
            self.model.set_movements(moves, self.session.organization.currency)
