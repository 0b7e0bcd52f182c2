"""The Reports screen: the figures shown are the services' figures, exports carry them, charts draw them,
and a long report can be cancelled without touching what the screen shows."""
from __future__ import annotations

import csv
import threading
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QThreadPool, Qt
from PySide6.QtWidgets import QMessageBox

from hera_desktop.demo import run_guide_flows
from hera_desktop.gui import theme
from hera_desktop.gui.export import EXPORT_ROLE
from hera_desktop.gui.reports.catalogue import Report
from hera_desktop.gui.reports.params import NOTHING
from hera_desktop.gui.reports.screen import ReportsScreen
from hera_desktop.gui.reports.table import Column, Line, ReportModel, ReportTable
from hera_desktop.gui.runner import Runner
from hera_desktop.gui.session import Session


@pytest.fixture
def manager(books: Any, session_as: Any) -> Any:
    hera, book = books
    run_guide_flows(hera, book)  # three paid orders, an expense, a transfer: something to report
    return session_as("manager")


def open_screen(qtbot: Any, session: Any, key: str = "trial_balance") -> ReportsScreen:
    screen = ReportsScreen(session)
    qtbot.addWidget(screen)
    screen.resize(1100, 760)
    screen.select(key, run=False)
    screen.show()  # showing it runs the chosen report
    return screen


def shown(screen: ReportsScreen, role: int = EXPORT_ROLE) -> list[list[str]]:
    m = screen.model
    return [[m.data(m.index(r, c), role) for c in range(m.columnCount())] for r in range(m.rowCount())]


def money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


def test_trial_balance_shows_the_services_figures(qtbot: Any, manager: Any) -> None:
    screen = open_screen(qtbot, manager)
    tb = manager.scope.reports.trial_balance()
    rows = shown(screen)
    assert [r[0] for r in rows[:-1]] == [r.account_code for r in tb.rows]
    for row, account in zip(rows, tb.rows):
        assert row[3] == (money(account.debit) if account.debit else "")
        assert row[4] == (money(account.credit) if account.credit else "")
    assert rows[-1][1:] == ["Total", "", money(tb.total_debits), money(tb.total_credits)]
    assert screen.note.text() == "Balanced"
    display = shown(screen, 0)
    assert display[-1][3] == f"{tb.total_debits:,.2f}"  # what a person reads: 1,967.09


def test_trial_balance_as_of_the_end_of_an_earlier_day(qtbot: Any, manager: Any) -> None:
    screen = open_screen(qtbot, manager)
    assert screen.table.subtitle.startswith("Every posting so far")
    yesterday = date.today() - timedelta(days=1)
    screen.set_as_of(yesterday)  # the demo's postings are all today's
    screen.run()
    assert shown(screen) == [["", "Total", "", "0.00", "0.00"]]
    assert screen.table.subtitle.startswith(f"At the end of {yesterday.isoformat()}")
    screen.set_as_of(None)
    screen.run()
    assert len(shown(screen)) > 1


def test_profit_and_loss_and_balance_sheet_match_the_statements(qtbot: Any, manager: Any) -> None:
    screen = open_screen(qtbot, manager, "profit_and_loss")
    pl = manager.scope.statements.profit_and_loss(date.today().replace(day=1), date.today())
    rows = {r[1]: r[2] for r in shown(screen)}
    assert rows["Total revenue"] == money(pl.total_revenue)
    assert rows["Total expenses"] == money(pl.total_expenses)
    assert rows["Net profit"] == money(pl.net_income) == "101.81"
    screen.select("balance_sheet")
    bs = manager.scope.statements.balance_sheet()
    rows = {r[1]: r[2] for r in shown(screen)}
    assert rows["Total assets"] == money(bs.total_assets)
    assert rows["Total liabilities and equity"] == money(bs.total_liabilities_and_equity) == rows["Total assets"]
    assert rows["Current earnings (profit not yet closed)"] == money(bs.current_earnings)
    assert screen.note.text() == "Balanced"


