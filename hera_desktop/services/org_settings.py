"""The organization's own settings (tax rate and label, the till's stock location, the business day's time zone
and cutoff, the business's address, tax id and receipt footer), checked before saving: ``OrgSettings.check`` is
the one place every setting is validated."""
from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..domain import business_day, text
from ..domain.arguments import mapping, quoted
from ..domain.errors import ValidationError
from ..domain.money import D
from ..printing import settings as printer_settings

if TYPE_CHECKING:
    from ..app import Scope

EDITABLE = ("tax_rate", "tax_label", "till_location_id", "pin_attempts_before_lock", "refuse_sale_when_short",
            "time_zone", "day_cutoff", "idle_lock_minutes", "address", "tax_id", "receipt_footer",
            "prices_include_tax", "void_needs_manager")
EDITABLE += printer_settings.NAMES  # the receipt and kitchen printers, the paper, printing on Pay, the drawer

# What receipts and report PDFs print about the business: the longest each may be, and whether it may span lines.
PRINTED_TEXT = {"address": (500, True), "tax_id": (50, False), "receipt_footer": (500, True)}
_CONTROL = re.compile("[\x00-\x1f\x7f]")


class OrgSettings:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope

    def update(self, **changes: Any) -> dict[str, Any]:
        self.scope.require("settings.manage", "change the business settings")
        return self.scope.hera.update_settings(self.scope.organization_id, **changes).settings

    def check(self, changes: dict[str, Any]) -> dict[str, Any]:
        """The settings as they are stored, or a ValidationError naming the first one that is wrong.
        Every way of changing settings (this screen's ``update``, ``Hera.update_settings``) comes through here."""
        changes = mapping("changes", changes, "setting names to values")
        unknown = sorted(quoted(k) if not isinstance(k, str) else k[:60] for k in set(changes) - set(EDITABLE))
        if unknown:
            raise ValidationError(unknown[0], "is not a setting that can be changed here")
        clean: dict[str, Any] = {}
        if "tax_rate" in changes:
            rate = D(changes["tax_rate"], "tax_rate")
            if not Decimal(0) <= rate < 1:
                raise ValidationError("tax_rate", "must be a fraction from 0 to below 1, like 0.05 for 5%")
            clean["tax_rate"] = str(rate)
        if "tax_label" in changes:
            label = changes["tax_label"]
            if not isinstance(label, str) or not label.strip() or len(label) > 40:
                raise ValidationError("tax_label", "must be a short name like Sales Tax")
            clean["tax_label"] = label.strip()
        if "till_location_id" in changes:
            loc = changes["till_location_id"]
            if loc is not None:
                with self.scope.db.read():
                    if self.scope.store.entity_types([loc], "till_location_id")[loc] != "location":
                        raise ValidationError("till_location_id", "is not a location")
            clean["till_location_id"] = loc
        if "pin_attempts_before_lock" in changes:
            n = changes["pin_attempts_before_lock"]
            if not isinstance(n, int) or isinstance(n, bool) or not 3 <= n <= 10:
                raise ValidationError("pin_attempts_before_lock", "must be a whole number from 3 to 10")
            clean["pin_attempts_before_lock"] = n
        if "refuse_sale_when_short" in changes:
            refuse = changes["refuse_sale_when_short"]
            if not isinstance(refuse, bool):
                raise ValidationError("refuse_sale_when_short", "must be true or false")
            clean["refuse_sale_when_short"] = refuse
        if "time_zone" in changes:
            name = changes["time_zone"] or None  # empty: this computer's zone
            try:
                business_day.zone(name)
            except ValueError as exc:
                raise ValidationError("time_zone", f"{exc} (leave it empty for this computer's zone)") from None
            clean["time_zone"] = name
        if "day_cutoff" in changes:
            try:
                clean["day_cutoff"] = business_day.cutoff(changes["day_cutoff"]).strftime("%H:%M")
            except ValueError as exc:
                raise ValidationError("day_cutoff", f"{exc}, the time a business day starts") from None
        if "idle_lock_minutes" in changes:
            n = changes["idle_lock_minutes"]
            if not isinstance(n, int) or isinstance(n, bool) or not 0 <= n <= 240:
                raise ValidationError("idle_lock_minutes", "must be a whole number of minutes from 0 (never lock) "
                                                           "to 240")
            clean["idle_lock_minutes"] = n
        for name, (longest, lines) in PRINTED_TEXT.items():
            if name in changes:
                clean[name] = printed_text(name, changes[name], longest, lines)
        if "prices_include_tax" in changes:
            included = changes["prices_include_tax"]
            if not isinstance(included, bool):
                raise ValidationError("prices_include_tax", "must be true or false")
            clean["prices_include_tax"] = included
        if "void_needs_manager" in changes:  # whether voiding a line the kitchen has needs a manager's PIN
            needs = changes["void_needs_manager"]
            if not isinstance(needs, bool):
                raise ValidationError("void_needs_manager", "must be true or false")
            clean["void_needs_manager"] = needs
        clean.update(printer_settings.checked(changes))
        return clean

    def locations(self) -> list[Any]:
        return self.scope.internal.universal.query_entities(entity_type="location", limit=1000).entities


def printed_text(name: str, value: Any, longest: int, lines: bool) -> str | None:
    """Text printed at the top or bottom of receipts and reports, as stored: trimmed, None when empty."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValidationError(name, "must be text, or empty")
    value = value.replace("\r\n", "\n").strip()
    if len(value) > longest:
        raise ValidationError(name, f"must be at most {longest} characters (this is {len(value)})")
    found = _CONTROL.search(value.replace("\n", "") if lines else value)
    if found is not None:
        what = "a line break" if found.group() in "\r\n" else f"the control character U+{ord(found.group()):04X}"
        raise ValidationError(name, f"contains {what}; " + ("only line breaks may be used" if lines
                                                            else "it must be one line"))
    text.plain(name, value)
    return value or None
