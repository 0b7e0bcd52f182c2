"""A long import commits in short chunks: others see it progress, a till pays meanwhile, a cancel keeps its promise."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import hera_desktop
from flows_factories import books_template, db_path, org  # noqa: F401  (fixtures: books copied from a template)
from flows_factories import balances, build_restaurant, order_items
from hera_desktop.services import import_chunks
from hera_desktop.services.import_chunks import ImportCancelled
from hera_desktop.services.progress import CancelToken


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of a few dozen entries, so a few hundred make several (the real bound is a tenth of a second)."""
    monkeypatch.setattr(import_chunks, "FIRST_CHUNK", 40)
    monkeypatch.setattr(import_chunks, "CHUNK_HOLD_S", 0.002)


def entries(s: Any, count: int, prefix: str = "IMP") -> list[dict[str, Any]]:
    cash, supplies = s.journals.account_by_code("1000").id, s.journals.account_by_code("6000").id
    return [{"date": "2025-01-15", "reference": f"{prefix}-{i}", "description": "Imported entry",
             "lines": [{"gl_account_id": supplies, "amount": f"{10 + i % 7}.25", "dr_cr": "DR"},
                       {"gl_account_id": cash, "amount": f"{10 + i % 7}.25", "dr_cr": "CR"}]}
            for i in range(count)]


def nonzero(s: Any) -> dict[str, Decimal]:
    return {code: b for code, b in balances(s).items() if b}


def journal_count(where: Any, organization_id: str) -> int:
    """The journal entries another program reading the same books sees right now."""
    other = hera_desktop.open(where)
    try:
        scope = other.scope(organization_id)
        return len(scope.txn.query(transaction_type="journal_entry", limit=1000).transactions)
    finally:
        other.close()


def test_a_long_journal_import_commits_chunk_by_chunk_and_others_see_it_progress(
        s: Any, org: Any, db_path: Any, small_chunks: None) -> None:
    seen: list[tuple[int, int, int]] = []  # done, total, what another connection saw at that moment
    results = s.journals.import_entries(
        entries(s, 300), progress=lambda done, total: seen.append((done, total, journal_count(db_path, org.id))))
    assert len(results) == 300
    assert len(seen) >= 3 and seen[-1][:2] == (300, 300)
    assert [done for done, _, _ in seen] == sorted({done for done, _, _ in seen})  # always further on
    assert all(visible == done for done, _, visible in seen)  # each chunk was committed, for everyone to see
    assert nonzero(s)["6000"] == sum(Decimal(f"{10 + i % 7}.25") for i in range(300))


def test_a_cancelled_all_or_nothing_journal_import_leaves_the_balances_as_they_were(
        hera: Any, s: Any, small_chunks: None) -> None:
    s.journals.import_entries(entries(s, 3, prefix="EARLIER"))
    before = nonzero(s)
    token = CancelToken()
    steps: list[int] = []

    def step(done: int, total: int) -> None:
        steps.append(done)
        if len(steps) == 2:
            token.cancel()  # the person presses Cancel while the second chunk is being reported

    with pytest.raises(ImportCancelled) as cancelled:
        s.journals.import_entries(entries(s, 400), progress=step, cancel=token)
    written = steps[-1]
    assert 0 < written < 400 and cancelled.value.done == written
    assert f"cancelled after {written:,} of 400 entries" in cancelled.value.message
    assert "reversed" in cancelled.value.message and "none of it counts in the balances" in cancelled.value.message
    assert nonzero(s) == before
    imported = s.txn.query(transaction_type="journal_entry", limit=1000).transactions
    assert len(imported) == 3 + 2 * written  # each entry written stays, with its reversal beside it
    assert hera.verify().intact


def test_a_journal_import_stopped_by_a_failing_callback_is_undone(s: Any, small_chunks: None) -> None:
    before = nonzero(s)

    def step(done: int, total: int) -> None:
        if done > 100:
            raise RuntimeError("the screen went away")

    with pytest.raises(hera_desktop.HeraError, match=r"The import stopped after \d+ of 400 entries \(progress: raised RuntimeError: the screen went away; the import stopped\); the \d+ entries it had posted were reversed"):
        s.journals.import_entries(entries(s, 400), progress=step)
    assert nonzero(s) == before


