"""CSV imports (``s.imports``): customers, menu items, products and the chart of accounts.

An import is previewed first: every row is checked, compared with the books and
with the file's other rows, and its problems listed, with nothing written. A row
that is already in the books (see ``import_matches``) is skipped, never doubled;
a menu item row with the code of an item on the menu updates that item instead
(the preview shows each change as old -> new, and a row changing nothing is
unchanged and skipped), through the menu's own ``update_item``, so a new price
is in the item's price history.
Then the rows run through the batch processor: all or nothing (nothing is
written while any row has a problem, and a row failing while written keeps
nothing), or row by row (good rows kept, rejected rows reported with their
reasons, downloadable as CSV to fix and import again).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Callable

from ..domain.contracts.batch import BatchResult
from ..domain.errors import HeraError, ValidationError
from ..domain.money import non_negative
from .csv_files import SEPARATORS, csv_text, read_table
from .customers import CHECKS
from .file_numbers import file_number
from .import_chunks import Cancel, ChunkedWrite, ImportCancelled, Progress, checked
from .import_matches import BooksIndex, keys_of, menu_changes

if TYPE_CHECKING:
    from ..app import Scope

ACCOUNT_TYPES = ("asset", "liability", "equity", "revenue", "expense")


def _name(v: str) -> str:
    if not v.strip():
        raise ValidationError("name", "is required")
    if len(v) > 255:
        raise ValidationError("name", "is longer than 255 characters")
    return v.strip()


def _money(column: str) -> Callable[[Any], Any]:
    def check(v: Any) -> Any:
        return non_negative(v, column)
    return check


def _account_type(v: str) -> str:
    if v.strip().lower() not in ACCOUNT_TYPES:
        raise ValidationError("type", f"must be one of {', '.join(ACCOUNT_TYPES)}")
    return v.strip().lower()


def _code(v: str) -> str:
    if not v.strip() or not v.strip().replace("-", "").isalnum():
        raise ValidationError("code", "must be letters, digits and dashes")
    return v.strip()


def _account_code(v: str) -> str:
    if not v.strip().isalnum():  # what the chart of accounts takes: no dashes
        raise ValidationError("code", "an account number is letters and digits, like 6300")
    return v.strip()


def _text(v: str) -> str:
    return v.strip()


@dataclass(frozen=True)
class Kind:
    label: str
    entity_type: str
    required: tuple[str, ...]
    columns: dict[str, Callable[[Any], Any]]
    numbers: tuple[str, ...] = ()  # columns read with file_number before their check


KINDS: dict[str, Kind] = {
    "customers": Kind("Customers", "customer", ("name",), {
        "name": _name, "email": CHECKS["email"], "phone": CHECKS["phone"],
        "credit_limit": CHECKS["credit_limit"], "payment_terms": CHECKS["payment_terms"]}, ("credit_limit",)),
    "menu_items": Kind("Menu items", "menu_item", ("name", "price", "category"), {
        "name": _name, "price": _money("price"), "category": _name, "kitchen_station": _text,
        "classification": _text, "code": _code}, ("price",)),
    "products": Kind("Products", "product", ("name",), {
        "name": _name, "code": _code, "reorder_level": _money("reorder_level")}, ("reorder_level",)),
    "chart_of_accounts": Kind("Chart of accounts", "gl_account", ("code", "name", "type"), {
        "code": _account_code, "name": _name, "type": _account_type}),
}


@dataclass
class PreviewRow:
    line: int                      # line number in the file (header is line 1)
    raw: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    existing: str | None = None    # why this row is already in the books; such a row is skipped
    update_of: str | None = None   # the menu item this row changes (by its code)
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)  # column -> (old, new), of update_of
    unchanged: bool = False        # the row's item is in the books just as the row has it (skipped)

    @property
    def ok(self) -> bool:
        return not self.errors and self.existing is None


@dataclass
class Preview:
    kind: str
    columns: list[str]
    rows: list[PreviewRow]
    encoding: str = "UTF-8"
    delimiter: str = ","
    notices: list[str] = field(default_factory=list)   # what a person should check before importing

    @property
    def valid(self) -> list[PreviewRow]:
        return [r for r in self.rows if r.ok]

    @property
    def invalid(self) -> list[PreviewRow]:
        return [r for r in self.rows if r.errors]

    @property
    def existing(self) -> list[PreviewRow]:
        return [r for r in self.rows if r.existing is not None and not r.errors]

    @property
    def updates(self) -> list[PreviewRow]:
        """Rows that change an item already in the books (they are among ``valid``)."""
        return [r for r in self.valid if r.update_of is not None]

    @property
    def unchanged(self) -> list[PreviewRow]:
        return [r for r in self.existing if r.unchanged]

    @property
    def described(self) -> str:
        return f"{self.encoding}, {SEPARATORS.get(self.delimiter, repr(self.delimiter))}-separated"


@dataclass
class ImportResult:
    kind: str
    imported: int
    rejected: list[PreviewRow]
    rolled_back: bool
    skipped: list[PreviewRow] = field(default_factory=list)
    delimiter: str = ","
    message: str = ""
    updated: int = 0  # of ``imported``: rows that changed an item already in the books
    cancelled: bool = False  # the person stopped the import before all its rows were written

    def rejected_csv(self, columns: list[str]) -> str:
        """The rejected rows as they came, with a 'problem' column — to fix and import again."""
        return csv_text([[*columns, "problem"],
                         *([*(row.raw.get(c, "") for c in columns), "; ".join(row.errors)] for row in self.rejected)],
                        self.delimiter)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class Imports:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope

    def preview(self, kind: str, text: str | bytes) -> Preview:
        """Check every row of the file (its text, or its bytes as read from disk); write nothing."""
        self.scope.require("batch.run", "run batch imports")  # it shows what the books hold, by email and code
        spec = KINDS.get(kind) if isinstance(kind, str) else None
        if spec is None:
            raise ValidationError("kind", f"must be one of {', '.join(KINDS)}")
        if not isinstance(text, (str, bytes)):
            raise ValidationError("file", "must be the file's text or its bytes")
        table = read_table(text)
        columns = table.columns
        missing = [c for c in spec.required if c not in columns]
        if missing:
            raise ValidationError("file", f"has no column {', '.join(missing)} (columns needed: "
                                          f"{', '.join(spec.required)}; optional: "
                                          f"{', '.join(c for c in spec.columns if c not in spec.required)})")
        if not table.records:
            raise ValidationError("file", "has a header but no rows")
        books = BooksIndex(self.scope, spec.entity_type)
        on_menu = self.scope.internal.restaurant.menu.items(sorted(set(books.live_codes.values()))) \
            if kind == "menu_items" and books.live_codes else {}
        seen: dict[tuple[str, str], int] = {}
        rows = []
        for record in table.records:
            row = PreviewRow(line=record.line, raw=record.cells)
            if record.extra:
                row.errors.append(f"has {len(columns) + len(record.extra)} cells but the header has {len(columns)}: "
                                  f"a value with a {SEPARATORS[table.delimiter]} in it needs quotes")
            self._check(spec, row, decimal_comma=table.delimiter == ";")
            keys = keys_of(kind, row.values)
            earlier = next((k for k in keys if (k.column, k.value) in seen), None)
            if earlier is not None:
                row.errors.append(f"{earlier.describe()} is also on line {seen[earlier.column, earlier.value]}")
            elif not row.errors and books.live_with_code(keys) in on_menu:
                self._compare(row, on_menu[books.live_with_code(keys)])
            elif not row.errors:
                row.existing = books.match(keys)
            for k in keys:
                seen.setdefault((k.column, k.value), row.line)
            rows.append(row)
        return Preview(kind=kind, columns=columns, rows=rows, encoding=table.encoding, delimiter=table.delimiter,
                       notices=table.notices)

    def _compare(self, row: PreviewRow, item: Any) -> None:
        """A row with the code of an item on the menu: it updates the item, or is unchanged."""
        row.changes = menu_changes(item, row.values, self.scope.organization.currency)
        if row.changes:
            row.update_of = item.id
        else:
            row.unchanged = True
            row.existing = f"code {item.entity_code} is {item.entity_name}, unchanged"

    @staticmethod
    def _check(spec: Kind, row: PreviewRow, decimal_comma: bool) -> None:
        for column, check in spec.columns.items():
            value: Any = row.raw.get(column, "")
            if not value.strip():
                if column in spec.required:
                    row.errors.append(f"{column} is required")
                continue
            try:
                if column in spec.numbers:
                    value = file_number(value, column, decimal_comma)
                row.values[column] = check(value)
            except HeraError as exc:
                row.errors.append(f"{column}: {exc.message.split(': ', 1)[-1]}")

    def _customers_at_once(self, rows: list[PreviewRow], progress: Progress | None,
                           cancel: Cancel | None) -> bool | int:
        """All-or-nothing customers through the bulk path, in chunks (``import_chunks``). True when all
        are in; False (nothing kept) if any row fails, so the row-by-row run can name it; when cancelled,
        how many had been written (and were deleted again)."""
        chunks: ChunkedWrite[Any] = ChunkedWrite(self.scope.db, len(rows), progress, cancel)
        try:
            chunks.run(lambda start, stop: self.scope.internal.customers.onboard_many(
                [r.values for r in rows[start:stop]]))
        except HeraError as exc:
            if self.scope.db.unit is not None:  # the caller's unit of work: nothing of it is kept
                return False
            self._forget([r.customer.id for r in chunks.results],
                         "import cancelled" if isinstance(exc, ImportCancelled) else "import failed")
            return len(chunks.results) if isinstance(exc, ImportCancelled) else False
        return True

    def _forget(self, customer_ids: list[str], reason: str) -> None:
        """Delete the customers a stopped all-or-nothing import had written, in chunks of their own."""
        uni = self.scope.internal.universal
        undo: ChunkedWrite[Any] = ChunkedWrite(self.scope.db, len(customer_ids))
        undo.run(lambda start, stop: [uni.delete_entity(i, reason) for i in customer_ids[start:stop]])

    def run(self, preview: Preview, atomic: bool = True, progress: Progress | None = None,
            cancel: Cancel | None = None) -> ImportResult:
        """Import the rows that passed the preview. Rows that failed it are reported, never written;
        all or nothing (``atomic``), a single such row means nothing is written at all.

        ``progress`` is called with (done, total) as rows are written; ``cancel`` (a function, or a cancel
        token) is asked between chunks of customers, or of rows kept row by row: a cancelled all-or-nothing
        import of customers keeps nothing, one kept row by row keeps the rows written and reports the rest
        as not imported."""
        self.scope.require("batch.run", "run batch imports")
        if not isinstance(preview, Preview):
            raise ValidationError("preview", "must be a preview made by imports.preview")
        checked(progress, cancel)
        rows, skipped = preview.valid, preview.existing
        done = {"kind": preview.kind, "skipped": skipped, "delimiter": preview.delimiter}
        if atomic and preview.invalid:
            why = f"not imported: line {preview.invalid[0].line} has a problem and the import was all or nothing"
            return ImportResult(imported=0, rolled_back=True, **done,
                                rejected=sorted([*preview.invalid, *(replace(r, errors=[why]) for r in rows)],
                                                key=lambda r: r.line),
                                message=f"Nothing imported: {_plural(len(preview.invalid), 'row')} "
                                        f"{'has' if len(preview.invalid) == 1 else 'have'} problems and the "
                                        "import was all or nothing.")
        if atomic and preview.kind == "customers":
            at_once = self._customers_at_once(rows, progress, cancel)
            if at_once is True:
                return ImportResult(imported=len(rows), rejected=[], rolled_back=False, **done,
                                    message=self._summary(len(rows), 0, skipped))
            if at_once is not False:
                why = "not imported: the import was cancelled and was all or nothing"
                return ImportResult(imported=0, rolled_back=True, cancelled=True, **done,
                                    rejected=sorted([*preview.invalid, *(replace(r, errors=[why]) for r in rows)],
                                                    key=lambda r: r.line),
                                    message=f"Cancelled: nothing imported ({_plural(at_once, 'customer')} written "
                                            "before the cancel were removed again).")
        ops = [{"type": preview.kind, "operation": "create", "data": r.values} if r.update_of is None else
               {"type": preview.kind, "operation": "update",
                "data": {"id": r.update_of, **{k: r.values[k] for k in r.changes}}} for r in rows]
        if atomic:
            result = self.scope.batch.process(ops, atomic=True, progress=progress)
        else:
            result, stopped_at = self._row_by_row(ops, progress, cancel)
            if stopped_at is not None:
                return self._cancelled(preview, rows[:stopped_at], result, rows[stopped_at:], done)
        # Copies: the preview stays as it was, so the same rows can be imported again another way.
        failed = [replace(row, errors=[*row.errors, error.message])
                  for row, error in zip(rows, result.errors) if error is not None]
        if result.rolled_back:
            why = f"not imported: line {failed[0].line} failed and the import was all or nothing"
            failed_lines = {r.line for r in failed}
            failed += [replace(r, errors=[why]) for r in rows if r.line not in failed_lines]
            message = (f"Nothing imported: line {failed[0].line} could not be written and the import was "
                       "all or nothing.")
        updated = sum(1 for row, out in zip(rows, result.results) if out is not None and row.update_of)
        if not result.rolled_back:
            message = self._summary(result.successful, len(preview.invalid) + len(failed), skipped, updated)
        rejected = sorted([*preview.invalid, *failed], key=lambda r: r.line)
        return ImportResult(imported=result.successful, rejected=rejected, rolled_back=result.rolled_back,
                            message=message, updated=0 if result.rolled_back else updated, **done)

    def _row_by_row(self, ops: list[dict[str, Any]], progress: Progress | None,
                    cancel: Cancel | None) -> tuple[BatchResult, int | None]:
        """The operations through the batch processor row by row, in chunks (each its own unit of work):
        the combined result, and where a cancel stopped them (None: they all ran)."""
        chunks: ChunkedWrite[BatchResult] = ChunkedWrite(self.scope.db, len(ops), None, cancel)
        stopped_at = None

        def write(start: int, stop: int) -> list[BatchResult]:
            step = None if progress is None else (lambda i, _total: progress(start + i, len(ops)))
            return [self.scope.batch.process(ops[start:stop], atomic=False, progress=step)]

        try:
            chunks.run(write)
        except ImportCancelled as exc:
            stopped_at = exc.done
        parts = chunks.results
        return BatchResult(successful=sum(p.successful for p in parts), failed=sum(p.failed for p in parts),
                           results=[r for p in parts for r in p.results], errors=[e for p in parts for e in p.errors],
                           rolled_back=False, stopped=next((p.stopped for p in parts if p.stopped), None)), stopped_at

    def _cancelled(self, preview: Preview, ran: list[PreviewRow], result: BatchResult, rest: list[PreviewRow],
                   done: dict[str, Any]) -> ImportResult:
        """A row-by-row import cancelled between chunks: the rows written stay; the rest are reported as not
        imported (in the rejected rows' file, to import later)."""
        failed = [replace(row, errors=[*row.errors, error.message])
                  for row, error in zip(ran, result.errors) if error is not None]
        waiting = [replace(r, errors=["not imported: the import was cancelled before this row"]) for r in rest]
        updated = sum(1 for row, out in zip(ran, result.results) if out is not None and row.update_of)
        return ImportResult(imported=result.successful, rolled_back=False, cancelled=True, updated=updated,
                            rejected=sorted([*preview.invalid, *failed, *waiting], key=lambda r: r.line),
                            message=f"Cancelled: {_plural(result.successful, 'row')} imported and kept; "
                                    f"{len(rest):,} not imported (save the rejected rows to import them later)"
                                    + (f"; {len(preview.invalid) + len(failed)} rejected" if
                                       preview.invalid or failed else "") + ".", **done)

    @staticmethod
    def _summary(imported: int, rejected: int, skipped: list[PreviewRow], updated: int = 0) -> str:
        parts = [f"Imported {_plural(imported, 'row')}"]
        if updated:
            parts[0] += f" ({updated} of them updating {_plural(updated, 'item')} already on the menu)"
        if rejected:
            parts.append(f"{rejected} rejected")
        unchanged = sum(1 for r in skipped if r.unchanged)
        if unchanged:
            parts.append(f"{unchanged} unchanged")
        others = len(skipped) - unchanged
        if others:
            parts.append(f"{others} already in the books {'was' if others == 1 else 'were'} skipped")
        return "; ".join(parts) + "."
