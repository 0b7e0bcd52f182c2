"""Codes made for new entities: the next number is found by index seeks, however many entities there are."""
from __future__ import annotations

from sqlalchemy.dialects import sqlite

import factories as f
from hera_desktop.universal.entity_codes import HIGHEST_CODE


def _plan(db_path, organization_id: str, prefix: str) -> list[str]:
    compiled = HIGHEST_CODE.prepared.statement.compile(dialect=sqlite.dialect())
    values = {"org": organization_id, "type": "customer", "low": prefix + "000000", "high": prefix + "999999",
              "length": len(prefix) + 6}
    conn = f.raw(db_path)
    try:
        return [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {compiled.string}",
                                               [values.get(n, 1) for n in compiled.positiontup])]
    finally:
        conn.close()


def test_the_next_code_is_found_by_an_index_seek_not_by_reading_every_code(s, db_path):
    for i in range(30):
        f.customer(s, f"Customer {i}")
    plan = _plan(db_path, s.organization_id, "CUST-")
    assert len(plan) == 1 and plan[0].startswith("SEARCH core_entities USING COVERING INDEX"), plan
    assert "entity_code>? AND entity_code<?" in plan[0], plan
    assert not any("TEMP B-TREE" in step or step.startswith("SCAN") for step in plan), plan


def test_numbers_continue_after_the_highest_code_of_any_width(s):
    assert [f.customer(s, n).entity_code for n in ("Ann", "Bob")] == ["CUST-000001", "CUST-000002"]
    f.customer(s, "Vip", entity_code="CUST-VIP")
    f.customer(s, "Old", entity_code="CUST-42")  # typed by a person: not a number of the sequence
    assert f.customer(s, "Cleo").entity_code == "CUST-000003"
    f.customer(s, "Last", entity_code="CUST-999999")
    assert f.customer(s, "Dan").entity_code == "CUST-1000000"
    f.customer(s, "Taken", entity_code="CUST-1000002")
    assert [f.customer(s, n).entity_code for n in ("Eve", "Fay")] == ["CUST-1000003", "CUST-1000004"]
