"""What goes to the ESC/POS printers: an order's receipt (with the drawer kick of a cash payment), its kitchen
tickets each to its station's printer, the receipt of a payment on account, a drawer kick alone (No sale) and a
test page; all as print-queue jobs, drawn from the same HTML as the PDFs (``till.receipts``,
``till.account_receipt``), so a printed receipt and its PDF always agree."""
from __future__ import annotations

from html import escape
from typing import Any

from ..printing import raster
from ..printing.address import PrinterAddress
from ..printing.queue import Job
from ..printing.settings import Printers
from .letterhead import Letterhead
from .till import account_receipt, receipts

RECEIPT_PRINTER = "Receipt"
TEST_LINE = "Crème brûlée — 3,50 €"


def page(html: str, dots: int) -> Any:
    return raster.picture(receipts.document(html), dots)


def order_jobs(receipt: receipts.Receipt, printers: Printers) -> list[Job]:
    """The receipt to the receipt printer, and (the first time, not for a copy) each kitchen ticket to its
    station's printer."""
    jobs = []
    if printers.receipt is not None:
        jobs.append(Job(RECEIPT_PRINTER, printers.receipt, page(receipts.receipt_html(receipt), printers.dots),
                        printers.dots, title=f"Receipt {receipt.code}" + (" (copy)" if receipt.copy else "")))
    for station in ([] if receipt.copy else receipt.tickets):
        where = printers.kitchen.get(station)
        if where is not None:
            jobs.append(Job(receipts.station_name(station), where,
                            page(receipts.kitchen_html(receipt, station), printers.dots), printers.dots,
                            title=f"Kitchen ticket {receipt.code} {receipts.station_name(station)}"))
    return jobs


def kitchen_jobs(tickets: list[Any], printers: Printers) -> list[Job]:
    """A round sent to the kitchen (or a VOID), each station's ticket to that station's printer, if it has one."""
    return [Job(receipts.station_name(t.station), printers.kitchen[t.station],
                page(receipts.kitchen_ticket_html(t), printers.dots), printers.dots,
                title=f"Kitchen ticket {t.code} {receipts.kitchen_title(t)}")
            for t in tickets if t.station in printers.kitchen]


def paid_in_cash(receipt: receipts.Receipt) -> bool:
    return any(p.business_context.get("payment_method") == "cash" for p in receipt.payments)


def for_receipt(receipt: receipts.Receipt, settings: dict[str, Any]) -> tuple[list[Job], list[Job]]:
    """(what goes to the printers now, what goes when the receipt is closed with Done). The drawer opens at
    once for cash; with ``auto_print_on_pay`` so do the receipt and kitchen tickets of a payment."""
    printers = Printers.of(settings)
    kick = drawer_job(printers, f"cash, order {receipt.code}") if not receipt.copy and paid_in_cash(receipt) else None
    return _when(printers, order_jobs(receipt, printers), kick, at_once=not receipt.copy)


def for_account_payment(receipt: account_receipt.AccountReceipt,
                        settings: dict[str, Any]) -> tuple[list[Job], list[Job]]:
    """A payment on account's receipt to the receipt printer (none set up: nothing), as an order's receipt goes:
    the drawer at once for cash, the receipt at once with ``auto_print_on_pay``, else when Done is pressed."""
    printers = Printers.of(settings)
    printed = [] if printers.receipt is None else [
        Job(RECEIPT_PRINTER, printers.receipt, page(account_receipt.receipt_html(receipt), printers.dots),
            printers.dots, title=f"Receipt {receipt.code} (payment on account)")]
    kick = drawer_job(printers, f"cash on account, {receipt.code}") if receipt.cash else None
    return _when(printers, printed, kick, at_once=True)


def _when(printers: Printers, printed: list[Job], kick: Job | None, at_once: bool) -> tuple[list[Job], list[Job]]:
    now = [kick] if kick is not None else []
    if printers.auto_print_on_pay and at_once:
        return now + printed, []
    return now, printed


def drawer_job(printers: Printers, why: str) -> Job | None:
    """The drawer kicked open, nothing printed; None when no drawer is set up."""
    if not printers.drawer or printers.receipt is None:
        return None
    return Job(RECEIPT_PRINTER, printers.receipt, None, printers.dots, drawer=True, title=f"Drawer: {why}")


def test_page_html(business: Letterhead, where: PrinterAddress) -> str:
    return (f"<div align='center'><p style='font-size: 13pt; font-weight: bold;'>{escape(business.name)}</p>"
            f"{business.details_html()}<p>Printer test<br>{escape(str(where))}</p></div><hr>"
            f"<table width='100%'><tr><td>{escape(TEST_LINE)}</td></tr>"
            "<tr><td>Ñandú · Smørrebrød · Żurek · Çay · Ελληνικά · Кириллица</td></tr></table><hr>"
            "<p align='center'>If every letter above is right, this printer is ready.</p>")


def test_job(business: Letterhead, where: PrinterAddress, dots: int, name: str = RECEIPT_PRINTER) -> Job:
    return Job(name, where, page(test_page_html(business, where), dots), dots, title="Printer test")
