"""The business as printed documents name it: its name, address and tax id at the top of receipts and reports,
and the receipt footer at the bottom, from the organization's settings."""
from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any


@dataclass(frozen=True)
class Letterhead:
    name: str
    address: str | None = None
    tax_id: str | None = None
    footer: str | None = None

    @classmethod
    def of(cls, organization: Any) -> "Letterhead":
        settings = organization.settings
        return cls(organization.organization_name, settings.get("address") or None, settings.get("tax_id") or None,
                   settings.get("receipt_footer") or None)

    def details_html(self) -> str:
        """The address, line by line, and the tax id, as one paragraph; "" when neither is set."""
        lines = [*(self.address or "").splitlines(), *([f"Tax id {self.tax_id}"] if self.tax_id else [])]
        return f"<p>{'<br>'.join(escape(line) for line in lines)}</p>" if lines else ""

    def footer_html(self) -> str:
        return (f"<p align='center'>{'<br>'.join(escape(line) for line in self.footer.splitlines())}</p>"
                if self.footer else "")
