"""The hybrid logical clock: readings only go forward, whatever the computer's clock does."""
from __future__ import annotations

import pytest

from hera_desktop.domain.errors import ValidationError
from hera_desktop.domain.hlc import MAX_COUNTER, ORIGIN, Reading, receive, tick, ticks


def test_a_change_takes_the_computers_time_when_it_is_ahead():
    assert tick(Reading(1_000, 7), 2_000) == Reading(2_000, 0)


def test_within_one_millisecond_the_counter_orders_changes():
    assert ticks(ORIGIN, 5_000, 3) == [Reading(5_000, 0), Reading(5_000, 1), Reading(5_000, 2)]


def test_a_clock_set_back_keeps_counting_on_from_the_last_reading():
    last = Reading(10_000, 4)
    after = [tick(last, 3_000)]
    for now in (2_000, 9_999, 10_000):
        after.append(tick(after[-1], now))
    assert after == [Reading(10_000, 5), Reading(10_000, 6), Reading(10_000, 7), Reading(10_000, 8)]
    assert tick(after[-1], 10_001) == Reading(10_001, 0)  # and takes the time again once it passes it


def test_hearing_of_a_later_change_moves_this_clock_past_it():
    assert receive(Reading(1_000, 0), Reading(5_000, 3), 2_000) == Reading(5_000, 4)
    assert receive(Reading(5_000, 9), Reading(5_000, 3), 2_000) == Reading(5_000, 10)
    assert receive(Reading(5_000, 2), Reading(4_000, 3), 2_000) == Reading(5_000, 3)
    assert receive(Reading(1_000, 2), Reading(900, 3), 7_000) == Reading(7_000, 0)


def test_every_reading_is_after_the_one_before_whatever_the_clock_says():
    last = ORIGIN
    for now in (50, 40, 40, 60, 10, 60, 61, 0):
        nxt = tick(last, now)
        assert nxt > last
        last = nxt


def test_a_counter_that_cannot_grow_further_is_refused_with_a_clear_message():
    with pytest.raises(ValidationError, match="set it to the right time"):
        tick(Reading(10_000, MAX_COUNTER), 5_000)
