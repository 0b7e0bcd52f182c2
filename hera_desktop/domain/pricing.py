"""What an order costs: each line's amount and its tax, worked out once for the till and the books.

The till shows the total a cashier reads out before anything is recorded, and the
restaurant service records the sale; both price through ``price_order``, so the two
agree to the cent.

A business has a standard tax rate (the ``tax_rate`` and ``tax_label`` settings) and
may name more (``tax_rates``: food, alcohol, take-away), each owed to its own account.
A menu item is taxed at the rate named on the item, else at its category's rate
(``tax_categories``), else at the standard rate.

Prices are entered before tax (the tax is added on top) or, with ``prices_include_tax``,
with the tax already in them (the tax is the part of the price above price / (1 + rate)).
Tax is rounded half-up to the currency's minor unit, for each line or once per rate on the
receipt (``tax_rounding``). A line's recorded amount is always its amount before tax, so
subtotal + tax = total whichever way prices are entered.

A sale's TAX lines say which rate they are (printed as "Food (7%)", the rate in their metadata), so the
day's and the period's tax can be told rate by rate (``TaxTally``), refunds netted against their rate.
"""
from __future__ import annotations

import re
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from typing import Any, Iterable, Mapping, NamedTuple

from .money import ZERO, minor_unit, round_money

STANDARD = "standard"  # the name of the standard rate (the tax_rate and tax_label settings)
STANDARD_ACCOUNT = "2100"  # where the standard rate's tax is owed, as the default chart of accounts has it
ROUNDINGS = ("line", "receipt")


class TaxRate(NamedTuple):
    name: str
    label: str  # as receipts print it: "Food", "Sales Tax"
    rate: Decimal  # a fraction: 0.07 for 7%
    account: str  # the number of the GL account its tax is owed to

    @property
    def percent(self) -> str:
        """The rate as people write it: 7, 7.25."""
        return f"{(self.rate * 100).normalize():f}"


class TaxRules(NamedTuple):
    """How the business taxes what it sells, from its settings (``tax_rules``)."""
    rates: Mapping[str, TaxRate]  # by name, the standard rate included
    categories: Mapping[str, str]  # menu category -> rate name
    prices_include_tax: bool = False
    rounding: str = "receipt"

    @property
    def standard(self) -> TaxRate:
        return self.rates[STANDARD]

    def rate_for(self, item_rate: str | None, category: str | None) -> TaxRate:
        """The rate of a menu item: the one named on it, else its category's, else the standard rate."""
        for name in (item_rate, self.categories.get(category or "")):
            if name and name in self.rates:
                return self.rates[name]
        return self.standard


def tax_rules(settings: Mapping[str, Any]) -> TaxRules:
    """The tax rules an organization's settings describe (settings as stored: checked already)."""
    rates = {STANDARD: TaxRate(STANDARD, settings.get("tax_label") or "Sales Tax",
                               Decimal(str(settings.get("tax_rate", "0.05"))), STANDARD_ACCOUNT)}
    for name, spec in (settings.get("tax_rates") or {}).items():
        rates[name] = TaxRate(name, spec["label"], Decimal(str(spec["rate"])), spec["account"])
    return TaxRules(rates, dict(settings.get("tax_categories") or {}), bool(settings.get("prices_include_tax")),
                    settings.get("tax_rounding") or "receipt")


class PricedLine(NamedTuple):
    amount: Decimal  # quantity times unit price, as the price was entered: what the line shows
    net: Decimal  # before tax: what the books record as the line's amount
    tax: Decimal  # the line's share of its rate's tax
    rate: TaxRate


class RateTax(NamedTuple):
    """One rate's tax on an order: what it is charged on (before tax) and how much."""
    rate: TaxRate
    basis: Decimal
    tax: Decimal


class OrderPrice(NamedTuple):
    subtotal: Decimal  # before tax
    tax: Decimal
    total: Decimal
    lines: tuple[PricedLine, ...]
    taxes: tuple[RateTax, ...]  # one per rate the order uses, in the order the lines first use them


def line_amount(quantity: Decimal | int, unit_price: Decimal, currency: str) -> Decimal:
    """A line's amount: quantity times unit price, half-up to the currency's minor unit."""
    return round_money(quantity * unit_price, currency)


