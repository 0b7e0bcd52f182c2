"""Smart codes: the business meaning stamped on every record.

A smart code is ``HERA`` followed by three to eight upper-case segments and a
version, e.g. ``HERA.FINANCE.GL.DR.V1``. The usage guide's own zod pattern
demands at least five segments and so rejects codes the guide itself uses; the
rule here accepts every code in the guide.
"""
from __future__ import annotations

import re

from .errors import InvalidSmartCodeError

SMART_CODE_PATTERN = re.compile(r"^HERA(\.[A-Z0-9_]+){3,8}\.[Vv][0-9]+$")


def is_valid(code: object) -> bool:
    return isinstance(code, str) and len(code) <= 200 and SMART_CODE_PATTERN.fullmatch(code) is not None


def validate(code: object, field: str = "smart_code") -> str:
    if not isinstance(code, str) or not code:
        raise InvalidSmartCodeError(field, "a smart code is required, like HERA.CRM.CUST.ENT.PROF.V1")
    if not is_valid(code):
        shown = code if len(code) <= 60 else code[:57] + "..."
        raise InvalidSmartCodeError(
            field, f"{shown!r} is not a smart code: expected HERA, 3 to 8 upper-case segments and a "
                   f"version, like HERA.CRM.CUST.ENT.PROF.V1")
    return code


def segment(text: str) -> str:
    """Make a smart-code segment from free text (``'on account'`` -> ``'ON_ACCOUNT'``)."""
    seg = re.sub(r"[^A-Z0-9]+", "_", text.upper()).strip("_")
    return seg or "X"


# A GL account's smart code, by its type (ASSET, LIABILITY, EQUITY, REVENUE, EXPENSE).
GL_ACCOUNT_SMART_CODE = "HERA.FINANCE.GL.ACCOUNT.{type}.V1"
