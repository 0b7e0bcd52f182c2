"""HERA V2's transaction routes over real HTTP: a HERA client's bodies in, HERA's success bodies out."""
from __future__ import annotations

from decimal import Decimal

from flows_factories import books_template, db_path, org  # noqa: F401  (fixtures)
from server_fixtures import api, json_of, send  # noqa: F401  (fixtures)

V2 = "/api/v2/universal"


def test_a_journal_emitted_by_a_hera_client_is_recorded_exactly_and_read_back_in_heras_shape(api):
    admin = api.client("admin")
    done = send(admin, "POST", f"{V2}/txn-emit", api.journal("125.10", reference_number="INV-7",
                                                            external_reference="ext-1"))
    assert done.status_code == 201, done.text
    body = json_of(done)
    assert body["api_version"] == "v2" and body["actor_stamped"] is True
    token_user = api_tokens_user(api, "admin")
    assert body["actor_user_id"] == token_user
    txn_id = body["transaction_id"]

    read = json_of(send(admin, "POST", f"{V2}/txn-read", {"organization_id": api.org.id, "transaction_id": txn_id}))
    txn = read["transaction"]
    assert read["api_version"] == "v2"
    for name in ("id", "organization_id", "transaction_type", "transaction_code", "transaction_date",
                 "source_entity_id", "target_entity_id", "total_amount", "currency", "smart_code", "reference",
                 "description", "status", "business_context", "metadata", "created_at", "updated_at", "version"):
        assert name in txn, name
    assert (txn["id"], txn["organization_id"], txn["total_amount"], txn["currency"]) == \
        (txn_id, api.org.id, Decimal("125.10"), "USD")
    assert txn["reference"] == "INV-7" and txn["metadata"]["external_reference"] == "ext-1"
    assert txn["created_by"] == token_user
    lines = txn["lines"]
    assert [(ln["line_number"], ln["dr_cr"], ln["line_amount"], ln["line_entity_id"]) for ln in lines] == \
        [(1, "DR", Decimal("125.10"), api.account("1000")), (2, "CR", Decimal("125.10"), api.account("4000"))]
    for name in ("id", "line_number", "line_type", "line_entity_id", "quantity", "unit_price", "line_amount",
                 "discount_amount", "tax_amount", "total_amount", "currency", "dr_cr", "smart_code", "description",
                 "status", "metadata", "created_at", "updated_at", "version"):
        assert name in lines[0], name
    # the books hold it, balanced, as the desktop sees it
    tb = api.hera.scope(api.org.id).reports.trial_balance()
    assert tb.total_debits == tb.total_credits == Decimal("125.10")


def api_tokens_user(api, role):
    from hera_desktop.services import api_tokens

    return next(t.user_id for t in api_tokens.every(api.hera.db, api.org.id) if t.role == role)


def test_a_total_that_disagrees_with_the_lines_is_refused_not_recomputed(api):
    admin = api.client("admin")
    wrong = api.journal("40.00")
    wrong["total_amount"] = Decimal("40.01")
    refused = send(admin, "POST", f"{V2}/txn-emit", wrong)
    assert refused.status_code == 422
    body = json_of(refused)
    assert (body["api_version"], body["success"], body["error"]) == ("v2", False, "VALIDATION_ERROR")
    assert body["details"] == [{"field": "total_amount", "code": "validation_error"}]
    assert "40.01" in body["message"] and "40.00" in body["message"]
    assert api.hera.scope(api.org.id).txn.query(transaction_type="journal_entry").transactions == []


