"""Payloads accept a mapping, keyword arguments or the model; every problem names its field."""
from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from hera_desktop import HeraError, InvalidSmartCodeError, UnbalancedTransactionError, ValidationError
from hera_desktop.domain import contracts as c

ENTITY = {"entity_type": "customer", "entity_name": "Maria Rossi", "smart_code": "HERA.CRM.CUST.ENT.PROF.V1"}
LINE = {"line_type": "ITEM", "quantity": 2, "unit_price": "10.50", "smart_code": "HERA.RESTAURANT.SALES.LINE.ITEM.V1"}
SALE = {"transaction_type": "sale", "smart_code": "HERA.RESTAURANT.SALES.ORDER.CORE.V1", "lines": [LINE]}


def test_a_payload_may_be_a_mapping_keywords_or_the_model():
    from_mapping = c.parse(c.EntityCreate, ENTITY)
    from_keywords = c.parse(c.EntityCreate, **ENTITY)
    from_model = c.parse(c.EntityCreate, from_mapping)
    assert from_mapping == from_keywords == from_model
    assert from_model is from_mapping


def test_keywords_override_the_mapping():
    parsed = c.parse(c.EntityCreate, ENTITY, entity_name="Luigi")
    assert parsed.entity_name == "Luigi"


def test_another_model_is_accepted_by_its_fields():
    update = c.parse(c.EntityUpdate, c.parse(c.EntityCreate, ENTITY).model_dump(exclude={"entity_type"}))
    assert update.entity_name == "Maria Rossi"


def test_text_is_stripped():
    assert c.parse(c.EntityCreate, {**ENTITY, "entity_name": "  Maria  "}).entity_name == "Maria"


@pytest.mark.parametrize("payload", [42, "customer", ["entity_type"], b"{}"])
def test_a_payload_that_is_not_a_mapping_is_refused(payload):
    with pytest.raises(ValidationError) as err:
        c.parse(c.EntityCreate, payload)
    assert err.value.field == "payload"


@pytest.mark.parametrize("change, field, words", [
    ({"entity_type": None}, "entity_type", "string"),
    ({"entity_name": ""}, "entity_name", "must not be empty"),
    ({"entity_name": "   "}, "entity_name", "must not be empty"),
    ({"entity_name": "x" * 256}, "entity_name", "at most 255"),
    ({"entity_code": "x" * 101}, "entity_code", "at most 100"),
    ({"colour": "red"}, "colour", "is not a known field"),
    ({"metadata": "not a mapping"}, "metadata", "dictionary"),
])
def test_entity_problems_name_the_field(change, field, words):
    with pytest.raises(ValidationError) as err:
        c.parse(c.EntityCreate, {**ENTITY, **change})
    assert err.value.field == field
    assert str(err.value).startswith(f"{field}: ")
    assert words in str(err.value)


def test_a_missing_field_is_required():
    with pytest.raises(ValidationError, match="^entity_name: is required$"):
        c.parse(c.EntityCreate, {"entity_type": "customer", "smart_code": "HERA.CRM.CUST.ENT.PROF.V1"})


def test_a_bad_smart_code_keeps_its_type_and_field():
    with pytest.raises(InvalidSmartCodeError) as err:
        c.parse(c.EntityCreate, {**ENTITY, "smart_code": "HERA.CRM.V1"})
    assert err.value.field == "smart_code"


@pytest.mark.parametrize("value", [{"tags": {1, 2}}, {"when": object()}, {"raw": b"\x00"}])
def test_metadata_that_cannot_be_stored_as_json_is_refused(value):
    with pytest.raises(ValidationError) as err:
        c.parse(c.EntityCreate, {**ENTITY, "metadata": value})
    assert err.value.field == "metadata"


@pytest.mark.parametrize("value", [{"ratio": float("nan")}, {"x": [float("inf")]}])
def test_metadata_with_nan_or_infinity_is_refused(value):
    with pytest.raises(ValidationError) as err:
        c.parse(c.TxnEmit, {**SALE, "business_context": value})
    assert err.value.field == "business_context"


def test_metadata_may_hold_decimals_dates_and_nesting():
    meta = {"price": Decimal("1.50"), "on": date(2024, 1, 2), "items": [{"n": 1}], "ok": True, "none": None}
    assert c.parse(c.EntityCreate, {**ENTITY, "metadata": meta}).metadata == meta


