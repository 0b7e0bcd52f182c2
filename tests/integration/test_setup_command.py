"""``hera-desktop setup``: a business of one's own on empty books, without a window, as an installer or a person
runs it; and the same setup from Python on either database (all or nothing, the owner an admin who signs in)."""
from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import hera_desktop
from hera_desktop import ValidationError
from hera_desktop.business_setup import new_business

OWNER, PIN = "Giulia Bianchi", "482915"


def run(*args: str, pin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "HERA_OWNER_PIN"}
    if pin is not None:
        env["HERA_OWNER_PIN"] = pin
    return subprocess.run([sys.executable, "-m", "hera_desktop", *args], capture_output=True, text=True,
                          timeout=120, env=env)


def setup(books: Path, *extra: str, pin: str | None = None) -> subprocess.CompletedProcess[str]:
    return run("--database", str(books), "setup", "--name", "Trattoria Bianchi", "--currency", "eur",
               "--owner", OWNER, *extra, pin=pin)


def one_sentence(done: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in done.stderr + done.stdout
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    return done.stderr.strip()


def organizations(books: Path) -> list[hera_desktop.Organization]:
    with hera_desktop.open(books, create=False) as hera:
        return hera.list_organizations()


def test_setup_creates_the_business_its_settings_chart_and_an_owner_who_signs_in(tmp_path: Path) -> None:
    books = tmp_path / "books.db"
    done = setup(books, "--owner-pin", PIN, "--address", "Via Roma 1\n00100 Roma", "--tax-id", "IT01234567890",
                 "--receipt-footer", "Grazie!", "--time-zone", "Europe/Rome", "--day-cutoff", "05:00",
                 "--tax-rate", "0.10", "--tax-label", "IVA", "--prices-include-tax")
    assert done.returncode == 0, done.stderr
    [org] = organizations(books)
    assert f"Created Trattoria Bianchi ({org.id})" in done.stdout
    assert (org.organization_name, org.currency) == ("Trattoria Bianchi", "EUR")
    assert {k: org.settings[k] for k in ("address", "tax_id", "receipt_footer", "time_zone", "day_cutoff",
                                         "tax_rate", "tax_label", "prices_include_tax")} == {
        "address": "Via Roma 1\n00100 Roma", "tax_id": "IT01234567890", "receipt_footer": "Grazie!",
        "time_zone": "Europe/Rome", "day_cutoff": "05:00", "tax_rate": "0.10", "tax_label": "IVA",
        "prices_include_tax": True}
    with hera_desktop.open(books) as hera:
        s = hera.scope(org.id)
        [owner] = s.users.list()  # the sign-in screen's list
        assert (owner["name"], owner["role"]) == (OWNER, "admin")
        assert s.users.authenticate(owner["id"], PIN).entity_name == OWNER
        assert s.chart_of_accounts.tree() and s.posting.rules(), "the default chart and posting rules are in"
        assert hera.scope(org.id, actor_id=owner["id"]).allows("settings.manage")


def test_a_second_setup_is_refused_naming_the_business_and_changes_nothing(tmp_path: Path) -> None:
    books = tmp_path / "books.db"
    assert setup(books, "--owner-pin", PIN).returncode == 0
    [org] = organizations(books)
    again = run("setup", "--database", str(books), "--name", "Other", "--currency", "USD", "--owner", "Someone",
                "--owner-pin", "135790")
    assert again.returncode == 2
    assert f"Trattoria Bianchi ({org.id})" in one_sentence(again)
    assert [o.organization_name for o in organizations(books)] == ["Trattoria Bianchi"]


@pytest.mark.parametrize("extra, field", [
    (("--owner-pin", "1234"), "owner_pin"),            # an admin needs 6 to 8 digits
    (("--owner-pin", "12ab56"), "owner_pin"),
    (("--owner-pin", PIN, "--tax-rate", "10"), "tax_rate"),
    (("--owner-pin", PIN, "--time-zone", "Mars/Olympus"), "time_zone"),
    (("--owner-pin", PIN, "--tax-id", "IT 1\nIT 2"), "tax_id"),
    (("--owner-pin", PIN, "--tax-label", " "), "tax_label"),
])
def test_a_bad_pin_or_setting_writes_no_organization(tmp_path: Path, extra: tuple[str, ...], field: str) -> None:
    books = tmp_path / "books.db"
    done = setup(books, *extra)
    assert done.returncode == 2
    assert one_sentence(done).startswith(f"hera-desktop: {field}: ")
    assert organizations(books) == []


def test_the_pin_may_come_from_the_environment_and_the_option_wins_over_it(tmp_path: Path) -> None:
    from_env = tmp_path / "env.db"
    assert setup(from_env, pin=PIN).returncode == 0
    both = tmp_path / "both.db"
    assert setup(both, "--owner-pin", "135790", pin=PIN).returncode == 0
    for books, expected, wrong in ((from_env, PIN, "135790"), (both, "135790", PIN)):
        with hera_desktop.open(books) as hera:
            s = hera.scope(hera.list_organizations()[0].id)
            owner = s.users.list()[0]["id"]
            with pytest.raises(hera_desktop.AuthenticationError):
                s.users.authenticate(owner, wrong)
            assert s.users.authenticate(owner, expected).entity_name == OWNER


def test_without_a_pin_the_command_says_how_to_give_one(tmp_path: Path) -> None:
    books = tmp_path / "books.db"
    done = setup(books)
    assert done.returncode == 2
    assert "--owner-pin" in one_sentence(done) and "HERA_OWNER_PIN" in done.stderr
    assert not books.exists() or organizations(books) == []


def test_setup_from_python_is_all_or_nothing_on_either_database(hera: hera_desktop.Hera) -> None:
    with pytest.raises(ValidationError) as bad_owner:
        new_business(hera, "Trattoria", "EUR", "", PIN, {"tax_rate": "0.10"})
    assert bad_owner.value.field == "owner"
    with pytest.raises(ValidationError) as bad_setting:
        new_business(hera, "Trattoria", "EUR", OWNER, PIN, {"day_cutoff": "25:00"})
    assert bad_setting.value.field == "day_cutoff"
    assert hera.list_organizations() == []
    org, owner = new_business(hera, "Trattoria", "EUR", OWNER, PIN, {"tax_rate": "0.10"})
    assert hera.organization(org.id).settings["tax_rate"] == "0.10"
    s = hera.scope(org.id)
    assert s.users.authenticate(owner.id, PIN).id == owner.id
    assert Decimal(s.organization.settings["tax_rate"]) == Decimal("0.10")
    with pytest.raises(ValidationError, match="already hold an organization: Trattoria"):
        new_business(hera, "Second", "USD", "Someone", "135790")
    assert [o.organization_name for o in hera.list_organizations()] == ["Trattoria"]


def test_the_setup_rules_check_a_part_at_a_time_as_the_assistant_asks_them(hera: hera_desktop.Hera) -> None:
    from hera_desktop.business_setup import checked

    assert checked({"name": " Trattoria ", "tax_rate": "0.10", "address": "  "}) == {
        "name": "Trattoria", "tax_rate": "0.10", "address": None}
    for details, field in (({"owner_pin": "1234"}, "owner_pin"), ({"owner": " "}, "owner"),
                           ({"till_location_id": None}, "till_location_id"), ({"colour": "red"}, "colour")):
        with pytest.raises(ValidationError) as wrong:
            checked(details)
        assert wrong.value.field == field
    with pytest.raises(ValidationError) as twice:
        new_business(hera, "Trattoria", "EUR", OWNER, PIN, {"name": "Other"})
    assert twice.value.field == "name"
    assert hera.list_organizations() == []
