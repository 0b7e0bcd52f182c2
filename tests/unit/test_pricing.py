"""An order's price: lines half-up to the currency's minor unit; each rate's tax half-up, on top of the prices or
inside them, per line or once per rate on the receipt."""
from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from hera_desktop.domain.pricing import (STANDARD, TaxRate, TaxRules, TaxTally, included_tax, line_amount, order_tax,
                                         price_order, tax_rules)

STD = TaxRate(STANDARD, "Sales Tax", Decimal("0.05"), "2100")
FOOD = TaxRate("food", "Food", Decimal("0.07"), "2101")
ALCOHOL = TaxRate("alcohol", "Alcohol", Decimal("0.19"), "2102")


def rules(rate: TaxRate = STD, inclusive: bool = False, rounding: str = "receipt") -> TaxRules:
    return TaxRules({STANDARD: rate, "food": FOOD, "alcohol": ALCOHOL}, {"Drinks": "alcohol"}, inclusive, rounding)


def test_each_line_is_rounded_half_up_to_the_cent():
    assert line_amount(3, Decimal("0.335"), "USD") == Decimal("1.01")  # 1.005 -> 1.01, never 1.00
    assert line_amount(Decimal("0.5"), Decimal("2.25"), "USD") == Decimal("1.13")  # 1.125 -> 1.13


def test_the_tax_is_rounded_once_on_the_subtotal_not_per_line():
    lines = [(1, Decimal("0.10"), STD)] * 3
    price = price_order(lines, rules(), "USD")
    # Per line the tax would be 0.01 three times (0.03); on the subtotal 0.30 it is 0.015 -> 0.02.
    assert (price.subtotal, price.tax, price.total) == (Decimal("0.30"), Decimal("0.02"), Decimal("0.32"))


def test_rounding_per_line_adds_each_lines_rounded_tax():
    price = price_order([(1, Decimal("0.10"), STD)] * 3, rules(rounding="line"), "USD")
    assert (price.subtotal, price.tax, price.total) == (Decimal("0.30"), Decimal("0.03"), Decimal("0.33"))


def test_a_currency_without_minor_units_rounds_to_whole_units():
    ten = TaxRate(STANDARD, "Tax", Decimal("0.10"), "2100")
    price = price_order([(2, Decimal("250"), ten), (1, Decimal("99"), ten)], rules(ten), "JPY")
    assert (price.subtotal, price.tax, price.total) == (Decimal("599"), Decimal("60"), Decimal("659"))
    assert order_tax(Decimal("5"), Decimal("0.10"), "JPY") == Decimal("1")  # 0.5 -> 1, half-up


def test_each_rate_has_its_own_tax_in_the_order_the_lines_use_them():
    price = price_order([(2, Decimal("4.50"), FOOD), (1, Decimal("5.00"), ALCOHOL), (1, Decimal("3.00"), FOOD)],
                        rules(), "USD")
    assert [(t.rate.name, t.basis, t.tax) for t in price.taxes] == [
        ("food", Decimal("12.00"), Decimal("0.84")), ("alcohol", Decimal("5.00"), Decimal("0.95"))]
    assert (price.subtotal, price.tax, price.total) == (Decimal("17.00"), Decimal("1.79"), Decimal("18.79"))


def test_prices_that_include_tax_hold_it_and_the_total_is_the_prices():
    price = price_order([(1, Decimal("10.00"), FOOD), (1, Decimal("5.00"), ALCOHOL)], rules(inclusive=True), "EUR")
    # 10.00 / 1.07 = 9.3458 -> 9.35 before tax, 0.65 tax; 5.00 / 1.19 = 4.2017 -> 4.20, 0.80 tax.
    assert [(t.rate.name, t.basis, t.tax) for t in price.taxes] == [
        ("food", Decimal("9.35"), Decimal("0.65")), ("alcohol", Decimal("4.20"), Decimal("0.80"))]
    assert (price.subtotal, price.tax, price.total) == (Decimal("13.55"), Decimal("1.45"), Decimal("15.00"))
    assert [line.amount for line in price.lines] == [Decimal("10.00"), Decimal("5.00")]
    assert included_tax(Decimal("1.00"), Decimal("0.19"), "EUR") == Decimal("0.16")  # 0.8403 -> 0.84 net


