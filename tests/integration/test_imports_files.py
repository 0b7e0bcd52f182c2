"""Importing real files: all or nothing, duplicates, Excel's European CSV, decimal commas, safe rejected rows."""
from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from hera_desktop import PermissionDeniedError, ValidationError

HEADER = "name,email,phone,credit_limit,payment_terms\n"


def customers_named(s: Any) -> list[str]:
    return sorted(e.entity_name for e in s.universal.query_entities(entity_type="customer", limit=1000).entities)


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> bytes:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path.read_bytes()


def test_all_or_nothing_writes_nothing_while_any_row_has_a_problem(s: Any, tmp_path: Path) -> None:
    good = [f"Good {i},good{i}@example.com,+1 555 02{i:02d},100,NET30" for i in range(6)]
    bad = [f"Bad {i},not-an-email-{i},,100,NET30" for i in range(6)]
    data = write(tmp_path, "mixed.csv", HEADER + "\n".join(x for pair in zip(good, bad) for x in pair) + "\n")
    preview = s.imports.preview("customers", data)
    assert (len(preview.valid), len(preview.invalid)) == (6, 6)
    result = s.imports.run(preview, atomic=True)
    assert result.imported == 0 and result.rolled_back
    assert customers_named(s) == []
    assert len(result.rejected) == 12
    assert result.message == "Nothing imported: 6 rows have problems and the import was all or nothing."
    good_row = next(r for r in result.rejected if r.raw["name"] == "Good 0")
    assert good_row.errors == ["not imported: line 3 has a problem and the import was all or nothing"]
    # the preview is untouched: the same rows can still be imported row by row
    assert len(preview.valid) == 6
    assert s.imports.run(preview, atomic=False).imported == 6


def test_duplicates_within_the_file_are_named_in_the_preview(s: Any, tmp_path: Path) -> None:
    data = write(tmp_path, "dupes.csv", HEADER + "Ann,ann@example.com,+1 555 0300,0,COD\n"
                                                 "Ann again,ANN@example.com,,0,COD\n"
                                                 "Bob,bob@example.com,+1 (555) 0301,0,COD\n"
                                                 "Bobby,,+1 555 0301,0,COD\n"
                                                 "Cleo,,,0,COD\n"
                                                 "cleo,,,0,COD\n")
    problems = {r.line: r.errors for r in s.imports.preview("customers", data).rows}
    assert problems[3] == ["email ann@example.com is also on line 2"]
    assert problems[5] == ["phone +1 555 0301 is also on line 4"]
    assert problems[7] == ["name cleo is also on line 6"]
    assert problems[2] == problems[4] == problems[6] == []
    menu = s.imports.preview("menu_items", "name,price,category,code\nSoup,4,Starters,M-SOUP\nStew,9,Mains,m-soup\n")
    assert menu.rows[1].errors == ["code m-soup is also on line 2"]


def test_importing_the_same_file_twice_does_not_double_anything(s: Any, tmp_path: Path) -> None:
    customers = write(tmp_path, "customers.csv", HEADER + "Ann,ann@example.com,,0,COD\n"
                                                          "Bob,,+1 555 0301,0,COD\nCleo,,,0,COD\n")
    products = write(tmp_path, "products.csv", "name,code,reorder_level\nFlour,P-FLOUR,20\nSalt,,5\n")
    for _ in range(2):
        s.imports.run(s.imports.preview("customers", customers))
        s.imports.run(s.imports.preview("products", products))
    assert customers_named(s) == ["Ann", "Bob", "Cleo"]
    assert sorted(p.entity_name for p in s.universal.query_entities(entity_type="product").entities) == [
        "Flour", "Salt"]
    again = s.imports.preview("customers", customers)
    assert again.valid == [] and again.invalid == []
    assert [r.existing for r in again.existing] == [
        "email ann@example.com is Ann (CUST-ANN-0001)", "phone +1 555 0301 is Bob (CUST-BOB-0001)",
        "name Cleo is Cleo (CUST-CLE-0001)"]
    result = s.imports.run(again)
    assert (result.imported, len(result.skipped), result.rejected) == (0, 3, [])
    assert result.message == "Imported 0 rows; 3 already in the books were skipped."


def test_a_customer_with_a_known_phone_written_differently_is_already_in_the_books(s: Any) -> None:
    s.customers.onboard(name="Acme Corp", email="accounts@acme.example", phone="+1 555 0100")
    preview = s.imports.preview("customers", HEADER + "ACME,,+15550100,0,COD\nNew Co,new@example.com,,0,COD\n")
    assert preview.rows[0].existing.startswith("phone +15550100 is Acme Corp (CUST-ACM-")
    result = s.imports.run(preview, atomic=True)
    assert result.imported == 1 and not result.rolled_back
    assert customers_named(s) == ["Acme Corp", "New Co"]


def test_an_account_already_in_the_chart_is_skipped_and_the_new_one_imported(s: Any) -> None:
    preview = s.imports.preview("chart_of_accounts", "code,name,type\n1000,Cash again,asset\n8000,Other,expense\n")
    assert preview.rows[0].existing.startswith("code 1000 is ")
    assert s.imports.run(preview, atomic=True).imported == 1
    assert "8000" in {a.entity_code for a in s.journals.accounts()}


