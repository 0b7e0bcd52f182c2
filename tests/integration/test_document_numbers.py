"""Receipt numbers without gaps: each kind of document counts on its own, per terminal, and no number is reused."""
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
from hera_desktop.demo import create_demo
from hera_desktop.domain.errors import CreditLimitExceededError, DuplicateError, ValidationError
from hera_desktop.storage.database import MIGRATIONS
from hera_desktop.universal import chain


@pytest.fixture
def book(hera):
    return create_demo(hera)


def numbers(codes):
    return [int(code.rsplit("-", 1)[1]) for code in codes]


def test_sale_receipts_are_consecutive_with_payments_and_stock_moves_in_between(hera, book):
    s = hera.scope(book.organization_id, actor_id=book.users["cashier"])
    m = book.menu
    orders = [s.restaurant.process_order(items=[{"menu_item_id": m["Margherita Pizza"]}],  # consumes stock
                                         payments=[{"method": "card", "amount": "5"}, {"method": "cash"}])
              for _ in range(3)]
    sales = [o.sales_transaction.transaction_code for o in orders]
    terminal = hera.terminal_id[-4:].upper()
    assert sales == [f"SALE-{terminal}-000001", f"SALE-{terminal}-000002", f"SALE-{terminal}-000003"]
    payments = [p.transaction_code for o in orders for p in o.payment_transactions]
    assert payments == [f"PAY-{terminal}-{n:06d}" for n in range(1, 7)]
    books = hera.scope(book.organization_id)
    stock = books.txn.query(transaction_type="inventory_adjustment", reference=sales[1]).transactions
    assert stock and stock[0].transaction_code.startswith(f"INV-{terminal}-")


def test_a_failed_order_uses_no_number(hera, book):
    s = hera.scope(book.organization_id, actor_id=book.users["cashier"])
    m = book.menu
    first = s.restaurant.process_order(items=[{"menu_item_id": m["Tiramisu"]}], payment_method="card")
    with pytest.raises(CreditLimitExceededError):  # the sale is written, then the payment fails: all rolls back
        s.restaurant.process_order(items=[{"menu_item_id": m["Margherita Pizza"], "quantity": 400}],
                                   customer_id=book.customers["Acme Corporation"], payment_method="on_account")
    second = s.restaurant.process_order(items=[{"menu_item_id": m["Tiramisu"]}], payment_method="card")
    assert numbers([first.sales_transaction.transaction_code, second.sales_transaction.transaction_code]) == [1, 2]
    assert numbers([first.payment_transaction.transaction_code, second.payment_transaction.transaction_code]) == [1, 2]


def test_refunds_number_on_their_own_and_sales_keep_counting(hera, book):
    cashier = hera.scope(book.organization_id, actor_id=book.users["cashier"])
    manager = hera.scope(book.organization_id, actor_id=book.users["manager"])
    m = book.menu
    sold = cashier.restaurant.process_order(items=[{"menu_item_id": m["Espresso"]}], payment_method="cash")
    manager.restaurant.refund(sold.sales_transaction.transaction_id, "Cold coffee")
    again = cashier.restaurant.process_order(items=[{"menu_item_id": m["Espresso"]}], payment_method="cash")
    terminal = hera.terminal_id[-4:].upper()
    refund = manager.txn.read(sold.sales_transaction.transaction_id).reversed_by
    assert manager.txn.read(refund).transaction_code == f"REF-{terminal}-000001"
    assert again.sales_transaction.transaction_code == f"SALE-{terminal}-000002"


def test_a_code_in_the_form_of_this_terminals_numbers_cannot_be_given(hera, s):
    terminal = hera.terminal_id[-4:].upper()
    with pytest.raises(ValidationError) as refused:
        s.txn.emit(f.sale([f.item()], transaction_code=f"SALE-{terminal}-000001"))
    assert refused.value.field == "transaction_code"
    mine = s.txn.emit(f.sale([f.item()], transaction_code="ORDER-2024-001"))
    assert mine.transaction_code == "ORDER-2024-001"
    assert s.txn.emit(f.sale([f.item()])).transaction_code == f"SALE-{terminal}-000001"


