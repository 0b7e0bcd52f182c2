"""The log a manager can send: JSON lines in the log folder, what happened and how it went, never a secret."""
from __future__ import annotations

import json
import re
import os
import subprocess
import sys
from pathlib import Path

import pytest

import hera_desktop
from flows_factories import books_template, db_path, org  # noqa: F401  (fixtures: books copied from a template)
from flows_factories import build_restaurant, connect, order_items
from hera_desktop import logbook
from hera_desktop.domain.roles import ROLES

PINS = {"cashier": "2468", "bookkeeper": "8642", "manager": "135790", "admin": "975310"}



def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


_NOT_SECRETS = re.compile(r'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'   # record ids
                          r'|"time": "[^"]*"|"ms": [0-9.]+|"locked_until": "[^"]*"')  # clocks


def readable(path: Path) -> str:
    """The log's text without record ids, times and durations: a four-digit PIN can occur inside those by chance."""
    return _NOT_SECRETS.sub("", path.read_text(encoding="utf-8"))


def stored_secrets(books) -> list[str]:
    """Every PIN hash as the books store it, and the salts inside them."""
    conn = connect(books)
    try:
        hashes = [r[0] for r in conn.execute("SELECT field_value_text FROM core_dynamic_data "
                                             "WHERE field_name = 'pin_hash'").fetchall()]
    finally:
        conn.close()
    assert hashes, "the books hold no PIN hash to look for"
    parts = [part for h in hashes for part in h.split("$") if len(part) >= 12]
    return hashes + parts


def test_every_change_to_the_books_is_logged_with_its_kind_record_time_and_outcome(hera, org, s, log_file):
    r = build_restaurant(hera, org, s, stock=False)
    order = s.restaurant.process_order(items=order_items(r, pizza=2), payment_method="cash")
    cashier = s.users.create(name="Luca", role="cashier", pin=PINS["cashier"])
    at_till = hera.scope(org.id, cashier.id)
    with pytest.raises(hera_desktop.PermissionDeniedError):
        at_till.day_close.z_report(counted_cash="0")
    at_till.restaurant.recent_sales(since="2000-01-01")  # a read: not an operation of the log

    logged = lines(log_file)
    assert all({"time", "level", "logger", "message"} <= set(line) for line in logged)
    orders = [line for line in logged if line.get("kind") == "restaurant.process_order"]
    assert len(orders) == 1
    assert orders[0]["organization_id"] == org.id
    assert orders[0]["record_id"] == order.sales_transaction.transaction_id
    assert orders[0]["outcome"] == "ok" and isinstance(orders[0]["ms"], (int, float)) and orders[0]["ms"] >= 0
    refused = [line for line in logged if line.get("kind") == "day_close.z_report"]
    assert [(x["outcome"], x["role"], x["actor_id"]) for x in refused] == [("permission_denied", "cashier",
                                                                             cashier.id)]
    assert not [line for line in logged if line.get("kind") == "restaurant.recent_sales"]


def test_sign_ins_wrong_pins_and_lockouts_are_logged_and_no_pin_or_hash_ever_is(hera, org, s, db_path, log_file):
    people = {role: s.users.create(name=f"Staff {role}", role=role, pin=PINS[role]) for role in ROLES}
    for role, person in people.items():
        assert s.users.authenticate(person.id, PINS[role]).id == person.id
    luca = people["cashier"]
    for _ in range(5):
        with pytest.raises((hera_desktop.AuthenticationError, hera_desktop.UserLockedError)):
            s.users.authenticate(luca.id, "1357")
    s.users.reset_pin(luca.id, "9753")

    text = readable(log_file)
    logged = lines(log_file)
    sign_ins = [(x["outcome"], x["user_id"]) for x in logged if x.get("event") == "sign_in"]
    assert [o for o, _ in sign_ins].count("signed in") == len(ROLES)
    assert sign_ins[-5:] == [("wrong PIN", luca.id)] * 4 + [("locked out after wrong PINs", luca.id)]
    assert [x for x in logged if x.get("event") == "sign_in"][-1]["locked_until"]
    for secret in [*PINS.values(), "1357", "9753", *stored_secrets(db_path)]:
        assert secret not in text, f"the log holds a secret: {secret!r}"


def test_a_command_logs_its_start_and_stop_and_an_unexpected_error_its_traceback(tmp_path):
    home = tmp_path / "home"
    env = {**os.environ, "HERA_DESKTOP_HOME": str(home), "HERA_OWNER_PIN": "864213"}
    books = tmp_path / "books.db"
    done = subprocess.run([sys.executable, "-m", "hera_desktop", "--database", str(books), "setup",
                           "--name", "Trattoria Da Luca", "--currency", "EUR", "--owner", "Luca"],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    log = home / "log" / "hera-desktop.log"
    logged = lines(log)
    assert [(x["event"], x["command"]) for x in logged if x.get("event") in ("start", "stop")] == [
        ("start", "setup"), ("stop", "setup")]
    assert logged[-1]["exit_code"] == 0
    assert "864213" not in readable(log)
    assert not [s for s in stored_secrets(books) if s in readable(log)]

    # A directory where the books should be is refused in a sentence (exit 3), not an unexpected error:
    (tmp_path / "folder.db").mkdir()
    refused = subprocess.run([sys.executable, "-m", "hera_desktop", "verify", "--database", str(tmp_path / "folder.db")],
                             env=env, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 3 and "Traceback" not in refused.stderr
    assert lines(log)[-1]["exit_code"] == 3


def test_a_field_named_for_a_secret_is_hidden_even_if_someone_logs_it(log_file):
    import logging

    logbook.event(logging.getLogger("hera_desktop.test"), logging.WARNING, "careless", pin="2468",
                  new_pin="8642", pinHash="scrypt$abc", api_token="hts_xyz", shipping="Via Roma 1",
                  nested={"salt": "a1b2c3"})
    line = lines(log_file)[-1]
    assert (line["pin"], line["new_pin"], line["pinHash"], line["api_token"]) == ("[hidden]",) * 4
    assert line["nested"] == {"salt": "[hidden]"}
    assert line["shipping"] == "Via Roma 1"
    for secret in ("2468", "8642", "scrypt$abc", "hts_xyz", "a1b2c3"):
        assert secret not in readable(log_file)


def test_the_log_rotates_and_keeps_five_older_files(tmp_path, monkeypatch):
    import logging

    logbook.stop_log()
    monkeypatch.setattr(logbook, "MAX_BYTES", 2000)
    path = logbook.start_log(tmp_path / "log")
    try:
        for i in range(400):
            logbook.event(logging.getLogger("hera_desktop.test"), logging.INFO, f"event {i}", n=i)
    finally:
        logbook.stop_log()
    kept = sorted(p.name for p in path.parent.iterdir())
    assert kept == ["hera-desktop.log", *(f"hera-desktop.log.{n}" for n in range(1, 6))]
    assert lines(path)[-1]["n"] == 399
