"""Transactions through ``s.txn``: emit, read, query, reverse; exact balances; idempotency; immutability."""
from __future__ import annotations

import hashlib
import sqlite3
from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import text

import factories as f
from hera_desktop import (AlreadyReversedError, IdempotencyConflictError, InvalidSmartCodeError, NotFoundError,
                          StorageError, UnbalancedTransactionError, ValidationError)
from hera_desktop.domain import contracts
from hera_desktop.domain.ids import new_id
from hera_desktop.storage.jsoncodec import canonical, canonical_by_value
from hera_desktop.universal import idempotency


# ------------------------------------------------------------------ emit & read


def test_emit_computes_line_amounts_and_the_header_total(s):
    pasta, wine = f.product(s, "Pasta"), f.product(s, "Wine")
    emitted = s.txn.emit(f.sale([
        f.item(pasta.id, quantity=2, unit_price="12.50"),
        f.item(wine.id, quantity=3, unit_price=0.1),                    # a float, taken through str()
        {"line_type": "TAX", "line_amount": "1.28", "smart_code": f.TAX_LINE},
    ], reference="TABLE-5", description="Dinner"))
    assert emitted.total_amount == Decimal("26.58")
    txn = s.txn.read(emitted.transaction_id)
    assert txn.id == emitted.transaction_id and txn.transaction_code == emitted.transaction_code
    assert txn.total_amount == Decimal("26.58") and txn.currency == "USD" and txn.status == "posted"
    assert (txn.reference, txn.description, txn.transaction_type) == ("TABLE-5", "Dinner", "sale")
    assert [ln.line_number for ln in txn.lines] == [1, 2, 3]
    assert [ln.line_amount for ln in txn.lines] == [Decimal("25"), Decimal("0.3"), Decimal("1.28")]
    assert txn.lines[1].quantity == Decimal("3") and txn.lines[1].unit_price == Decimal("0.1")
    assert txn.reversed_by is None and not txn.is_reversed


def test_read_without_lines(s):
    emitted = s.txn.emit(f.sale([f.item()]))
    assert s.txn.read(emitted.transaction_id, include_lines=False).lines == []


def test_explicit_line_amount_is_kept(s):
    emitted = s.txn.emit(f.sale([f.item(quantity=3, unit_price="3.33", line_amount="10.00")]))
    assert s.txn.read(emitted.transaction_id).lines[0].line_amount == Decimal("10.00")


def test_lines_keep_their_given_numbers_in_order(s):
    emitted = s.txn.emit(f.sale([f.item(line_number=20), f.item(line_number=10)]))
    assert [ln.line_number for ln in s.txn.read(emitted.transaction_id).lines] == [10, 20]


def test_a_line_number_used_twice_is_refused(s, db_path):
    with pytest.raises(ValidationError, match="line number 1 is used twice"):
        s.txn.emit(f.sale([f.item(line_number=1), f.item(line_number=1)]))
    assert f.count(db_path, "universal_transactions") == 0


def test_a_header_total_that_disagrees_with_the_lines_is_refused(s):
    with pytest.raises(ValidationError) as err:
        s.txn.emit(f.sale([f.item(quantity=2, unit_price="5")], total_amount="11"))
    assert err.value.field == "total_amount"
    assert "10" in str(err.value)


def test_a_transaction_needs_a_line(s):
    with pytest.raises(ValidationError) as err:
        s.txn.emit(f.sale([]))
    assert err.value.field == "lines"


def test_transaction_codes_are_unique_and_readable(s):
    codes = [s.txn.emit(f.sale([f.item()])).transaction_code for _ in range(3)]
    assert len(set(codes)) == 3
    assert all(code.startswith("SALE-") for code in codes)


def test_referenced_entities_must_exist_and_be_live(s):
    gone = f.product(s, "Discontinued")
    s.universal.delete_entity(gone.id, "no longer sold")
    with pytest.raises(NotFoundError, match="lines.entity_id"):
        s.txn.emit(f.sale([f.item(new_id())]))
    with pytest.raises(NotFoundError, match="source_entity_id"):
        s.txn.emit(f.sale([f.item()], source_entity_id=new_id()))
    with pytest.raises(ValidationError) as err:
        s.txn.emit(f.sale([f.item(gone.id)]))
    assert err.value.field == "lines.entity_id"


def test_an_unknown_transaction_is_not_found(s):
    with pytest.raises(NotFoundError):
        s.txn.read(new_id())


