"""The organization's own settings (tax rates and how prices carry them, the till's stock location, the business
day's time zone and cutoff, the business's address, tax id and receipt footer), checked before saving:
``OrgSettings.check`` is the one place every setting is validated.

Tax rates beyond the standard one are named (food, alcohol, take-away) and each owes its tax to an account of
its own, made when the rate is added; menu categories and single items are assigned a rate by name
(``domain/pricing.py`` says how a sale is taxed by them)."""
from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..domain import business_day, text
from ..domain.arguments import mapping, quoted
from ..domain.errors import ValidationError
from ..domain.ids import checked_id, now_text
from ..domain.money import D
from ..domain.pricing import ROUNDINGS, STANDARD, TaxRate, TaxRules, tax_rules
from ..printing import settings as printer_settings
from ..universal.feed import organization_changed
from . import organizations
from .chart_of_accounts import add_tax_account

if TYPE_CHECKING:
    from ..app import Scope

EDITABLE = ("tax_rate", "tax_label", "till_location_id", "pin_attempts_before_lock", "refuse_sale_when_short",
            "time_zone", "day_cutoff", "idle_lock_minutes", "address", "tax_id", "receipt_footer",
            "prices_include_tax", "void_needs_manager", "tax_rounding")
EDITABLE += printer_settings.NAMES  # the receipt and kitchen printers, the paper, printing on Pay, the drawer

