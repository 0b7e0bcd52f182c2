"""The business day: a closed day stays closed, and an order after midnight belongs to the evening before."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from hera_desktop.demo import create_demo
from hera_desktop.domain.errors import ValidationError


@pytest.fixture
def book(hera):
    return create_demo(hera)


def as_role(hera, book, role):
    return hera.scope(book.organization_id, actor_id=book.users[role])


def test_a_sale_after_the_z_report_belongs_to_the_next_day_and_the_closed_day_stays_as_recorded(hera, book):
    cashier, manager = as_role(hera, book, "cashier"), as_role(hera, book, "manager")
    m = book.menu
    cashier.restaurant.process_order(items=[{"menu_item_id": m["Margherita Pizza"], "quantity": 2}],  # 26.25
                                     payments=[{"method": "cash", "tendered": "30"}])
    z = manager.day_close.z_report("25.50")
    closed = z.figures.day
    cashier.restaurant.process_order(items=[{"menu_item_id": m["Espresso"]}], payment_method="cash")  # 2.94

    again = manager.day_close.x_report(closed)
    assert again == z.figures  # read back from the closing, not worked out again
    assert (again.orders, again.cash_expected) == (1, Decimal("26.25"))
    closing = manager.day_close.closing_of(closed)
    assert (closing.business_context["counted_cash"], closing.business_context["difference"]) == ("25.50", "-0.75")

    following = (date.fromisoformat(closed) + timedelta(days=1)).isoformat()
    assert manager.day_close.today() == following
    now = manager.day_close.x_report()
    assert (now.day, now.orders, now.cash_expected, now.total) == (following, 1, Decimal("2.94"), Decimal("2.94"))
    by_day = [(d.day, d.orders, d.total) for d in manager.reports.sales_by_day()]
    assert by_day == [(closed, 1, Decimal("26.25")), (following, 1, Decimal("2.94"))]


def test_the_next_day_takes_sales_at_once_but_closes_only_once_it_has_begun(hera, book):
    manager = as_role(hera, book, "manager")
    first = manager.day_close.z_report("0")
    following = (date.fromisoformat(first.figures.day) + timedelta(days=1)).isoformat()
    with pytest.raises(ValidationError) as refused:
        manager.day_close.z_report("0", day=following)
    assert refused.value.field == "day" and "has not started yet" in refused.value.message
    assert len(manager.txn.query(transaction_type="day_close").transactions) == 1


def test_an_order_paid_at_half_past_midnight_belongs_to_the_evening_before(hera, book):
    manager = as_role(hera, book, "manager")
    manager.org_settings.update(time_zone="Europe/Berlin", day_cutoff="04:00")
    m = book.menu
    take = as_role(hera, book, "cashier").restaurant.process_order
    take(items=[{"menu_item_id": m["Tiramisu"]}], payment_method="card",             # 7.35 at 00:30 in Berlin
         transaction_date="2024-05-01T22:30:00+00:00")
    take(items=[{"menu_item_id": m["Espresso"]}], payment_method="card",             # 2.94 at 04:30 in Berlin
         transaction_date="2024-05-02T02:30:00+00:00")
    by_day = [(d.day, d.orders, d.total) for d in manager.reports.sales_by_day("2024-05-01", "2024-05-02")]
    assert by_day == [("2024-05-01", 1, Decimal("7.35")), ("2024-05-02", 1, Decimal("2.94"))]
    assert [d.day for d in manager.reports.sales_by_day("2024-05-02", "2024-05-02")] == ["2024-05-02"]
    x = manager.day_close.x_report("2024-05-01")
    assert (x.orders, x.total) == (1, Decimal("7.35"))
    hours = [(h.hour, h.orders) for h in manager.sales_analysis.sales_by_hour("2024-05-01", "2024-05-02")]
    assert hours == [(0, 1), (4, 1)]


def test_the_time_zone_and_cutoff_are_checked_before_they_are_saved(hera, book):
    manager = as_role(hera, book, "manager")
    for field, value in (("time_zone", "Mars/Olympus"), ("day_cutoff", "25:00"), ("day_cutoff", "4pm")):
        with pytest.raises(ValidationError) as refused:
            manager.org_settings.update(**{field: value})
        assert refused.value.field == field
    settings = manager.organization.settings
    assert (settings["time_zone"], settings["day_cutoff"]) == (None, "04:00")
    saved = manager.org_settings.update(time_zone="America/New_York", day_cutoff="05:30")
    assert (saved["time_zone"], saved["day_cutoff"]) == ("America/New_York", "05:30")
    assert manager.org_settings.update(time_zone="")["time_zone"] is None
