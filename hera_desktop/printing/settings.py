"""The organization's printer settings, checked as they are stored: where the receipt printer and each
kitchen station's printer are, the paper's width, and what happens on Pay.

- ``receipt_printer``: an address (``address.parse``), or None for none (the receipt is a PDF only);
- ``kitchen_printers``: kitchen station (``HOT_KITCHEN``, ``BAR``) -> address; a station without one
  gets no printed ticket;
- ``paper_width_mm``: 80 or 58;
- ``auto_print_on_pay``: the receipt and kitchen tickets print as soon as an order is paid;
- ``open_drawer_on_cash``: the receipt printer has a cash drawer, kicked open on a cash payment.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..domain.errors import ValidationError
from . import address, paper

NAMES = ("receipt_printer", "kitchen_printers", "paper_width_mm", "auto_print_on_pay", "open_drawer_on_cash")


def checked(changes: dict[str, Any]) -> dict[str, Any]:
    """The printer settings among ``changes``, as stored; a ValidationError names the first one wrong."""
    clean: dict[str, Any] = {}
    if "receipt_printer" in changes:
        clean["receipt_printer"] = address.checked(changes["receipt_printer"], "receipt_printer")
    if "kitchen_printers" in changes:
        clean["kitchen_printers"] = _stations(changes["kitchen_printers"])
    if "paper_width_mm" in changes:
        width = changes["paper_width_mm"]
        if isinstance(width, bool) or width not in paper.WIDTHS:
            raise ValidationError("paper_width_mm", "must be 80 or 58 (millimetres of receipt roll)")
        clean["paper_width_mm"] = int(width)
    for name in ("auto_print_on_pay", "open_drawer_on_cash"):
        if name in changes:
            if not isinstance(changes[name], bool):
                raise ValidationError(name, "must be true or false")
            clean[name] = changes[name]
    return clean


def _stations(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValidationError("kitchen_printers", "must map kitchen stations to printer addresses")
    stations: dict[str, str] = {}
    for station, where in value.items():
        if not isinstance(station, str) or not station.strip() or len(station.strip()) > 40:
            raise ValidationError("kitchen_printers", "each kitchen station must be a name of 1 to 40 characters")
        name = station.strip().upper()
        found = address.checked(where, f"kitchen_printers.{name}")
        if found is not None:
            stations[name] = found
    return stations


@dataclass(frozen=True)
class Printers:
    """The printer settings as a till reads them."""
    receipt: address.PrinterAddress | None
    kitchen: dict[str, address.PrinterAddress]
    dots: int
    auto_print_on_pay: bool
    open_drawer_on_cash: bool

    @classmethod
    def of(cls, settings: dict[str, Any]) -> "Printers":
        receipt = settings.get("receipt_printer")
        return cls(address.parse(receipt) if receipt else None,
                   {s: address.parse(a) for s, a in (settings.get("kitchen_printers") or {}).items()},
                   paper.dots(settings.get("paper_width_mm") or paper.DEFAULT_WIDTH),
                   bool(settings.get("auto_print_on_pay")), bool(settings.get("open_drawer_on_cash")))

    @property
    def drawer(self) -> bool:
        """A drawer can be opened: it hangs off the receipt printer."""
        return self.receipt is not None and self.open_drawer_on_cash