def test_the_transaction_date_is_kept_as_the_business_day(s):
    emitted = s.txn.emit(f.sale([f.item()], transaction_date="2024-03-15"))
    assert s.txn.read(emitted.transaction_id).transaction_date.startswith("2024-03-15T00:00:00")


# ------------------------------------------------------------------ query


@pytest.fixture
def history(s):
    """Sales and payments over three days in March 2024."""
    anna, bruno = f.customer(s, "Anna"), f.customer(s, "Bruno")
    made = {}
    for day, who, kind, code in [(1, anna, "sale", f.SALE), (1, bruno, "sale", f.SALE),
                                 (2, anna, "payment", "HERA.TEST.PAYMENT.CUSTOMER.V1"),
                                 (3, bruno, "sale", "HERA.TEST.SALES_X.ORDER.V1")]:
        emitted = s.txn.emit({"transaction_type": kind, "smart_code": code, "source_entity_id": who.id,
                              "transaction_date": datetime(2024, 3, day, 21, 30), "reference": f"R{day}",
                              "lines": [f.item()]})
        made.setdefault(kind, []).append(emitted.transaction_id)
        made.setdefault(who.entity_name, []).append(emitted.transaction_id)
        made.setdefault(day, []).append(emitted.transaction_id)
    return made


def ids(page):
    return [t.id for t in page.transactions]


def test_query_by_type_and_source(s, history):
    assert ids(s.txn.query(transaction_type="sale")) == history["sale"]
    anna = s.universal.query_entities(entity_type="customer", entity_name="Anna").entities[0]
    assert ids(s.txn.query(source_entity_id=anna.id)) == history["Anna"]
    assert ids(s.txn.query(transaction_type="payment", source_entity_id=anna.id)) == history["payment"]
    assert ids(s.txn.query(reference="R3")) == history[3]


def test_query_newest_first_pages_backwards_and_keeps_its_cursors_to_its_order(s, history):
    every = history[1] + history[2] + history[3]
    seen, cursor = [], None
    while True:
        page = s.txn.query(newest_first=True, limit=1, cursor=cursor)
        seen += ids(page)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == every[::-1]
    first = s.txn.query(newest_first=True, limit=2)
    assert ids(s.txn.query(newest_first=True, cursor=first.next_cursor)) == every[::-1][2:]
    with pytest.raises(ValidationError, match="cursor"):
        s.txn.query(cursor=first.next_cursor)  # a newest-first cursor does not go on oldest first
    with pytest.raises(ValidationError, match="newest_first"):
        s.txn.query(newest_first="yes")


def test_query_by_smart_code_prefix_and_wildcard(s, history):
    assert ids(s.txn.query(smart_code_like="HERA.TEST.SALES")) == history[1] + history[3]
    assert ids(s.txn.query(smart_code_like="HERA.TEST.SALES.")) == history[1]           # '.' is literal
    assert ids(s.txn.query(smart_code_like="HERA.TEST.SALES_X")) == history[3]          # '_' is literal
    assert ids(s.txn.query(smart_code_like="HERA.TEST.*.CUSTOMER.V1")) == history[2]
    assert ids(s.txn.query(smart_code_like="HERA.TEST.SALES%ORDER.V1")) == history[1] + history[3]
    assert s.txn.query(smart_code_like="HERA.FINANCE.GL.").transactions == []


def test_query_by_date_range_with_text_dates_includes_whole_days(s, history):
    assert ids(s.txn.query(date_from="2024-03-02")) == history[2] + history[3]
    assert ids(s.txn.query(date_to="2024-03-02")) == history[1] + history[2]
    assert ids(s.txn.query(date_from="2024-03-02", date_to="2024-03-02")) == history[2]
    assert s.txn.query(date_from="2024-03-04").transactions == []


def test_query_by_date_range_with_date_objects_includes_whole_days(s, history):
    assert ids(s.txn.query(date_from=date(2024, 3, 2), date_to=date(2024, 3, 2))) == history[2]
    assert ids(s.txn.query(date_to=date(2024, 3, 1))) == history[1]


def test_query_by_date_time_bounds(s, history):
    assert ids(s.txn.query(date_from=datetime(2024, 3, 1, 21, 30), date_to=datetime(2024, 3, 2, 21, 29))) == history[1]