def order_tax(subtotal: Decimal, rate: Decimal, currency: str) -> Decimal:
    """The tax added on top of an amount before tax: the rate times it, half-up to the minor unit."""
    return round_money(subtotal * rate, currency)


def included_tax(amount: Decimal, rate: Decimal, currency: str) -> Decimal:
    """The tax inside an amount that includes it: the amount less amount / (1 + rate), the part before tax
    rounded half-up to the minor unit."""
    return amount - round_money(amount / (1 + rate), currency)


def price_order(lines: Iterable[tuple[Decimal | int, Decimal, TaxRate]], rules: TaxRules,
                currency: str) -> OrderPrice:
    """The order's lines, subtotal, tax per rate and total from its lines' (quantity, unit price, rate)."""
    amounts = [(line_amount(qty, price, currency), rate) for qty, price, rate in lines]
    tax_of = included_tax if rules.prices_include_tax else order_tax
    line_tax = [tax_of(amount, rate.rate, currency) for amount, rate in amounts]
    by_rate: dict[str, list[int]] = {}
    for i, (_amount, rate) in enumerate(amounts):
        by_rate.setdefault(rate.name, []).append(i)
    if rules.rounding == "receipt":
        for rows in by_rate.values():
            whole = tax_of(sum((amounts[i][0] for i in rows), ZERO), amounts[rows[0]][1].rate, currency)
            for i, share in zip(rows, _shares(whole, [amounts[i][0] for i in rows], currency)):
                line_tax[i] = share
    priced = tuple(PricedLine(amount, amount - tax if rules.prices_include_tax else amount, tax, rate)
                   for (amount, rate), tax in zip(amounts, line_tax))
    taxes = tuple(RateTax(priced[rows[0]].rate, sum((priced[i].net for i in rows), ZERO),
                          sum((priced[i].tax for i in rows), ZERO)) for rows in by_rate.values())
    subtotal = sum((p.net for p in priced), ZERO)
    tax = sum((t.tax for t in taxes), ZERO)
    return OrderPrice(subtotal, tax, subtotal + tax, priced, taxes)


def _shares(whole: Decimal, amounts: list[Decimal], currency: str) -> list[Decimal]:
    """``whole`` (a rate's tax, rounded once for the receipt) split over its lines in proportion to their
    amounts, in whole minor units: each line gets its share rounded down, and the units left over go to the
    lines whose shares lost most, so the shares add up to ``whole`` and none is negative."""
    unit = minor_unit(currency)
    basis = sum(amounts, ZERO)
    if basis == 0:
        return [whole] + [ZERO] * (len(amounts) - 1)
    exact = [whole * amount / basis for amount in amounts]
    shares = [(e / unit).to_integral_value(ROUND_FLOOR) * unit for e in exact]
    left = int((whole - sum(shares, ZERO)) / unit)
    for i in sorted(range(len(amounts)), key=lambda i: (shares[i] - exact[i], i))[:left]:
        shares[i] += unit
    return shares


_PRINTED_PERCENT = re.compile(r"\s*\(([0-9.]+)%\)$")  # "Food (7%)": the label, then the rate as printed


class TaxTally:
    """Tax per rate from sale TAX lines: ``add`` each line, ``rows`` gives (label, rate, tax) by rate and label.
    A rate is told by its label and fraction as the line recorded them, so a rate changed from 7% to 8% in
    the period shows as two rows, each with the tax charged at it."""

    def __init__(self) -> None:
        self._tax: dict[tuple[str, Decimal], Decimal] = {}

    def add(self, description: str | None, metadata: Mapping[str, Any] | None, amount: Decimal | None) -> None:
        printed = _PRINTED_PERCENT.search(description or "")
        label = (description or "")[:printed.start()] if printed else (description or "Tax")
        try:
            rate = Decimal(str((metadata or {})["tax_rate"]))
        except (KeyError, InvalidOperation):
            rate = Decimal(printed.group(1)) / 100 if printed else ZERO
        key = (label.strip() or "Tax", rate.normalize())
        self._tax[key] = self._tax.get(key, ZERO) + (amount or ZERO)

    def rows(self) -> list[tuple[str, Decimal, Decimal]]:
        by_rate = sorted(self._tax.items(), key=lambda kv: (kv[0][1], kv[0][0]))
        return [(label, rate, tax) for (label, rate), tax in by_rate]
