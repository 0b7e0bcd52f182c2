"""A customer's statement of account as a printable PDF: the business's letterhead, the opening balance, each
sale on account and payment with the balance after it, the period's totals and the closing balance.

The statement is laid out as a table model and printed by the one table writer (``gui.export``), so it
looks like every other report the business prints.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (QDateEdit, QDialog, QFileDialog, QFormLayout, QHBoxLayout, QPushButton,
                               QVBoxLayout, QWidget)

from ...domain.contracts.account_statements import AccountStatement
from ...domain.money import fmt
from ..cells import bold_font
from ..errors import describe
from ..export import export_pdf
from ..labels import plain_label
from ..letterhead import Letterhead

COLUMNS = ("Day", "Document", "Description", "Sales on account", "Payments", "Balance")
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def statement_title(statement: AccountStatement) -> str:
    return f"Statement of account — {statement.customer_name}"


def statement_subtitle(statement: AccountStatement) -> str:
    code = f" ({statement.customer_code})" if statement.customer_code else ""
    since = f"{statement.date_from} to {statement.date_to}" if statement.date_from else f"up to {statement.date_to}"
    return f"{statement.customer_name}{code}, {since}, in {statement.currency}"


def statement_model(statement: AccountStatement) -> QStandardItemModel:
    """The statement as rows: the opening balance, the entries, the totals and the closing balance."""
    cur = statement.currency
    model = QStandardItemModel(0, len(COLUMNS))
    model.setHorizontalHeaderLabels(list(COLUMNS))

    def add(cells: list[str], bold: bool = False) -> None:
        row = []
        for column, text in enumerate(cells):
            item = QStandardItem(text)
            if column >= 3:
                item.setTextAlignment(RIGHT)
            if bold:
                item.setFont(bold_font())
            row.append(item)
        model.appendRow(row)

    opening = statement.date_from or "the start"
    add([statement.date_from or "", "", f"Opening balance at {opening}", "", "", fmt(statement.opening_balance, cur)],
        bold=True)
    for e in statement.entries:
        description = e.description + (f" ({e.reference})" if e.kind == "payment" and e.reference else "")
        add([e.day, e.transaction_code or "", description, fmt(e.amount, cur) if e.kind == "sale" else "",
             fmt(e.amount, cur) if e.kind == "payment" else "", fmt(e.balance, cur)])
    add(["", "", "Total for the period", fmt(statement.sales, cur), fmt(statement.payments, cur), ""], bold=True)
    add([statement.date_to, "", f"Closing balance at {statement.date_to}", "", "",
         fmt(statement.closing_balance, cur)], bold=True)
    return model


def write_statement(statement: AccountStatement, path: str | Path, business: Letterhead) -> Path:
    return export_pdf(statement_model(statement), path, statement_title(statement), statement_subtitle(statement),
                      business)


def file_name(statement: AccountStatement) -> str:
    who = re.sub(r"[^A-Za-z0-9_-]", "_", statement.customer_code or statement.customer_name)
    return f"statement-{who}-{statement.date_to}.pdf"


class StatementDialog(QDialog):
    """Choose the period, then save the statement as a PDF."""

    def __init__(self, session: Any, customer: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statementDialog")
        self.setWindowTitle(f"Statement — {customer.entity_name}")
        self.session, self.customer = session, customer
        today = QDate.currentDate()
        self.date_from = QDateEdit(QDate(today.year(), today.month(), 1), objectName="statementFrom",
                                   calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.date_to = QDateEdit(today, objectName="statementTo", calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.date_from.setAccessibleName("Statement from")
        self.date_to.setAccessibleName("Statement to")
        self.message = plain_label(objectName="statementMessage", wordWrap=True)
        self.save_button = QPushButton("Save PDF…", objectName="saveStatement", default=True)
        self.save_button.clicked.connect(lambda: self.save())
        close = QPushButton("Close", objectName="closeStatement")
        close.clicked.connect(self.reject)
        form = QFormLayout()
        form.addRow("From", self.date_from)
        form.addRow("To", self.date_to)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(close)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.saved: Path | None = None
        self.statement: AccountStatement | None = None  # the one last saved

    def save(self, path: str | Path | None = None) -> None:
        """Read the statement off the GUI thread, then write it to ``path`` (asked for when None)."""
        customers, customer_id = self.session.scope.customers, self.customer.id
        first = self.date_from.date().toString("yyyy-MM-dd")
        last = self.date_to.date().toString("yyyy-MM-dd")
        self.save_button.setEnabled(False)
        self.session.runner.read(lambda: customers.statement(customer_id, first, last),
                                 lambda statement: self._write(statement, path), self._failed)

    def _write(self, statement: AccountStatement, path: str | Path | None) -> None:
        self.save_button.setEnabled(True)
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(self, "Save statement", str(self._folder() / file_name(statement)),
                                                    "PDF (*.pdf)")
            if not chosen:
                return
            path = chosen
        try:
            self.saved = write_statement(statement, path, Letterhead.of(self.session.organization))
            self.statement = statement
        except OSError as exc:
            self.message.setText(f"Could not save {path}: {exc.strerror or exc}. Choose another folder or file name.")
            return
        self.message.setText(f"Saved the statement to {self.saved}")

    def _failed(self, exc: Exception) -> None:
        self.save_button.setEnabled(True)
        title, text = describe(exc)
        self.message.setText(f"{title}. {text}")

    def _folder(self) -> Path:
        books = getattr(self.session.hera.db, "path", None)
        return Path(books).parent if books else Path.home()
