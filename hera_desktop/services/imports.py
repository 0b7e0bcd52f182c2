"""CSV imports (``s.imports``): customers, menu items, products and the chart of accounts.

An import is previewed first: every row is checked and its problems listed,
with nothing written. Then it runs through the batch processor, atomically
(any failure keeps nothing) or row by row (good rows kept, rejected rows
reported with their reasons, downloadable as CSV).
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any, Callable

from ..domain.errors import HeraError, ValidationError
from ..domain.money import D
from .customers import CHECKS

ACCOUNT_TYPES = ("asset", "liability", "equity", "revenue", "expense")


def _name(v: str) -> str:
    if not v.strip():
        raise ValidationError("name", "is required")
    if len(v) > 255:
        raise ValidationError("name", "is longer than 255 characters")
    return v.strip()


def _money(column: str) -> Callable[[str], Any]:
    def check(v: str) -> Any:
        amount = D(v, column)
        if amount < 0:
            raise ValidationError(column, "cannot be negative")
        return amount
    return check


def _account_type(v: str) -> str:
    if v.strip().lower() not in ACCOUNT_TYPES:
        raise ValidationError("type", f"must be one of {', '.join(ACCOUNT_TYPES)}")
    return v.strip().lower()


def _code(v: str) -> str:
    if not v.strip() or not v.strip().replace("-", "").isalnum():
        raise ValidationError("code", "must be letters, digits and dashes")
    return v.strip()


def _text(v: str) -> str:
    return v.strip()


@dataclass(frozen=True)
class Kind:
    label: str
    required: tuple[str, ...]
    columns: dict[str, Callable[[str], Any]]
    key: str | None  # a column that must be unique in the file and new to the books


KINDS: dict[str, Kind] = {
    "customers": Kind("Customers", ("name",), {
        "name": _name, "email": CHECKS["email"], "phone": CHECKS["phone"],
        "credit_limit": CHECKS["credit_limit"], "payment_terms": CHECKS["payment_terms"]}, None),
    "menu_items": Kind("Menu items", ("name", "price", "category"), {
        "name": _name, "price": _money("price"), "category": _name, "kitchen_station": _text,
        "classification": _text, "code": _code}, "code"),
    "products": Kind("Products", ("name",), {
        "name": _name, "code": _code, "reorder_level": _money("reorder_level")}, "code"),
    "chart_of_accounts": Kind("Chart of accounts", ("code", "name", "type"), {
        "code": _code, "name": _name, "type": _account_type}, "code"),
}
ENTITY_TYPE = {"menu_items": "menu_item", "products": "product", "chart_of_accounts": "gl_account"}


@dataclass
class PreviewRow:
    line: int                      # line number in the file (header is line 1)
    raw: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Preview:
    kind: str
    columns: list[str]
    rows: list[PreviewRow]

    @property
    def valid(self) -> list[PreviewRow]:
        return [r for r in self.rows if r.ok]

    @property
    def invalid(self) -> list[PreviewRow]:
        return [r for r in self.rows if not r.ok]


@dataclass
class ImportResult:
    kind: str
    imported: int
    rejected: list[PreviewRow]
    rolled_back: bool

    def rejected_csv(self, columns: list[str]) -> str:
        """The rejected rows as they came, with a 'problem' column — to fix and import again."""
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=[*columns, "problem"], extrasaction="ignore")
        writer.writeheader()
        for row in self.rejected:
            writer.writerow({**row.raw, "problem": "; ".join(row.errors)})
        return out.getvalue()


class Imports:
    def __init__(self, scope: Any) -> None:
        self.scope = scope

    def preview(self, kind: str, text: str) -> Preview:
        """Check every row; write nothing."""
        spec = KINDS.get(kind)
        if spec is None:
            raise ValidationError("kind", f"must be one of {', '.join(KINDS)}")
        if not isinstance(text, str) or not text.strip():
            raise ValidationError("file", "is empty")
        reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
        columns = [c.strip().lower() for c in (reader.fieldnames or [])]
        missing = [c for c in spec.required if c not in columns]
        if missing:
            raise ValidationError("file", f"has no column {', '.join(missing)} (columns needed: "
                                          f"{', '.join(spec.required)}; optional: "
                                          f"{', '.join(c for c in spec.columns if c not in spec.required)})")
        existing = self._existing_keys(kind) if spec.key else set()
        seen: dict[str, int] = {}
        rows = []
        for n, raw in enumerate(reader, start=2):
            raw = {(k or "").strip().lower(): (v or "") for k, v in raw.items() if k}
            row = PreviewRow(line=n, raw=raw)
            for column, check in spec.columns.items():
                value = raw.get(column, "")
                if not value.strip():
                    if column in spec.required:
                        row.errors.append(f"{column} is required")
                    continue
                try:
                    row.values[column] = check(value)
                except HeraError as exc:
                    row.errors.append(f"{column}: {exc.message.split(': ', 1)[-1]}")
            key = row.values.get(spec.key) if spec.key else None
            if key is not None:
                if key in existing:
                    row.errors.append(f"{spec.key} {key} already exists in the books")
                elif key in seen:
                    row.errors.append(f"{spec.key} {key} is also on line {seen[key]}")
                else:
                    seen[key] = n
            rows.append(row)
        if not rows:
            raise ValidationError("file", "has a header but no rows")
        return Preview(kind=kind, columns=columns, rows=rows)

    def _customers_at_once(self, rows: list[PreviewRow], progress: Callable[[int, int], None] | None) -> bool:
        """All-or-nothing customers through the bulk path; False (nothing kept) if any row fails, so the
        row-by-row run can name it."""
        self.scope.require("batch.run", "run batch imports")
        try:
            with self.scope.db.write():
                for start in range(0, len(rows), 500):
                    chunk = rows[start:start + 500]
                    self.scope.customers.onboard_many([r.values for r in chunk])
                    if progress is not None:
                        progress(start + len(chunk), len(rows))
        except HeraError:
            return False
        return True

    def _existing_keys(self, kind: str) -> set[str]:
        uni = self.scope.universal
        keys: set[str] = set()
        page = uni.query_entities(entity_type=ENTITY_TYPE[kind], limit=1000, include_deleted=True)
        while True:
            keys.update(e.entity_code for e in page.entities)
            if not page.next_cursor:
                return keys
            page = uni.query_entities(entity_type=ENTITY_TYPE[kind], limit=1000, include_deleted=True,
                                      cursor=page.next_cursor)

    def run(self, preview: Preview, atomic: bool = True,
            progress: Callable[[int, int], None] | None = None) -> ImportResult:
        """Import the rows that passed the preview. Rows that failed it are reported, never written."""
        rows = preview.valid
        if atomic and preview.kind == "customers" and self._customers_at_once(rows, progress):
            return ImportResult(kind=preview.kind, imported=len(rows), rejected=list(preview.invalid),
                                rolled_back=False)
        ops = [{"type": preview.kind, "operation": "create", "data": r.values} for r in rows]
        result = self.scope.batch.process(ops, atomic=atomic, progress=progress)
        rejected = list(preview.invalid)
        failed_lines = []
        for row, error in zip(rows, result.errors):
            if error is not None:
                row.errors.append(error.message)
                rejected.append(row)
                failed_lines.append(row.line)
        if result.rolled_back:
            why = f"not imported: line {failed_lines[0]} failed and the import was all or nothing"
            for row in rows:
                if not row.errors:
                    row.errors.append(why)
                    rejected.append(row)
        rejected.sort(key=lambda r: r.line)
        return ImportResult(kind=preview.kind, imported=result.successful, rejected=rejected,
                            rolled_back=result.rolled_back)
