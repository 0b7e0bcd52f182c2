"""Every smart code the usage guide uses is valid here; malformed ones are refused naming the field."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from hera_desktop import InvalidSmartCodeError, ValidationError
from hera_desktop.domain import contracts as c
from hera_desktop.domain.smart_codes import is_valid, segment, validate

SEED = Path("/work/shared/seed/hera-v2-usage-examples.md")
_QUOTED = re.compile(r"""(['"`])(HERA\.[^'"`\s]*)\1""")

# What the guide's template codes become for the values its own flows pass in.
_TEMPLATE_VALUES = {
    "statusName.toUpperCase()": ["ACTIVE", "PROSPECT", "INACTIVE", "SUSPENDED", "CLOSED"],
    "status.toUpperCase()": ["ACTIVE", "PROSPECT", "INACTIVE", "SUSPENDED", "CLOSED"],
    "newStatus.toUpperCase()": ["ACTIVE", "PROSPECT", "INACTIVE", "SUSPENDED", "CLOSED"],
    "line.drCr": ["DR", "CR"],
    "adjustment.adjustmentType.toUpperCase()": ["RECEIPT", "ISSUE", "TRANSFER", "ADJUSTMENT"],
}


def seed_codes() -> tuple[list[str], list[str]]:
    """(literal codes, template codes) quoted anywhere in the usage guide."""
    found = sorted({m.group(2) for m in _QUOTED.finditer(SEED.read_text(encoding="utf-8"))})
    return [x for x in found if "${" not in x], [x for x in found if "${" in x]


def instantiate(template: str) -> list[str]:
    codes = [template]
    for expression in re.findall(r"\$\{([^}]*)\}", template):
        codes = [code.replace("${" + expression + "}", value)
                 for code in codes for value in _TEMPLATE_VALUES[expression]]
    return codes


LITERALS, TEMPLATES = seed_codes()
INSTANTIATED = sorted({code for t in TEMPLATES for code in instantiate(t)})


def test_the_guide_was_read():
    assert len(LITERALS) >= 15
    assert "HERA.CRM.CUST.ENT.PROF.V1" in LITERALS
    assert "HERA.INVENTORY.PRODUCT.DYN.AVGCOST.V1" in LITERALS
    assert len(TEMPLATES) >= 5


@pytest.mark.parametrize("code", LITERALS)
def test_every_literal_smart_code_in_the_guide_is_valid(code):
    assert is_valid(code)
    assert validate(code) == code


@pytest.mark.parametrize("code", INSTANTIATED)
def test_every_instantiated_template_code_in_the_guide_is_valid(code):
    assert validate(code) == code


@pytest.mark.parametrize("code", ["HERA.FINANCE.GL.DR.V1", "HERA.FINANCE.GL.CR.V1", "HERA.WORKFLOW.STATUS.ACTIVE.V1",
                                  "HERA.INVENTORY.ADJUSTMENT.RECEIPT.V1", "HERA.CRM.CUST.STATUS.SUSPENDED.V1"])
def test_codes_the_guides_zod_pattern_wrongly_rejects_are_accepted(code):
    assert code in INSTANTIATED
    assert is_valid(code)


def test_every_template_expression_is_known():
    for template in TEMPLATES:
        assert instantiate(template), template


@pytest.mark.parametrize("code", [
    "HERA.CRM.V1",                      # too few segments
    "HERA.CRM.CUST.V1",                 # still too few
    "HERA.A.B.C.D.E.F.G.H.I.V1",        # too many
    "hera.crm.cust.ent.prof.v1",        # lower case
    "HERA.CRM.CUST.ENT.PROF",           # no version
    "HERA.CRM.CUST.ENT.PROF.V",         # version without number
    "HERA.CRM.CUST.ENT.PROF.V1.",       # trailing dot
    "HERA..CUST.ENT.PROF.V1",           # empty segment
    "HERA.CRM.CUST-ENT.PROF.V1",        # hyphen
    "HERA.CRM.CUST.ENT.PROF.V1\n",      # trailing newline
    " HERA.CRM.CUST.ENT.PROF.V1",       # leading space
    "XERA.CRM.CUST.ENT.PROF.V1",
    "HERA.CRM.CÜST.ENT.PROF.V1",        # non-ASCII
    "HERA.CRM.CUST.ENT.PROF.V1'; DROP TABLE core_entities; --",
    "HERA." + "A." * 200 + "V1",
])
def test_malformed_codes_are_refused(code):
    assert not is_valid(code)
    with pytest.raises(InvalidSmartCodeError) as err:
        validate(code, "lines.0.smart_code")
    assert err.value.field == "lines.0.smart_code"
    assert str(err.value).startswith("lines.0.smart_code:")
    assert err.value.code == "invalid_smart_code"


@pytest.mark.parametrize("missing", [None, "", 42, ["HERA.CRM.CUST.ENT.PROF.V1"]])
def test_a_missing_code_is_refused_as_required(missing):
    with pytest.raises(InvalidSmartCodeError, match="smart_code: a smart code is required"):
        validate(missing)


def test_a_smart_code_error_is_a_validation_error():
    assert issubclass(InvalidSmartCodeError, ValidationError)


def test_version_may_be_lower_case_v():
    assert is_valid("HERA.CRM.CUST.ENT.PROF.v2")


def test_an_invalid_code_in_a_payload_names_its_path():
    with pytest.raises(InvalidSmartCodeError) as err:
        c.parse(c.TxnEmit, {"transaction_type": "sale", "smart_code": "HERA.RESTAURANT.SALES.ORDER.CORE.V1",
                            "lines": [{"line_type": "ITEM", "smart_code": "not a code"}]})
    assert err.value.field == "lines.0.smart_code"
    assert "'not a code' is not a smart code" in str(err.value)


@pytest.mark.parametrize("text, expected", [("on account", "ON_ACCOUNT"), ("receipt", "RECEIPT"),
                                            ("Café crème!", "CAF_CR_ME"), ("---", "X"), ("dr", "DR")])
def test_segment_makes_a_valid_segment_from_free_text(text, expected):
    assert segment(text) == expected
    assert is_valid(f"HERA.INVENTORY.ADJUSTMENT.{segment(text)}.V1")
