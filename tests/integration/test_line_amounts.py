"""Line amounts are money in the line's currency: never finer than its minor unit, so float noise is not stored."""
from __future__ import annotations

from decimal import Decimal

import pytest

import factories as f
from hera_desktop import ValidationError


def test_float_noise_in_a_given_line_amount_is_refused_naming_the_line(s, db_path):
    noisy = 0.1 + 0.2  # binary arithmetic before the call: str() gives 0.30000000000000004
    lines = [f.item(), f.item(), {"line_type": "TAX", "line_amount": noisy, "smart_code": f.TAX_LINE}]
    with pytest.raises(ValidationError) as err:
        s.txn.emit(f.sale(lines))
    assert err.value.field == "lines.2.line_amount"
    assert str(err.value) == "lines.2.line_amount: has more decimals than USD allows (0.30000000000000004)"
    assert f.count(db_path, "universal_transactions") == 0 and f.count(db_path, "universal_transaction_lines") == 0


def test_a_decimal_made_from_a_float_without_str_is_refused(s):
    with pytest.raises(ValidationError, match=r"lines\.0\.line_amount: has more decimals than USD allows "
                                              r"\(0\.315000000000000002220446049250313080847263336181640625\)"):
        s.txn.emit(f.sale([f.item(line_amount=Decimal(0.315))]))


def test_the_line_currency_decides_the_decimals(s):
    with pytest.raises(ValidationError, match="lines.0.line_amount: has more decimals than JPY allows"):
        s.txn.emit(f.sale([f.item(line_amount="1200.50", currency="JPY")]))
    emitted = s.txn.emit(f.sale([f.item(line_amount="1.234", currency="KWD")], currency="KWD"))
    assert s.txn.read(emitted.transaction_id).lines[0].line_amount == Decimal("1.234")


def test_a_journal_line_with_a_third_decimal_is_refused(s):
    cash, sales = f.gl_account(s, "1000").id, f.gl_account(s, "4000").id
    with pytest.raises(ValidationError, match=r"lines.0.line_amount: has more decimals than USD allows \(10.005\)"):
        s.txn.emit(f.journal([(cash, "DR", "10.005"), (sales, "CR", "10.005")]))


def test_quantity_and_unit_price_may_be_fine_and_the_amount_they_make_is_rounded_half_up(s):
    flour = f.product(s, "Flour")
    emitted = s.txn.emit(f.sale([f.item(flour.id, quantity="3", unit_price="1.2345"),
                                 f.item(flour.id, quantity=0.1 + 0.2, unit_price="10")]))
    txn = s.txn.read(emitted.transaction_id)
    assert [(ln.quantity, ln.unit_price, ln.line_amount) for ln in txn.lines] == [
        (Decimal("3"), Decimal("1.2345"), Decimal("3.70")),
        (Decimal("0.30000000000000004"), Decimal("10"), Decimal("3.00"))]
    assert txn.total_amount == Decimal("6.70")


def test_stock_movements_at_unit_costs_finer_than_a_cent_still_record(s):
    flour = f.product(s, "Flour")
    s.inventory.adjust(product_id=flour.id, adjustment_type="receipt", quantity="3", unit_cost="1.2345",
                       reason="Delivery")
    issued = s.inventory.adjust(product_id=flour.id, adjustment_type="issue", quantity="0.7", reason="Kitchen")
    line = s.txn.read(issued.transaction.transaction_id).lines[0]
    assert (line.quantity, line.unit_price, line.line_amount) == (Decimal("-0.7"), Decimal("1.2345"), Decimal("-0.86"))


def test_a_reversal_mirrors_the_recorded_amounts(s):
    emitted = s.txn.emit(f.sale([f.item(quantity="3", unit_price="1.2345")]))
    reversal = s.txn.reverse(emitted.transaction_id, "HERA.TEST.SALES.ORDER.REVERSAL.V1", "wrong table")
    assert s.txn.read(reversal.transaction_id).lines[0].line_amount == Decimal("-3.70")