def test_amounts_become_exact_decimals():
    line = c.parse(c.TxnLineIn, {**LINE, "quantity": 0.1, "unit_price": 3, "line_amount": "0.30"})
    assert line.quantity == Decimal("0.1") and str(line.quantity) == "0.1"
    assert line.unit_price == Decimal("3")
    assert line.line_amount == Decimal("0.30")


@pytest.mark.parametrize("amount", [float("nan"), float("inf"), "abc", True, "1e99", [1]])
def test_bad_amounts_name_the_line_field(amount):
    with pytest.raises(ValidationError) as err:
        c.parse(c.TxnEmit, {**SALE, "lines": [LINE, {**LINE, "unit_price": amount}]})
    assert err.value.field == "lines.1.unit_price"


def test_dr_cr_is_case_insensitive_and_limited_to_two_sides():
    assert c.parse(c.TxnLineIn, {**LINE, "dr_cr": "dr"}).dr_cr == "DR"
    assert c.parse(c.TxnLineIn, {**LINE, "dr_cr": "Cr"}).dr_cr == "CR"
    with pytest.raises(ValidationError) as err:
        c.parse(c.TxnLineIn, {**LINE, "dr_cr": "debit"})
    assert err.value.field == "dr_cr"


@pytest.mark.parametrize("value, expected", [
    ("2024-03-01", datetime(2024, 3, 1)),
    (date(2024, 3, 1), datetime(2024, 3, 1)),
    ("2024-03-01T10:15:00Z", datetime(2024, 3, 1, 10, 15, tzinfo=timezone.utc)),   # JavaScript's toISOString()
    ("2024-03-01T10:15:00.123+02:00", datetime.fromisoformat("2024-03-01T10:15:00.123+02:00")),
])
def test_transaction_dates_accept_the_guides_forms(value, expected):
    assert c.parse(c.TxnEmit, {**SALE, "transaction_date": value}).transaction_date == expected


@pytest.mark.parametrize("value", ["yesterday", "2024-13-01", "01/03/2024", 20240301, "0001-01-01", date(999, 12, 31),
                                   "9999-12-31T23:00:00-12:00", datetime.min.replace(tzinfo=timezone.utc)])
def test_a_bad_transaction_date_names_the_field(value):
    with pytest.raises(ValidationError) as err:
        c.parse(c.TxnEmit, {**SALE, "transaction_date": value})
    assert err.value.field == "transaction_date"


@pytest.mark.parametrize("currency", ["usd", "US", "DOLLARS", "€"])
def test_currency_must_be_an_iso_code(currency):
    with pytest.raises(ValidationError) as err:
        c.parse(c.TxnEmit, {**SALE, "currency": currency})
    assert err.value.field == "currency"


def test_line_numbers_are_bounded():
    with pytest.raises(ValidationError) as err:
        c.parse(c.TxnEmit, {**SALE, "lines": [{**LINE, "line_number": 0}]})
    assert err.value.field == "lines.0.line_number"


@pytest.mark.parametrize("version", [0, -1, 2**63, 10**400, "two"])
def test_an_impossible_version_is_refused(version):
    with pytest.raises(ValidationError) as err:
        c.parse(c.EntityUpdate, {"entity_name": "Anna", "version": version})
    assert err.value.field == "version"


def test_payloads_are_frozen():
    parsed = c.parse(c.EntityCreate, ENTITY)
    with pytest.raises(Exception):
        parsed.entity_name = "Luigi"  # type: ignore[misc]


def test_dynamic_field_value_follows_its_type():
    common = {"id": "i", "organization_id": "o", "entity_id": "e", "field_name": "f", "smart_code": "HERA.A.B.C.V1",
              "updated_at": "t", "version": 1}
    number = c.DynamicField(**common, field_type="number", field_value_number=Decimal("5000"),
                            field_value_text="ignored")
    assert number.value == Decimal("5000")
    assert c.DynamicField(**common, field_type="boolean", field_value_boolean=False).value is False


def test_errors_serialise_for_a_client():
    err = UnbalancedTransactionError(Decimal("100.00"), Decimal("99.99"), "USD")
    assert isinstance(err, HeraError)
    assert "debits 100.00" in err.message and "credits 99.99" in err.message and "0.01" in err.message
    assert err.to_dict() == {"code": "unbalanced", "message": err.message,
                             "details": {"total_debits": "100.00", "total_credits": "99.99", "currency": "USD"}}


def test_validation_errors_carry_the_field_in_their_details():
    err = ValidationError("email", "is not an email address")
    assert err.to_dict()["details"] == {"field": "email"}
    assert err.code == "validation_error"
