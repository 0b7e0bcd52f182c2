"""Talking to one ESC/POS printer through python-escpos: initialise, the picture, cut; the drawer kick.

python-escpos is the ``printers`` extra; without it every call says how to install it. A printer
that is off, unplugged, refuses the connection or stops taking paper raises PrinterNotAnswering.
"""
from __future__ import annotations

import socket
from typing import Any

from ..domain.errors import HeraError
from .address import PrinterAddress

TIMEOUT_SECONDS = 5.0
DRAWER_PIN = 2  # the kick-out connector's pin 2: where drawers are wired unless their manual says otherwise
INSTALL = "pip install 'hera-desktop[printers]'"


class PrintingNotInstalled(HeraError):
    code = "printing_not_installed"


class PrinterNotAnswering(HeraError):
    code = "printer_not_answering"


def library() -> Any:
    """python-escpos, or PrintingNotInstalled saying how to install it."""
    try:
        import escpos.capabilities
        import escpos.exceptions
        import escpos.printer
    except ImportError:
        raise PrintingNotInstalled("Printing to receipt and kitchen printers needs python-escpos: install it with "
                                   f"{INSTALL}") from None
    return escpos


def available() -> bool:
    try:
        library()
    except PrintingNotInstalled:
        return False
    return True


def _profile(escpos: Any, dots: int) -> Any:
    """The generic ESC/POS profile, told how wide the paper prints (the default one does not know)."""
    profile = escpos.capabilities.Profile(features=dict(escpos.capabilities.Profile.profile_data["features"]))
    profile.profile_data = {**profile.profile_data,
                            "media": {"dpi": 203, "width": {"mm": round(dots / 8), "pixels": dots}}}
    return profile


def _connect(escpos: Any, where: PrinterAddress, dots: int, timeout: float) -> Any:
    profile = _profile(escpos, dots)
    if where.kind == "tcp":
        printer = escpos.printer.Network(where.host, where.port, timeout=timeout, profile=profile)
        # Connected here, not by python-escpos: its own connect leaves the socket of a refused connection open.
        printer.device = socket.create_connection((where.host, where.port), timeout=timeout)
        return printer
    if not escpos.printer.Usb.is_usable():
        raise PrintingNotInstalled(f"USB printers need pyusb as well: install it with {INSTALL} (or use the "
                                   "printer's network port, tcp://HOST:9100)")
    return escpos.printer.Usb(where.vendor, where.product, timeout=int(timeout * 1000), profile=profile)


def send(where: PrinterAddress, page: Any = None, dots: int = 576, cut: bool = True, drawer: bool = False,
         timeout: float = TIMEOUT_SECONDS) -> None:
    """Kick the drawer open and/or print ``page`` (a 1-bit Pillow image, or None) and cut."""
    escpos = library()
    try:
        printer = _connect(escpos, where, dots, timeout)
    except OSError as exc:
        raise PrinterNotAnswering(f"The printer at {where} is not answering: {_reason(exc)}") from None
    try:
        printer.hw("INIT")
        if drawer:  # first: the cashier counts the change while the receipt prints
            printer.cashdraw(DRAWER_PIN)
        if page is not None:
            printer.image(page, impl="bitImageRaster")
            if cut:
                printer.cut()
    except (OSError, escpos.exceptions.Error) as exc:
        raise PrinterNotAnswering(f"The printer at {where} is not answering: {_reason(exc)}") from None
    finally:
        printer.close()


def _reason(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "no answer in time (switched off, unplugged, out of paper, or another address)"
    if isinstance(exc, ConnectionRefusedError) or "refused" in str(exc).lower():
        return "it refused the connection (switched off, or another port)"
    if isinstance(exc, socket.gaierror):
        return "no such host on this network"
    return " ".join(str(exc).split()) or type(exc).__name__
