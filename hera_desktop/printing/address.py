"""Where a printer is: ``tcp://HOST:PORT`` (a network printer's raw port, 9100 unless given) or
``usb://VENDOR:PRODUCT`` (the USB ids in hexadecimal, as ``lsusb`` shows them: ``usb://04b8:0202``)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..domain.errors import ValidationError

RAW_PORT = 9100
_HOST = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$")
_USB_ID = re.compile(r"^(0x)?[0-9A-Fa-f]{1,4}$")
EXAMPLES = "like tcp://192.168.1.50:9100 or usb://04b8:0202"


@dataclass(frozen=True)
class PrinterAddress:
    kind: str                   # "tcp" or "usb"
    host: str = ""
    port: int = RAW_PORT
    vendor: int = 0
    product: int = 0

    def __str__(self) -> str:
        if self.kind == "tcp":
            host = f"[{self.host}]" if ":" in self.host else self.host
            return f"tcp://{host}:{self.port}"
        return f"usb://{self.vendor:04x}:{self.product:04x}"


def parse(value: Any, field: str = "printer") -> PrinterAddress:
    """The address as written, or a ValidationError naming ``field`` and saying what is wrong."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(field, f"must be a printer address, {EXAMPLES}")
    text = value.strip()
    scheme, sep, rest = text.partition("://")
    scheme = scheme.lower()
    if not sep or scheme not in ("tcp", "usb"):
        raise ValidationError(field, f"{text[:60]!r} is not a printer address; write it {EXAMPLES}")
    if scheme == "usb":
        vendor, colon, product = rest.partition(":")
        if not colon or not _USB_ID.match(vendor) or not _USB_ID.match(product):
            raise ValidationError(field, f"{text[:60]!r}: a USB printer is usb://VENDOR:PRODUCT with the two ids "
                                         "in hexadecimal, like usb://04b8:0202")
        return PrinterAddress("usb", vendor=int(vendor, 16), product=int(product, 16))
    host, port = _host_and_port(rest)
    if not (_HOST.match(host) or ":" in host):
        raise ValidationError(field, f"{text[:60]!r}: {host[:60]!r} is not a host name or IP address")
    if not port.isdigit() or not 1 <= int(port) <= 65535:
        raise ValidationError(field, f"{text[:60]!r}: the port must be a number from 1 to 65535 (usually 9100)")
    return PrinterAddress("tcp", host=host, port=int(port))


def _host_and_port(rest: str) -> tuple[str, str]:
    rest = rest.rstrip("/")
    if rest.startswith("["):  # an IPv6 address: [::1]:9100
        host, _, after = rest[1:].partition("]")
        return host, after[1:] if after.startswith(":") else str(RAW_PORT)
    host, colon, port = rest.rpartition(":")
    return (host, port) if colon else (rest, str(RAW_PORT))


def checked(value: Any, field: str) -> str | None:
    """An address as the settings store it (its normal spelling), or None when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return str(parse(value, field))