def test_included_tax_per_receipt_is_rounded_once_per_rate():
    lines = [(1, Decimal("0.99"), FOOD)] * 3
    per_receipt = price_order(lines, rules(inclusive=True), "EUR")
    per_line = price_order(lines, rules(inclusive=True, rounding="line"), "EUR")
    # 2.97 / 1.07 = 2.7757 -> 2.78 net, 0.19 tax; each 0.99 / 1.07 = 0.9252 -> 0.93 net, 0.06 tax, 0.18 in all.
    assert (per_receipt.tax, per_line.tax) == (Decimal("0.19"), Decimal("0.18"))
    assert per_receipt.total == per_line.total == Decimal("2.97")


def test_a_menu_item_takes_its_own_rate_else_its_categorys_else_the_standard_rate():
    r = rules()
    assert r.rate_for("food", "Drinks") == FOOD
    assert r.rate_for(None, "Drinks") == ALCOHOL
    assert r.rate_for(None, "Mains") == STD
    assert r.rate_for("gone", None) == STD  # a rate no longer known falls back


def test_settings_without_named_rates_are_one_standard_rate_on_top():
    r = tax_rules({"tax_rate": "0.05", "tax_label": "Sales Tax"})
    assert (list(r.rates), r.standard.rate, r.prices_include_tax, r.rounding) == (
        [STANDARD], Decimal("0.05"), False, "receipt")


cents = st.integers(min_value=0, max_value=50_000).map(lambda n: Decimal(n).scaleb(-2))
lines = st.lists(st.tuples(st.integers(1, 12), cents, st.sampled_from([STD, FOOD, ALCOHOL])), min_size=1,
                 max_size=12)


@given(lines, st.booleans(), st.sampled_from(["line", "receipt"]))
def test_the_lines_add_up_to_the_order_exactly_in_every_mode(order, inclusive, rounding):
    price = price_order(order, rules(inclusive=inclusive, rounding=rounding), "USD")
    assert price.subtotal + price.tax == price.total
    assert sum(line.net for line in price.lines) == price.subtotal
    assert sum(line.tax for line in price.lines) == price.tax == sum(t.tax for t in price.taxes)
    assert all(line.tax >= 0 and line.net >= 0 for line in price.lines)
    for t in price.taxes:
        amounts = sum(line.amount for line in price.lines if line.rate == t.rate)
        if rounding == "receipt":
            assert t.tax == (included_tax(amounts, t.rate.rate, "USD") if inclusive
                             else order_tax(amounts, t.rate.rate, "USD"))
    if inclusive:
        assert price.total == sum(line.amount for line in price.lines)
    else:
        assert price.subtotal == sum(line.amount for line in price.lines)


def test_tax_lines_are_told_rate_by_rate_and_refunds_net_against_their_rate():
    tally = TaxTally()
    tally.add("Alcohol (19%)", {"tax_rate": "0.19", "tax_name": "alcohol"}, Decimal("2.28"))
    tally.add("Sales Tax (5%)", {"tax_rate": "0.05"}, Decimal("0.10"))
    tally.add("Alcohol (19%)", {"tax_rate": "0.19", "tax_name": "alcohol"}, Decimal("-0.76"))  # a refund
    tally.add("VAT (7.5%)", None, Decimal("0.75"))  # a line without the rate in its metadata: as printed
    assert tally.rows() == [("Sales Tax", Decimal("0.05"), Decimal("0.10")), ("VAT", Decimal("0.075"), Decimal("0.75")),
                            ("Alcohol", Decimal("0.19"), Decimal("1.52"))]