def test_a_bad_date_bound_names_the_field(s, subtests):
    for bad in ["last tuesday", "2024-02-30", 20240301, "0001-01-01"]:
        for bound in ("date_from", "date_to"):
            with subtests.test(bound=bound, value=bad), pytest.raises(ValidationError) as err:
                s.txn.query(**{bound: bad})
            assert err.value.field == bound


def test_query_includes_lines_only_when_asked(s, history):
    assert all(t.lines == [] for t in s.txn.query().transactions)
    assert all(len(t.lines) == 1 for t in s.txn.query(include_lines=True).transactions)


def test_cursor_pages_through_transactions_in_order_while_more_are_emitted(s):
    made = [s.txn.emit(f.sale([f.item()])).transaction_id for _ in range(25)]
    seen, cursor, later = [], None, []
    while True:
        page = s.txn.query(transaction_type="sale", limit=10, cursor=cursor)
        seen += ids(page)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
        later.append(s.txn.emit(f.sale([f.item()])).transaction_id)
    assert seen == made + later
    assert len(set(seen)) == len(seen)


# ------------------------------------------------------------------ reverse


def test_reversal_mirrors_the_lines_and_links_both_ways(s):
    pasta = f.product(s, "Pasta")
    original = s.txn.emit(f.sale([f.item(pasta.id, quantity=2, unit_price="12.50"),
                                  {"line_type": "TAX", "line_amount": "1.25", "smart_code": f.TAX_LINE}],
                                 reference="TABLE-5"))
    reversal = s.txn.reverse(original.transaction_id, "HERA.TEST.SALES.REVERSAL.V1", "wrong table")
    assert reversal.transaction_id != original.transaction_id
    assert reversal.total_amount == Decimal("-26.25")

    first = s.txn.read(original.transaction_id)
    mirror = s.txn.read(reversal.transaction_id)
    assert first.reversed_by == reversal.transaction_id and first.is_reversed
    assert mirror.reversal_of == original.transaction_id and mirror.reversed_by is None
    assert mirror.business_context["reversal_reason"] == "wrong table"
    assert first.transaction_code in mirror.description and "wrong table" in mirror.description
    assert mirror.reference == "TABLE-5" and mirror.transaction_type == "sale"
    assert [(ln.entity_id, ln.quantity, ln.unit_price, ln.line_amount) for ln in mirror.lines] == [
        (pasta.id, Decimal("-2"), Decimal("12.5"), Decimal("-25")), (None, None, None, Decimal("-1.25"))]
    assert first.total_amount + mirror.total_amount == 0


def test_reversing_a_journal_swaps_debits_and_credits(s):
    cash, rent = f.gl_account(s, "1000"), f.gl_account(s, "6200")
    original = s.txn.emit(f.journal([(rent.id, "DR", "1200.00"), (cash.id, "CR", "1200.00")]))
    reversal = s.txn.reverse(original.transaction_id, f.REVERSAL, "paid twice")
    mirror = s.txn.read(reversal.transaction_id)
    assert [(ln.entity_id, ln.dr_cr, ln.line_amount) for ln in mirror.lines] == [
        (rent.id, "CR", Decimal("1200")), (cash.id, "DR", Decimal("1200"))]
    assert mirror.total_amount == Decimal("1200")


def test_reversing_twice_is_refused(s, db_path):
    original = s.txn.emit(f.sale([f.item()]))
    s.txn.reverse(original.transaction_id, "HERA.TEST.SALES.REVERSAL.V1", "mistake")
    with pytest.raises(AlreadyReversedError, match="already reversed"):
        s.txn.reverse(original.transaction_id, "HERA.TEST.SALES.REVERSAL.V1", "mistake again")
    assert f.count(db_path, "universal_transactions") == 2


def test_a_reversal_cannot_itself_be_reversed(s, db_path):
    original = s.txn.emit(f.sale([f.item()]))
    reversal = s.txn.reverse(original.transaction_id, "HERA.TEST.SALES.REVERSAL.V1", "mistake")
    with pytest.raises(AlreadyReversedError, match="itself a reversal"):
        s.txn.reverse(reversal.transaction_id, "HERA.TEST.SALES.REVERSAL.V1", "undo the undo")
    assert f.count(db_path, "universal_transactions") == 2


