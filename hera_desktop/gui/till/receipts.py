"""Receipts and kitchen tickets, from the order as the books recorded it, as text documents and PDFs.

Everything printed comes from the recorded sale or the recorded kitchen round (never from the screen), so a
receipt always shows what was charged and a kitchen ticket what the kitchen was told. ``kitchen_ticket_html``
is the one way a kitchen ticket (a round, a VOID, or what a payment sends) becomes a document to print. A reprint
says COPY in large letters, and brings back every kitchen ticket the order had: each round and VOID
(``s.kitchen.rounds``), then what the payment sent.
PDFs are laid out for 80 mm roll paper, one page as long as the content.
Pitfall: a QTextDocument printed to a 1200 dpi QPdfWriter must be laid out on
that device (``documentLayout().setPaintDevice``) with the page size in its
pixels, or the text comes out tiny.
"""
from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from datetime import datetime
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPagedPaintDevice, QPdfWriter, QTextDocument

from ...domain.contracts.kitchen import KitchenLine, KitchenTicket
from ...domain.money import ZERO, D, fmt
from ..letterhead import Letterhead

ROLL_WIDTH_MM = 80.0
MARGIN_MM = 4.0
METHOD_NAMES = {"cash": "Cash", "card": "Card", "on_account": "On account"}


@dataclass(frozen=True)
class Receipt:
    """What a receipt and the kitchen tickets of one order show."""
    business: Letterhead
    currency: str
    sale: Any                       # the sale Transaction, with lines
    payments: list[Any]             # its payment Transactions
    tickets: dict[str, list[Any]]   # kitchen station -> item lines
    server: str | None = None
    customer: str | None = None
    copy: bool = False
    rounds: tuple[KitchenTicket, ...] = ()  # a reprint's: the tickets of the order's rounds and voids, oldest first

    @property
    def code(self) -> str:
        return self.sale.transaction_code


def fetch(scope: Any, sale_id: str, copy: bool = False) -> Receipt:
    """Read an order for printing (runs off the GUI thread)."""
    restaurant = scope.restaurant
    sale = restaurant.sale(sale_id)
    people = restaurant.sale_people(sale_id)
    rounds = tuple(scope.kitchen.rounds(sale_id)) if copy else ()
    return Receipt(Letterhead.of(scope.organization), sale.currency, sale, restaurant.payments_of(sale_id),
                   restaurant.kitchen_tickets(sale_id), server=people.server, customer=people.customer, copy=copy,
                   rounds=rounds)


def local_time(stamp: str, pattern: str = "%Y-%m-%d %H:%M") -> str:
    """A stored UTC timestamp as the clock on the wall reads it."""
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone().strftime(pattern)
    except ValueError:
        return stamp[:16].replace("T", " ")


def _when(r: Receipt) -> str:
    return local_time(r.sale.created_at)


def _who(r: Receipt) -> str:
    table = r.sale.business_context.get("table_number")
    parts = [f"Table {table}" if table not in (None, "") else "Counter"]
    parts += [f"Server {r.server}"] if r.server else []
    return " · ".join(escape(p) for p in parts)


COPY_BANNER = '<p align="center" style="font-size: 16pt; font-weight: bold;">*** COPY ***</p>'


THANKS = "<p align='center'>Thank you!</p>"  # the footer of a business that has not written its own


