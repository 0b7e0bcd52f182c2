"""The Reports screen: choose a report, its dates, run it off the GUI thread, read it, chart it, export it.

A report runs on the runner's pool with a cancel token; Cancel (or choosing
another report) cancels it: the report stops at its next checkpoint, and
whatever it returns late is discarded, so the screen keeps what it showed.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QFileDialog, QHBoxLayout, QHeaderView, QListWidget,
                               QListWidgetItem, QPushButton, QSplitter, QTableView, QVBoxLayout, QWidget)

from .. import theme
from ...domain.errors import HeraError
from ...services.progress import CancelToken, ReportCancelled
from ..charts import Chart
from ..export import export_csv, export_pdf
from ..letterhead import Letterhead
from ..labels import plain_label
from ..screen import Screen
from ..sizes import heading, px
from .busy import BusyStrip
from .catalogue import BY_KEY, REPORTS, Report
from .params import ParamsBar
from .table import ReportModel, ReportTable


class ReportsScreen(Screen):
    title = "Reports"
    permission = "reports.view"

    def __init__(self, session: Any, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.report: Report = REPORTS[0]
        self.table: ReportTable | None = None
        self.token: CancelToken | None = None
        self._accounts_loaded = False
        self.list = QListWidget(objectName="reportList")
        self.list.setFixedWidth(px(190))  # wide enough for the reports' names in the user's font
        self.list.setStyleSheet(f"QListWidget {{ font-size: {px(14)}px; }}"
                                f" QListWidget::item {{ padding: {px(8)}px {px(6)}px; }}")
        for r in REPORTS:
            item = QListWidgetItem(r.title)
            item.setData(Qt.ItemDataRole.UserRole, r.key)
            item.setToolTip(r.about)
            self.list.addItem(item)
        self.heading = plain_label(objectName="reportTitle")
        self.heading.setStyleSheet(heading(18))
        self.subtitle = plain_label(objectName="reportSubtitle")
        self.note = plain_label(objectName="reportNote")
        self.note.setVisible(False)
        self.params = ParamsBar()
        self.run_button = QPushButton("Run", objectName="runReport")
        self.run_button.setDefault(True)
        self.csv_button = QPushButton("Export CSV…", objectName="exportCsv")
        self.pdf_button = QPushButton("Export PDF…", objectName="exportPdf")
        self.busy = BusyStrip()
        self.model = ReportModel(self)
        self.view = QTableView(objectName="reportTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        self.chart = Chart()
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.addWidget(self.view)
        self.split.addWidget(self.chart)
        self.split.setSizes([420, 300])
        self._layout()
        self.list.currentItemChanged.connect(self._chosen)
        self.run_button.clicked.connect(self.run)
        self.csv_button.clicked.connect(lambda: self.export_csv())
        self.pdf_button.clicked.connect(lambda: self.export_pdf())
        self.busy.cancel_requested.connect(self.cancel)
        self.list.setCurrentRow(0)

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        for b in (self.run_button, self.csv_button, self.pdf_button):
            top.addWidget(b)
        right = QVBoxLayout()
        right.addLayout(top)
        right.addWidget(self.subtitle)
        right.addWidget(self.params)
        right.addWidget(self.busy)
        right.addWidget(self.note)
        right.addWidget(self.split, 1)
        outer = QHBoxLayout(self)
        outer.addWidget(self.list)
        outer.addLayout(right, 1)

    # ------------------------------------------------------------------ choosing and running

    def refresh(self) -> None:
        if not self._accounts_loaded:
            self.read(lambda: self.session.scope.journals.accounts(), self._accounts)
        self.run()

    def _accounts(self, accounts: list[Any]) -> None:
        self._accounts_loaded = True
        self.params.set_accounts(accounts)

    def _chosen(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        self.report = BY_KEY[item.data(Qt.ItemDataRole.UserRole)]
        self.heading.setText(self.report.title)
        self.subtitle.setText(self.report.about)
        self.params.show_for(self.report.asks)
        if self.isVisible():
            self.run()

    def select(self, key: str, run: bool = True) -> None:
        """Show the report with this key (as clicking it in the list does)."""
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.ItemDataRole.UserRole) == key:
                self.list.setCurrentRow(i)
        if run and not self.isVisible():
            self.run()

    def set_period(self, start: date, end: date) -> None:
        self.params.set_period(start, end)

    def set_as_of(self, day: date | None) -> None:
        self.params.set_as_of(day)

    def run(self) -> None:
        """Run the chosen report off the GUI thread; a report still running is cancelled first."""
        if self.token is not None:
            self.token.cancel()
        token = self.token = CancelToken()
        report, params, scope = self.report, self.params.value(), self.session.scope
        self.busy.start(report.title)
        self._say("")
        self.runner.read(lambda: report.build(scope, params, token.check),
                         lambda table: self._finished(token, table), lambda exc: self._failed(token, exc))

    def cancel(self) -> None:
        if self.token is None:
            return
        self.token.cancel()
        self.token = None
        self.busy.stop()
        self._say("Cancelled; the table still shows the last report that finished.")

    def _finished(self, token: CancelToken, table: ReportTable) -> None:
        if token is not self.token or token.cancelled:
            return  # cancelled or overtaken by a newer run: nobody is waiting for this one
        self.token = None
        self.busy.stop()
        self.show_table(table)

    def _failed(self, token: CancelToken, exc: Exception) -> None:
        if token is not self.token or isinstance(exc, ReportCancelled):
            return
        self.token = None
        self.busy.stop()
        self.fail(exc)

    def _say(self, text: str) -> None:
        """A line under the controls: a verdict (green or red), or what just happened."""
        self.note.setStyleSheet(theme.tone_style("error" if text.startswith("Does not") else "ok" if text == "Balanced"
                                                 else "muted"))
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def show_table(self, table: ReportTable) -> None:
        self.table = table
        self.model.set_table(table)
        header = self.view.horizontalHeader()
        for i, column in enumerate(table.columns):
            header.setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch if column.wide
                                        else QHeaderView.ResizeMode.ResizeToContents)
        self.subtitle.setText(table.subtitle)
        self._say(table.note)
        self.chart.setVisible(table.chart is not None)
        if table.chart is not None:
            c = table.chart
            currency = table.currency
            self.chart.set_data(c.title, c.labels, c.values, c.mode, lambda v: f"{v:,.2f} {currency}")

    # ------------------------------------------------------------------ export

    def _target(self, suffix: str, kind: str) -> Path | None:
        name = f"{self.report.key}-{date.today().isoformat()}.{suffix}"
        path, _ = QFileDialog.getSaveFileName(self, f"Export {self.report.title} to {kind}",
                                              str(Path.home() / name), f"{kind} files (*.{suffix})")
        return Path(path) if path else None

    def export_csv(self, path: str | Path | None = None) -> Path | None:
        return self._export(path, "csv", "CSV", lambda p: export_csv(self.model, p))

    def export_pdf(self, path: str | Path | None = None) -> Path | None:
        return self._export(path, "pdf", "PDF",
                            lambda p: export_pdf(self.model, p, self.table.title if self.table else "",
                                                 self.table.subtitle if self.table else "",
                                                 Letterhead.of(self.session.organization)))

    def _export(self, path: str | Path | None, suffix: str, kind: str, write: Any) -> Path | None:
        if self.table is None:
            return None
        target = Path(path) if path is not None else self._target(suffix, kind)
        if target is None:
            return None
        try:
            write(target)
        except OSError as exc:
            self.fail(HeraError(f"Could not save {target}: {exc.strerror or exc}. "
                                "Choose another folder or file name."))
            return None
        self._say(f"Saved {kind} to {target}")
        return target
