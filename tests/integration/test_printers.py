"""ESC/POS printing, as a printer on the counter receives it: a fake printer on 127.0.0.1 keeps the bytes.

What a receipt looks like on paper is checked by its picture: as wide as the roll prints, accents drawn.
The print queue keeps the jobs of a printer that is off, says so, and prints each once when it is back.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from fake_printer import CUT, DRAWER_KICK, INITIALISE, RASTER_IMAGE, FakePrinter  # noqa: E402

from hera_desktop import ValidationError  # noqa: E402
from hera_desktop.printing import address, device, paper, raster  # noqa: E402
from hera_desktop.printing.queue import Job, PrintQueue  # noqa: E402

PACKAGE = Path(__file__).resolve().parents[2] / "hera_desktop"


@pytest.fixture
def printer() -> Iterator[FakePrinter]:
    fake = FakePrinter().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def qt() -> Any:
    from PySide6.QtGui import QGuiApplication
    return QGuiApplication.instance() or QGuiApplication([])


def picture_of(qt: Any, html: str, dots: int = 576) -> Any:
    from hera_desktop.gui.printouts import page
    return page(html, dots)


def raster_width_bytes(sent: bytes) -> int:
    at = sent.index(RASTER_IMAGE) + len(RASTER_IMAGE) + 1  # GS v 0 m xL xH yL yH
    return sent[at] + 256 * sent[at + 1]


def test_a_receipt_is_sent_initialised_as_a_picture_as_wide_as_the_roll_and_cut(qt: Any, printer: FakePrinter) -> None:
    page = picture_of(qt, "<p>Crème brûlée — 3,50 €</p>")
    device.send(address.parse(printer.address), page, dots=576)
    [sent] = printer.wait_for(1)
    assert sent.startswith(INITIALISE)
    assert raster_width_bytes(sent) == 576 // 8
    assert sent.index(RASTER_IMAGE) < sent.rindex(CUT)
    assert DRAWER_KICK not in sent


def test_a_58mm_roll_gets_a_picture_384_dots_wide(qt: Any, printer: FakePrinter) -> None:
    device.send(address.parse(printer.address), picture_of(qt, "<p>Tiramisù</p>", paper.dots(58)),
                dots=paper.dots(58))
    assert raster_width_bytes(printer.wait_for(1)[0]) == 384 // 8


def test_the_drawer_kick_is_sent_before_the_receipt_prints(qt: Any, printer: FakePrinter) -> None:
    device.send(address.parse(printer.address), picture_of(qt, "<p>Cash 20.00</p>"), drawer=True)
    [sent] = printer.wait_for(1)
    assert sent.startswith(INITIALISE) and sent.index(DRAWER_KICK) < sent.index(RASTER_IMAGE)


def test_accents_are_drawn_as_the_pdf_draws_them(qt: Any) -> None:
    accented, plain = picture_of(qt, "<p>Crème brûlée</p>"), picture_of(qt, "<p>Creme brulee</p>")
    assert accented.size[0] == 576 and accented.mode == "1"
    black = lambda image: image.histogram()[0]  # noqa: E731 - the dots printed
    assert black(accented) > black(plain) > 0


def test_a_printer_that_is_off_is_named_as_not_answering(qt: Any, printer: FakePrinter) -> None:
    printer.stop()
    with pytest.raises(device.PrinterNotAnswering) as refused:
        device.send(address.parse(printer.address), None, drawer=True)
    assert f"The printer at {printer.address} is not answering" in refused.value.message
    assert "refused" in refused.value.message


@pytest.mark.parametrize("written, field_words", [
    ("192.168.1.50", "is not a printer address"), ("tcp://:9100", "not a host name"),
    ("tcp://printer:0", "port"), ("usb://04b8", "hexadecimal"), ("", "must be a printer address")])
def test_a_wrong_address_says_what_is_wrong(written: str, field_words: str) -> None:
    with pytest.raises(ValidationError) as refused:
        address.parse(written, "receipt_printer")
    assert refused.value.field == "receipt_printer" and field_words in refused.value.message


def test_addresses_are_read_as_written() -> None:
    assert address.parse("tcp://10.0.0.7:9100") == address.PrinterAddress("tcp", host="10.0.0.7", port=9100)
    assert str(address.parse("tcp://kitchen.local")) == "tcp://kitchen.local:9100"
    assert str(address.parse("tcp://[::1]:9101")) == "tcp://[::1]:9101"
    assert address.parse("usb://0x04B8:0x0202") == address.PrinterAddress("usb", vendor=0x04B8, product=0x0202)


# ------------------------------------------------------------------ the queue

def ticket(qt: Any, printer: FakePrinter, text: str, name: str = "Kitchen") -> Job:
    return Job(name, address.parse(printer.address), picture_of(qt, f"<p>{text}</p>"), title=text)


def test_a_printer_that_is_off_keeps_its_tickets_says_so_and_prints_each_once_when_back(
        qt: Any, printer: FakePrinter) -> None:
    queue = PrintQueue()
    printer.stop()
    queue.submit(ticket(qt, printer, "Table 4: 2 × Carbonara"))
    queue.submit(ticket(qt, printer, "Table 7: 1 × Tiramisù"))
    assert queue.wait(20)
    assert queue.status() == "Printer 'Kitchen' is not answering — 2 tickets waiting"
    assert "refused" in queue.problems()[0].reason

    printer.start()
    queue.reprint_waiting()
    assert queue.wait(20)
    assert len(printer.wait_for(2)) == 2
    assert queue.status() == "" and queue.problems() == []
    assert queue.printed == ["Table 4: 2 × Carbonara", "Table 7: 1 × Tiramisù"]
    queue.reprint_waiting()
    assert queue.wait(20)
    assert len(printer.jobs) == 2, "a ticket printed once is not printed again"


def test_the_next_ticket_for_a_printer_that_is_back_prints_the_waiting_ones_first(qt: Any,
                                                                                  printer: FakePrinter) -> None:
    queue = PrintQueue()
    printer.stop()
    queue.submit(ticket(qt, printer, "first"))
    assert queue.wait(20) and queue.status().endswith("1 ticket waiting")
    printer.start()
    queue.submit(ticket(qt, printer, "second"))
    assert queue.wait(20)
    assert queue.printed == ["first", "second"] and len(printer.wait_for(2)) == 2


def test_a_drawer_kick_is_never_kept_for_later(qt: Any, printer: FakePrinter) -> None:
    queue = PrintQueue()
    printer.stop()
    queue.submit(Job("Receipt", address.parse(printer.address), None, drawer=True, title="No sale"))
    receipt = ticket(qt, printer, "Receipt ORD-1", "Receipt")
    receipt.drawer = True
    queue.submit(receipt)
    assert queue.wait(20)
    assert queue.status() == "Printer 'Receipt' is not answering — 1 ticket waiting"
    printer.start()
    queue.reprint_waiting()
    assert queue.wait(20)
    [sent] = printer.wait_for(1)
    assert RASTER_IMAGE in sent and DRAWER_KICK not in sent


def test_one_printer_off_does_not_hold_up_another(qt: Any, printer: FakePrinter) -> None:
    other = FakePrinter().start()
    other.stop()
    queue = PrintQueue()
    try:
        queue.submit(ticket(qt, other, "to the bar", "Bar"))
        queue.submit(ticket(qt, printer, "to the kitchen", "Kitchen"))
        assert queue.wait(20)
        assert len(printer.wait_for(1)) == 1
        assert queue.status() == "Printer 'Bar' is not answering — 1 ticket waiting"
    finally:
        other.stop()


# ------------------------------------------------------------------ hera-desktop print-test

def print_test(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return subprocess.run([sys.executable, "-m", "hera_desktop", "print-test", *args], capture_output=True,
                          text=True, timeout=120, env=env)


def test_print_test_prints_a_test_receipt_and_cuts_it(printer: FakePrinter) -> None:
    done = print_test("--printer", printer.address)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Printed a test receipt on {printer.address}"
    [sent] = printer.wait_for(1)
    assert sent.startswith(INITIALISE) and RASTER_IMAGE in sent and CUT in sent
    assert raster_width_bytes(sent) == 72


def test_print_test_with_the_books_heads_the_page_with_the_business(printer: FakePrinter, tmp_path: Path,
                                                                    qt: Any) -> None:
    import hera_desktop
    from hera_desktop.gui.letterhead import Letterhead
    from hera_desktop.gui.printouts import test_job

    books = tmp_path / "books.db"
    with hera_desktop.open(books) as hera:
        hera.create_organization("Café Zoë", currency="EUR")
    done = print_test("--printer", printer.address, "--database", str(books), "--paper", "58")
    assert done.returncode == 0, done.stderr
    [sent] = printer.wait_for(1)
    where = address.parse(printer.address)
    expected = test_job(Letterhead("Café Zoë"), where, 384).page
    generic = test_job(Letterhead("HERA Desktop"), where, 384).page
    assert raster_width_bytes(sent) == 48
    assert expected.tobytes() != generic.tobytes()
    assert sent[sent.index(RASTER_IMAGE) + 8:].startswith(_raster_rows(expected)[:48 * 40])


def _raster_rows(image: Any) -> bytes:
    """The picture as ESC/POS raster data: rows of 8 dots a byte, a set bit printing black."""
    from PIL import ImageOps
    return ImageOps.invert(image.convert("L")).convert("1").tobytes()


def test_print_test_on_a_printer_that_is_off_names_it_and_fails(printer: FakePrinter) -> None:
    printer.stop()
    done = print_test("--printer", printer.address)
    assert done.returncode == 4
    assert f"The printer at {printer.address} is not answering" in done.stderr
    assert "Traceback" not in done.stderr


def test_print_test_with_a_wrong_address_says_how_to_write_one() -> None:
    done = print_test("--printer", "lpt1")
    assert done.returncode == 2
    assert "--printer: 'lpt1' is not a printer address; write it like tcp://" in done.stderr


def test_printing_never_imports_widgets_or_the_books() -> None:
    sys.path.insert(0, str(PACKAGE.parent / "tests" / "unit"))
    from test_layers import imports_of

    found = {m for p in sorted((PACKAGE / "printing").rglob("*.py")) for m in imports_of(p)}
    assert not {m for m in found if m.startswith(("PySide6.QtWidgets", "hera_desktop.gui", "hera_desktop.services",
                                                  "hera_desktop.storage", "hera_desktop.universal", "escpos."))
                and not m.startswith(("escpos.capabilities", "escpos.exceptions", "escpos.printer"))}
