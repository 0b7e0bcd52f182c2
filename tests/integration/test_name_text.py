"""Names and free text refuse characters that hide or reorder what people see, naming the field."""
from __future__ import annotations

import pytest

import factories as f
from hera_desktop import ValidationError


@pytest.mark.parametrize("name", ["Mar\x00ia", "Invoice\u202efdp.exe", "Acme\u2066Ltd"])
def test_an_entity_name_with_nul_or_a_direction_override_is_refused(s, db_path, name):
    before = f.count(db_path, "core_entities")
    with pytest.raises(ValidationError) as refused:
        s.customers.onboard(name=name)
    assert refused.value.field in ("entity_name", "name")
    assert "remove it" in refused.value.message
    assert f.count(db_path, "core_entities") == before


def test_unknown_and_camel_case_keywords_name_the_argument(s):
    with pytest.raises(ValidationError, match="productId: is not an argument of this call; did you mean product_id"):
        s.inventory.adjust(productId="x", adjustment_type="receipt", quantity=1)
    with pytest.raises(ValidationError, match="entityType: is not a known field; did you mean entity_type"):
        s.universal.create_entity(entityType="customer", entity_name="A", smart_code=f.CUSTOMER)


def test_update_settings_is_checked_like_the_settings_screen(hera, org, s):
    with pytest.raises(ValidationError) as refused:
        hera.update_settings(org.id, tax_rate=True)
    assert refused.value.field == "tax_rate"
    assert hera.organization(org.id).settings["tax_rate"] == "0.05"