def test_a_reversal_needs_a_reason(s, db_path, subtests):
    original = s.txn.emit(f.sale([f.item()]))
    for reason in ["", "  ", None, 42]:
        with subtests.test(reason=reason), pytest.raises(ValidationError) as err:
            s.txn.reverse(original.transaction_id, "HERA.TEST.SALES.REVERSAL.V1", reason)
        assert err.value.field == "reason"
    assert s.txn.read(original.transaction_id).reversed_by is None
    assert f.count(db_path, "universal_transactions") == 1


def test_a_reversal_needs_a_valid_smart_code(s):
    original = s.txn.emit(f.sale([f.item()]))
    with pytest.raises(InvalidSmartCodeError):
        s.txn.reverse(original.transaction_id, "REVERSAL", "mistake")


def test_a_long_reason_is_kept_and_the_reversal_still_recorded(s):
    original = s.txn.emit(f.sale([f.item()]))
    reason = "The guest was charged for another table's order. " * 60
    reversal = s.txn.reverse(original.transaction_id, "HERA.TEST.SALES.REVERSAL.V1", reason)
    mirror = s.txn.read(reversal.transaction_id)
    assert mirror.business_context["reversal_reason"].startswith("The guest was charged")
    assert s.txn.read(original.transaction_id).reversed_by == reversal.transaction_id


def test_a_reversal_date_is_validated_like_any_transaction_date(s, db_path):
    original = s.txn.emit(f.sale([f.item()]))
    with pytest.raises(ValidationError) as err:
        s.txn.reverse(original.transaction_id, "HERA.TEST.SALES.REVERSAL.V1", "mistake", transaction_date="soon")
    assert err.value.field == "transaction_date"
    assert f.count(db_path, "universal_transactions") == 1
    dated = s.txn.reverse(original.transaction_id, "HERA.TEST.SALES.REVERSAL.V1", "mistake",
                          transaction_date="2024-04-01")
    assert s.txn.read(dated.transaction_id).transaction_date.startswith("2024-04-01")


# ------------------------------------------------------------------ immutability


def test_the_client_offers_no_way_to_change_a_transaction(s):
    verbs = [name for name in dir(s.txn) if not name.startswith("_")]
    assert not [v for v in verbs if any(word in v for word in ("update", "delete", "remove", "edit", "set_"))]


def test_the_database_itself_refuses_changes_to_transactions(s, db_path, subtests):
    emitted = s.txn.emit(f.sale([f.item(quantity=1, unit_price="9.99")]))
    before = f.snapshot(db_path)
    conn = f.raw(db_path)
    for statement in ["UPDATE universal_transactions SET total_amount = '0'",
                      "UPDATE universal_transactions SET description = 'edited' WHERE id = :id",
                      "DELETE FROM universal_transactions WHERE id = :id",
                      "UPDATE universal_transaction_lines SET line_amount = '0'",
                      "DELETE FROM universal_transaction_lines"]:
        with subtests.test(statement=statement):
            with pytest.raises(conn.error, match="immutable"):  # the database's own refusal, via its own driver
                conn.execute(statement.replace(":id", "?"), (emitted.transaction_id,) if ":id" in statement else ())
            with pytest.raises(StorageError, match="immutable"):
                with s.db.write() as sa_conn:
                    sa_conn.execute(text(statement), {"id": emitted.transaction_id})
    conn.close()
    assert f.snapshot(db_path) == before
    assert s.txn.read(emitted.transaction_id).total_amount == Decimal("9.99")


# ------------------------------------------------------------------ balance


def test_a_balanced_journal_is_recorded_with_its_debit_total(s):
    cash, supplies = f.gl_account(s, "1000"), f.gl_account(s, "6000")
    emitted = s.txn.emit(f.journal([(supplies.id, "DR", "45.10"), (cash.id, "CR", "45.10")]))
    assert emitted.total_amount == Decimal("45.10")


def test_three_tenths_balance_exactly(s):
    cash, supplies = f.gl_account(s, "1000"), f.gl_account(s, "6000")
    emitted = s.txn.emit(f.journal([(supplies.id, "DR", 0.1)] * 3 + [(cash.id, "CR", 0.3)]))
    assert emitted.total_amount == Decimal("0.3")


def test_an_unbalanced_journal_is_refused_with_both_totals_and_nothing_is_written(s, db_path):
    cash, supplies = f.gl_account(s, "1000"), f.gl_account(s, "6000")
    before = f.snapshot(db_path)
    with pytest.raises(UnbalancedTransactionError) as err:
        s.txn.emit(f.journal([(supplies.id, "DR", "100.00"), (cash.id, "CR", "99.99")]))
    assert "100.00" in str(err.value) and "99.99" in str(err.value)
    assert err.value.total_debits == Decimal("100.00") and err.value.total_credits == Decimal("99.99")
    assert f.snapshot(db_path) == before


