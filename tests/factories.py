"""Arrange helpers: records a test needs, made through the public API with the seed's smart codes."""
from __future__ import annotations

from typing import Any

from raw_books import RawBooks

CUSTOMER = "HERA.CRM.CUST.ENT.PROF.V1"
PRODUCT = "HERA.INVENTORY.PRODUCT.ENT.V1"
SALE = "HERA.TEST.SALES.ORDER.V1"          # no posting rule is keyed by it: the emit stays as written
ITEM_LINE = "HERA.RESTAURANT.SALES.LINE.ITEM.V1"
TAX_LINE = "HERA.RESTAURANT.SALES.LINE.TAX.V1"
JOURNAL = "HERA.FINANCE.GL.JOURNAL.ENTRY.V1"
DR_LINE = "HERA.FINANCE.GL.DR.V1"
CR_LINE = "HERA.FINANCE.GL.CR.V1"
REVERSAL = "HERA.FINANCE.GL.JOURNAL.REVERSAL.V1"
HAS_STATUS = "HERA.CRM.CUST.STATUS.ACTIVE.V1"


def customer(s: Any, name: str = "Maria Rossi", **fields: Any) -> Any:
    return s.universal.create_entity({"entity_type": "customer", "entity_name": name, "smart_code": CUSTOMER,
                                      **fields})


def product(s: Any, name: str = "Flour 00", **fields: Any) -> Any:
    return s.universal.create_entity({"entity_type": "product", "entity_name": name, "smart_code": PRODUCT, **fields})


def status(s: Any, name: str = "active") -> Any:
    return s.universal.create_entity({"entity_type": "workflow_status", "entity_name": f"{name} Status",
                                      "entity_code": f"STATUS-{name.upper()}",
                                      "smart_code": f"HERA.WORKFLOW.STATUS.{name.upper()}.V1",
                                      "classification": "system"})


def gl_account(s: Any, code: str) -> Any:
    """One of the organization's default accounts, by account number."""
    found = s.universal.query_entities(entity_type="gl_account", entity_code=code).entities
    assert found, f"the default chart of accounts has no account {code}"
    return found[0]


def item(entity_id: str | None = None, quantity: Any = 1, unit_price: Any = "10.00", **extra: Any) -> dict[str, Any]:
    return {"line_type": "ITEM", "entity_id": entity_id, "quantity": quantity, "unit_price": unit_price,
            "smart_code": ITEM_LINE, **extra}


def sale(lines: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"transaction_type": "sale", "smart_code": SALE, "lines": lines, **extra}


def journal(entries: list[tuple[str, str, Any]], **extra: Any) -> dict[str, Any]:
    """A journal from (account_id, 'DR'|'CR', amount) entries, as the seed's createJournalEntry builds it."""
    lines = [{"line_type": side.lower(), "entity_id": account, "line_amount": amount, "dr_cr": side,
              "smart_code": f"HERA.FINANCE.GL.{side}.V1"} for account, side, amount in entries]
    return {"transaction_type": "journal_entry", "smart_code": JOURNAL, "lines": lines, **extra}


# ------------------------------------------------------------------ looking under the API

def raw(path: Any) -> RawBooks:
    """A plain driver connection (see raw_books), as someone tampering with the books would have."""
    return RawBooks(path)


def count(path: Any, table: str) -> int:
    conn = raw(path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


def tables(conn: RawBooks) -> list[str]:
    return conn.tables()


def snapshot(source: Any, organization_id: str | None = None) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (or only one organization's rows), in a stable order."""
    conn = source if isinstance(source, RawBooks) else raw(source)
    try:
        out: dict[str, list[tuple[Any, ...]]] = {}
        for table in tables(conn):
            columns = conn.columns(table)
            if organization_id is None:
                rows = conn.execute(f'SELECT * FROM "{table}"').fetchall()
            elif "organization_id" in columns:
                rows = conn.execute(f'SELECT * FROM "{table}" WHERE organization_id = ?', (organization_id,)).fetchall()
            elif table == "core_organizations":
                rows = conn.execute("SELECT * FROM core_organizations WHERE id = ?", (organization_id,)).fetchall()
            else:
                continue
            out[table] = sorted(rows, key=repr)
        return out
    finally:
        if conn is not source:
            conn.close()