def receipt_html(r: Receipt) -> str:
    money = lambda v: fmt(v, "")  # noqa: E731 - a local shorthand
    rows = []
    for ln in r.sale.lines:
        if ln.line_type != "ITEM":
            continue
        qty = _quantity(ln)
        shown = D(ln.metadata["amount_with_tax"]) if "amount_with_tax" in ln.metadata else ln.line_amount or ZERO
        rows.append(f"<tr><td>{qty} × {escape(ln.description or '')}</td>"
                    f"<td align='right'>{money(shown)}</td></tr>")
        note = ln.metadata.get("special_instructions")
        if note:
            rows.append(f"<tr><td colspan='2'><i>&nbsp;&nbsp;{escape(note)}</i></td></tr>")
    tax = [ln for ln in r.sale.lines if ln.line_type == "TAX"]
    tax_total = sum((ln.line_amount or ZERO for ln in tax), ZERO)
    # Each rate's tax: added on top under the subtotal, or (prices that include it) named under the total.
    included = any(ln.metadata.get("prices_include_tax") for ln in tax)
    rate_rows = [(("incl. " if included else "") + escape(ln.description or "Tax"), money(ln.line_amount or ZERO))
                 for ln in tax]
    sums = [] if included else [("Subtotal", money(r.sale.total_amount - tax_total)), *rate_rows]
    pays = []
    for p in r.payments:
        method = METHOD_NAMES.get(p.business_context.get("payment_method"), "Payment")
        pays.append((method, money(p.total_amount)))
        if p.business_context.get("tendered"):
            pays.append(("&nbsp;&nbsp;Tendered", money(D(p.business_context["tendered"]))))
            pays.append(("&nbsp;&nbsp;Change", money(D(p.business_context.get("change", "0")))))
    sum_rows = "".join(f"<tr><td>{k}</td><td align='right'>{v}</td></tr>" for k, v in sums)
    incl_rows = "".join(f"<tr><td>{k}</td><td align='right'>{v}</td></tr>" for k, v in rate_rows) if included else ""
    pay_rows = "".join(f"<tr><td>{k}</td><td align='right'>{v}</td></tr>" for k, v in pays)
    customer = f"<br>Customer {escape(r.customer)}" if r.customer else ""
    refunded = ('<p align="center"><b>REFUNDED</b></p>' if r.sale.is_reversed else "")
    return (f"<div align='center'><p style='font-size: 13pt; font-weight: bold;'>{escape(r.business.name)}</p>"
            f"{r.business.details_html()}{COPY_BANNER if r.copy else ''}"
            f"<p>Order {escape(r.code)}<br>{_when(r)}<br>{_who(r)}{customer}</p></div>"
            f"<table width='100%' cellspacing='0'>{''.join(rows)}</table><hr>"
            f"<table width='100%'>{sum_rows}<tr><td><b>TOTAL {escape(r.currency)}</b></td>"
            f"<td align='right'><b>{money(r.sale.total_amount)}</b></td></tr>{incl_rows}</table><hr>"
            f"<table width='100%'>{pay_rows}</table>{refunded}"
            f"{COPY_BANNER if r.copy else ''}{r.business.footer_html() or THANKS}")


def _quantity(line: Any) -> str:
    """How many, as a person writes it: 2, 0.5 (one when a line has no quantity)."""
    return f"{line.quantity.normalize():f}" if line.quantity is not None else "1"


def kitchen_ticket(r: Receipt, station: str) -> KitchenTicket:
    """The ticket a station gets with a paid order: the lines the kitchen was not sent before."""
    table = r.sale.business_context.get("table_number")
    lines = [KitchenLine(menu_item_id=ln.entity_id, name=ln.description or "", quantity=ln.quantity or D(1),
                         note=ln.metadata.get("special_instructions") or "") for ln in r.tickets.get(station, [])]
    return KitchenTicket(station=station, lines=lines, order=f"Table {table}" if table not in (None, "") else "Counter",
                         code=r.code, at=r.sale.created_at, server=r.server, reprint=r.copy)


def kitchen_html(r: Receipt, station: str) -> str:
    return kitchen_ticket_html(kitchen_ticket(r, station))


VOID_BANNER = "<p style='font-size: 22pt; font-weight: bold;'>*** VOID ***</p>"


def kitchen_ticket_html(t: KitchenTicket) -> str:
    """A kitchen ticket as the document to print: big quantities, notes in bold, VOID and the round said first."""
    rows = []
    for ln in t.lines:
        qty = f"{ln.quantity.normalize():f}"
        name = f"<s>{escape(ln.name)}</s>" if t.void else escape(ln.name)
        rows.append(f"<tr><td style='font-size: 16pt; font-weight: bold;'>{qty} ×</td>"
                    f"<td style='font-size: 16pt;'>{name}</td></tr>")
        if ln.note:
            rows.append(f"<tr><td></td><td style='font-size: 13pt; font-weight: bold;'>» {escape(ln.note)}</td></tr>")
    who = " · ".join(escape(p) for p in (t.order, *([f"Server {t.server}"] if t.server else [])))
    what = (f"{VOID_BANNER}<p style='font-size: 12pt;'><b>Reason: {escape(t.reason or '')}</b></p>" if t.void
            else f"<p style='font-size: 14pt; font-weight: bold;'>Round {t.round}</p>" if t.round else "")
    return (f"<p style='font-size: 18pt; font-weight: bold;'>{escape(station_name(t.station))}</p>"
            f"{COPY_BANNER if t.reprint else ''}{what}"
            f"<p style='font-size: 11pt;'>{who}<br>Order {escape(t.code)} · {local_time(t.at)}</p>"
            f"<table cellspacing='4'>{''.join(rows)}</table>")


