"""The day closing screen: the X report at any time, then the drawer count and the Z report that closes the day."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (QDateEdit, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit,
                               QMessageBox, QPushButton, QTextBrowser, QVBoxLayout, QWidget)

from . import theme
from ..domain.errors import ValidationError
from ..domain.money import fmt
from .numbers import editable, parse_money
from .dayclose_report import Closing, anchor_text, over_short, print_html, report_html, save_pdf
from .labels import message_box, plain_label
from .letterhead import Letterhead
from .screen import Screen


class DayCloseScreen(Screen):
    title = "Close day"
    permission = "day.close"
    refresh_on = frozenset({"sale", "payment", "day_close"})

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.figures: Any = None
        self.closing: Closing | None = None
        self._day_chosen = False  # until the first read, the day shown is the business day sales go to now
        self.day = QDateEdit(QDate.currentDate(), objectName="businessDay", calendarPopup=True,
                             displayFormat="yyyy-MM-dd")
        self.day.setMaximumDate(QDate.currentDate())
        self.day.dateChanged.connect(self._day_changed)
        self.x_button = QPushButton("X report (refresh)", objectName="xReport")
        self.x_button.clicked.connect(self.refresh)
        self.report = QTextBrowser(objectName="dayReport")
        top = QHBoxLayout()
        top.addWidget(QLabel("Business day"))
        top.addWidget(self.day)
        top.addWidget(self.x_button)
        top.addStretch(1)
        left = QVBoxLayout()
        left.addLayout(top)
        left.addWidget(self.report, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addWidget(self._count_panel(), 2)

    def _count_panel(self) -> QGroupBox:
        box = QGroupBox("Count the drawer and close the day")
        box.setMinimumWidth(380)
        self.expected = plain_label("—", objectName="cashExpected", alignment=Qt.AlignmentFlag.AlignRight)
        self.counted = QLineEdit(objectName="countedCash", placeholderText="0.00",
                                 alignment=Qt.AlignmentFlag.AlignRight)
        # Digits and separators only; the amount is read in the user's locale, a third decimal refused in words.
        self.counted.setValidator(QRegularExpressionValidator("[0-9.,'\u2019 \u00a0\u202f]{0,20}"))
        self.counted.textChanged.connect(self._show_difference)
        self.counted.returnPressed.connect(self.ask_to_close)
        self.difference = plain_label("—", objectName="cashDifference", alignment=Qt.AlignmentFlag.AlignRight,
                                      wordWrap=True)
        self.z_button = QPushButton("Close day (Z report)", objectName="zReport", enabled=False)
        self.z_button.clicked.connect(self.ask_to_close)
        self.status = plain_label(objectName="dayStatus", wordWrap=True)
        self.anchor = plain_label("—", objectName="closingAnchor", wordWrap=True)
        self.anchor.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.print_button = QPushButton("Print…", objectName="printReport")
        self.print_button.clicked.connect(self.print_report)
        self.pdf_button = QPushButton("Save as PDF…", objectName="savePdf")
        self.pdf_button.clicked.connect(self.ask_pdf_path)
        form = QFormLayout(box)
        form.addRow("Cash expected", self.expected)
        form.addRow("Cash counted (without the float)", self.counted)
        form.addRow("Difference", self.difference)
        form.addRow(self.z_button)
        form.addRow(self.status)
        form.addRow("Tamper anchor", self.anchor)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.pdf_button)
        form.addRow(buttons)
        return box

    # ------------------------------------------------------------------ reading

    @property
    def business_day(self) -> str:
        return self.day.date().toString("yyyy-MM-dd")

    def _day_changed(self, _date: QDate) -> None:
        self._day_chosen = True
        self.counted.clear()  # a count belongs to the day it was made for
        self.refresh()

    def refresh(self) -> None:
        chosen, books = self.business_day if self._day_chosen else None, self.session.scope.day_close

        def load() -> tuple[Any, Any, str]:
            today = books.today()  # the business day, not the calendar's: it may start at 04:00, or after a closing
            day = chosen or today
            return books.x_report(day), books.closing_of(day), today

        self.read(load, self._show)

    def _show(self, result: tuple[Any, Any, str]) -> None:
        self.figures, closing, today = result
        self.day.blockSignals(True)  # setting the day shown is not choosing one
        self.day.setMaximumDate(QDate.fromString(today, "yyyy-MM-dd"))
        self.day.setDate(QDate.fromString(self.figures.day, "yyyy-MM-dd"))
        self.day.blockSignals(False)
        self.closing = Closing.of(closing) if closing is not None else None
        self.report.setHtml(self.html())
        self.expected.setText(fmt(self.figures.cash_expected, self.figures.currency))
        closed = self.closing is not None
        self.counted.setEnabled(not closed)
        if closed:
            self.counted.setText(editable(self.closing.counted, self.figures.currency))
            self.status.setText(f"{self.figures.day} is closed ({self.closing.code}, {self.closing.closed_at}); "
                                "its figures are those recorded at the closing, and later sales belong to the "
                                "next business day.")
        else:
            self.status.setText("Count the cash in the drawer, less the opening float, then close the day.")
        anchor = self.closing.anchor if self.closing else None
        self.anchor.setText(anchor_text(anchor) if anchor else "—")
        self.anchor.setToolTip(anchor.content_hash if anchor else "")
        self._show_difference()

    def html(self) -> str:
        return report_html(Letterhead.of(self.session.organization), self.figures, self.closing)

    def counted_cash(self) -> Decimal | None:
        """The cash counted, as typed in the user's locale; None while nothing that counts is typed."""
        try:
            return self._counted()
        except ValidationError:
            return None

    def _counted(self) -> Decimal | None:
        return parse_money(self.counted.text(), "Cash counted", self.figures.currency if self.figures else "USD")

    def _show_difference(self) -> None:
        try:
            counted, problem = self._counted(), None
        except ValidationError as exc:
            counted, problem = None, exc.message
        if problem:
            self.difference.setText(problem)
            self.difference.setStyleSheet(theme.tone_style("error"))
        elif self.figures is None or counted is None:
            self.difference.setText("—")
            self.difference.setStyleSheet("")
        else:
            diff = self.closing.difference if self.closing else counted - self.figures.cash_expected
            self.difference.setText(over_short(diff, self.figures.currency))
            self.difference.setStyleSheet("" if diff == 0 else theme.tone_style("error", "font-weight: bold;"))
        self.z_button.setEnabled(self.figures is not None and self.closing is None and counted is not None)

    # ------------------------------------------------------------------ closing

    def ask_to_close(self) -> QMessageBox | None:
        """Closing is final, so it is confirmed first (without blocking: the answer arrives as a signal)."""
        counted = self.counted_cash()
        if counted is None or not self.z_button.isEnabled():
            return None
        box = message_box(QMessageBox.Icon.Question, "Close the day",
                          f"Close {self.business_day} with {fmt(counted, self.figures.currency)} counted "
                          f"({self.difference.text()})? A day is closed once.",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("confirmClose")
        box.accepted.connect(lambda: self.close_day(counted))
        box.open()
        return box

    def close_day(self, counted: Decimal) -> None:
        day, books = self.business_day, self.session.scope.day_close
        self._day_chosen = True  # after closing, the closed day stays on screen (sales already go to the next)
        self.z_button.setEnabled(False)  # one closing per click, even while the first is being written
        self.change(lambda: books.z_report(counted, day), lambda _z: self._closed(), on_error=self._close_failed)

    def _closed(self) -> None:
        self.refresh()
        self.session.books_check.after_day_close()  # the whole books checked, off the GUI thread

    def _close_failed(self, exc: Exception) -> None:
        self.fail(exc)
        self.refresh()

    # ------------------------------------------------------------------ printing

    def ask_pdf_path(self) -> None:
        kind = "Z" if self.closing else "X"
        path, _ = QFileDialog.getSaveFileName(self, "Save the report as PDF",
                                              f"{kind}-report-{self.business_day}.pdf", "PDF (*.pdf)")
        if path:
            self.save_pdf(path)

    def save_pdf(self, path: str) -> None:
        if self.figures is not None:
            save_pdf(self.html(), path, f"{'Z' if self.closing else 'X'} report {self.business_day}")

    def print_report(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if self.figures is not None and QPrintDialog(printer, self).exec() == QPrintDialog.DialogCode.Accepted:
            print_html(self.html(), printer)
