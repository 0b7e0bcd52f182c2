"""Sales by item, hour and server: what sold, when, and who served it; refunds count against them."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest

from hera_desktop.demo import create_demo
from hera_desktop.services.progress import CancelToken, ReportCancelled


@pytest.fixture
def shop(hera: Any) -> tuple[Any, Any]:
    book = create_demo(hera)
    s = hera.scope(book.organization_id)
    m, luca, maria = book.menu, book.users["cashier"], book.users["manager"]
    lunch, dinner, late = datetime(2024, 3, 1, 12, 15), datetime(2024, 3, 1, 19, 40), datetime(2024, 3, 1, 19, 55)
    s.restaurant.process_order(items=[{"menu_item_id": m["Margherita Pizza"], "quantity": 2}], server_id=luca,
                               transaction_date=lunch)
    s.restaurant.process_order(items=[{"menu_item_id": m["Margherita Pizza"], "quantity": 1},
                                      {"menu_item_id": m["Espresso"], "quantity": 2}], server_id=maria,
                               transaction_date=dinner)
    s.restaurant.process_order(items=[{"menu_item_id": m["Tiramisu"], "quantity": 1}], transaction_date=late)
    return s, book


def test_sales_by_item_best_sellers_first(shop: Any) -> None:
    s, _ = shop
    items = s.sales_analysis.sales_by_item("2024-03-01", "2024-03-01")
    assert [(i.item_name, i.quantity, i.orders, i.sales) for i in items] == [
        ("Margherita Pizza", Decimal("3"), 2, Decimal("37.50")),
        ("Tiramisu", Decimal("1"), 1, Decimal("7.00")),
        ("Espresso", Decimal("2"), 1, Decimal("5.60")),
    ]
    assert items[0].category == "Pizza"


def test_sales_by_hour_groups_by_the_hour_of_the_sale(shop: Any) -> None:
    s, _ = shop
    hours = s.sales_analysis.sales_by_hour("2024-03-01", "2024-03-01")
    assert [(h.hour, h.orders, h.subtotal) for h in hours] == [(12, 1, Decimal("25.00")),
                                                                (19, 2, Decimal("25.10"))]
    assert all(h.total == h.subtotal + h.tax for h in hours)
    assert sum(h.total for h in hours) == sum(d.total for d in s.reports.sales_by_day("2024-03-01", "2024-03-01"))


def test_sales_by_server_names_the_user_and_keeps_unserved_orders(shop: Any) -> None:
    s, _ = shop
    servers = {x.server_name: (x.orders, x.subtotal) for x in s.sales_analysis.sales_by_server()}
    assert servers == {"Luca Conti": (1, Decimal("25.00")), "Maria Bianchi": (1, Decimal("18.10")),
                       "(no server)": (1, Decimal("7.00"))}


def test_a_refund_counts_against_its_item_but_not_as_an_order(shop: Any) -> None:
    s, _ = shop
    sale = s.txn.query(transaction_type="sale", date_from="2024-03-01", date_to="2024-03-01").transactions[0]
    s.restaurant.refund(sale.id, "Pizza was cold")
    items = {i.item_name: i for i in s.sales_analysis.sales_by_item()}
    assert items["Margherita Pizza"].quantity == Decimal("1")
    assert items["Margherita Pizza"].sales == Decimal("12.50")
    assert items["Margherita Pizza"].orders == 2  # the refund is not another order


def test_dates_outside_the_period_are_left_out(shop: Any) -> None:
    s, _ = shop
    assert s.sales_analysis.sales_by_item("2024-03-02", "2024-03-31") == []
    assert s.sales_analysis.sales_by_hour(date_to="2024-02-29") == []


def test_a_cancelled_report_stops(shop: Any) -> None:
    s, _ = shop
    token = CancelToken()
    token.cancel()
    with pytest.raises(ReportCancelled):
        s.sales_analysis.sales_by_item(checkpoint=token.check)