def kitchen_title(t: KitchenTicket) -> str:
    """The ticket's name on screen and in its file: "Pizza Station — round 2", "Bar — VOID"."""
    return f"{station_name(t.station)} — " + ("VOID" if t.void else f"round {t.round}" if t.round else "kitchen")


def station_name(station: str) -> str:
    return station.replace("_", " ").title()


# ------------------------------------------------------------------ documents and PDFs

def document(html: str) -> QTextDocument:
    doc = QTextDocument()
    doc.setDefaultFont(QFont("DejaVu Sans", 9))
    doc.setHtml(html)
    return doc


def render(doc: QTextDocument, device: QPagedPaintDevice) -> None:
    """Lay the document out on the device (its resolution, its page) and print it there."""
    doc.documentLayout().setPaintDevice(device)
    rect = device.pageLayout().paintRectPixels(device.logicalDpiX())
    doc.setPageSize(QSizeF(rect.width(), rect.height()))
    doc.print_(device)


def write_pdf(html: str, path: Path, title: str) -> Path:
    """One roll-paper page, as long as the content."""
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = QPdfWriter(str(path))
    writer.setTitle(title)
    writer.setCreator("HERA Desktop")
    doc = document(html)
    doc.documentLayout().setPaintDevice(writer)
    dpi = writer.resolution()
    width_px = (ROLL_WIDTH_MM - 2 * MARGIN_MM) / 25.4 * dpi
    doc.setPageSize(QSizeF(width_px, 1e6))
    height_mm = doc.documentLayout().documentSize().height() / dpi * 25.4 + 2 * MARGIN_MM + 2
    writer.setPageSize(QPageSize(QSizeF(ROLL_WIDTH_MM, max(height_mm, 60.0)), QPageSize.Unit.Millimeter, "Roll"))
    writer.setPageMargins(QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM), QPageLayout.Unit.Millimeter)
    render(doc, writer)
    return path


def receipts_dir(hera: Any) -> Path:
    """Next to the books (a 'receipts' folder), or a temporary folder for books in memory."""
    books = getattr(hera.db, "path", None)
    return Path(books).parent / "receipts" if books else Path(tempfile.gettempdir()) / "hera-receipts"


def free_path(folder: Path, stem: str) -> Path:
    """``stem``.pdf in the folder, or the first ``stem``-2.pdf, -3.pdf... not taken: never over an earlier file."""
    path, n = folder / f"{stem}.pdf", 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}.pdf"
    return path


def _kitchen_stem(t: KitchenTicket) -> str:
    kind = "void" if t.void else f"round-{t.round}"
    return f"{kind}-{t.station.lower()}"


def write_kitchen(tickets: list[KitchenTicket], folder: Path) -> list[Path]:
    """The tickets of a round (or a void) as PDFs, one per station, never over an earlier one."""
    return [write_pdf(kitchen_ticket_html(t), free_path(folder, safe_stem(f"{t.code}-{_kitchen_stem(t)}")),
                      f"Kitchen ticket {t.code} {kitchen_title(t)}") for t in tickets]


def safe_stem(stem: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", stem)


def write_all(r: Receipt, folder: Path) -> list[Path]:
    """The receipt and one kitchen ticket per station; reprints get their own numbered -copy files, with the
    tickets of the order's rounds and voids."""
    stem = safe_stem(r.code)
    if r.copy:
        n = 1
        while (folder / f"{stem}-copy-{n}.pdf").exists():
            n += 1
        stem = f"{stem}-copy-{n}"
    files = [write_pdf(receipt_html(r), folder / f"{stem}.pdf", f"Receipt {r.code}")]
    for t in r.rounds:
        path = free_path(folder, safe_stem(f"{stem}-kitchen-{_kitchen_stem(t)}"))
        files.append(write_pdf(kitchen_ticket_html(t), path, f"Kitchen ticket {t.code} {kitchen_title(t)}"))
    for station in r.tickets:
        files.append(write_pdf(kitchen_html(r, station), folder / f"{stem}-kitchen-{station.lower()}.pdf",
                               f"Kitchen ticket {r.code} {station_name(station)}"))
    return files