def test_a_code_is_given_once_per_kind_of_document(s):
    s.txn.emit(f.sale([f.item()], transaction_code="ORDER-2024-001"))
    with pytest.raises(DuplicateError, match="another sale is already numbered ORDER-2024-001") as refused:
        s.txn.emit(f.sale([f.item()], transaction_code="ORDER-2024-001"))
    assert refused.value.details["field"] == "transaction_code"
    with pytest.raises(DuplicateError):  # twice in one call: neither is kept
        s.txn.emit_many([f.sale([f.item()], transaction_code="ORDER-2024-002"),
                         f.sale([f.item()], transaction_code="ORDER-2024-002")])
    assert [t.transaction_code for t in s.txn.query(transaction_type="sale").transactions] == ["ORDER-2024-001"]


# ------------------------------------------------------------------ books made by the previous version

ORG = "01a30000-0000-7000-8000-00000000000a"
TERMINAL = "01a30000-0000-7000-8000-00000000beef"
WHEN = "2024-05-01T10:00:00.000000Z"


OLD_CODES = ("SALE-BEEF-000001", "PAY-BEEF-000002", "SALE-BEEF-000003")


def books_at_0005(path: Path, codes: tuple[str, str, str] = OLD_CODES) -> None:
    """Books as version 0005 left them: three transactions whose codes carry their place in the chain
    (or the ``codes`` a caller of the raw API gave them)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0005")
        conn.commit()
    engine.dispose()
    conn = sqlite3.connect(str(path))
    with conn:
        conn.execute("INSERT INTO hera_settings (key, value) VALUES ('terminal_id', ?)", (TERMINAL,))
        conn.execute("INSERT INTO core_organizations (id, organization_name, organization_code, currency, status, "
                     "settings, metadata, created_at, updated_at, version) "
                     "VALUES (?, 'Trattoria Vecchia', 'ORG-OLD', 'EUR', 'active', ?, '{}', ?, ?, 1)",
                     (ORG, json.dumps({"tax_rate": "0.10"}), WHEN, WHEN))
        prev = chain.GENESIS
        for seq, (kind, code, smart_code) in enumerate([
                ("sale", codes[0], "HERA.RESTAURANT.SALES.ORDER.CORE.V1"),
                ("payment", codes[1], "HERA.RESTAURANT.PAYMENT.CUSTOMER.V1"),
                ("sale", codes[2], "HERA.RESTAURANT.SALES.ORDER.CORE.V1")], start=1):
            txn_id, line_id = f"01a30000-0000-7000-8000-0000000001{seq:02d}", f"01a30000-0000-7000-8000-0000000002{seq:02d}"
            header = {"id": txn_id, "organization_id": ORG, "transaction_type": kind, "transaction_code": code,
                      "transaction_date": "2024-05-01T12:00:00.000000", "source_entity_id": None,
                      "target_entity_id": None, "total_amount": Decimal("10"), "currency": "EUR", "reference": None,
                      "description": None, "status": "posted", "smart_code": smart_code, "business_context": {},
                      "metadata": {}, "idempotency_key": None, "reversal_of": None, "terminal_id": TERMINAL,
                      "chain_seq": seq, "prev_hash": prev, "created_at": WHEN, "created_by": None}
            line = {"id": line_id, "line_number": 1, "line_type": "ITEM", "entity_id": None, "quantity": None,
                    "unit_price": None, "line_amount": Decimal("10"), "dr_cr": None, "currency": "EUR",
                    "smart_code": "HERA.RESTAURANT.SALES.LINE.ITEM.V1", "description": None, "metadata": {}}
            content = chain.content_hash(header, [line])
            conn.execute("INSERT INTO universal_transactions (id, organization_id, transaction_type, "
                         "transaction_code, transaction_date, total_amount, currency, status, smart_code, "
                         "business_context, metadata, terminal_id, chain_seq, prev_hash, content_hash, created_at, "
                         "updated_at, version) VALUES (?, ?, ?, ?, '2024-05-01T12:00:00.000000', '10', 'EUR', "
                         "'posted', ?, '{}', '{}', ?, ?, ?, ?, ?, ?, 1)",
                         (txn_id, ORG, kind, code, smart_code, TERMINAL, seq, prev, content, WHEN, WHEN))
            conn.execute("INSERT INTO universal_transaction_lines (id, organization_id, transaction_id, line_number, "
                         "line_type, line_amount, currency, smart_code, metadata, created_at) "
                         "VALUES (?, ?, ?, 1, 'ITEM', '10', 'EUR', 'HERA.RESTAURANT.SALES.LINE.ITEM.V1', '{}', ?)",
                         (line_id, ORG, txn_id, WHEN))
            prev = content
    conn.close()


def test_books_of_the_previous_version_upgrade_and_no_new_code_repeats_an_old_one(tmp_path):
    path = tmp_path / "old.db"
    books_at_0005(path)
    with hera_desktop.open(path) as hera:
        assert hera.terminal_id == TERMINAL
        s = hera.scope(ORG)
        sale = s.txn.emit(f.sale([f.item()]))
        payment = s.txn.emit(transaction_type="payment", smart_code="HERA.RESTAURANT.PAYMENT.CUSTOMER.V1",
                             lines=[{"line_type": "PAYMENT", "line_amount": "10",
                                     "smart_code": "HERA.RESTAURANT.PAYMENT.LINE.V1"}])
        assert sale.transaction_code == "SALE-BEEF-000004"  # after the old SALE-BEEF-000003, never 000001 again
        assert payment.transaction_code == "PAY-BEEF-000003"
        codes = [t.transaction_code for t in s.txn.query(limit=100).transactions]
        assert len(codes) == len(set(codes)) == 5
        assert hera.verify().intact


def test_the_database_itself_refuses_a_second_document_of_a_kind_with_one_code(tmp_path):
    path = tmp_path / "books.db"
    with hera_desktop.open(path) as hera:
        s = hera.scope(hera.create_organization("Trattoria", currency="EUR").id)
        s.txn.emit(f.sale([f.item()], transaction_code="ORDER-1"))
        s.txn.emit(f.sale([f.item()], transaction_type="order_copy", transaction_code="ORDER-1"))  # another kind
    raw = sqlite3.connect(str(path))
    columns = [r[1] for r in raw.execute("PRAGMA table_info(universal_transactions)")]
    copied = ", ".join("lower(hex(randomblob(18)))" if c == "id" else "chain_seq + 100" if c == "chain_seq"
                       else c for c in columns)
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):  # a writer that skips the API's check
        raw.execute(f"INSERT INTO universal_transactions ({', '.join(columns)}) SELECT {copied} "
                    "FROM universal_transactions WHERE transaction_type = 'sale'")
    raw.close()


def test_books_where_callers_repeated_a_code_upgrade_keep_it_and_take_no_new_repeat(tmp_path):
    path = tmp_path / "old.db"
    books_at_0005(path, ("ORDER-7", "PAY-1", "ORDER-7"))  # the raw API let a caller do this before
    with hera_desktop.open(path) as hera:
        s = hera.scope(ORG)
        assert [t.transaction_code for t in s.txn.query(transaction_type="sale").transactions] == ["ORDER-7"] * 2
        assert hera.verify().intact
        with pytest.raises(DuplicateError):
            s.txn.emit(f.sale([f.item()], transaction_code="ORDER-7"))
        assert s.txn.emit(f.sale([f.item()], transaction_code="ORDER-8")).transaction_code == "ORDER-8"


def test_an_import_numbers_its_entries_in_one_run_without_gaps(s) -> None:
    cash, rent = s.journals.account_by_code("1000").id, s.journals.account_by_code("6200").id

    def entry(ref: str) -> dict:
        return {"date": "2025-01-15", "reference": ref, "description": "Rent",
                "lines": [{"gl_account_id": rent, "amount": "10", "dr_cr": "DR"},
                          {"gl_account_id": cash, "amount": "10", "dr_cr": "CR"}]}

    first = s.journals.create_entry(**entry("JE-A")).journal_entry.transaction_code
    imported = s.journals.import_entries([entry("JE-B"), entry("JE-C"), entry("JE-B")])
    after = s.journals.create_entry(**entry("JE-D")).journal_entry.transaction_code
    number = lambda code: int(code.rsplit("-", 1)[1])  # noqa: E731
    codes = [r.journal_entry.transaction_code for r in imported]
    assert [number(c) for c in codes] == [number(first) + 1, number(first) + 2, number(first) + 1]
    assert number(after) == number(first) + 3
