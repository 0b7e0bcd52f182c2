"""Money is exact: floats go through str(), rounding is half-up and only where asked."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hera_desktop import ValidationError
from hera_desktop.domain.money import (MAX_ABS, ZERO, D, check_minor_unit, fmt, minor_unit, places, round_money,
                                         to_text)


@pytest.mark.parametrize("given_value, expected", [
    (0.1, Decimal("0.1")),
    (1.005, Decimal("1.005")),
    (12, Decimal("12")),
    ("12.50", Decimal("12.50")),
    (" 1,234.56 ", Decimal("1234.56")),
    (Decimal("-3.25"), Decimal("-3.25")),
    ("-0", ZERO),
])
def test_caller_values_become_exact_decimals(given_value, expected):
    result = D(given_value)
    assert result == expected
    assert isinstance(result, Decimal)
    assert str(result) == str(expected)


def test_float_tenths_add_up_exactly():
    assert D(0.1) + D(0.1) + D(0.1) == D(0.3)


def test_zero_has_one_canonical_form():
    assert str(D("-0.00")) == "0"
    assert str(D(0.0)) == "0"


@pytest.mark.parametrize("bad", [None, True, False, "", "   ", "twelve", "1.2.3", [1], {"a": 1}, object()])
def test_non_numbers_are_refused_naming_the_field(bad):
    with pytest.raises(ValidationError) as err:
        D(bad, "unit_price")
    assert err.value.field == "unit_price"
    assert "unit_price" in str(err.value)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf"), "NaN", "Infinity", "-inf", Decimal("sNaN")])
def test_nan_and_infinity_are_refused(bad):
    with pytest.raises(ValidationError, match="finite"):
        D(bad, "line_amount")


@pytest.mark.parametrize("bad", [MAX_ABS, -MAX_ABS, 10**16, "1e20", 1e300, "1e1000000", Decimal("-9E+999999"),
                                 10**400])
def test_absurdly_large_amounts_are_refused(bad):
    with pytest.raises(ValidationError, match="too large"):
        D(bad)


def test_largest_sensible_amount_is_accepted():
    assert D("999999999999999.99") == Decimal("999999999999999.99")


@pytest.mark.parametrize("amount, currency, expected", [
    ("2.345", "USD", "2.35"),
    ("2.344", "USD", "2.34"),
    ("-2.345", "USD", "-2.35"),
    ("0.125", "EUR", "0.13"),
    ("1234.5", "JPY", "1235"),
    ("1.2345", "KWD", "1.235"),
    ("1.2345", "usd", "1.23"),
])
def test_round_money_is_half_up_to_the_currency_minor_unit(amount, currency, expected):
    assert str(round_money(Decimal(amount), currency)) == expected


def test_minor_units():
    assert minor_unit("USD") == Decimal("0.01")
    assert minor_unit("JPY") == Decimal("1")
    assert minor_unit("BHD") == Decimal("0.001")


@pytest.mark.parametrize("amount, text", [
    ("1.50", "1.5"), ("1.00", "1"), ("0.000", "0"), ("-0", "0"), ("1E+3", "1000"),
    ("-12.340", "-12.34"), ("0.0000001", "0.0000001"), ("100", "100"),
    ("-0.00", "0"), ("0E-7", "0"), ("-1.0", "-1"), ("10", "10"), ("1.2E-5", "0.000012"), ("-2.50E+2", "-250"),
])
def test_to_text_is_canonical(amount, text):
    assert to_text(Decimal(amount)) == text


@settings(max_examples=200, deadline=None)
@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=-MAX_ABS + 1, max_value=MAX_ABS - 1, places=6))
def test_to_text_round_trips_exactly(amount):
    text = to_text(amount)
    assert Decimal(text) == amount
    assert "E" not in text and "e" not in text
    assert to_text(Decimal(text)) == text


def test_fmt_groups_thousands_with_the_currency_decimals():
    assert fmt(Decimal("1234.5"), "USD") == "1,234.50 USD"
    assert fmt(Decimal("1234.5"), "JPY") == "1,235 JPY"
    assert fmt(Decimal("-0.005")) == "-0.01"


# ------------------------------------------------------------------ text: a point for decimals, commas only to group

@pytest.mark.parametrize("text, expected", [
    ("1,234.50", Decimal("1234.50")),
    ("1,234", Decimal("1234")),
    ("-12,345,678.9", Decimal("-12345678.9")),
    ("999,999.", Decimal("999999")),
])
def test_commas_that_group_thousands_are_read_as_grouping(text, expected):
    assert D(text) == expected


@pytest.mark.parametrize("text", ["12,50", "1,5", "1,234,5", "12,3456", "1,23.4", "1234,567.5", ",5"])
def test_a_comma_that_does_not_group_thousands_is_refused_as_ambiguous(text):
    with pytest.raises(ValidationError) as err:
        D(text, "unit_price")
    assert err.value.field == "unit_price"
    assert "ambiguous" in err.value.message and repr(text) in err.value.message


@pytest.mark.parametrize("text", ["1_000", "1,234.5,6", "1.234,50", "12,50 EUR"])
def test_other_separators_are_not_numbers(text):
    with pytest.raises(ValidationError) as err:
        D(text)
    assert "must be a number" in err.value.message or "ambiguous" in err.value.message
    assert err.value.field == "amount"


# ------------------------------------------------------------------ amounts finer than the currency

@pytest.mark.parametrize("amount, currency", [("0.01", "USD"), ("12.5", "EUR"), ("1200", "JPY"), ("1.234", "KWD"),
                                              ("5.000", "USD"), ("-3.10", "USD")])
def test_amounts_within_the_minor_unit_pass(amount, currency):
    assert check_minor_unit(Decimal(amount), currency, "line_amount") == Decimal(amount)


@pytest.mark.parametrize("amount, currency, shown", [
    (Decimal(0.315), "USD", "0.315000000000000002220446049250313080847263336181640625"),
    (D(0.1 + 0.2), "USD", "0.30000000000000004"),
    (Decimal("12.345"), "usd", "12.345"),
    (Decimal("0.5"), "JPY", "0.5"),
])
def test_an_amount_finer_than_the_currency_allows_is_refused_showing_it_exactly(amount, currency, shown):
    with pytest.raises(ValidationError) as err:
        check_minor_unit(amount, currency, "lines.2.line_amount")
    assert str(err.value) == f"lines.2.line_amount: has more decimals than {currency.upper()} allows ({shown})"


def test_places_of_a_currency():
    assert (places("USD"), places("jpy"), places("KWD")) == (2, 0, 3)
