"""The QPainter chart: one mark per value, drawn where marks() says, in every shape the reports use."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from hera_desktop.gui import theme
from hera_desktop.gui.charts import BAR, HBAR, LINE, Chart, nice_ticks, tick_labels


@pytest.fixture
def chart(qtbot: Any) -> Chart:
    widget = Chart()
    qtbot.addWidget(widget)
    widget.resize(600, 320)
    return widget


def colour_at(chart: Chart, index: int) -> Any:
    return chart.grab().toImage().pixelColor(chart.marks()[index].center().toPoint())


@pytest.mark.parametrize("mode", [BAR, HBAR, LINE])
def test_one_mark_per_value(chart: Chart, mode: str) -> None:
    chart.set_data("Sales", ["Mon", "Tue", "Wed", "Thu", "Fri"], [Decimal("10"), 25, 5.5, 0, 40], mode)
    marks = chart.marks()
    assert len(marks) == 5
    assert all(chart.rect().contains(m.toRect()) or m.height() == 0 or m.width() == 0 for m in marks)
    assert not chart.grab().isNull()


def test_bars_are_as_tall_as_their_values(chart: Chart) -> None:
    chart.set_data("", ["a", "b"], [10, 20])
    a, b = chart.marks()
    assert b.height() == pytest.approx(2 * a.height())
    assert a.bottom() == pytest.approx(b.bottom())  # both stand on the zero line
    assert colour_at(chart, 0) == theme.colour("bar")


def test_a_negative_value_hangs_below_zero_in_red(chart: Chart) -> None:
    chart.set_data("Refund day", ["a", "b"], [Decimal("30"), Decimal("-10")])
    up, down = chart.marks()
    assert down.top() == pytest.approx(up.bottom())
    assert colour_at(chart, 1) == theme.colour("bar_negative")


def test_ranked_items_run_top_down(chart: Chart) -> None:
    chart.set_data("Top items", ["Pizza", "Pasta", "Wine"], [30, 20, 10], HBAR)
    marks = chart.marks()
    assert [m.top() for m in marks] == sorted(m.top() for m in marks)
    assert marks[0].width() > marks[1].width() > marks[2].width()


def test_no_data_draws_no_marks(chart: Chart) -> None:
    chart.set_data("Sales", [], [])
    assert chart.marks() == []
    assert not chart.grab().isNull()


def test_ticks_are_round_and_cover_the_values() -> None:
    assert nice_ticks(0, 163.49) == [0, 50, 100, 150, 200]
    assert nice_ticks(-12, 30)[0] <= -12 and nice_ticks(-12, 30)[-1] >= 30
    assert tick_labels([0, 5000, 10000, 15000]) == ["0", "5k", "10k", "15k"]
    assert tick_labels([0, 200, 400]) == ["0", "200", "400"]