# What receipts and report PDFs print about the business: the longest each may be, and whether it may span lines.
PRINTED_TEXT = {"address": (500, True), "tax_id": (50, False), "receipt_footer": (500, True)}
_CONTROL = re.compile("[\x00-\x1f\x7f]")
_RATE_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,29}")
ITEM_RATE_SC = "HERA.RESTAURANT.MENU.DYN.TAXRATE.V1"


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
            clean["tax_rate"] = str(_rate("tax_rate", changes["tax_rate"]))
        if "tax_label" in changes:
            clean["tax_label"] = _label("tax_label", changes["tax_label"])
        if "tax_rounding" in changes:
            if changes["tax_rounding"] not in ROUNDINGS:
                raise ValidationError("tax_rounding", "must be line (tax rounded on each line) or receipt (rounded "
                                                      "once per rate on the receipt)")
            clean["tax_rounding"] = changes["tax_rounding"]
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

    # ------------------------------------------------------------------ tax rates

    def tax_rules(self) -> TaxRules:
        """The tax rates, the categories' rates and how prices carry tax, as sales are priced by them."""
        return tax_rules(self.scope.settings)

    def set_tax_rate(self, name: str, rate: Any, label: str | None = None) -> TaxRate:
        """Add a named tax rate (with its own account for the tax it collects) or change one's rate or label;
        ``standard`` is the rate every item without another is taxed at. A change applies to sales from now on."""
        self.scope.require("settings.manage", "change the tax rates")
        if not isinstance(name, str) or not _RATE_NAME.fullmatch(name):
            raise ValidationError("name", "a tax rate's name is one short word in lower case, like food, alcohol "
                                          "or take-away")
        fraction = _rate("rate", rate)
        if name == STANDARD:
            changes = {"tax_rate": str(fraction), **({"tax_label": _label("label", label)} if label is not None
                                                     else {})}
            return tax_rules(self._save(changes)).standard
        with self.scope.db.write():
            rates = dict(self.scope.settings.get("tax_rates") or {})
            known = rates.get(name)
            shown = _label("label", label) if label is not None else (known["label"] if known
                                                                       else name.replace("_", " ").capitalize())
            account = known["account"] if known else add_tax_account(self.scope, name, shown)
            rates[name] = {"rate": str(fraction), "label": shown, "account": account}
            saved = self._save({"tax_rates": rates})
            self._post_tax_by_rate()
            return tax_rules(saved).rates[name]

    def assign_tax_rate(self, rate_name: str | None, category: str | None = None,
                        item_id: str | None = None) -> TaxRules:
        """Tax a menu category, or one menu item, at the rate named (None: back to the category's rate, or for
        a category to the standard rate). An item's own rate comes before its category's."""
        self.scope.require("settings.manage", "change the tax rates")
        if (category is None) == (item_id is None):
            raise ValidationError("category", "name either a menu category or a menu item (item_id), not both")
        with self.scope.db.write():
            rules = self.tax_rules()
            if rate_name is not None and (not isinstance(rate_name, str) or rate_name not in rules.rates):
                raise ValidationError("rate_name", f"{quoted(rate_name)} is not a tax rate; the rates are "
                                                   f"{', '.join(rules.rates)}")
            if category is not None:
                if not isinstance(category, str) or not category.strip() or len(category.strip()) > 100:
                    raise ValidationError("category", "must be the name of a menu category, like Drinks")
                categories = dict(rules.categories)
                if rate_name is None:
                    categories.pop(category.strip(), None)
                else:
                    categories[category.strip()] = rate_name
                return tax_rules(self._save({"tax_categories": categories}))
            item_id = checked_id("item_id", item_id)
            if item_id not in self.scope.internal.restaurant.menu.items([item_id]):
                raise ValidationError("item_id", "is not an item on the menu")
            self.scope.internal.universal.set_dynamic_field(item_id, "tax_rate", rate_name or "", ITEM_RATE_SC)
            return rules

    def remove_tax_rate(self, name: str) -> TaxRules:
        """Take a named tax rate away, refused (naming them) while a menu category or item is taxed at it.
        Its account stays in the chart: it holds the tax already collected at the rate."""
        self.scope.require("settings.manage", "change the tax rates")
        with self.scope.db.write():
            rules = self.tax_rules()
            if name == STANDARD:
                raise ValidationError("name", "the standard rate cannot be removed: every item without a rate "
                                              "of its own is taxed at it (change its rate instead)")
            if not isinstance(name, str) or name not in rules.rates:
                raise ValidationError("name", f"{quoted(name)} is not a tax rate; the rates are "
                                              f"{', '.join(rules.rates)}")
            categories = sorted(c for c, r in rules.categories.items() if r == name)
            items = sorted(i.entity_name for i in self.scope.internal.restaurant.menu.items().values()
                           if i.tax_rate == name)
            used = [f"the {kind if len(names) == 1 else kinds} {', '.join(names)}"
                    for kind, kinds, names in (("category", "categories", categories), ("item", "items", items))
                    if names]
            if used:
                verb = "is" if len(categories) + len(items) == 1 else "are"
                raise ValidationError("name", f"{rules.rates[name].label} cannot be removed while "
                                              f"{' and '.join(used)} {verb} taxed at it; give them another "
                                              "rate first")
            rates = dict(self.scope.settings.get("tax_rates") or {})
            rates.pop(name)
            return tax_rules(self._save({"tax_rates": rates}))

    def _save(self, clean: dict[str, Any]) -> dict[str, Any]:
        """Store settings already checked, in the caller's unit of work, as ``Hera.update_settings`` does;
        returns them all as they are now."""
        with self.scope.db.write() as conn:
            settings = {**self.scope.hera.organization(self.scope.organization_id).settings, **clean}
            organizations.set_settings(conn, self.scope.organization_id, settings, updated_at=now_text())
            organization_changed(self.scope.store)
        return settings

    def _post_tax_by_rate(self) -> None:
        """The sale's posting rule sends each tax line to its rate's account (books made with one account for
        all tax post it that way until a second rate is added; their account stays the standard rate's)."""
        from .restaurant import SALE_SC

        posting = self.scope.internal.posting
        rule = posting.rules().get(SALE_SC)
        if rule is None:
            return
        lines = [dict(spec, account={"by_line": "tax_account", "default": spec["account"]})
                 if spec.get("amount") == "lines:TAX" and isinstance(spec.get("account"), str) else spec
                 for spec in rule["lines"]]
        if lines != rule["lines"]:
            name = "Restaurant sale"
            posting.set_rule(SALE_SC, name, lines)

    def locations(self) -> list[Any]:
        return self.scope.internal.universal.query_entities(entity_type="location", limit=1000).entities


def _rate(field: str, value: Any) -> Decimal:
    rate = D(value, field)
    if not Decimal(0) <= rate < 1:
        raise ValidationError(field, "must be a fraction from 0 to below 1, like 0.05 for 5%")
    return rate


def _label(field: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > 40:
        raise ValidationError(field, "must be a short name like Sales Tax")
    return text.plain(field, value.strip())


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
