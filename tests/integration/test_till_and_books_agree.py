"""The total the till shows before an order is paid is the total the books record, to the cent: both
price through domain/pricing.py. Forty baskets of awkward prices, quantities and tax rates; then baskets of
items at several rates, with prices before tax or including it, tax rounded per line or per receipt."""
from __future__ import annotations

import random
from decimal import Decimal

import pytest

from hera_desktop.gui.till.ticket import Line, TicketTax, order_totals

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


@pytest.mark.parametrize("inclusive", [False, True], ids=["prices before tax", "prices include tax"])
@pytest.mark.parametrize("rounding", ["line", "receipt"])
def test_with_several_rates_the_till_and_the_books_agree_tax_by_tax(hera, org, s, inclusive, rounding):
    s.org_settings.set_tax_rate("food", "0.07", label="Food")
    s.org_settings.set_tax_rate("alcohol", "0.19", label="Alcohol")
    s.org_settings.assign_tax_rate("alcohol", category="Drinks")
    hera.update_settings(org.id, prices_include_tax=inclusive, tax_rounding=rounding)
    items = [s.restaurant.menu.add_item(f"Dish {i}", price, "Food") for i, price in enumerate(PRICES)]
    items += [s.restaurant.menu.add_item(f"Drink {i}", price, "Drinks") for i, price in enumerate(PRICES[:3])]
    s.org_settings.assign_tax_rate("food", item_id=items[0].id)  # its own rate comes before its category's
    menu = s.restaurant.menu.items()
    tax = TicketTax.of(s.org_settings.tax_rules(), menu)
    pick = random.Random(11)
    for _ in range(25):
        basket = [(item, pick.randint(1, 9)) for item in pick.sample(items, pick.randint(1, len(items)))]
        shown = order_totals([Line(item.id, item.entity_name, item.price, qty) for item, qty in basket], tax, "USD")
        order = s.restaurant.process_order(
            items=[{"menu_item_id": item.id, "quantity": qty} for item, qty in basket], payment_method="cash")
        recorded = order.order_summary
        assert (shown.subtotal, shown.tax, shown.total) == (
            recorded.subtotal, recorded.tax_amount, recorded.total_amount), basket
        sale = s.restaurant.sale(order.sales_transaction.transaction_id)
        assert [(t.rate.label, t.tax) for t in shown.taxes] == [
            (ln.description.split(" (")[0], ln.line_amount) for ln in sale.lines if ln.line_type == "TAX"]
        if inclusive:  # the guest pays the menu prices, tax inside
            assert recorded.total_amount == sum((item.price * qty for item, qty in basket), Decimal(0))
