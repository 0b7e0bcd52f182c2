"""Importing a spreadsheet's file as a manager does: how it was read, what is already in the books, what became of each row."""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from hera_desktop.gui.export import EXPORT_ROLE, export_csv
from hera_desktop.gui.import_dialog import ImportDialog


def statuses(dialog: ImportDialog) -> dict[str, str]:
    m = dialog.model
    return {m.data(m.index(r, 0)): m.data(m.index(r, m.columnCount() - 1)) for r in range(m.rowCount())}


def open_dialog(qtbot: Any, session: Any, kind: str, source: Path) -> ImportDialog:
    dialog = ImportDialog(session)
    qtbot.addWidget(dialog)
    dialog.set_kind(kind)
    dialog.load_file(source)
    return dialog


def test_preview_of_a_european_excel_file_lists_duplicates_and_the_encoding_notice(
        qtbot: Any, session_as: Any, tmp_path: Path) -> None:
    source = tmp_path / "clients.csv"
    source.write_bytes(("name;email;phone;credit_limit;payment_terms\r\n"
                        "Acme Corporation;ACCOUNTS@acme.example;;500;NET30\r\n"      # in the demo books
                        "Société Générale Café;cafe@sg.example;+33 1 42 00 00 00;1.500,00;NET30\r\n"
                        "SG Café again;cafe@sg.example;;0;COD\r\n").encode("cp1252"))
    dialog = open_dialog(qtbot, session_as("manager"), "customers", source)
    assert dialog.notice.text().startswith("Read as Windows-1252, semicolon-separated. The file is not UTF-8")
    assert "decimal comma" in dialog.notice.text()
    assert statuses(dialog) == {
        "2": "already in the books (email accounts@acme.example is Acme Corporation (CUST-ACM-0001)): skipped",
        "3": "ready",
        "4": "email cafe@sg.example is also on line 3"}
    assert dialog.model.data(dialog.model.index(1, 1)) == "Société Générale Café"
    assert dialog.summary.text() == ("1 row ready, 1 with problems, 1 already in the books (skipped). All or nothing "
                                     "imports nothing while a row has a problem: fix the file, or choose Keep the "
                                     "good rows.")
    assert not dialog.run_button.isEnabled()
    dialog.row_by_row.setChecked(True)
    assert dialog.run_button.isEnabled()
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    assert dialog.summary.text() == "Imported 1 row; 1 rejected; 1 already in the books was skipped."
    assert statuses(dialog)["3"] == "imported"
    assert [c.credit_limit for c in dialog.session.scope.customers.search("cafe@sg")] == [1500]


def test_exports_and_rejected_rows_never_carry_a_formula(qtbot: Any, session_as: Any, tmp_path: Path) -> None:
    model = QStandardItemModel(0, 3)
    model.setHorizontalHeaderLabels(["Name", "Phone", "Balance"])
    for name, phone, balance in [("=1+2", "+1 555 0100", "-12.50"), ("@SUM(A1:A9)", "\t=cmd", "-1,234.50"),
                                 ("Plain", "-", "7")]:
        items = [QStandardItem(name), QStandardItem(phone), QStandardItem()]
        items[2].setData(balance, EXPORT_ROLE)
        model.appendRow(items)
    path = export_csv(model, tmp_path / "export.csv")
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[1:] == [["'=1+2", "'+1 555 0100", "-12.50"], ["'@SUM(A1:A9)", "'\t=cmd", "-1,234.50"],
                        ["Plain", "'-", "7"]]
    source = tmp_path / "customers.csv"
    source.write_text("name,email\n-Bad Co,nope\n", encoding="utf-8")
    dialog = open_dialog(qtbot, session_as("manager"), "customers", source)
    dialog.row_by_row.setChecked(True)
    dialog.run_import()
    report = tmp_path / "rejected.csv"
    dialog.save_rejected(report)
    rejected = list(csv.DictReader(report.read_text(encoding="utf-8-sig").splitlines()))
    assert rejected[0]["name"] == "'-Bad Co"
