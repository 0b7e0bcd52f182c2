"""An imported journal entry's idempotency fingerprint is the one its payload gets on the general path, so a
reference posted one way and sent again the other way replays instead of being taken for a different entry."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from hera_desktop.services.journal_import import fingerprint
from hera_desktop.services.journals import as_payload, check_entry
from hera_desktop.storage.jsoncodec import canonical
from hera_desktop.universal import idempotency

ACCOUNTS = [f"01a20000-0000-7000-8000-0000000000{n:02d}" for n in range(10)]
# Text the books accept: no unpaired surrogates, no NUL and no text-direction controls (refused in names and text).
REFUSED = "\x00" + "".join(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))
text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters=REFUSED), max_size=30)
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999"), places=2)
moments = st.one_of(st.none(), st.dates(date(2000, 1, 1), date(2030, 12, 31)).map(lambda d: d.isoformat()),
                    st.datetimes(datetime(2000, 1, 1), datetime(2030, 1, 1),
                                 timezones=st.sampled_from([timezone.utc, timezone(timedelta(hours=5))])))


@st.composite
def entries(draw):
    amounts_drawn = draw(st.lists(amounts, min_size=1, max_size=4))
    debits = [{"gl_account_id": draw(st.sampled_from(ACCOUNTS)), "amount": a, "dr_cr": "DR",
               "description": draw(st.one_of(st.none(), text)),
               "reference": draw(st.one_of(st.none(), st.just(""), text))} for a in amounts_drawn]
    credit = {"gl_account_id": draw(st.sampled_from(ACCOUNTS)), "amount": str(sum(amounts_drawn)), "dr_cr": "cr"}
    return dict(date=draw(moments), reference=draw(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters=REFUSED),
                                          min_size=1, max_size=40).filter(str.strip)),
                description=draw(st.one_of(st.none(), text)), lines=[*debits, credit],
                entry_type=draw(st.sampled_from(["imported", "manual", " opening balance "])))


@settings(max_examples=150, deadline=None)
@given(entries())
def test_an_entry_has_the_fingerprint_of_its_payload(raw):
    entry = check_entry(raw["date"], raw["reference"], raw["description"], raw["lines"], raw["entry_type"], "USD")
    assert fingerprint(entry) == idempotency.fingerprint(as_payload(entry))
    assert entry.business_context_text == canonical(entry.business_context)


def test_entries_that_differ_have_different_fingerprints():
    lines = [{"gl_account_id": ACCOUNTS[0], "amount": "10.00", "dr_cr": "DR"},
             {"gl_account_id": ACCOUNTS[1], "amount": "10", "dr_cr": "CR"}]
    base = check_entry("2025-01-15", "R-1", "Rent", lines, "imported", "USD")
    prints = {fingerprint(e) for e in (
        base,
        check_entry("2025-01-15", "R-1", "Rent", [lines[1] | {"dr_cr": "DR"}, lines[0] | {"dr_cr": "CR"}],
                    "imported", "USD"),
        check_entry("2025-01-16", "R-1", "Rent", lines, "imported", "USD"),
        check_entry("2025-01-15", "R-1", "Rent.", lines, "imported", "USD"),
        check_entry("2025-01-15", "R-1", "Rent", [lines[0] | {"reference": "x"}, lines[1]], "imported", "USD"),
    )}
    assert len(prints) == 5
    same = check_entry("2025-01-15", " R-1 ", "Rent ", [lines[0] | {"amount": Decimal("10.00")},
                                                         lines[1] | {"amount": Decimal("10.0"), "dr_cr": "cr"}],
                       "imported", "USD")
    assert fingerprint(same) == fingerprint(base)
