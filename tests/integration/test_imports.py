"""CSV imports: a preview that writes nothing, then atomic or row-by-row runs with a rejected-rows report."""
from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest

from hera_desktop import ValidationError

CUSTOMERS = """name,email,phone,credit_limit,payment_terms
Acme Corp,accounts@acme.example,+1 555 0100,500,NET30
Broken Email,not-an-email,,100,NET30
Carla Bianchi,carla@example.com,,abc,COD
Dino's Deli,dino@example.com,+1 555 0199,250,NET15
"""


def count(s: Any, entity_type: str) -> int:
    return len(s.universal.query_entities(entity_type=entity_type, limit=1000).entities)


def test_preview_names_each_bad_row_and_writes_nothing(s: Any) -> None:
    preview = s.imports.preview("customers", CUSTOMERS)
    assert [r.line for r in preview.invalid] == [3, 4]
    assert "email" in preview.invalid[0].errors[0]
    assert "credit_limit" in preview.invalid[1].errors[0]
    assert count(s, "customer") == 0


def test_row_by_row_keeps_the_good_rows_and_reports_exactly_the_bad_ones(s: Any) -> None:
    preview = s.imports.preview("customers", CUSTOMERS)
    result = s.imports.run(preview, atomic=False)
    assert result.imported == 2 and not result.rolled_back
    assert sorted(c.entity_name for c in s.universal.query_entities(entity_type="customer").entities) == [
        "Acme Corp", "Dino's Deli"]
    rejected = list(csv.DictReader(io.StringIO(result.rejected_csv(preview.columns))))
    assert [r["name"] for r in rejected] == ["Broken Email", "Carla Bianchi"]
    assert all(r["problem"] for r in rejected)
    acme = s.customers.search("acme")[0]
    assert acme.credit_limit == 500 and acme.status == "active"


def test_atomic_import_keeps_nothing_when_a_row_fails_while_writing(s: Any) -> None:
    text = "code,name,type\n7000,Marketing,expense\n7100,Repairs,expense\n"
    preview = s.imports.preview("chart_of_accounts", text)
    assert not preview.invalid
    s.journals.add_account("7100", "Repairs made earlier", "expense")  # someone adds it meanwhile
    result = s.imports.run(preview, atomic=True)
    assert result.rolled_back and result.imported == 0
    assert [r.line for r in result.rejected] == [2, 3]
    codes = {a.entity_code for a in s.journals.accounts()}
    assert "7000" not in codes


def test_codes_already_in_the_books_are_skipped_and_codes_twice_in_the_file_refused(s: Any) -> None:
    preview = s.imports.preview("chart_of_accounts", "code,name,type\n1000,Cash again,asset\n8000,A,expense\n"
                                                     "8000,B,expense\n9000,Odd,thing\n")
    rows = {r.line: r for r in preview.rows}
    assert rows[2].errors == [] and rows[2].existing.startswith("code 1000 is ")
    assert rows[3].errors == [] and rows[3].existing is None
    assert rows[4].errors == ["code 8000 is also on line 3"]
    assert "type" in rows[5].errors[0]


def test_menu_items_and_products_import_with_progress(s: Any) -> None:
    seen: list[tuple[int, int]] = []
    menu = s.imports.preview("menu_items", "name,price,category,kitchen_station,code\n"
                                           "Lasagne,13.50,Pasta,HOT_KITCHEN,M-LAS\nLemonade,3.20,Drinks,BAR,M-LEM\n")
    assert s.imports.run(menu, progress=lambda done, total: seen.append((done, total))).imported == 2
    assert seen[-1] == (2, 2)
    prices = {i.entity_name: i.price for i in s.restaurant.menu.items().values()}
    assert prices["Lasagne"] == Decimal("13.50") and prices["Lemonade"] == Decimal("3.20")
    products = s.imports.preview("products", "name,code,reorder_level\nFlour,P-FLOUR,20\n")
    assert s.imports.run(products).imported == 1
    flour = s.universal.query_entities(entity_type="product", entity_code="P-FLOUR").entities[0]
    assert s.universal.get_dynamic_field(flour.id, "reorder_level").field_value_number == 20


def test_a_file_without_the_needed_columns_is_refused_in_words(s: Any) -> None:
    with pytest.raises(ValidationError, match="no column price"):
        s.imports.preview("menu_items", "name,category\nSoup,Starters\n")


def test_an_all_or_nothing_customer_import_leaves_customers_like_onboarding_does(s: Any) -> None:
    rows = "\n".join(f"Guest {i},guest{i}@example.com,+1 555 01{i:02d},{i * 10},NET30" for i in range(40))
    preview = s.imports.preview("customers", "name,email,phone,credit_limit,payment_terms\n" + rows)
    steps: list[tuple[int, int]] = []
    result = s.imports.run(preview, atomic=True, progress=lambda done, total: steps.append((done, total)))
    assert result.imported == 40 and not result.rejected and steps[-1] == (40, 40)
    guest = s.customers.search("guest7@example")[0]
    assert (guest.entity_name, guest.credit_limit, guest.status) == ("Guest 7", 70, "active")
    assert s.customers.current_status(guest.id) == "active"
