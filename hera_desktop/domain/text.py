"""Free text people type into the books (names, notes, descriptions) and what it may not contain.

A NUL ends a string early in many programs that read an export, and the
bidirectional override and isolate characters (U+202A-U+202E, U+2066-U+2069)
make a name display as something other than what is stored ("Invoice\u202Efdp.exe").
Both are refused wherever a person's text is stored, with the field named.
"""
from __future__ import annotations

import re

from .errors import ValidationError

_HIDDEN = re.compile("[\x00\u202a-\u202e\u2066-\u2069]")
_NAMES = {"\x00": "a NUL character", **{chr(c): f"the direction control U+{c:04X}"
                                          for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}}


def problem(value: str) -> str | None:
    """Why ``value`` cannot be stored as a person's text, or None."""
    found = _HIDDEN.search(value)
    if found is None:
        return None
    return (f"contains {_NAMES[found.group()]} at position {found.start() + 1}; "
            f"remove it (it hides or reorders what people see)")


def plain(field: str, value: str) -> str:
    """``value`` itself, or a ValidationError naming ``field`` if it hides or reorders characters."""
    why = problem(value)
    if why is not None:
        raise ValidationError(field, why)
    return value


def snake_case(name: str) -> str:
    """The field name a camelCase one (the usage guide's JavaScript spelling) stands for: entityType -> entity_type."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
