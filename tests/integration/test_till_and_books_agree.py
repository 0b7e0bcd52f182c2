"""The total the till shows before an order is paid is the total the books record, to the cent: both
price through domain/pricing.py. Forty baskets of awkward prices, quantities and tax rates."""
from __future__ import annotations

import random
from decimal import Decimal

from hera_desktop.gui.till.ticket import Line, order_totals

PRICES = ("0.33", "2.49", "7.15", "12.99", "0.05")
RATES = ("0.05", "0.0725", "0.19", "0.075", "0")


def test_the_tills_totals_are_what_the_books_record(hera, org, s):
    items = [s.restaurant.menu.add_item(f"Dish {i}", price, "Food") for i, price in enumerate(PRICES)]
    pick = random.Random(7)
    for _ in range(40):
        rate = pick.choice(RATES)
        hera.update_settings(org.id, tax_rate=rate)
        basket = [(item, pick.randint(1, 9)) for item in pick.sample(items, pick.randint(1, len(items)))]
        shown = order_totals([Line(item.id, item.entity_name, item.price, qty) for item, qty in basket],
                             Decimal(rate), "USD")
        recorded = s.restaurant.process_order(
            items=[{"menu_item_id": item.id, "quantity": qty} for item, qty in basket],
            payment_method="cash").order_summary
        assert (shown.subtotal, shown.tax, shown.total) == (
            recorded.subtotal, recorded.tax_amount, recorded.total_amount), (rate, basket)