def test_a_file_excel_saved_in_europe_is_read_with_its_accents_and_decimal_commas(s: Any, tmp_path: Path) -> None:
    data = write(tmp_path, "menu.csv", "name;price;category;code\r\n"
                                       "Café crème;2,50;Boissons;M-CAFE\r\n"
                                       "Crêpe Suzette;1.234,50;Desserts;M-CREPE\r\n"
                                       ";;;\r\n", encoding="cp1252")
    preview = s.imports.preview("menu_items", data)
    assert preview.described == "Windows-1252, semicolon-separated"
    assert preview.notices[0].startswith("The file is not UTF-8, so it was read as Windows-1252")
    assert "decimal comma (12,50 is 12.50)" in preview.notices[1]
    assert [r.errors for r in preview.rows] == [[], []]
    s.imports.run(preview)
    prices = {i.entity_name: i.price for i in s.restaurant.menu.items().values()}
    assert prices == {"Café crème": Decimal("2.50"), "Crêpe Suzette": Decimal("1234.50")}


def test_a_utf8_file_with_a_byte_order_mark_has_its_first_column(s: Any, tmp_path: Path) -> None:
    data = write(tmp_path, "products.csv", "name,code\r\nFlour,P-FLOUR\r\n", encoding="utf-8-sig")
    preview = s.imports.preview("products", data)
    assert preview.columns == ["name", "code"] and preview.notices == []
    assert preview.described == "UTF-8, comma-separated"
    assert s.imports.run(preview).imported == 1


def test_excels_unicode_text_is_read_too(s: Any, tmp_path: Path) -> None:
    data = write(tmp_path, "accounts.txt", "\ufeffcode\tname\ttype\r\n7000\tWerbung & Öffentlichkeit\texpense\r\n",
                 encoding="utf-16-le")
    preview = s.imports.preview("chart_of_accounts", data)
    assert preview.described == "UTF-16, tab-separated"
    assert preview.rows[0].values == {"code": "7000", "name": "Werbung & Öffentlichkeit", "type": "expense"}


def test_a_decimal_comma_is_never_read_as_a_hundred_times_the_price(s: Any, tmp_path: Path) -> None:
    comma_file = write(tmp_path, "menu.csv", 'name,price,category\nSoup,"12,50",Starters\n')
    assert s.imports.preview("menu_items", comma_file).rows[0].errors == [
        "price: '12,50' has a decimal comma, but only semicolon-separated files use one: "
        "write it with a decimal point"]
    european = write(tmp_path, "menu-eu.csv", "name;price;category\nSoup;12,50;Starters\nStew;1,250;Mains\n")
    rows = s.imports.preview("menu_items", european).rows
    assert rows[0].values["price"] == Decimal("12.50")
    assert rows[1].errors == ["price: '1,250' could mean 1.25 or 1250: write it as 1250 or as 1,25"]
    customers = write(tmp_path, "customers-eu.csv", "name;credit_limit\nAnn;1.500,00\nBob;7,5\n", "cp1252")
    limits = [r.values["credit_limit"] for r in s.imports.preview("customers", customers).rows]
    assert limits == [Decimal("1500.00"), Decimal("7.5")]


def test_a_value_with_the_separator_unquoted_is_a_problem_not_a_silent_cut(s: Any) -> None:
    preview = s.imports.preview("products", "name,code,reorder_level\nSugar,P-SUGAR,1,5\n")  # meant 1,5 kg
    assert preview.rows[0].errors == ["has 4 cells but the header has 3: a value with a comma in it needs quotes"]
    assert s.imports.run(preview).imported == 0


def test_rejected_rows_cannot_run_as_formulas_and_can_be_fixed_and_imported(s: Any, tmp_path: Path) -> None:
    data = write(tmp_path, "customers.csv", HEADER + '"=HYPERLINK(""http://evil.example"",""x"")",nope,'
                                                     "+1 555 0400,-5,@SUM(A1)\n")
    preview = s.imports.preview("customers", data)
    result = s.imports.run(preview, atomic=False)
    text = result.rejected_csv(preview.columns)
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["name"] == "'=HYPERLINK(\"http://evil.example\",\"x\")"
    assert (row["phone"], row["credit_limit"], row["payment_terms"]) == ("'+1 555 0400", "-5", "'@SUM(A1)")
    assert not any(line.startswith(("=", "+", "@")) for line in text.splitlines())
    fixed = text.replace("nope", "evil@example.com").replace(",-5,", ",5,")
    again = s.imports.preview("customers", write(tmp_path, "fixed.csv", fixed))
    assert again.rows[0].errors == []
    assert again.rows[0].values["name"].startswith("=HYPERLINK") and again.rows[0].values["phone"] == "+1 555 0400"


def test_an_excel_workbook_is_refused_in_words(s: Any, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="Excel workbook, not a CSV file"):
        s.imports.preview("customers", b"PK\x03\x04\x14\x00\x06\x00")
    with pytest.raises(ValidationError, match="must be the file"):
        s.imports.preview("customers", 12)
    with pytest.raises(ValidationError, match="preview"):
        s.imports.run("not a preview")


def test_only_people_who_may_import_see_a_preview_of_what_the_books_hold(hera: Any, org: Any, s: Any) -> None:
    cashier = s.users.create(name="Carla", role="cashier", pin="4711")
    as_cashier = hera.scope(org.id, actor_id=cashier.id)
    with pytest.raises(PermissionDeniedError, match="run batch imports"):
        as_cashier.imports.preview("customers", HEADER + "Ann,ann@example.com,,0,COD\n")
