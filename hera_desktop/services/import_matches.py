"""Rows of an import that are the same record as one already in the books, or as an earlier row of the file.

A menu item, product or account is the same record when it has the same code;
a customer when it has the same email or the same phone number (compared by its
digits, so ``+1 555 0100`` and ``+15550100`` are one number). A row with none of
those is the same record as one with the same name, so importing a file twice
never doubles it.

A menu item row whose code is an item on the menu updates that item: what the
row changes of it (price, name, category, station, classification) is shown as
old -> new, and a row that changes nothing is unchanged.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..domain.money import round_money
from ..storage.schema import core_dynamic_data, core_entities

if TYPE_CHECKING:
    from ..app import Scope

CONTACTS = ("email", "phone")


@dataclass(frozen=True)
class Key:
    column: str     # what matched: code, email, phone or name
    shown: str      # as the row has it
    value: str      # as compared

    def describe(self) -> str:
        return f"{self.column} {self.shown}"


def _key(column: str, value: Any) -> Key | None:
    text = str(value).strip()
    if column == "phone":
        compared = "".join(ch for ch in text if ch.isdigit())
    elif column == "code":
        compared = text.upper()
    else:
        compared = text.casefold()
    return Key(column, text, compared) if compared else None


def keys_of(kind: str, values: dict[str, Any]) -> list[Key]:
    """What makes this row the same record as another: its code or contacts, else its name."""
    natural = CONTACTS if kind == "customers" else ("code",)
    keys = [k for k in (_key(c, values[c]) for c in natural if values.get(c) is not None) if k]
    if not keys and values.get("name") is not None:
        keys = [k for k in [_key("name", values["name"])] if k]
    return keys


class BooksIndex:
    """The records of one kind already in the books, by every key a row may match them on."""

    def __init__(self, scope: Scope, entity_type: str) -> None:
        self.found: dict[tuple[str, str], str] = {}
        self.live_codes: dict[str, str] = {}  # code as compared -> id, of the records not deleted
        st, e, d = scope.store, core_entities, core_dynamic_data
        with scope.db.read():
            # Deleted records keep their codes (a new record cannot take one), so they count here too.
            entities = st.rows(st.select(e, e.c.entity_type == entity_type,
                                         columns=[e.c.id, e.c.entity_name, e.c.entity_code, e.c.status]))
            live = {r.id: r for r in entities if r.status != "deleted"}
            contacts = st.rows(st.select(d, d.c.field_name.in_(CONTACTS), columns=[
                d.c.entity_id, d.c.field_name, d.c.field_value_text])) if entity_type == "customer" else []
        for r in entities:
            if r.id in live and r.entity_code:
                self.live_codes[r.entity_code.upper()] = r.id
            label = f"{r.entity_name} ({r.entity_code}{', deleted' if r.status == 'deleted' else ''})"
            for key in (_key("code", r.entity_code or ""), _key("name", r.entity_name) if r.id in live else None):
                if key:
                    self.found.setdefault((key.column, key.value), label)
        for entity_id, name, text in contacts:
            record = live.get(entity_id)
            key = _key(name, text or "") if record is not None else None
            if key:
                self.found.setdefault((key.column, key.value), f"{record.entity_name} ({record.entity_code})")

    def live_with_code(self, keys: list[Key]) -> str | None:
        """The id of the record (not deleted) that has the row's code, or None."""
        return next((self.live_codes[k.value] for k in keys if k.column == "code" and k.value in self.live_codes),
                    None)

    def match(self, keys: list[Key]) -> str | None:
        """Why the row is already in the books ("email a@b.example is Acme Corp (CUST-ACM-001)"), or None."""
        for key in keys:
            label = self.found.get((key.column, key.value))
            if label is not None:
                return f"{key.describe()} is {label}"
        return None


# What a menu item row may change of the item with its code: (row column, item attribute).
MENU_CHANGES = (("name", "entity_name"), ("price", "price"), ("category", "category"),
                ("kitchen_station", "kitchen_station"), ("classification", "classification"))


def menu_changes(item: Any, values: dict[str, Any], currency: str) -> dict[str, tuple[str, str]]:
    """{column: (old, new)} of what the row changes of the menu item; empty when it changes nothing.
    A column the row leaves empty is left as the item has it; the old price reads in the currency's
    places (12.50), the new one as the file has it."""
    out: dict[str, tuple[str, str]] = {}
    for column, attribute in MENU_CHANGES:
        new = values.get(column)
        if new is None or new == "":
            continue
        old = getattr(item, attribute)
        if column == "kitchen_station":
            new = str(new).upper()
        if new != old:
            shown = round_money(old, currency) if column == "price" else old
            out[column] = ("" if shown is None else str(shown), str(new))
    return out
