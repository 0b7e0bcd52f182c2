"""Receipts, the day's X and Z report and report PDFs name the business as its settings describe it: name, address
and tax id at the top, and on receipts the business's own footer at the bottom."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QStandardItem, QStandardItemModel

from hera_desktop.gui.dayclose import DayCloseScreen
from hera_desktop.gui.export import table_html
from hera_desktop.gui.letterhead import Letterhead
from hera_desktop.gui.till.receipts import document, fetch, receipt_html, write_all

NAME = "Mario's Trattoria (demo)"
ADDRESS = "Via Roma 1\n00100 Roma RM"
TOP = [NAME, "Via Roma 1", "00100 Roma RM", "Tax id IT01234567890"]


def printed(html: str) -> list[str]:
    """The lines of text of the document the PDF is printed from."""
    return [line.strip() for line in document(html).toPlainText().splitlines() if line.strip()]


def describe_the_business(hera: Any, organization_id: str) -> None:
    hera.scope(organization_id).org_settings.update(address=ADDRESS, tax_id="IT01234567890",
                                                    receipt_footer="Grazie!\nwww.trattoria.it")


def test_a_receipt_prints_the_business_details_at_the_top_and_its_footer_at_the_bottom(
        qapp: Any, books: Any, tmp_path: Path) -> None:
    hera, book = books
    s = hera.scope(book.organization_id)
    sale_id = s.restaurant.process_order(items=[{"menu_item_id": book.menu["Tiramisu"]}],
                                         payment_method="card").sales_transaction.transaction_id
    plain = printed(receipt_html(fetch(s, sale_id)))
    assert plain[0] == NAME and plain[1].startswith("Order ") and plain[-1] == "Thank you!"

    describe_the_business(hera, book.organization_id)
    receipt = fetch(hera.scope(book.organization_id), sale_id)
    lines = printed(receipt_html(receipt))
    assert lines[:4] == TOP and lines[4].startswith("Order ")
    assert lines[-2:] == ["Grazie!", "www.trattoria.it"] and "Thank you!" not in lines
    assert write_all(receipt, tmp_path)[0].read_bytes().startswith(b"%PDF")


def test_the_day_report_prints_the_business_details(qtbot: Any, books: Any, session_as: Any) -> None:
    hera, book = books
    describe_the_business(hera, book.organization_id)
    screen = DayCloseScreen(session_as("manager"))
    qtbot.addWidget(screen)
    screen.show()
    lines = printed(screen.html())
    assert lines[:4] == TOP and lines[4].startswith("X report")
    assert "Grazie!" not in lines  # the footer is the receipts' own


def test_a_report_pdf_prints_the_business_details_above_its_title(qapp: Any, books: Any) -> None:
    hera, book = books
    describe_the_business(hera, book.organization_id)
    model = QStandardItemModel(1, 1)
    model.setHorizontalHeaderLabels(["Account"])
    model.setItem(0, 0, QStandardItem("Cash"))
    lines = printed(table_html(model, "Trial balance", "", Letterhead.of(hera.organization(book.organization_id))))
    assert lines[:5] == [*TOP, "Trial balance"]
    assert printed(table_html(model, "Trial balance"))[0] == "Trial balance"  # no business given: as before