def test_general_ledger_of_the_chosen_account(qtbot: Any, manager: Any) -> None:
    screen = open_screen(qtbot, manager, "general_ledger")
    cash = manager.scope.journals.account_by_code("1000")
    screen.params.account.setCurrentIndex(screen.params.account.findData(cash.id))
    screen.run()
    gl = manager.scope.reports.general_ledger(cash.id, date.today().replace(day=1), date.today())
    rows = shown(screen)
    assert [r[1] for r in rows[1:-1]] == [ln.transaction_code for ln in gl.lines]
    assert rows[-1][3:] == ["Closing balance", money(sum(ln.debit for ln in gl.lines)),
                            money(sum(ln.credit for ln in gl.lines)), money(gl.closing_balance)]
    assert screen.heading.text() == "General ledger"
    assert "1000 Cash on hand" in screen.table.title


def test_sales_reports_and_their_charts(qtbot: Any, manager: Any) -> None:
    screen = open_screen(qtbot, manager, "sales_by_day")
    week = (date.today() - timedelta(days=6), date.today())
    screen.set_period(*week)
    screen.run()
    days = manager.scope.reports.sales_by_day(*week)
    assert shown(screen)[-3:] == [
        ["Total", "3", money(sum(d.subtotal for d in days)), money(sum(d.tax for d in days)),
         money(sum(d.total for d in days))],
        ["Tax by rate", "", "", "", ""], ["Sales Tax 5%", "", "", money(sum(d.tax for d in days)), ""]]
    assert len(screen.chart.marks()) == 7  # one bar a day, days without sales included
    screen.select("sales_by_hour")
    assert len(screen.chart.marks()) == 24
    screen.select("sales_by_item")
    items = manager.scope.sales_analysis.sales_by_item(*week)
    assert [r[0] for r in shown(screen)[:-1]] == [i.item_name for i in items]
    assert len(screen.chart.marks()) == len(items) == 7  # the top items (up to ten)
    screen.select("sales_by_server")
    assert {r[0] for r in shown(screen)[:-3]} == {"Luca Conti", "(no server)"}
    assert screen.chart.isHidden()


def test_each_rates_tax_follows_the_total_of_the_sales_reports(qtbot: Any, books: Any, session_as: Any) -> None:
    hera, book = books
    system = hera.scope(book.organization_id)
    system.org_settings.set_tax_rate("alcohol", "0.19", label="Alcohol")
    system.org_settings.assign_tax_rate("alcohol", item_id=book.menu["House Red Wine"])
    system.restaurant.process_order(items=[{"menu_item_id": book.menu["House Red Wine"]},  # 7.50: 1.43 tax
                                           {"menu_item_id": book.menu["Tiramisu"]}],  # 7.00: 0.35 tax
                                    payment_method="cash")
    screen = open_screen(qtbot, session_as("manager"), "sales_by_day")
    for key in ("sales_by_day", "sales_by_hour", "sales_by_server"):
        screen.select(key)
        rows = shown(screen)
        assert rows[-4][0] == "Total" and rows[-4][3] == "1.78"  # the total as it was
        assert rows[-3:] == [["Tax by rate", "", "", "", ""], ["Sales Tax 5%", "", "", "0.35", ""],
                             ["Alcohol 19%", "", "", "1.43", ""]], key


def test_stock_value_by_location_is_charted(qtbot: Any, manager: Any) -> None:
    screen = open_screen(qtbot, manager, "stock_valuation")
    sv = manager.scope.reports.stock_valuation()
    assert shown(screen)[-1][-1] == money(sv.total_value)
    chart = screen.chart
    assert chart.labels == ["Main warehouse", "Store front"]
    assert [Decimal(str(v)) for v in chart.values] == [sv.value_by_location[k] for k in chart.labels]
    image = chart.grab().toImage()
    assert not image.isNull() and image.width() > 0
    bar = chart.marks()[0]
    assert image.pixelColor(bar.center().toPoint()) == theme.colour("bar")  # the bar is really drawn


