"""The X and Z reports as a document: shown on screen, printed, or saved as PDF from the same HTML.

The sales part shows the tax at each rate (as the day's sales charged it) above the day's tax. A Z report
ends with its tamper anchor: the closing's place and hash in its chain (what ``verify --anchor`` checks),
the grand total of sales, each chain's head at the closing and the closing before."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from html import escape
from typing import Any

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPagedPaintDevice, QPdfWriter, QTextDocument

from ..domain.contracts.day_close import SHORT_HASH, ClosingAnchor
from ..domain.money import fmt
from ..services.day_close import local_time
from .letterhead import Letterhead

METHODS = {"cash": "Cash", "card": "Card", "on_account": "On account"}


@dataclass(frozen=True)
class Closing:
    """What a Z report adds to the figures: the closing record, the count and the anchor (none for a closing
    recorded before closings had anchors)."""
    code: str
    counted: Decimal
    difference: Decimal
    closed_at: str
    anchor: ClosingAnchor | None = None

    @classmethod
    def of(cls, txn: Any) -> "Closing":
        ctx = txn.business_context
        return cls(txn.transaction_code, Decimal(ctx["counted_cash"]), Decimal(ctx["difference"]),
                   local_time(txn.created_at), ClosingAnchor.of_closing(txn))


def anchor_text(anchor: ClosingAnchor) -> str:
    """The anchor as the report prints it: what ``hera-desktop verify --anchor`` takes."""
    return f"seq {anchor.chain_seq} · {anchor.short_hash}"


def _anchor_rows(anchor: ClosingAnchor, currency: str, row: Any) -> list[str]:
    previous = anchor.previous
    return [row("Anchor (keep this report)", anchor_text(anchor), strong=True),
            row("Grand total of sales", fmt(anchor.grand_total, currency)),
            *(row(f"Chain {h.terminal_id[-4:].upper()} head", f"seq {h.chain_seq} · {h.content_hash[:SHORT_HASH]}")
              for h in anchor.heads),
            row("Previous closing", f"{previous.transaction_code} · seq {previous.chain_seq} · "
                                    f"{previous.content_hash[:SHORT_HASH]}" if previous else "none")]


def over_short(difference: Decimal, currency: str) -> str:
    if difference == 0:
        return "exact"
    return f"{fmt(abs(difference), currency)} {'over' if difference > 0 else 'short'}"


def report_html(organization: str | Letterhead, f: Any, closing: Closing | None) -> str:
    """The report for one business day: a Z report once the day is closed, an X report before."""
    business = organization if isinstance(organization, Letterhead) else Letterhead(organization)
    cur = f.currency
    kind = "Z report — day closed" if closing else "X report — day still open"

    def row(label: str, value: str, strong: bool = False) -> str:
        cells = f"<td>{escape(label)}</td><td align='right'>{escape(value)}</td>"
        return f"<tr style='font-weight:bold'>{cells}</tr>" if strong else f"<tr>{cells}</tr>"

    rows = [row("Orders", str(f.orders)), row("Refunds", f"{f.refunds} ({fmt(f.refunds_total, cur)})"),
            row("Payments", str(f.payments)), row("Net sales before tax", fmt(f.subtotal, cur)),
            *(row(f"{t.label} {t.percent}%", fmt(t.tax, cur)) for t in f.taxes),
            row("Tax", fmt(f.tax, cur)), row("Net sales", fmt(f.total, cur), strong=True)]
    methods = [row(METHODS.get(m, m), fmt(v, cur)) for m, v in f.by_method.items()]
    cash = [row("Cash taken", fmt(f.cash_payments, cur)), row("Cash refunded", fmt(f.cash_refunds, cur)),
            row("Cash expected in the drawer", fmt(f.cash_expected, cur), strong=True)]
    if closing:
        cash += [row("Cash counted", fmt(closing.counted, cur), strong=True),
                 row("Difference", over_short(closing.difference, cur), strong=True)]
    stock = [f"<tr><td>{escape(n.product_name)}</td><td>{escape(n.location_name)}</td>"
             f"<td align='right'>{n.quantity.normalize():f}</td></tr>" for n in f.negative_stock]
    table = "<table width='100%' cellpadding='4' cellspacing='0'>{}</table>"
    footer = (f"Closed as {escape(closing.code)} at {escape(closing.closed_at)}" if closing
              else "Figures so far; nothing has been recorded.")
    anchor = closing.anchor if closing else None
    anchored = (f"<h4>Tamper anchor (check with: hera-desktop verify --anchor {escape(anchor.short_hash)})</h4>"
                f"{table.format(''.join(_anchor_rows(anchor, cur, row)))}") if anchor else ""
    return (f"<h2>{escape(business.name)}</h2>{business.details_html()}<h3>{kind}: {escape(f.day)}</h3>"
            f"<h4>Sales</h4>{table.format(''.join(rows))}"
            f"<h4>Takings by payment method</h4>{table.format(''.join(methods))}"
            f"<h4>Cash drawer</h4>{table.format(''.join(cash))}"
            + (f"<h4>Stock below zero (sold past the books: receive or count it)</h4>{table.format(''.join(stock))}"
               if stock else "")
            + anchored + f"<p><i>{footer}</i></p>")


def print_html(html: str, device: QPagedPaintDevice) -> None:
    """Lay the report out for the device's resolution (else text comes out tiny at 1200 dpi) and print it."""
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(device)
    doc.setHtml(html)
    rect = device.pageLayout().paintRectPixels(device.resolution())
    doc.setPageSize(QSizeF(rect.width(), rect.height()))
    doc.print_(device)


def save_pdf(html: str, path: str, title: str) -> None:
    writer = QPdfWriter(path)
    writer.setTitle(title)
    writer.setCreator("HERA Desktop")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(18, 18, 18, 18), QPageLayout.Unit.Millimeter))
    print_html(html, writer)
