"""Numbers typed by people are read in their locale: a decimal comma in German, a grouping comma in English,
and never one number silently read as another."""
from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QLocale

from hera_desktop import ValidationError
from hera_desktop.gui.numbers import editable, parse_money, parse_number, parse_quantity

GERMAN, AMERICAN = QLocale("de_DE"), QLocale("en_US")


@pytest.mark.parametrize("text, expected", [
    ("1,5", Decimal("1.5")), ("12,50", Decimal("12.50")), ("1.234,50", Decimal("1234.50")),
    ("1.234", Decimal("1234")), ("1.234.567,5", Decimal("1234567.5")), ("0,125", Decimal("0.125")),
    (" -3,5 ", Decimal("-3.5")), ("\u22123", Decimal("-3")), ("1234,5", Decimal("1234.5")), ("7", Decimal("7")),
])
def test_german_reads_a_decimal_comma_and_a_grouping_point(text, expected):
    assert parse_number(text, "quantity", locale=GERMAN) == expected


@pytest.mark.parametrize("text, expected", [
    ("1.5", Decimal("1.5")), ("1,234.50", Decimal("1234.50")), ("1,234", Decimal("1234")),
    ("1,234,567.5", Decimal("1234567.5")), ("-12.25", Decimal("-12.25")), ("1234.5", Decimal("1234.5")),
])
def test_american_english_reads_a_decimal_point_and_a_grouping_comma(text, expected):
    assert parse_number(text, "quantity", locale=AMERICAN) == expected


@pytest.mark.parametrize("locale, text", [
    (AMERICAN, "1,5"), (AMERICAN, "12,50"), (AMERICAN, "1.234,50"), (AMERICAN, "1,23,456"), (AMERICAN, "1,234.5,6"),
    (GERMAN, "1.5"), (GERMAN, "1,234.50"), (GERMAN, "12.50"), (GERMAN, "1,2,3"), (GERMAN, "1'234,5"),
])
def test_separators_that_do_not_group_correctly_are_refused_as_ambiguous(locale, text):
    with pytest.raises(ValidationError) as err:
        parse_number(text, "counted quantity", locale=locale)
    assert err.value.field == "counted quantity"
    point, group = locale.decimalPoint(), locale.groupSeparator()
    assert err.value.message == (f"counted quantity: {text!r} is ambiguous here: “{group}” groups thousands and "
                                 f"“{point}” marks decimals, as in 1{group}234{point}5")


@pytest.mark.parametrize("text", ["abc", "-", "12 kg", "1e3", "NaN"])
def test_text_that_is_no_number_is_refused(text):
    with pytest.raises(ValidationError, match=f"amount: must be a number, got {text!r}"):
        parse_number(text, "amount", locale=GERMAN)


def test_nothing_typed_is_no_number():
    assert parse_number("  ", "amount", locale=GERMAN) is None


def test_a_space_grouped_locale_takes_any_kind_of_space():
    french = QLocale("fr_FR")
    assert parse_number("1 234,5", "x", locale=french) == parse_number("1\u202f234,5", "x", locale=french) \
        == Decimal("1234.5")


def test_a_locale_that_groups_by_two_is_read_as_it_groups():
    assert parse_number("12,34,567.5", "x", locale=QLocale("en_IN")) == Decimal("1234567.5")


@pytest.mark.parametrize("locale, text, shown", [(GERMAN, "12,345", "12.345"), (AMERICAN, "0.125", "0.125"),
                                                 (AMERICAN, "1,000.001", "1000.001")])
def test_a_third_decimal_of_money_is_refused_not_dropped(locale, text, shown):
    with pytest.raises(ValidationError) as err:
        parse_money(text, "amount", "USD", locale=locale)
    assert err.value.message == f"amount: has more decimals than USD allows ({shown})"


def test_money_keeps_the_decimals_its_currency_has():
    assert parse_money("12,50", "amount", "EUR", locale=GERMAN) == Decimal("12.50")
    assert parse_money("1,234", "amount", "KWD", locale=GERMAN) == Decimal("1.234")
    with pytest.raises(ValidationError, match="more decimals than JPY"):
        parse_money("1200.5", "amount", "JPY", locale=AMERICAN)


def test_negative_money_and_quantities_are_refused_unless_asked_for():
    with pytest.raises(ValidationError, match=r"amount: cannot be negative \(-5,00\)"):
        parse_money("-5,00", "amount", "EUR", locale=GERMAN)
    with pytest.raises(ValidationError, match="quantity: cannot be negative"):
        parse_quantity("-1,5", "quantity", locale=GERMAN)
    assert parse_money("-5,00", "amount", "EUR", negative=True, locale=GERMAN) == Decimal("-5")


def test_the_default_locale_is_the_one_set_for_the_application():
    previous = QLocale()
    QLocale.setDefault(GERMAN)
    try:
        assert parse_quantity("1,5", "quantity") == Decimal("1.5")
        assert editable(Decimal("1234.5"), "EUR") == "1234,50"
    finally:
        QLocale.setDefault(previous)


@pytest.mark.parametrize("value, currency, german, american", [
    (Decimal("1234.5"), "EUR", "1234,50", "1234.50"), (Decimal("1.2345"), None, "1,2345", "1.2345"),
    (Decimal("0.125"), "USD", "0,125", "0.125"), (None, "USD", "", ""), (Decimal("-3"), None, "-3", "-3"),
])
def test_editable_text_reads_back_as_the_same_number(value, currency, german, american):
    assert editable(value, currency, GERMAN) == german
    assert editable(value, currency, AMERICAN) == american
    for locale, text in ((GERMAN, german), (AMERICAN, american)):
        assert parse_number(text, "x", locale=locale) == value