def test_an_unbalanced_journal_a_bad_smart_code_and_an_unknown_field_are_each_named(api):
    admin = api.client("admin")
    unbalanced = api.journal("10.00")
    unbalanced["lines"][1]["line_amount"] = Decimal("9.99")
    del unbalanced["total_amount"]
    r = send(admin, "POST", f"{V2}/txn-emit", unbalanced)
    assert r.status_code == 422 and json_of(r)["error"] == "UNBALANCED"
    bad_code = api.journal("10.00", smart_code="hera.finance.gl")
    r = send(admin, "POST", f"{V2}/txn-emit", bad_code)
    assert r.status_code == 422 and json_of(r)["error"] == "INVALID_SMART_CODE"
    assert json_of(r)["details"][0]["field"] == "smart_code"
    r = send(admin, "POST", f"{V2}/txn-emit", api.journal("10.00", colour="blue"))
    assert r.status_code == 422 and json_of(r)["details"] == [{"field": "colour", "code": "unknown_field"}]
    r = admin.post(f"{V2}/txn-emit", content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and json_of(r)["error"] == "INVALID_JSON"


def test_an_idempotency_key_replays_the_first_transaction_and_refuses_another_body(api):
    admin = api.client("admin")
    first = json_of(send(admin, "POST", f"{V2}/txn-emit", api.journal("20.00", idempotency_key="k-1")))
    again = send(admin, "POST", f"{V2}/txn-emit", api.journal("20.00", idempotency_key="k-1"))
    assert again.status_code == 201
    assert json_of(again)["transaction_id"] == first["transaction_id"] and json_of(again)["replayed"] is True
    other = send(admin, "POST", f"{V2}/txn-emit", api.journal("21.00", idempotency_key="k-1"))
    assert other.status_code == 422 and json_of(other)["error"] == "IDEMPOTENCY_CONFLICT"
    assert len(api.hera.scope(api.org.id).txn.query(transaction_type="journal_entry").transactions) == 1


def test_idempotent_emits_retried_at_once_from_eight_clients_record_one_transaction(api):
    from concurrent.futures import ThreadPoolExecutor

    clients = [api.client("admin") for _ in range(8)]
    body = api.journal("33.30", idempotency_key="retry-storm")
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda c: send(c, "POST", f"{V2}/txn-emit", body), clients))
    ok = [json_of(a)["transaction_id"] for a in answers if a.status_code == 201]
    busy = [a for a in answers if a.status_code == 409]
    assert ok and len(ok) + len(busy) == 8, [a.text for a in answers]
    assert len(set(ok)) == 1
    assert all(json_of(b)["error"] == "IDEMPOTENCY_IN_FLIGHT" and b.headers["Retry-After"] for b in busy)
    assert len(api.hera.scope(api.org.id).txn.query(transaction_type="journal_entry").transactions) == 1


def walk(client, body):
    """The ids of every page of a txn-query, following next_cursor to the end."""
    seen, cursor = [], None
    while True:
        got = json_of(send(client, "POST", f"{V2}/txn-query", {**body, **({"cursor": cursor} if cursor else {})}))
        seen += [t["id"] for t in got["transactions"]]
        cursor = got["next_cursor"]
        if not cursor:
            return seen


