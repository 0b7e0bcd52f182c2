"""CSV files as spreadsheets save and open them: reading what Excel writes, writing what it cannot run.

Reading: a file may be UTF-8 (with or without a byte-order mark), UTF-16 (Excel's
"Unicode text"), or Windows-1252 (what Excel in Western Europe saves as "CSV");
its columns may be separated by commas, semicolons (Excel where the decimal mark
is a comma) or tabs. The encoding and separator are found from the file itself,
and anything a person should check (a fallback to Windows-1252) is a notice.

Writing: a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return would be run as a formula by a spreadsheet (formula injection), so every
CSV the product writes prefixes it with a single quote. Plain numbers such as
``-12.50`` are left as they are: a number is not a formula, and an export must
still add up. Reading strips that quote again, so a rejected-rows file can be
fixed and imported as it is.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence, TextIO

from ..domain.errors import ValidationError

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?\Z")
SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab"}


def safe_cell(value: Any) -> str:
    """The cell as text a spreadsheet shows and never runs."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def write_rows(stream: TextIO, rows: Iterable[Sequence[Any]], delimiter: str = ",") -> None:
    """Write rows (the header first) to an open text stream, every cell made safe."""
    out = csv.writer(stream, delimiter=delimiter)
    for row in rows:
        out.writerow([safe_cell(v) for v in row])


def csv_text(rows: Iterable[Sequence[Any]], delimiter: str = ",") -> str:
    out = io.StringIO()
    write_rows(out, rows, delimiter)
    return out.getvalue()


@dataclass(frozen=True)
class Record:
    line: int                      # the line of the file it starts on (the header is line 1)
    cells: dict[str, str]          # by column name
    extra: list[str] = field(default_factory=list)   # non-empty cells beyond the header's columns


@dataclass(frozen=True)
class CsvTable:
    columns: list[str]             # header names, trimmed, lower case, spaces as underscores
    records: list[Record]
    encoding: str                  # "UTF-8", "UTF-16" or "Windows-1252"
    delimiter: str
    notices: list[str]


def decode(data: bytes | str) -> tuple[str, str, list[str]]:
    """(text, encoding name, notices) for a file's bytes; a ValidationError if it is not a text file."""
    if isinstance(data, str):
        return data.lstrip("\ufeff"), "UTF-8", []
    if data.startswith(b"PK\x03\x04"):
        raise ValidationError("file", "is an Excel workbook, not a CSV file: in Excel choose "
                                      "File > Save As > CSV, then import that file")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16").lstrip("\ufeff"), "UTF-16", []
        except UnicodeDecodeError:
            raise ValidationError("file", "says it is UTF-16 text but is not; save it as CSV and try again") from None
    if b"\x00" in data:
        raise ValidationError("file", "is not a text file; save it as CSV and try again")
    try:
        return data.decode("utf-8-sig"), "UTF-8", []
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise ValidationError("file", "is neither UTF-8 nor Windows-1252 text; save it as "
                                      "CSV UTF-8 and try again") from None
    return text, "Windows-1252", [
        "The file is not UTF-8, so it was read as Windows-1252 (what Excel in Western Europe saves): "
        "check that accented letters look right below."]


def sniff_delimiter(text: str) -> str:
    """The separator of the header line: whichever of comma, semicolon and tab it has most of (comma if none)."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    unquoted = re.sub(r'"[^"]*"', "", header)
    counts = {d: unquoted.count(d) for d in SEPARATORS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _unescape(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_START) else cell


def read_table(data: bytes | str) -> CsvTable:
    """The file's header and records; blank lines and rows of empty cells are left out."""
    text, encoding, notices = decode(data)
    if not text.strip():
        raise ValidationError("file", "is empty")
    delimiter = sniff_delimiter(text)
    if delimiter == ";":
        notices = [*notices, "Columns are separated by semicolons, so numbers are read with a decimal "
                             "comma (12,50 is 12.50)."]
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    columns: list[str] | None = None
    records = []
    try:
        while True:
            line = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            if not any(c.strip() for c in cells):
                continue
            if columns is None:
                columns = [c.strip().lower().replace(" ", "_") for c in cells]
                continue
            named = {name: _unescape(value) for name, value in zip(columns, cells) if name}
            records.append(Record(line=line, cells=named, extra=[c for c in cells[len(columns):] if c.strip()]))
    except csv.Error as exc:
        raise ValidationError("file", f"line {reader.line_num} cannot be read as CSV ({exc})") from None
    return CsvTable(columns=columns or [], records=records, encoding=encoding, delimiter=delimiter,
                    notices=notices)