def customers_csv(count: int, prefix: str = "Guest") -> str:
    return "name,email\n" + "".join(f"{prefix} {i},{prefix.lower()}{i}@example.com\n" for i in range(count))


def test_a_cancelled_all_or_nothing_customer_import_keeps_no_customer_and_can_run_again(
        s: Any, small_chunks: None) -> None:
    token = CancelToken()
    preview = s.imports.preview("customers", customers_csv(300))
    result = s.imports.run(preview, atomic=True, progress=lambda done, total: token.cancel(), cancel=token)
    assert result.cancelled and result.rolled_back and result.imported == 0
    assert result.message.startswith("Cancelled: nothing imported (40 customers written before the cancel were "
                                     "removed again)")
    assert s.customers.search("guest") == []
    again = s.imports.run(s.imports.preview("customers", customers_csv(300)), atomic=True)
    assert again.imported == 300 and len(s.customers.search("guest", limit=500)) == 300


def test_a_cancelled_row_by_row_customer_import_keeps_what_it_wrote_and_says_how_many(
        s: Any, small_chunks: None) -> None:
    token = CancelToken()
    steps: list[int] = []

    def step(done: int, total: int) -> None:
        steps.append(done)
        if done >= 100:
            token.cancel()

    preview = s.imports.preview("customers", customers_csv(300))
    result = s.imports.run(preview, atomic=False, progress=step, cancel=token)
    kept = len(s.customers.search("guest", limit=500))
    assert result.cancelled and not result.rolled_back
    assert 100 <= result.imported == kept < 300
    assert result.message == (f"Cancelled: {kept} rows imported and kept; {300 - kept} not imported (save the "
                              "rejected rows to import them later).")
    assert len(result.rejected) == 300 - kept
    assert result.rejected_csv(preview.columns).count("the import was cancelled before this row") == 300 - kept


TILL = textwrap.dedent("""
    import json, sys, time
    from pathlib import Path
    import hera_desktop
    where, organization_id, items, stop = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), Path(sys.argv[4])
    books = hera_desktop.open(where)
    s = books.scope(organization_id)
    paid, failures = 0, []
    Path(str(stop) + ".ready").write_text("ready")
    while not stop.exists():
        try:
            s.restaurant.process_order(items=items, payment_method="cash")
            paid += 1
        except hera_desktop.HeraError as exc:
            failures.append(exc.message)
    books.close()
    print(json.dumps({"paid": paid, "failures": failures}))
""")


def test_a_till_in_another_program_pays_while_a_long_import_runs_and_never_fails(
        hera: Any, org: Any, s: Any, db_path: Any, tmp_path: Path) -> None:
    r = build_restaurant(hera, org, s, stock=False, customer=False)
    stop = tmp_path / "stop"
    till = subprocess.Popen([sys.executable, "-c", TILL, str(db_path), org.id, json.dumps(order_items(r, pizza=1)),
                             str(stop)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        ready = Path(str(stop) + ".ready")
        while not ready.exists() and till.poll() is None:
            pass
        chunks: list[int] = []
        s.journals.import_entries(entries(s, 6000), progress=lambda done, total: chunks.append(done))
    finally:
        stop.write_text("stop")
        out, err = till.communicate(timeout=120)
    assert till.returncode == 0, err
    outcome = json.loads(out)
    assert len(chunks) > 1  # the import let go of the books between chunks
    assert outcome["failures"] == []
    assert outcome["paid"] > 0


def test_importing_again_the_entries_a_cancel_reversed_says_they_need_new_references(
        s: Any, small_chunks: None) -> None:
    token = CancelToken()
    with pytest.raises(ImportCancelled):
        s.journals.import_entries(entries(s, 200), progress=lambda done, total: token.cancel(), cancel=token)
    with pytest.raises(hera_desktop.HeraError, match=r"IMP-0 was posted before and reversed by REVJE-\S+; give the "
                                                     r"entry a new reference to post it again \(40 such entries\)"):
        s.journals.import_entries(entries(s, 200))
    assert len(s.journals.import_entries(entries(s, 200, prefix="IMP-B"))) == 200
