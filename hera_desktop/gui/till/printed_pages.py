"""Pages as they print (a receipt, kitchen tickets), on screen: one tab each, saved as PDF when shown, printable
(the page in front), Done closes them. What was recorded stays recorded when a PDF cannot be written; the dialog
says so and offers to print instead."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QPushButton, QTabWidget, QTextBrowser, QVBoxLayout,
                               QWidget)

from ..labels import plain_label
from . import receipts, style


class PrintedPages(QDialog):
    """``pages`` as (tab title, HTML); ``save`` writes their PDFs in ``folder`` and returns the files. ``names``
    gives the object names of the headline, the tabs, the saved message, Print and Done (what tests and styles
    find)."""

    def __init__(self, name: str, title: str, headline: str, pages: list[tuple[str, str]], folder: Path,
                 save: Callable[[], list[Path]], names: tuple[str, str, str, str, str], height: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        headline_name, tabs_name, saved_name, print_name, done_name = names
        self.setObjectName(name)
        self.setStyleSheet(style.till())
        self.setWindowTitle(title)
        self.pages = pages
        self.tabs = QTabWidget(objectName=tabs_name)
        for tab, html in pages:
            view = QTextBrowser()
            view.setDocument(receipts.document(html))
            self.tabs.addTab(view, tab)
        self.tabs.tabBar().setVisible(len(pages) > 1)
        self.headline = plain_label(headline, objectName=headline_name, wordWrap=True)
        self.saved = plain_label(objectName=saved_name, wordWrap=True)
        self.files: list[Path] = []
        try:
            self.files = save()
            self.saved.setText(f"Saved as PDF in {folder}")
        except OSError as exc:  # what the pages show is recorded either way; only the file is missing
            self.saved.setText(f"The PDF could not be saved in {folder} ({exc.strerror or exc}). Print it instead.")
            self.saved.setProperty("error", True)
        buttons = QDialogButtonBox()
        self.print_button = QPushButton("Print…  Ctrl+P", objectName=print_name, shortcut="Ctrl+P")
        self.print_button.clicked.connect(self.print_current)
        done = QPushButton("Done  Esc", objectName=done_name, default=True, autoDefault=True)
        done.clicked.connect(self.accept)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(done, QDialogButtonBox.ButtonRole.AcceptRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.saved)
        layout.addWidget(buttons)
        self.resize(460, height)

    def text(self, page: int = 0) -> str:
        return receipts.document(self.pages[page][1]).toPlainText()

    def print_current(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self).exec() == QPrintDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_to(self, printer: QPrinter) -> None:
        receipts.render(receipts.document(self.pages[self.tabs.currentIndex()][1]), printer)
