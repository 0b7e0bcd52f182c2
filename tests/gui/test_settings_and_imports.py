"""Settings and imports as a manager uses them: tax rate, importing a CSV with bad rows (unlocking a cashier
is on the staff screen: tests/gui/test_staff_screen.py)."""
from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt

from hera_desktop.gui.import_dialog import ImportDialog
from hera_desktop.gui.settings import SettingsScreen


def test_manager_changes_the_tax_rate_and_the_next_order_uses_it(qtbot: Any, session_as: Any, books: Any) -> None:
    session = session_as("manager")
    screen = SettingsScreen(session)
    qtbot.addWidget(screen)
    screen.refresh()
    assert screen.tax_rate.text() == "5"
    screen.tax_rate.setText("8")
    screen.save_settings()
    assert screen.business_message.text() == "Saved."
    _, book = books
    order = session.scope.restaurant.process_order(items=[{"menu_item_id": book.menu["Tiramisu"]}],
                                                   payment_method="card")
    assert order.order_summary.tax_amount == Decimal("0.56")  # 8% of 7.00


def test_a_bad_tax_rate_is_explained_and_not_saved(qtbot: Any, session_as: Any) -> None:
    session = session_as("manager")
    screen = SettingsScreen(session)
    qtbot.addWidget(screen)
    screen.refresh()
    screen.tax_rate.setText("150")
    screen.save_settings()
    message = screen.business_message.text()
    assert message.startswith("Sales tax rate (%)") and "like 5 or 7.25" in message
    assert "tax_rate" not in message and "0.05" not in message  # the field takes percent, not a fraction
    assert session.scope.organization.settings["tax_rate"] == "0.05"


def test_import_with_bad_rows_rejects_exactly_those_rows(qtbot: Any, session_as: Any, tmp_path: Path) -> None:
    session = session_as("manager")
    source = tmp_path / "customers.csv"
    source.write_text("name,email,phone,credit_limit,payment_terms\n"
                      "Zeta Foods,orders@zeta.example,+1 555 0101,300,NET30\n"
                      "No Email Co,nope,,50,NET30\n"
                      "Yara Catering,yara@example.com,,abc,COD\n"
                      "Xeno Bar,xeno@example.com,,0,COD\n", encoding="utf-8")
    dialog = ImportDialog(session)
    qtbot.addWidget(dialog)
    dialog.set_kind("customers")
    dialog.load_file(source)
    assert dialog.summary.text().startswith("2 rows ready, 2 with problems. All or nothing imports nothing")
    assert dialog.model.rowCount() == 4
    assert dialog.model.data(dialog.model.index(1, 0)) == "3"
    assert dialog.model.data(dialog.model.index(1, dialog.model.columnCount() - 1)).startswith("email")
    assert dialog.model.data(dialog.model.index(1, 1), Qt.ItemDataRole.BackgroundRole) is not None
    dialog.row_by_row.setChecked(True)
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    assert dialog.summary.text() == "Imported 2 rows; 2 rejected."
    names = {c.entity_name for c in session.scope.customers.search("zeta")} | {
        c.entity_name for c in session.scope.customers.search("xeno")}
    assert names == {"Zeta Foods", "Xeno Bar"}
    assert session.scope.customers.search("yara") == []
    report = tmp_path / "rejected.csv"
    dialog.save_rejected(report)
    rejected = list(csv.DictReader(report.read_text(encoding="utf-8-sig").splitlines()))
    assert [r["name"] for r in rejected] == ["No Email Co", "Yara Catering"]


def test_preview_model_passes_the_model_tester(qtbot: Any, qtmodeltester: Any, session_as: Any,
                                                tmp_path: Path) -> None:
    dialog = ImportDialog(session_as("manager"))
    qtbot.addWidget(dialog)
    source = tmp_path / "accounts.csv"
    source.write_text("code,name,type\n7000,Marketing,expense\n1000,Cash,asset\n", encoding="utf-8")
    dialog.set_kind("chart_of_accounts")
    dialog.load_file(source)
    qtmodeltester.check(dialog.model)
