"""The settings fields for the business day: the organization's time zone and the time its day starts."""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTime, Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QTimeEdit, QWidget

from ..domain.business_day import DEFAULT_CUTOFF, zone_names

THIS_COMPUTER = "This computer's time zone"


class BusinessDayFields:
    """A time zone picker (type to search; the first choice is this computer's zone) and the day's start."""

    def __init__(self, parent: QWidget) -> None:
        self.zone = QComboBox(parent, objectName="timeZone", editable=True)
        self.zone.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.zone.addItem(THIS_COMPUTER, None)
        for name in zone_names():
            self.zone.addItem(name, name)
        # The combo box's own completer: one set with setCompleter is freed twice once the fields are closed
        # (the setup assistant), and the heap is broken for whatever comes next.
        completer = self.zone.completer()
        assert completer is not None  # every editable combo box has one
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)  # "berlin" finds Europe/Berlin
        self.cutoff = QTimeEdit(parent, objectName="dayCutoff", displayFormat="HH:mm")
        self.cutoff.setToolTip("Sales before this time belong to the business day before (e.g. 00:30 with 04:00)")

    def show(self, settings: dict[str, Any]) -> None:
        name = settings.get("time_zone")
        index = self.zone.findData(name) if name else 0
        if index < 0:  # a zone this computer does not list: shown as saved
            self.zone.addItem(name, name)
            index = self.zone.count() - 1
        self.zone.setCurrentIndex(index)
        self.cutoff.setTime(QTime.fromString(settings.get("day_cutoff") or DEFAULT_CUTOFF, "HH:mm"))

    def values(self) -> dict[str, Any]:
        text = self.zone.currentText().strip()
        return {"time_zone": None if text in ("", THIS_COMPUTER) else text,
                "day_cutoff": self.cutoff.time().toString("HH:mm")}
