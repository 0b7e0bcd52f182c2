"""What a report is asked for (dates, an account) and the bar where a person chooses it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QHBoxLayout, QLabel, QWidget

AS_OF, PERIOD, ACCOUNT_PERIOD, NOTHING = "as_of", "period", "account_period", "nothing"
PRESETS = ("This month", "Today", "Last 7 days", "Last 30 days", "This year", "Custom")


@dataclass(frozen=True)
class Params:
    date_from: date | None = None
    date_to: date | None = None
    as_of: date | None = None
    account_id: str | None = None

    def period(self) -> str:
        if self.date_from and self.date_to:
            return f"{self.date_from.isoformat()} to {self.date_to.isoformat()}"
        return "all dates"


def preset_dates(name: str, today: date) -> tuple[date, date]:
    if name == "Today":
        return today, today
    if name == "Last 7 days":
        return today - timedelta(days=6), today
    if name == "Last 30 days":
        return today - timedelta(days=29), today
    if name == "This year":
        return today.replace(month=1, day=1), today
    return today.replace(day=1), today


def _date_edit(name: str) -> QDateEdit:
    edit = QDateEdit(objectName=name, calendarPopup=True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setDate(QDate.currentDate())
    return edit


class ParamsBar(QWidget):
    """As of, or a period (with presets), or an account and a period: only what the report needs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preset = QComboBox(objectName="periodPreset")
        self.preset.addItems(PRESETS)
        self.date_from, self.date_to, self.as_of = _date_edit("dateFrom"), _date_edit("dateTo"), _date_edit("asOf")
        self.account = QComboBox(objectName="account")
        self.account.setMinimumContentsLength(24)
        # Unticked, "as of" means every posting so far: the common case, and the fast one
        # (a running total per account instead of a sum over days).
        self.dated = QCheckBox("As of the end of", objectName="asOfChosen")
        self.dated.setToolTip("Untick to include every posting so far")
        self.dated.toggled.connect(self.as_of.setEnabled)
        self.as_of.setEnabled(False)
        self.latest = QLabel("Latest: every posting so far", objectName="asOfLatest")
        self.dated.toggled.connect(lambda on: self.latest.setVisible(not on and not self.as_of.isHidden()))
        self.labels: dict[str, QWidget] = {}
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for text, widget in (("Account", self.account), ("Period", self.preset), ("From", self.date_from),
                             ("To", self.date_to), ("As of", self.as_of)):
            label = self.dated if text == "As of" else QLabel(text)
            if isinstance(label, QLabel):
                label.setBuddy(widget)
            self.labels[text] = label
            row.addWidget(label)
            row.addWidget(widget)
        row.addWidget(self.latest)
        row.addStretch(1)
        self.preset.currentTextChanged.connect(self._apply_preset)
        for edit in (self.date_from, self.date_to):
            edit.userDateChanged.connect(self._custom)
        self._apply_preset(self.preset.currentText())
        self.show_for(NOTHING)

    def show_for(self, kind: str) -> None:
        period = kind in (PERIOD, ACCOUNT_PERIOD)
        for text, widget, visible in (("Account", self.account, kind == ACCOUNT_PERIOD),
                                      ("Period", self.preset, period), ("From", self.date_from, period),
                                      ("To", self.date_to, period), ("As of", self.as_of, kind == AS_OF)):
            widget.setVisible(visible)
            self.labels[text].setVisible(visible)
        self.latest.setVisible(kind == AS_OF and not self.dated.isChecked())

    def set_accounts(self, accounts: list[Any]) -> None:
        current = self.account.currentData()
        self.account.clear()
        for a in accounts:
            self.account.addItem(f"{a.entity_code}  {a.entity_name}", a.id)
        at = self.account.findData(current)
        self.account.setCurrentIndex(max(at, 0))

    def _apply_preset(self, name: str) -> None:
        if name == "Custom":
            return
        start, end = preset_dates(name, date.today())
        for edit, day in ((self.date_from, start), (self.date_to, end)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)

    def _custom(self) -> None:
        self.preset.blockSignals(True)
        self.preset.setCurrentText("Custom")
        self.preset.blockSignals(False)

    def set_as_of(self, day: date | None) -> None:
        """Show the position at the end of ``day``; None: every posting so far."""
        self.dated.setChecked(day is not None)
        if day is not None:
            self.as_of.setDate(QDate(day.year, day.month, day.day))

    def set_period(self, start: date, end: date) -> None:
        self.date_from.setDate(QDate(start.year, start.month, start.day))
        self.date_to.setDate(QDate(end.year, end.month, end.day))

    def value(self) -> Params:
        as_of = self.as_of.date().toPython() if self.dated.isChecked() else None
        return Params(date_from=self.date_from.date().toPython(), date_to=self.date_to.date().toPython(),
                      as_of=as_of, account_id=self.account.currentData())
