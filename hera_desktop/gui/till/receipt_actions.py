"""The till's receipts and cash drawer: a paid order's (or a reprint's) receipt on screen, saved as PDF and sent
to the printers the settings name, and No sale (F6), which records why the drawer was opened before it opens.

Printing goes through the print queue (``printing.queue``), drawn from the same documents as the PDFs
(``gui.printouts``), so a printer that is off never holds up the till.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...printing.queue import queue_of

if TYPE_CHECKING:
    from .receipt_dialog import ReceiptDialog
    from .receipts import Receipt
    from .screen import TillScreen


def show_receipt(till: TillScreen, sale_id: str, copy: bool, change_due: Any = None) -> None:
    from .receipts import fetch

    scope = till.session.scope
    till.read(lambda: fetch(scope, sale_id, copy), lambda r: _open_receipt(till, r, change_due))


def _open_receipt(till: TillScreen, receipt: Receipt, change_due: Any) -> None:
    from .receipt_dialog import ReceiptDialog
    from .receipts import receipts_dir

    parent = till.recent_dialog if receipt.copy and till.recent_dialog is not None else till
    folder = till.receipts_dir or receipts_dir(till.session.hera)
    dialog = ReceiptDialog(receipt, folder, parent, change_due)
    dialog.finished.connect(lambda _r: till.focus_search())
    _to_printers(till, receipt, dialog)
    till.open_dialog("receipt_dialog", dialog)


def _to_printers(till: TillScreen, receipt: Receipt, dialog: ReceiptDialog) -> None:
    from ..printouts import for_receipt

    queue = queue_of(till.session)
    now, on_done = for_receipt(receipt, till.session.scope.settings)
    for job in now:
        queue.submit(job)
    if on_done:
        dialog.finished.connect(lambda _r: [queue.submit(job) for job in on_done])  # Done, or its Esc


def no_sale(till: TillScreen) -> None:
    """F6: open the drawer without a sale; the reason is recorded first."""
    if till.session.hera.read_only or (till.no_sale_dialog is not None and till.no_sale_dialog.isVisible()):
        return
    from .no_sale import NoSaleDialog

    dialog = NoSaleDialog(till)
    scope = till.session.scope
    dialog.submitted.connect(lambda reason, key: till.change(
        lambda: scope.cash_drawer.no_sale(reason, idempotency_key=key),
        lambda record: _drawer_opened(till, dialog, record), dialog.failed))
    till.open_dialog("no_sale_dialog", dialog)


def _drawer_opened(till: TillScreen, dialog: Any, record: Any) -> None:
    from ...printing.settings import Printers
    from ..printouts import drawer_job

    dialog.accept()
    kick = drawer_job(Printers.of(till.session.scope.settings), record.business_context["reason"])
    if kick is not None:
        queue_of(till.session).submit(kick)
    till.message.setText("No sale recorded" + ("; the drawer opens." if kick is not None else
                                               " (no drawer is set up in Settings: open it by its key)."))
