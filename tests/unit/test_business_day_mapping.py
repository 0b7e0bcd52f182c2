"""Which business day a moment belongs to: the organization's zone and the time its day starts."""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

import pytest

from hera_desktop.domain.business_day import business_day, cutoff, zone

BERLIN = ZoneInfo("Europe/Berlin")


def test_half_past_midnight_belongs_to_the_evening_before():
    paid = datetime(2024, 5, 1, 22, 30, tzinfo=timezone.utc)  # 00:30 on 2 May in Berlin
    assert business_day(paid, BERLIN, time(4)) == date(2024, 5, 1)


def test_the_day_starts_at_the_cutoff_in_the_business_zone():
    assert business_day("2024-05-02T02:00:00Z", BERLIN, time(4)) == date(2024, 5, 2)  # 04:00 in Berlin
    assert business_day("2024-05-02T01:59:59Z", BERLIN, time(4)) == date(2024, 5, 1)
    assert business_day("2024-05-02T03:30:00+00:00", BERLIN, time(0)) == date(2024, 5, 2)


def test_a_moment_without_a_zone_is_this_computers_wall_clock():
    assert business_day("2024-05-02T03:59:00", None, time(4)) == date(2024, 5, 1)
    assert business_day("2024-05-02T04:00:00", None, time(4)) == date(2024, 5, 2)


@pytest.mark.parametrize("text", ["4:00", "24:00", "04:60", "0400", "", "ab:cd"])
def test_a_cutoff_must_be_a_time_of_day(text):
    with pytest.raises(ValueError, match="like 04:00"):
        cutoff(text)


@pytest.mark.parametrize("name", ["Mars/Olympus", "", " Europe/Berlin", "../etc/passwd", 5])
def test_a_time_zone_must_be_an_iana_name(name):
    with pytest.raises(ValueError, match="Europe/Berlin"):
        zone(name)


def test_no_zone_is_this_computers():
    assert zone(None) is None and zone("Europe/Berlin") == BERLIN
