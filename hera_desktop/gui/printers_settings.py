"""The printers, as the owner sets them up: the receipt printer's address, each kitchen station's printer,
the paper's width, printing on Pay and the cash drawer; and "Print test" to see a printer answer before
anything depends on it. Saved through ``org_settings.update``, checked as every setting is."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QLineEdit, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from ..domain.errors import HeraError
from ..printing import address, device, paper
from ..printing.queue import PrintQueue
from .errors import describe
from .letterhead import Letterhead
from .labels import plain_label
from .printouts import test_job
from .till.receipts import station_name

STATION = Qt.ItemDataRole.UserRole
PLACEHOLDER = "tcp://192.168.1.50:9100 or usb://04b8:0202 (empty: PDF only)"


class PrintersSettings(QWidget):
    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("printersSettings")
        self.session = session
        self.receipt = QLineEdit(objectName="receiptPrinter", placeholderText=PLACEHOLDER, maxLength=300)
        self.paper = QComboBox(objectName="paperWidth")
        for width in paper.WIDTHS:
            self.paper.addItem(f"{width} mm", width)
        self.auto_print = QCheckBox("Print the receipt and kitchen tickets as soon as an order is paid",
                                    objectName="autoPrintOnPay")
        self.drawer = QCheckBox("A cash drawer hangs off the receipt printer: open it on cash payments and No sale",
                                objectName="openDrawerOnCash")
        self.stations = QTableWidget(0, 2, objectName="kitchenPrinters")
        self.stations.setHorizontalHeaderLabels(["Kitchen station", "Printer"])
        self.stations.horizontalHeader().setStretchLastSection(True)
        self.stations.verticalHeader().setVisible(False)
        self.message = plain_label(objectName="printersMessage", wordWrap=True)
        self.save_button = QPushButton("Save printers", objectName="savePrinters")
        self.save_button.clicked.connect(self.save)
        self.test_button = QPushButton("Print test", objectName="printTest")
        self.test_button.clicked.connect(self.print_test)
        form = QFormLayout()
        form.addRow("Receipt printer", self.receipt)
        form.addRow("Paper", self.paper)
        form.addRow(self.auto_print)
        form.addRow(self.drawer)
        buttons = QHBoxLayout()
        buttons.addWidget(self.test_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.stations, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.tester: PrintQueue | None = None
        if not device.available():
            self.message.setText(f"Printing to receipt printers is not installed: {device.INSTALL}")
        self.refresh()

    def refresh(self) -> None:
        scope = self.session.scope
        self.session.runner.read(lambda: (scope.settings, scope.restaurant.menu.items()), self._loaded, self._failed)

    def _loaded(self, answer: tuple[dict[str, Any], dict[str, Any]]) -> None:
        settings, items = answer
        self.receipt.setText(settings.get("receipt_printer") or "")
        self.paper.setCurrentIndex(max(0, self.paper.findData(settings.get("paper_width_mm") or paper.DEFAULT_WIDTH)))
        self.auto_print.setChecked(bool(settings.get("auto_print_on_pay")))
        self.drawer.setChecked(bool(settings.get("open_drawer_on_cash")))
        kitchen = settings.get("kitchen_printers") or {}
        stations = sorted({i.kitchen_station for i in items.values()} | set(kitchen))
        self.stations.setRowCount(len(stations))
        for row, station in enumerate(stations):
            name = QTableWidgetItem(station_name(station))
            name.setData(STATION, station)  # the station's code, as menu items name it
            name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.stations.setItem(row, 0, name)
            self.stations.setItem(row, 1, QTableWidgetItem(kitchen.get(station, "")))

    def values(self) -> dict[str, Any]:
        kitchen = {self.stations.item(r, 0).data(STATION): (self.stations.item(r, 1).text()
                                                         if self.stations.item(r, 1) else "")
                   for r in range(self.stations.rowCount())}
        return {"receipt_printer": self.receipt.text(), "paper_width_mm": self.paper.currentData(),
                "kitchen_printers": kitchen, "auto_print_on_pay": self.auto_print.isChecked(),
                "open_drawer_on_cash": self.drawer.isChecked()}

    def save(self) -> None:
        changes = self.values()

        def saved(_: Any) -> None:
            self.session.refresh_organization()
            self.message.setText("Printers saved.")

        self.session.runner.change(lambda: self.session.scope.org_settings.update(**changes), saved, self._failed)

    def print_test(self) -> None:
        """A test page to the receipt printer as typed (saved or not); the answer is said here, and a printer that
        does not answer leaves nothing waiting."""
        try:
            where = address.parse(self.receipt.text(), "receipt_printer")
            device.library()
        except HeraError as exc:
            self._failed(exc)
            return
        self.tester = tester = PrintQueue()
        tester.changed.connect(lambda: self._tested(tester, where))
        self.test_button.setEnabled(False)
        self.message.setText(f"Printing a test page on {where}…")
        tester.submit(test_job(Letterhead.of(self.session.organization), where, paper.dots(self.paper.currentData())))

    def _tested(self, tester: PrintQueue, where: address.PrinterAddress) -> None:
        self.test_button.setEnabled(True)
        problems = tester.problems()
        self.message.setText(problems[0].reason if problems else f"Printed a test page on {where}.")

    def _failed(self, exc: Exception) -> None:
        self.message.setText(describe(exc)[1])