def test_csv_export_has_the_exact_figures(qtbot: Any, manager: Any, tmp_path: Path) -> None:
    screen = open_screen(qtbot, manager)
    path = screen.export_csv(tmp_path / "trial-balance.csv")
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    tb = manager.scope.reports.trial_balance()
    assert rows[0] == ["Account", "Name", "Type", "Debit", "Credit"]
    assert rows[1:-1] == [[r.account_code, r.account_name, r.account_type, money(r.debit) if r.debit else "",
                           money(r.credit) if r.credit else ""] for r in tb.rows]
    assert rows[-1] == ["", "Total", "", money(tb.total_debits), money(tb.total_credits)]
    assert "1,967.09" not in path.read_text(encoding="utf-8-sig")  # spreadsheet numbers, not display text


def test_pdf_export_makes_a_pdf(qtbot: Any, manager: Any, tmp_path: Path) -> None:
    screen = open_screen(qtbot, manager, "balance_sheet")
    path = screen.export_pdf(tmp_path / "balance-sheet.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 1000
    assert screen.note.text() == f"Saved PDF to {path}"


def test_export_to_a_folder_that_does_not_exist_says_so(qtbot: Any, manager: Any, tmp_path: Path) -> None:
    screen = open_screen(qtbot, manager)
    assert screen.export_pdf(tmp_path / "missing" / "tb.pdf") is None
    box = screen.findChild(QMessageBox, "errorDialog")
    assert box is not None and "Could not save" in box.text() and "missing" in box.text()


def fixed_report(title: str) -> ReportTable:
    return ReportTable(title, "", (Column("Name"),), (Line((title,)),))


def test_cancelling_keeps_what_the_screen_showed(qtbot: Any, manager: Any) -> None:
    screen = open_screen(qtbot, manager)
    before = shown(screen)

    def cancelled_midway(scope: Any, params: Any, check: Any) -> ReportTable:
        screen.cancel()  # the person presses Cancel while the report runs
        check()  # the report's next checkpoint stops it
        raise AssertionError("a cancelled report does not go on")

    def finishes_anyway(scope: Any, params: Any, check: Any) -> ReportTable:
        screen.cancel()
        return fixed_report("late")  # a report without checkpoints finishes, and is thrown away

    for build in (cancelled_midway, finishes_anyway):
        screen.report = Report("slow", "Slow report", NOTHING, build, "")
        screen.run()
        assert shown(screen) == before
        assert screen.busy.isHidden()
        assert screen.note.text().startswith("Cancelled")


def test_a_long_report_runs_off_the_gui_thread_and_can_be_cancelled(qtbot: Any, books: Any) -> None:
    hera, book = books
    session = Session(hera, hera.organization(book.organization_id), Runner(pool=QThreadPool()))
    session.sign_in(session.system.users.authenticate(book.users["bookkeeper"], "3333"))
    screen = open_screen(qtbot, session)
    qtbot.waitUntil(lambda: screen.model.rowCount() > 0)
    before = shown(screen)
    gate, worker = threading.Event(), []

    def slow(scope: Any, params: Any, check: Any) -> ReportTable:
        worker.append(threading.current_thread())
        gate.wait(10)
        return fixed_report("too late")

    screen.report = Report("slow", "Slow report", NOTHING, slow, "")
    screen.run()
    assert screen.busy.running and screen.busy.bar.maximum() == 0  # a busy bar while it runs
    qtbot.mouseClick(screen.busy.cancel, Qt.MouseButton.LeftButton)
    assert screen.busy.isHidden() and screen.note.text().startswith("Cancelled")
    # The worker finishes after all; its result comes back to the GUI thread and is thrown away.
    with qtbot.waitSignal(session.runner.busy, timeout=5000, check_params_cb=lambda busy: not busy):
        gate.set()
    assert worker and worker[0] is not threading.main_thread()
    assert shown(screen) == before and screen.busy.isHidden()


def test_report_model_passes_the_model_tester(qtmodeltester: Any, manager: Any) -> None:
    from hera_desktop.gui.reports.ledger_reports import balance_sheet
    from hera_desktop.gui.reports.params import Params

    model = ReportModel()
    model.set_table(balance_sheet(manager.scope, Params(), lambda: None))
    qtmodeltester.check(model)
    assert model.rowCount() > 5
