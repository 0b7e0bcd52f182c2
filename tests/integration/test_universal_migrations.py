"""Opening books made by an older version upgrades them in place, after a backup, and keeps every record."""
from __future__ import annotations

import json
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine

import factories as f
import hera_desktop
from hera_desktop import StorageError
from hera_desktop.storage.database import HEAD_REVISION, MIGRATIONS
from hera_desktop.universal import chain

ORG = "01a20000-0000-7000-8000-00000000000a"
CUSTOMER = "01a20000-0000-7000-8000-00000000000b"
FIELD = "01a20000-0000-7000-8000-00000000000c"
TXN = "01a20000-0000-7000-8000-00000000000d"
LINE = "01a20000-0000-7000-8000-00000000000e"
OLD_TERMINAL = "01a20000-0000-7000-8000-00000000000f"
WHEN = "2024-05-01T10:00:00.000000Z"


def books_at_0001(path: Path) -> None:
    """A database as the first version left it, with its rows written by plain SQL."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.commit()
    engine.dispose()
    header = {"id": TXN, "organization_id": ORG, "transaction_type": "sale", "transaction_code": "SALE-OLD-000001",
              "transaction_date": "2024-05-01T12:00:00.000000", "source_entity_id": CUSTOMER,
              "target_entity_id": None, "total_amount": Decimal("25"), "currency": "EUR", "reference": "T-4",
              "description": "Lunch", "status": "posted", "smart_code": "HERA.RESTAURANT.SALES.ORDER.CORE.V1",
              "business_context": {}, "metadata": {}, "idempotency_key": None, "reversal_of": None,
              "terminal_id": OLD_TERMINAL, "chain_seq": 1, "prev_hash": chain.GENESIS, "created_at": WHEN,
              "created_by": None}
    line = {"id": LINE, "line_number": 1, "line_type": "ITEM", "entity_id": None, "quantity": Decimal("2"),
            "unit_price": Decimal("12.5"), "line_amount": Decimal("25"), "dr_cr": None, "currency": "EUR",
            "smart_code": "HERA.RESTAURANT.SALES.LINE.ITEM.V1", "description": None, "metadata": {}}
    content_hash = chain.content_hash(header, [line])
    conn = sqlite3.connect(str(path))
    with conn:
        conn.execute("INSERT INTO core_organizations (id, organization_name, organization_code, currency, status, "
                     "settings, metadata, created_at, updated_at, version) "
                     "VALUES (?, 'Trattoria Vecchia', 'ORG-OLD', 'EUR', 'active', ?, '{}', ?, ?, 1)",
                     (ORG, json.dumps({"tax_rate": "0.10"}), WHEN, WHEN))
        conn.execute("INSERT INTO core_entities (id, organization_id, entity_type, entity_name, entity_code, "
                     "smart_code, status, metadata, created_at, updated_at, version) "
                     "VALUES (?, ?, 'customer', 'Mario Rossi', 'CUST-000001', 'HERA.CRM.CUST.ENT.PROF.V1', 'active', "
                     "'{}', ?, ?, 1)", (CUSTOMER, ORG, WHEN, WHEN))
        conn.execute("INSERT INTO core_dynamic_data (id, organization_id, entity_id, field_name, field_type, "
                     "field_value_text, smart_code, created_at, updated_at, version) "
                     "VALUES (?, ?, ?, 'email', 'text', 'mario@example.com', 'HERA.CRM.CUST.DYN.EMAIL.V1', ?, ?, 1)",
                     (FIELD, ORG, CUSTOMER, WHEN, WHEN))
        conn.execute("INSERT INTO universal_transactions (id, organization_id, transaction_type, transaction_code, "
                     "transaction_date, source_entity_id, total_amount, currency, reference, description, status, "
                     "smart_code, business_context, metadata, terminal_id, chain_seq, prev_hash, content_hash, "
                     "created_at, updated_at, version) "
                     "VALUES (?, ?, 'sale', 'SALE-OLD-000001', '2024-05-01T12:00:00.000000', ?, '25', 'EUR', 'T-4', "
                     "'Lunch', 'posted', 'HERA.RESTAURANT.SALES.ORDER.CORE.V1', '{}', '{}', ?, 1, ?, ?, ?, ?, 1)",
                     (TXN, ORG, CUSTOMER, OLD_TERMINAL, chain.GENESIS, content_hash, WHEN, WHEN))
        conn.execute("INSERT INTO universal_transaction_lines (id, organization_id, transaction_id, line_number, "
                     "line_type, quantity, unit_price, line_amount, currency, smart_code, metadata, created_at) "
                     "VALUES (?, ?, ?, 1, 'ITEM', '2', '12.5', '25', 'EUR', 'HERA.RESTAURANT.SALES.LINE.ITEM.V1', "
                     "'{}', ?)", (LINE, ORG, TXN, WHEN))
    conn.close()


def revision_of(path: Path) -> str:
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        conn.close()


def backups(path: Path) -> list[Path]:
    return sorted(p for p in path.parent.iterdir() if p.name.startswith(path.name) and p.suffix == ".bak")


@pytest.fixture
def old_books(tmp_path: Path) -> Path:
    path = tmp_path / "books.db"
    books_at_0001(path)
    assert revision_of(path) == "0001"
    return path


def test_opening_old_books_upgrades_them_to_the_current_schema(old_books):
    with hera_desktop.open(old_books) as hera:
        assert hera.db.revision() == HEAD_REVISION
    assert revision_of(old_books) == HEAD_REVISION


def test_a_backup_of_the_old_file_is_made_beside_it_first(old_books):
    with hera_desktop.open(old_books) as hera:
        backup = hera.db.backup_path
    assert backup is not None and backup.exists()
    assert backup.parent == old_books.parent
    assert backups(old_books) == [backup]
    assert revision_of(backup) == "0001"  # the copy is of the books as they were
    conn = sqlite3.connect(str(backup))
    assert conn.execute("SELECT organization_name FROM core_organizations").fetchall() == [("Trattoria Vecchia",)]
    conn.close()


def test_the_old_records_read_back_after_the_upgrade(old_books):
    with hera_desktop.open(old_books) as hera:
        org = hera.organization(ORG)
        assert (org.organization_name, org.currency, org.settings["tax_rate"]) == ("Trattoria Vecchia", "EUR", "0.10")
        s = hera.scope(ORG)
        mario = s.universal.get_entity(CUSTOMER)
        assert (mario.entity_name, mario.entity_code) == ("Mario Rossi", "CUST-000001")
        assert s.universal.get_dynamic_field(CUSTOMER, "email").field_value_text == "mario@example.com"
        sale = s.txn.read(TXN)
        assert sale.total_amount == Decimal("25") and sale.lines[0].unit_price == Decimal("12.5")
        assert [t.id for t in s.txn.query(source_entity_id=CUSTOMER).transactions] == [TXN]
        assert hera.verify().intact


def test_old_customers_can_be_found_by_search_after_the_upgrade(old_books):
    with hera_desktop.open(old_books) as hera:
        s = hera.scope(ORG)
        assert [e.id for e in s.universal.search("customer", "mar")] == [CUSTOMER]
        assert [e.id for e in s.universal.search("customer", "mario@example")] == [CUSTOMER]


def test_upgraded_books_take_new_work_and_protect_old_transactions(old_books):
    with hera_desktop.open(old_books) as hera:
        s = hera.scope(ORG)
        luigi = f.customer(s, "Luigi")
        assert luigi.entity_code == "CUST-000002"
        emitted = s.txn.emit(f.sale([f.item()], source_entity_id=CUSTOMER))
        assert s.txn.read(emitted.transaction_id).currency == "EUR"
        s.txn.reverse(TXN, "HERA.RESTAURANT.SALES.ORDER.REVERSAL.V1", "entered twice")
        assert s.txn.read(TXN).reversed_by is not None
        with pytest.raises(StorageError, match="immutable"):
            with hera.db.write() as conn:
                conn.exec_driver_sql("UPDATE universal_transactions SET total_amount = '0' WHERE id = ?", (TXN,))
        assert hera.verify().intact


def test_reopening_makes_no_second_backup(old_books):
    hera_desktop.open(old_books).close()
    with hera_desktop.open(old_books) as again:
        assert again.db.backup_path is None
        assert again.db.revision() == HEAD_REVISION
    assert len(backups(old_books)) == 1


def test_new_books_need_no_backup(tmp_path):
    path = tmp_path / "new.db"
    with hera_desktop.open(path) as hera:
        assert hera.db.backup_path is None
        assert hera.db.revision() == HEAD_REVISION
    assert backups(path) == []


def test_the_migrations_build_exactly_the_tables_and_indexes_the_code_declares(tmp_path, old_books):
    """Upgraded books and new books both match ``storage/schema.py``: a query the code expects an index for has it."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from hera_desktop.storage.schema import metadata

    new_books = tmp_path / "new.db"
    for path in (old_books, new_books):
        hera_desktop.open(path).close()
        engine = create_engine(f"sqlite:///{path}")
        with engine.connect() as conn:
            differences = compare_metadata(MigrationContext.configure(conn), metadata)
        engine.dispose()
        # Only the full-text search index, which SQLite's FTS5 makes as tables of its own, is not declared there.
        assert [d for d in differences if not (d[0] == "remove_table" and d[1].name.startswith("hera_search"))] == []


def test_the_upgrade_starts_each_chains_counter_at_its_newest_transaction(old_books):
    """Old books had no counter: each chain's starts where its newest transaction is, so the next link follows
    it, and deleting it afterwards is a missing tail."""
    with hera_desktop.open(old_books) as hera:
        conn = sqlite3.connect(str(old_books))
        counters = conn.execute("SELECT organization_id, terminal_id, last_seq, last_hash "
                                "FROM hera_chain_counters").fetchall()
        old_hash = conn.execute("SELECT content_hash FROM universal_transactions WHERE id = ?", (TXN,)).fetchone()[0]
        conn.close()
        assert counters == [(ORG, OLD_TERMINAL, 1, old_hash)]
        assert hera.verify().intact and hera.verify().missing == []
