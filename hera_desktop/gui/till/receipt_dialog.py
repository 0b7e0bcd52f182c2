"""After payment: the receipt and the kitchen tickets of what was never sent, on screen, saved as PDF, printable;
for a reprint the same, with the tickets of every round and VOID the order had before them; after a send to the
kitchen or a void, that round's tickets the same way."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from ...domain.contracts.kitchen import KitchenTicket
from ...domain.money import fmt
from ..labels import button_text
from . import receipts
from .printed_pages import PrintedPages


class ReceiptDialog(PrintedPages):
    def __init__(self, receipt: receipts.Receipt, folder: Path, parent: QWidget | None = None,
                 change_due: Any = None) -> None:
        pages: list[tuple[str, str]] = [("Receipt", receipts.receipt_html(receipt))]
        pages += [(button_text(receipts.kitchen_title(t)), receipts.kitchen_ticket_html(t)) for t in receipt.rounds]
        pages += [(button_text(f"Kitchen: {receipts.station_name(s)}"), receipts.kitchen_html(receipt, s))
                  for s in receipt.tickets]
        headline = (f"Change due {fmt(change_due, receipt.currency)}" if change_due
                    else ("Reprinted" if receipt.copy else "Paid") + f" — order {receipt.code}")
        self.receipt = receipt
        super().__init__("receiptDialog", f"{'Reprint' if receipt.copy else 'Receipt'} — order {receipt.code}",
                         headline, pages, folder, lambda: receipts.write_all(receipt, folder),
                         ("receiptHeadline", "receiptPages", "receiptSaved", "printReceipt", "closeReceipt"), 640,
                         parent)


class KitchenDialog(PrintedPages):
    """The tickets a send to the kitchen (or a void) gave, one tab per station, saved as PDF, printable."""

    def __init__(self, tickets: list[KitchenTicket], folder: Path, parent: QWidget | None = None) -> None:
        first = tickets[0]
        self.tickets = tickets
        what = "Voided" if first.void else f"Round {first.round} sent"
        super().__init__("kitchenDialog", f"Kitchen — {first.order}", f"{what} — {first.order}",
                         [(button_text(receipts.kitchen_title(t)), receipts.kitchen_ticket_html(t)) for t in tickets],
                         folder, lambda: receipts.write_kitchen(tickets, folder),
                         ("kitchenHeadline", "kitchenPages", "kitchenSaved", "printKitchen", "closeKitchen"), 560,
                         parent)