def test_query_pages_by_offset_and_by_cursor_and_reverse_mirrors_the_lines(api):
    admin = api.client("admin")
    ids = [json_of(send(admin, "POST", f"{V2}/txn-emit", api.journal(f"{n}.00")))["transaction_id"]
           for n in range(1, 6)]
    page = json_of(send(admin, "POST", f"{V2}/txn-query", {"transaction_type": "journal_entry", "limit": 2,
                                                          "offset": 2}))
    newest = ids[::-1]  # HERA's order: the newest first
    assert [t["id"] for t in page["transactions"]] == newest[2:4]
    assert (page["limit"], page["offset"], page["has_more"]) == (2, 2, True)
    assert walk(admin, {"transaction_type": "journal_entry", "limit": 2}) == newest
    assert walk(admin, {"transaction_type": "journal_entry", "limit": 3, "order": "oldest"}) == ids
    first = json_of(send(admin, "POST", f"{V2}/txn-query", {"transaction_type": "journal_entry", "limit": 2}))
    mixed = send(admin, "POST", f"{V2}/txn-query", {"transaction_type": "journal_entry", "order": "oldest",
                                                    "cursor": first["next_cursor"]})
    assert mixed.status_code == 422 and json_of(mixed)["details"][0]["field"] == "cursor"
    last = json_of(send(admin, "POST", f"{V2}/txn-query", {"transaction_type": "journal_entry", "offset": 4}))
    assert last["total"] == 5 and [t["id"] for t in last["transactions"]] == newest[4:]

    reversed_ = send(admin, "POST", f"{V2}/txn-reverse", {"original_transaction_id": ids[0],
                                                          "smart_code": "HERA.FINANCE.GL.REVERSAL.V1",
                                                          "reason": "posted twice"})
    assert reversed_.status_code == 201, reversed_.text
    rv = json_of(reversed_)
    assert (rv["original_transaction_id"], rv["lines_reversed"], rv["reversal_reason"]) == (ids[0], 2, "posted twice")
    again = send(admin, "POST", f"{V2}/txn-reverse", {"original_transaction_id": ids[0],
                                                      "smart_code": "HERA.FINANCE.GL.REVERSAL.V1", "reason": "x"})
    assert again.status_code == 409 and json_of(again)["error"] == "ALREADY_REVERSED"
    no_reason = send(admin, "POST", f"{V2}/txn-reverse", {"original_transaction_id": ids[1],
                                                          "smart_code": "HERA.FINANCE.GL.REVERSAL.V1"})
    assert no_reason.status_code == 422 and json_of(no_reason)["error"] == "REVERSAL_REASON_REQUIRED"
    missing = send(admin, "POST", f"{V2}/txn-read", {"transaction_id": "01a2429a-0140-73d0-9188-7caea6cf388b"})
    assert missing.status_code == 404 and json_of(missing)["error"] == "TXN_NOT_FOUND"


def test_ids_made_by_the_client_are_kept_and_a_used_or_malformed_one_is_refused_by_name(api):
    from hera_desktop.domain.ids import new_id

    admin = api.client("admin")
    mine, line_id = new_id(), new_id()
    body = api.journal("15.00", id=mine)
    body["lines"][0]["id"] = line_id
    done = send(admin, "POST", f"{V2}/txn-emit", body)
    assert done.status_code == 201, done.text
    assert json_of(done)["transaction_id"] == mine
    read = json_of(send(admin, "POST", f"{V2}/txn-read", {"transaction_id": mine}))["transaction"]
    assert read["lines"][0]["id"] == line_id
    again = send(admin, "POST", f"{V2}/txn-emit", api.journal("16.00", id=mine))
    assert again.status_code == 409 and json_of(again)["error"] == "DUPLICATE"
    upper = send(admin, "POST", f"{V2}/txn-emit", api.journal("16.00", id=new_id().upper()))
    assert upper.status_code == 422 and json_of(upper)["details"][0]["field"] == "id"
    reversal = new_id()
    undone = send(admin, "POST", f"{V2}/txn-reverse", {"original_transaction_id": mine, "reason": "typo",
                                                       "smart_code": "HERA.FINANCE.GL.REVERSAL.V1",
                                                       "reversal_transaction_id": reversal})
    assert undone.status_code == 201 and json_of(undone)["reversal_transaction_id"] == reversal
    entity = new_id()
    made = send(admin, "POST", f"{V2}/entity-upsert", {"entity_id": entity, "entity_type": "customer",
                                                        "entity_name": "Offline customer",
                                                        "smart_code": "HERA.CRM.CUSTOMER.ENT.V1"})
    assert made.status_code == 201 and json_of(made) | {"is_update": False} == json_of(made)
    assert json_of(made)["entity_id"] == entity
    assert api.hera.scope(api.org.id).universal.get_entity(entity).entity_name == "Offline customer"
    assert api.hera.verify().intact
