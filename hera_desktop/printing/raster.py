"""A document drawn as the 1-bit picture a thermal printer prints: black dots on white, as wide as
the printer prints, as long as the document. Text is drawn by Qt with the document's own fonts, so
what prints is what the PDF shows, whatever the script.

Pitfall: the document must be laid out on an image that has the printer's resolution, or a 9 pt
font comes out the size of a 96 dpi screen's, a third of what it should be.
"""
from __future__ import annotations

import math
from typing import Any

from PySide6.QtGui import QImage, QPainter, QTextDocument

from .paper import DPI

INK = 160  # grey levels darker than this print black: antialiased strokes keep their weight


def _at_printer_resolution(image: QImage) -> QImage:
    per_metre = round(DPI / 0.0254)
    image.setDotsPerMeterX(per_metre)
    image.setDotsPerMeterY(per_metre)
    return image


def picture(doc: QTextDocument, dots: int) -> Any:
    """The document as a Pillow image in mode "1", ``dots`` wide. Needs a QGuiApplication."""
    from PIL import Image  # installed with python-escpos (the printers extra)

    laid = doc.clone(doc)  # laid out at the printer's resolution; the caller's own layout stays as it was
    scratch = _at_printer_resolution(QImage(1, 1, QImage.Format.Format_Grayscale8))
    laid.documentLayout().setPaintDevice(scratch)
    laid.setDocumentMargin(4)
    laid.setTextWidth(dots)
    height = max(1, math.ceil(laid.size().height()))
    image = _at_printer_resolution(QImage(dots, height, QImage.Format.Format_Grayscale8))
    image.fill(255)
    painter = QPainter(image)
    try:
        laid.drawContents(painter)
    finally:
        painter.end()
    grey = Image.frombuffer("L", (dots, height), bytes(image.constBits()), "raw", "L", image.bytesPerLine(), 1)
    return grey.point(lambda level: 255 if level >= INK else 0, mode="1")
