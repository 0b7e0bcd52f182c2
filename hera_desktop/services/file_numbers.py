"""Numbers as spreadsheets write them in files: ``12.50``, ``1,234.50``, and in Europe ``12,50``, ``1.234,50``.

A file's numbers are read here and nowhere else. A semicolon-separated file is
what a European spreadsheet saves, so a decimal comma is read only there; any
other file writes decimals with a point. A number is read only when its meaning
is certain: ``1,250`` could be one and a quarter or twelve hundred and fifty,
so it is refused, naming the column, rather than guessed. A price is never read
as a hundred times itself.
"""
from __future__ import annotations

import re
from decimal import Decimal

from ..domain.errors import ValidationError
from ..domain.money import D

_DIGITS = re.compile(r"\d+\Z")


def file_number(text: str, column: str, decimal_comma: bool) -> Decimal:
    """The exact number a file's cell means, or a ValidationError naming ``column``.

    ``decimal_comma`` is true for semicolon-separated files (see the module's docstring).
    """
    cell = text.strip()
    shown = repr(cell[:40])
    sign = "-" if cell.startswith("-") else ""
    body = cell[1:] if cell[:1] in ("-", "+") else cell
    whole, decimal, decimals = body, "", ""
    if "," in body and "." in body:
        # Both: the last one is the decimal separator, the other groups thousands (1.234,50 or 1,234.50).
        decimal = "," if body.rfind(",") > body.rfind(".") else "."
        whole, decimals = body.rsplit(decimal, 1)
        if decimal in whole or not _grouped(whole, "." if decimal == "," else ","):
            raise ValidationError(column, f"{shown} is not a number (thousands are grouped in threes)")
    elif "," in body or "." in body:
        mark = "," if "," in body else "."
        if body.count(mark) > 1:  # several marks can only group thousands: 1.234.567
            if not _grouped(body, mark):
                raise ValidationError(column, f"{shown} is not a number (thousands are grouped in threes)")
        else:
            head, tail = body.split(mark)
            if len(tail) == 3 and 1 <= len(head) <= 3 and head[0] != "0":
                small = str(Decimal(f"{head}.{tail}").normalize())
                raise ValidationError(column, f"{shown} could mean {small} or {head}{tail}: write it as "
                                              f"{head}{tail} or as {small.replace('.', ',') if decimal_comma else small}")
            whole, decimal, decimals = head, mark, tail
    if decimal == "," and not decimal_comma:
        raise ValidationError(column, f"{shown} has a decimal comma, but only semicolon-separated files use one: "
                                      "write it with a decimal point")
    digits = whole.replace(",", "").replace(".", "")
    if not (_DIGITS.match(digits) or digits == "" and decimals) or decimal and not _DIGITS.match(decimals):
        raise ValidationError(column, f"{shown} is not a number")
    return D(f"{sign}{digits or '0'}.{decimals}" if decimal else f"{sign}{digits}", column)


def _grouped(whole: str, mark: str) -> bool:
    """1,234,567 grouped by ``mark`` in threes; or a whole number with no grouping at all."""
    return bool(re.fullmatch(rf"\d{{1,3}}(?:{re.escape(mark)}\d{{3}})+|\d+", whole))