@pytest.mark.parametrize("currency, debit", [("USD", "10.01"), ("KWD", "10.001")])
def test_a_difference_of_one_minor_unit_is_unbalanced(s, currency, debit):
    cash, supplies = f.gl_account(s, "1000"), f.gl_account(s, "6000")
    with pytest.raises(UnbalancedTransactionError):
        s.txn.emit(f.journal([(supplies.id, "DR", debit), (cash.id, "CR", "10")], currency=currency))


def test_gl_smart_codes_must_balance_even_without_asking(s):
    cash, supplies = f.gl_account(s, "1000"), f.gl_account(s, "6000")
    with pytest.raises(UnbalancedTransactionError):
        s.txn.emit(f.journal([(supplies.id, "DR", 5)], smart_code="HERA.FINANCE.GL.ACCRUAL.ENTRY.V1"))


def test_require_balance_applies_to_any_smart_code(s, db_path):
    lines = [{"line_type": "dr", "line_amount": "3", "dr_cr": "DR", "smart_code": f.DR_LINE},
             {"line_type": "cr", "line_amount": "2", "dr_cr": "CR", "smart_code": f.CR_LINE}]
    with pytest.raises(UnbalancedTransactionError, match="debits 3 vs credits 2"):
        s.txn.emit(f.sale(lines, require_balance=True))
    assert f.count(db_path, "universal_transactions") == 0
    s.txn.emit(f.sale(lines))  # without the flag a sale may carry one-sided lines


def test_balance_is_per_currency(s):
    cash, sales = f.gl_account(s, "1000"), f.gl_account(s, "4000")

    def line(account, side, amount, currency):
        return {"line_type": side.lower(), "entity_id": account.id, "line_amount": amount, "dr_cr": side,
                "currency": currency, "smart_code": f"HERA.FINANCE.GL.{side}.V1"}

    both = s.txn.emit({"transaction_type": "journal_entry", "smart_code": f.JOURNAL, "lines": [
        line(cash, "DR", "10", "USD"), line(sales, "CR", "10", "USD"),
        line(cash, "DR", "7", "EUR"), line(sales, "CR", "7", "EUR")]})
    assert len(s.txn.read(both.transaction_id).lines) == 4
    with pytest.raises(UnbalancedTransactionError, match="in (USD|EUR)"):
        s.txn.emit({"transaction_type": "journal_entry", "smart_code": f.JOURNAL, "lines": [
            line(cash, "DR", "10", "USD"), line(sales, "CR", "10", "EUR")]})


def test_every_line_of_a_balanced_entry_is_a_positive_debit_or_credit(s, db_path, subtests):
    cash, supplies = f.gl_account(s, "1000"), f.gl_account(s, "6000")
    for change, field in [({"dr_cr": None}, "lines.1.dr_cr"), ({"line_amount": "-5"}, "lines.1.line_amount"),
                          ({"line_amount": "0"}, "lines.1.line_amount")]:
        payload = f.journal([(supplies.id, "DR", "5"), (cash.id, "CR", "5")])
        payload["lines"][1] |= change
        with subtests.test(change=change), pytest.raises(ValidationError) as err:
            s.txn.emit(payload)
        assert err.value.field == field
    assert f.count(db_path, "universal_transactions") == 0


# ------------------------------------------------------------------ idempotency


def test_the_same_key_and_payload_returns_the_first_result_and_writes_nothing(s, db_path):
    payload = f.sale([f.item(quantity=2, unit_price="4.50")], idempotency_key="draft-7f3a")
    first = s.txn.emit(payload)
    before = f.snapshot(db_path)
    again = s.txn.emit(payload)
    assert again.transaction_id == first.transaction_id
    assert again.transaction_code == first.transaction_code and again.total_amount == first.total_amount
    assert again.replayed and not first.replayed
    assert f.snapshot(db_path) == before
    assert f.count(db_path, "universal_transactions") == 1


def test_the_same_key_with_a_different_payload_is_a_conflict(s, db_path):
    first = s.txn.emit(f.sale([f.item(quantity=2, unit_price="4.50")], idempotency_key="draft-7f3a"))
    before = f.snapshot(db_path)
    with pytest.raises(IdempotencyConflictError, match="draft-7f3a") as err:
        s.txn.emit(f.sale([f.item(quantity=3, unit_price="4.50")], idempotency_key="draft-7f3a"))
    assert err.value.details["transaction_id"] == first.transaction_id
    assert f.snapshot(db_path) == before


