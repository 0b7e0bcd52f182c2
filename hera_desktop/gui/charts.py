"""A small chart drawn with QPainter: vertical bars, horizontal bars (ranked items) or a line.

PySide6 Essentials has no QtCharts, and the reports need only these three
shapes, so one widget draws them. The geometry of the marks is computed by
``marks()`` for the current size, and painting uses the same rectangles, so
what a test counts is what a person sees.
"""
from __future__ import annotations

import math
from decimal import Decimal
from typing import Callable, Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from . import theme
from .labels import plain_tooltip

BAR, HBAR, LINE = "bar", "hbar", "line"


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering low..high (0 included), about ``count`` of them."""
    low, high = min(low, 0.0), max(high, 0.0)
    if high == low:
        high = low + 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first, last = math.floor(low / step), math.ceil(high / step)
    return [i * step for i in range(first, last + 1)]


def tick_labels(ticks: list[float]) -> list[str]:
    """Short axis labels in one unit for the whole axis: 0, 5k, 10k (never 800 next to 1k)."""
    top = max(abs(t) for t in ticks)
    size, suffix = (1e6, "M") if top >= 1e7 else (1e3, "k") if top >= 1e4 else (1, "")
    return [f"{t / size:g}{suffix}" if t else "0" for t in ticks]


VALUE_LABELS_UP_TO = 12  # bars few enough to print each one's value above it


class Chart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chart")
        self.setMouseTracking(True)
        self.setMinimumSize(320, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.title = ""
        self.labels: list[str] = []
        self.values: list[float] = []
        self.mode = BAR
        self.describe: Callable[[float], str] = lambda v: f"{v:,.2f}"
        self._hover = -1

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(560, 300)

    def set_data(self, title: str, labels: Sequence[str], values: Sequence[Decimal | float], mode: str = BAR,
                 describe: Callable[[float], str] | None = None) -> None:
        self.title, self.mode = title, mode
        self.labels, self.values = list(labels), [float(v) for v in values]
        if describe is not None:
            self.describe = describe
        self._hover = -1
        self.update()

    def clear(self) -> None:
        self.set_data("", [], [])

    # ------------------------------------------------------------------ geometry

    def _plot(self) -> tuple[QRectF, list[float]]:
        fm = QFontMetrics(self.font())
        ticks = nice_ticks(min(self.values, default=0), max(self.values, default=0))
        top = fm.height() * 2 if self.title else 10
        if self.mode == BAR and len(self.values) <= VALUE_LABELS_UP_TO:
            top += fm.height()  # room for the value printed above the tallest bar
        if self.mode == HBAR:
            widest = max((fm.horizontalAdvance(s) for s in self.labels), default=0)
            left = min(widest + 12, self.width() * 0.4)  # long names are elided rather than squeeze the bars
            return QRectF(left, top, self.width() - left - 70, self.height() - top - fm.height() - 10), ticks
        left = max(fm.horizontalAdvance(t) for t in tick_labels(ticks)) + 12
        return QRectF(left, top, self.width() - left - 12, self.height() - top - fm.height() - 14), ticks

    def _scale(self, ticks: list[float], start: float, length: float) -> Callable[[float], float]:
        low, high = ticks[0], ticks[-1]
        return lambda v: start + (v - low) / (high - low) * length

    def marks(self) -> list[QRectF]:
        """One rectangle per value: a bar, or the dot of a point on the line."""
        if not self.values:
            return []
        plot, ticks = self._plot()
        n = len(self.values)
        if self.mode == HBAR:
            x = self._scale(ticks, plot.left(), plot.width())
            slot = plot.height() / n
            thick = min(slot * 0.7, 36)
            return [QRectF(min(x(0), x(v)), plot.top() + (i + 0.5) * slot - thick / 2, abs(x(v) - x(0)), thick)
                    for i, v in enumerate(self.values)]
        y = self._scale(ticks, plot.bottom(), -plot.height())
        slot = plot.width() / n
        if self.mode == LINE:
            return [QRectF(plot.left() + (i + 0.5) * slot - 3, y(v) - 3, 6, 6) for i, v in enumerate(self.values)]
        width = min(slot * 0.7, 90)
        return [QRectF(plot.left() + (i + 0.5) * slot - width / 2, min(y(0), y(v)), width, abs(y(v) - y(0)))
                for i, v in enumerate(self.values)]

    # ------------------------------------------------------------------ painting

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Base))
        fm = p.fontMetrics()
        if self.title:
            p.setPen(theme.colour("text"))
            p.drawText(QRectF(0, 4, self.width(), fm.height() * 1.5), Qt.AlignmentFlag.AlignCenter, self.title)
        if not self.values:
            p.setPen(theme.colour("axis"))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No data for this period")
            return
        plot, ticks = self._plot()
        marks = self.marks()
        self._grid(p, plot, ticks)
        if self.mode == LINE:
            p.setPen(QPen(theme.colour("bar"), 2))
            p.drawPolyline(QPolygonF([m.center() for m in marks]))
        for i, (mark, value) in enumerate(zip(marks, self.values)):
            color = theme.colour("bar_hover" if i == self._hover else "bar_negative" if value < 0 else "bar")
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(color)
            if self.mode == LINE:
                p.drawEllipse(mark)
            else:
                p.drawRect(mark)
        self._labels(p, plot, marks)
        p.end()

    def _grid(self, p: QPainter, plot: QRectF, ticks: list[float]) -> None:
        fm = p.fontMetrics()
        horizontal = self.mode == HBAR
        at = self._scale(ticks, plot.left(), plot.width()) if horizontal else \
            self._scale(ticks, plot.bottom(), -plot.height())
        for t, text in zip(ticks, tick_labels(ticks)):
            pos = at(t)
            p.setPen(QPen(theme.colour("axis") if t == 0 else theme.colour("grid"), 1))
            if horizontal:
                p.drawLine(QPointF(pos, plot.top()), QPointF(pos, plot.bottom()))
                p.setPen(theme.colour("axis"))
                p.drawText(QRectF(pos - 40, plot.bottom() + 2, 80, fm.height()), Qt.AlignmentFlag.AlignHCenter, text)
            else:
                p.drawLine(QPointF(plot.left(), pos), QPointF(plot.right(), pos))
                p.setPen(theme.colour("axis"))
                p.drawText(QRectF(0, pos - fm.height() / 2, plot.left() - 6, fm.height()),
                           Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)

    def _labels(self, p: QPainter, plot: QRectF, marks: list[QRectF]) -> None:
        fm = p.fontMetrics()
        p.setPen(theme.colour("text"))
        if self.mode == HBAR:
            for label, mark, value in zip(self.labels, marks, self.values):
                row = QRectF(0, mark.top(), plot.left() - 8, mark.height())
                text = fm.elidedText(label, Qt.TextElideMode.ElideRight, int(row.width()))
                p.drawText(row, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
                p.drawText(QRectF(mark.right() + 4, mark.top(), 80, mark.height()), Qt.AlignmentFlag.AlignVCenter,
                           self.describe(value))
            return
        slot = plot.width() / len(marks)
        if self.mode == BAR and len(marks) <= VALUE_LABELS_UP_TO:
            for mark, value in zip(marks, self.values):
                above = QRectF(mark.center().x() - slot / 2, mark.top() - fm.height() - 2, slot, fm.height())
                if value < 0:
                    above.moveTop(mark.bottom() + 2)
                p.drawText(above, Qt.AlignmentFlag.AlignCenter, self.describe(value))
        widest = max(fm.horizontalAdvance(s) for s in self.labels) + 8
        every = max(1, math.ceil(widest / slot))  # leave labels out rather than overlap them
        for i, label in enumerate(self.labels):
            if i % every == 0:
                centre = plot.left() + (i + 0.5) * slot
                p.drawText(QRectF(centre - widest / 2, plot.bottom() + 4, widest, fm.height()),
                           Qt.AlignmentFlag.AlignHCenter, label)

    # ------------------------------------------------------------------ hover

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        pos = event.position()
        hit = -1
        for i, mark in enumerate(self.marks()):
            over_column = self.mode == BAR and mark.left() <= pos.x() <= mark.right()  # short bars are easy to hit
            if over_column or mark.adjusted(-4, -4, 4, 4).contains(pos):
                hit = i
                break
        if hit != self._hover:
            self._hover = hit
            self.update()
        if hit >= 0:
            text = f"{self.labels[hit]}: {self.describe(self.values[hit])}"
            QToolTip.showText(event.globalPosition().toPoint(), plain_tooltip(text), self)
        else:
            QToolTip.hideText()
