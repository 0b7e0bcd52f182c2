"""The posted journals' filter bar: date range, account, reference, text, and manual or from the till."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QGridLayout, QLabel, QLineEdit, QPushButton, QWidget

NO_DATE = QDate(2000, 1, 1)  # the minimum of the date boxes, shown as "Any"
KINDS = (("All entries", "all"), ("Entered by hand", "manual"), ("From the till", "automatic"))


class FilterBar(QWidget):
    changed = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.date_from = self._date("filterFrom")
        self.date_to = self._date("filterTo")
        self.account = QComboBox(objectName="filterAccount")
        self.account.setMinimumWidth(220)
        self.account.addItem("All accounts", None)
        self.reference = QLineEdit(objectName="filterReference", placeholderText="Reference starts with")
        self.text = QLineEdit(objectName="filterText", placeholderText="Search descriptions and codes",
                              clearButtonEnabled=True)
        self.kind = QComboBox(objectName="filterKind")
        for label, value in KINDS:
            self.kind.addItem(label, value)
        self.clear_button = QPushButton("Clear", objectName="clearFilters")
        self.clear_button.clicked.connect(self.clear)
        self._typing = QTimer(self, singleShot=True, interval=300)
        self._typing.timeout.connect(self.changed)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        # (caption, widget, row, column, columns spanned): dates, account and kind above, texts below
        for caption, widget, r, c, span in (("From", self.date_from, 0, 0, 1), ("To", self.date_to, 0, 2, 1),
                                             ("Account", self.account, 0, 4, 1), ("Show", self.kind, 0, 6, 1),
                                             ("Reference", self.reference, 1, 0, 3), ("Text", self.text, 1, 4, 2)):
            label = QLabel(caption)
            label.setBuddy(widget)
            grid.addWidget(label, r, c)
            grid.addWidget(widget, r, c + 1, 1, span)
        grid.addWidget(self.clear_button, 1, 7)
        grid.setColumnStretch(5, 1)
        for signal in (self.date_from.dateChanged, self.date_to.dateChanged, self.account.currentIndexChanged,
                       self.kind.currentIndexChanged):
            signal.connect(self.changed)
        for edit in (self.reference, self.text):
            edit.textEdited.connect(self._typing.start)
            edit.returnPressed.connect(self.apply_now)

    def _date(self, name: str) -> QDateEdit:
        box = QDateEdit(NO_DATE, objectName=name, calendarPopup=True)
        box.setDisplayFormat("yyyy-MM-dd")
        box.setMinimumDate(NO_DATE)
        box.setSpecialValueText("Any")
        return box

    def set_accounts(self, accounts: list[Any]) -> None:
        current = self.account.currentData()
        self.account.blockSignals(True)
        self.account.clear()
        self.account.addItem("All accounts", None)
        for a in accounts:
            inactive = "" if a.status == "active" else " (inactive)"
            self.account.addItem(f"{a.entity_code} · {a.entity_name}{inactive}", a.id)
        self.account.setCurrentIndex(max(0, self.account.findData(current)))
        self.account.blockSignals(False)

    def apply_now(self) -> None:
        self._typing.stop()
        self.changed.emit()

    def clear(self) -> None:
        widgets = (self.date_from, self.date_to, self.account, self.kind, self.reference, self.text)
        for w in widgets:
            w.blockSignals(True)
        self.date_from.setDate(NO_DATE)
        self.date_to.setDate(NO_DATE)
        self.account.setCurrentIndex(0)
        self.kind.setCurrentIndex(0)
        self.reference.clear()
        self.text.clear()
        for w in widgets:
            w.blockSignals(False)
        self.apply_now()

    def values(self) -> dict[str, Any]:
        """Keyword arguments for ``s.journal_list.page``."""
        def day(box: QDateEdit) -> str | None:
            return None if box.date() == NO_DATE else box.date().toString("yyyy-MM-dd")

        return {"date_from": day(self.date_from), "date_to": day(self.date_to),
                "account_id": self.account.currentData(), "reference": self.reference.text().strip() or None,
                "text": self.text.text().strip() or None, "kind": self.kind.currentData()}