def test_a_retry_that_writes_an_amount_differently_is_the_same_payload(s, db_path):
    first = s.txn.emit(f.sale([f.item(quantity=2, unit_price="4.50")], idempotency_key="draft-7f3a"))
    before = f.snapshot(db_path)
    again = s.txn.emit(f.sale([f.item(quantity=Decimal("2.0"), unit_price=4.5)], idempotency_key="draft-7f3a"))
    assert again.replayed and again.transaction_id == first.transaction_id
    assert f.snapshot(db_path) == before


def test_keys_stored_by_earlier_versions_still_replay(s, db_path, subtests):
    """Earlier versions stored other fingerprints: canonical JSON of the payload, with amounts as written ("4.50"
    was not 4.5), then with amounts by value. Their keys must keep replaying, and keep refusing other payloads."""
    first = s.txn.emit(f.sale([f.item(quantity=2, unit_price="4.50")], idempotency_key="draft-new"))
    for n, encode in enumerate((canonical, canonical_by_value)):
        key = f"draft-old-{n}"
        payload = f.sale([f.item(quantity=2, unit_price="4.50")], idempotency_key=key)
        model = contracts.parse(contracts.TxnEmit, payload)
        # Earlier versions had no ids chosen by callers, in the payload or its lines.
        dumped = model.model_dump(exclude={"organization_id": True, "id": True, "lines": {"__all__": {"id"}}})
        stored = hashlib.sha256(encode(dumped).encode()).hexdigest()
        assert stored != idempotency.fingerprint(model)
        conn = sqlite3.connect(db_path)
        with conn:  # the row as an earlier version would have stored it (inserting is allowed, changing is not)
            columns = [r[1] for r in conn.execute("PRAGMA table_info(universal_transactions)")]
            values = {c: f"src.{c}" for c in columns}
            values.update(id=f"'old-{n}'", transaction_code=f"'OLD-{n}'", idempotency_key=f"'{key}'",
                          idempotency_fingerprint=f"'{stored}'", chain_seq=f"src.chain_seq + {1000 + n}")
            conn.execute(f"INSERT INTO universal_transactions ({', '.join(columns)}) SELECT "
                         f"{', '.join(values[c] for c in columns)} FROM universal_transactions AS src WHERE id = ?",
                         (first.transaction_id,))
        conn.close()
        before = f.snapshot(db_path)
        with subtests.test(fingerprint=encode.__name__):
            again = s.txn.emit(payload)
            assert again.replayed and again.transaction_id == f"old-{n}"
            assert f.snapshot(db_path) == before
            with pytest.raises(IdempotencyConflictError):
                s.txn.emit(f.sale([f.item(quantity=3, unit_price="4.50")], idempotency_key=key))


def test_idempotency_keys_are_per_organization(hera, s):
    other = hera.scope(hera.create_organization("Luigi's Pizzeria").id)
    mine = s.txn.emit(f.sale([f.item()], idempotency_key="draft-1"))
    theirs = other.txn.emit(f.sale([f.item()], idempotency_key="draft-1"))
    assert theirs.transaction_id != mine.transaction_id and not theirs.replayed
    assert other.txn.read(theirs.transaction_id).organization_id == other.organization_id


def test_a_transaction_can_be_reversed_after_what_it_references_was_deleted(s):
    wine, anna = f.product(s, "Old vintage"), f.customer(s, "Anna")
    sale = s.txn.emit(f.sale([f.item(wine.id, 1, "40")], source_entity_id=anna.id))
    s.universal.delete_entity(wine.id, "no longer sold")
    s.universal.delete_entity(anna.id, "asked to be forgotten")
    reversal = s.txn.reverse(sale.transaction_id, "HERA.TEST.SALES.REVERSAL.V1", "refund")
    mirror = s.txn.read(reversal.transaction_id)
    assert (mirror.source_entity_id, mirror.lines[0].entity_id) == (anna.id, wine.id)
    assert s.txn.read(sale.transaction_id).reversed_by == reversal.transaction_id
    with pytest.raises(ValidationError):  # new work still may not use them
        s.txn.emit(f.sale([f.item(wine.id)]))
