"""Who may call the HERA server: tokens, roles, organizations, limits, over real HTTP."""
from __future__ import annotations

import random

import httpx
import pytest

from flows_factories import books_template, db_path, org  # noqa: F401  (fixtures)
from hera_desktop.server.limits import RateLimit
from hera_desktop.services import api_tokens
from server_fixtures import Api, api, json_of, send, tokens_for  # noqa: F401  (fixtures)
from server_harness import serving

V2 = "/api/v2/universal"
CUSTOMER_SC = "HERA.CRM.CUSTOMER.ENT.V1"


def envelope(response: httpx.Response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = json_of(response)
    assert (body["api_version"], body["success"], body["error"]) == ("v2", False, code), body
    assert isinstance(body["message"], str) and body["message"] and isinstance(body["details"], list)
    assert "Traceback" not in response.text
    return body


def test_a_missing_wrong_or_revoked_token_is_401_and_a_revocation_holds_within_seconds(api):
    anonymous = httpx.Client(base_url=api.url)
    api.clients.append(anonymous)
    r = envelope(anonymous.post(f"{V2}/txn-query", json={}), 401, "UNAUTHORIZED")
    assert "Bearer" in r["message"]
    envelope(api.client(token="hts_" + "A" * 43).post(f"{V2}/txn-query", json={}), 401, "UNAUTHORIZED")
    envelope(api.client(token="not-even-a-token").post(f"{V2}/txn-query", json={}), 401, "UNAUTHORIZED")
    token, made = api_tokens.create(api.hera.db, api.org.id, "Office laptop", "bookkeeper")
    laptop = api.client(token=token)
    assert laptop.post(f"{V2}/txn-query", json={}).status_code == 200
    api_tokens.revoke(api.hera.db, made.id)
    import time

    deadline = time.monotonic() + 5
    while laptop.post(f"{V2}/txn-query", json={}).status_code == 200:
        assert time.monotonic() < deadline, "a revoked token still worked after 5 s"
        time.sleep(0.2)
    envelope(laptop.post(f"{V2}/txn-query", json={}), 401, "UNAUTHORIZED")
    assert [t.active for t in api_tokens.every(api.hera.db, api.org.id) if t.id == made.id] == [False]


def test_a_token_stores_only_its_hash_and_is_shown_once(api, db_path):
    token, made = api_tokens.create(api.hera.db, api.org.id, "Till 2", "cashier")
    assert token.startswith("hts_") and len(token) == 47
    from flows_factories import connect

    conn = connect(db_path)
    try:
        rows = conn.execute("SELECT * FROM hera_api_tokens").fetchall()
    finally:
        conn.close()
    assert rows and not any(token in str(row) for row in rows)
    assert api_tokens.digest(token) in {str(v) for row in rows for v in row}


def test_each_role_may_call_exactly_what_it_may_on_the_desktop(api):
    body = api.journal("12.00")
    for role, allowed in (("cashier", False), ("bookkeeper", False), ("manager", False), ("admin", True)):
        r = send(api.client(role), "POST", f"{V2}/txn-emit", body)
        if allowed:
            assert r.status_code == 201, (role, r.text)
        else:
            envelope(r, 403, "PERMISSION_DENIED")
    for role, allowed in (("cashier", False), ("bookkeeper", True), ("manager", True), ("admin", True)):
        r = send(api.client(role), "POST", f"{V2}/txn-query", {})
        assert r.status_code == (200 if allowed else 403), (role, r.text)
    entry = {"date": "2026-12-01", "reference": "J-1", "description": "Float",
             "lines": [{"gl_account_id": api.account("1000"), "amount": "50.00", "dr_cr": "DR"},
                       {"gl_account_id": api.account("3000"), "amount": "50.00", "dr_cr": "CR"}]}
    for role, allowed in (("cashier", False), ("bookkeeper", True), ("manager", True), ("admin", True)):
        r = send(api.client(role), "POST", "/api/v2/journals/entries", {**entry, "reference": f"J-{role}"})
        assert r.status_code == (201 if allowed else 403), (role, r.text)
    # the token's user demoted on the desktop loses the rights at the next request, deactivated all of them
    manager = next(t for t in api_tokens.every(api.hera.db, api.org.id) if t.role == "manager")
    s = api.hera.scope(api.org.id)
    s.users.set_role(manager.user_id, "cashier")
    envelope(send(api.client("manager"), "POST", f"{V2}/txn-query", {}), 403, "PERMISSION_DENIED")
    s.users.deactivate(manager.user_id, "laptop stolen")
    envelope(send(api.client("manager"), "POST", "/api/v2/restaurant/orders", {"items": []}), 403,
             "PERMISSION_DENIED")


def test_another_organization_named_in_a_header_or_body_is_403_and_its_records_are_404(hera, org):
    other = hera.create_organization("Luigi's Pizzeria", currency="EUR")
    mine, theirs = tokens_for(hera, org), tokens_for(hera, other)
    with serving(hera) as url:
        a = Api(url, hera, org, mine)
        b = Api(url, hera, other, theirs)
        try:
            emitted = json_of(send(b.client("admin"), "POST", f"{V2}/txn-emit", b.journal("9.00")))
            their_txn = emitted["transaction_id"]
            their_account = b.account("1000")
            admin = a.client("admin")
            envelope(send(admin, "POST", f"{V2}/txn-query", {"organization_id": other.id}), 403, "ORG_MISMATCH")
            envelope(send(a.client("admin", **{"X-HERA-Org-Id": other.id}), "POST", f"{V2}/txn-query", {}),
                     403, "ORG_MISMATCH")
            assert send(a.client("admin", **{"X-HERA-Org-Id": org.id}), "POST", f"{V2}/txn-query",
                        {}).status_code == 200
            envelope(send(admin, "POST", f"{V2}/txn-read", {"transaction_id": their_txn}), 404, "TXN_NOT_FOUND")
            envelope(send(admin, "GET", f"{V2}/entity-read", params={"entity_id": their_account}), 404,
                     "ENTITY_NOT_FOUND")
            stolen = a.journal("5.00")
            stolen["lines"][0]["entity_id"] = their_account
            r = envelope(send(admin, "POST", f"{V2}/txn-emit", stolen), 404, "TXN_NOT_FOUND")
            assert other.id not in r["message"] and "another organization" not in r["message"]
            envelope(send(admin, "POST", f"{V2}/txn-reverse", {"original_transaction_id": their_txn, "reason": "x",
                                                               "smart_code": "HERA.FINANCE.GL.REVERSAL.V1"}),
                     404, "TXN_NOT_FOUND")
            assert hera.scope(other.id).txn.read(their_txn).reversed_by is None
        finally:
            for c in a.clients + b.clients:
                c.close()


def test_no_route_leaks_a_row_of_the_other_organization_for_random_ids(hera, org):
    """Every read route, called with ids of the other organization's records (and random ones), answers 404
    or an empty list, never one of its rows."""
    other = hera.create_organization("Luigi's Pizzeria", currency="EUR")
    with serving(hera) as url:
        a, b = Api(url, hera, org, tokens_for(hera, org)), Api(url, hera, other, tokens_for(hera, other))
        try:
            them = b.client("admin")
            txns = [json_of(send(them, "POST", f"{V2}/txn-emit", b.journal(f"{n}.00")))["transaction_id"]
                    for n in (1, 2)]
            cust = json_of(send(them, "POST", f"{V2}/entity-upsert", {"entity_type": "customer", "entity_name": "Bo",
                                                                       "smart_code": CUSTOMER_SC}))["entity_id"]
            send(them, "POST", f"{V2}/dynamic-data-upsert", {"entity_id": cust, "field_name": "email",
                                                              "field_type": "text", "field_value_text": "b@o.it",
                                                              "smart_code": "HERA.CRM.CUSTOMER.DYN.EMAIL.V1"})
            rel = json_of(send(them, "POST", f"{V2}/relationship-upsert", {
                "from_entity_id": cust, "to_entity_id": b.account("1000"), "relationship_type": "billed_to",
                "smart_code": "HERA.CRM.CUSTOMER.REL.BILLING.V1"}))["relationship_id"]
            theirs = txns + [cust, rel, b.account("1000")]
            rng = random.Random(7)
            from hera_desktop.domain.ids import new_id

            ids = theirs + [new_id() for _ in range(4)]
            rng.shuffle(ids)
            for role in ("admin", "manager", "bookkeeper", "cashier"):
                me = a.client(role)
                for some in ids:
                    answers = [
                        send(me, "POST", f"{V2}/txn-read", {"transaction_id": some}),
                        send(me, "POST", f"{V2}/txn-query", {"source_entity_id": some}),
                        send(me, "GET", f"{V2}/entity-read", params={"entity_id": some,
                                                                      "include_dynamic_data": "true"}),
                        send(me, "POST", f"{V2}/entity-query", {"filters": {"entity_type": "customer"}}),
                        send(me, "GET", f"{V2}/dynamic-data-read", params={"entity_id": some}),
                        send(me, "POST", f"{V2}/relationship-query", {"entity_id": some}),
                        send(me, "POST", f"{V2}/relationship-read", {"relationship_id": some}),
                    ]
                    for r in answers:
                        assert r.status_code in (200, 403, 404), r.text
                        # (the id asked for may be echoed in "not found"; nothing else of theirs may appear)
                        for secret in [t for t in theirs if t != some] + [other.id, "Bo", "b@o.it"]:
                            assert secret not in r.text, (role, r.request.url, secret)
        finally:
            for c in a.clients + b.clients:
                c.close()


def test_a_body_over_8_mib_is_413_and_deep_or_huge_json_is_422(api):
    admin = api.client("admin")
    big = b'{"transaction_type": "' + b"x" * (8 * 1024 * 1024) + b'"}'
    envelope(admin.post(f"{V2}/txn-emit", content=big, headers={"Content-Type": "application/json"}), 413,
             "PAYLOAD_TOO_LARGE")

    def chunks():
        yield b'{"a": "'
        for _ in range(9):
            yield b"y" * (1024 * 1024)
        yield b'"}'
    envelope(admin.post(f"{V2}/txn-emit", content=chunks(), headers={"Content-Type": "application/json"}), 413,
             "PAYLOAD_TOO_LARGE")
    deep = b"[" * 5000 + b"]" * 5000
    envelope(admin.post(f"{V2}/txn-emit", content=deep, headers={"Content-Type": "application/json"}), 422,
             "INVALID_JSON")
    envelope(admin.post(f"{V2}/txn-emit", content=b"[1, 2]", headers={"Content-Type": "application/json"}), 422,
             "VALIDATION_ERROR")
    envelope(admin.post(f"{V2}/txn-emit", content=b'{"total_amount": NaN}',
                        headers={"Content-Type": "application/json"}), 422, "INVALID_JSON")


def test_a_token_over_its_rate_limit_is_429_with_retry_after_and_others_go_on(hera, org):
    tokens = tokens_for(hera, org)
    with serving(hera, rate_limit=RateLimit(5, 30)) as url:
        a = Api(url, hera, org, tokens)
        try:
            busy, calm = a.client("bookkeeper"), a.client("manager")
            answers = [send(busy, "POST", f"{V2}/txn-query", {}).status_code for _ in range(7)]
            assert answers == [200] * 5 + [429] * 2
            limited = send(busy, "POST", f"{V2}/txn-query", {})
            body = envelope(limited, 429, "RATE_LIMITED")
            assert 1 <= int(limited.headers["Retry-After"]) <= 30 and "try again" in body["message"]
            assert send(calm, "POST", f"{V2}/txn-query", {}).status_code == 200
        finally:
            for c in a.clients:
                c.close()


def test_health_says_the_database_answers_and_its_schema_version(api):
    r = httpx.get(f"{api.url}/api/v2/health")
    assert r.status_code == 200
    body = r.json()
    from hera_desktop.storage.database import HEAD_REVISION

    assert (body["api_version"], body["database"], body["schema_version"]) == ("v2", "reachable", HEAD_REVISION)
    docs = httpx.get(f"{api.url}/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    spec = httpx.get(f"{api.url}/openapi.json").json()
    assert "/api/v2/universal/txn-emit" in spec["paths"]
    emit = spec["paths"]["/api/v2/universal/txn-emit"]["post"]
    assert "idempotency_key" in str(emit["requestBody"])
    unknown = httpx.get(f"{api.url}/api/v2/universal/nothing-here")
    assert unknown.status_code == 404 and unknown.json()["error"] == "ROUTE_NOT_FOUND"


def test_write_routes_given_the_other_organizations_ids_change_nothing_of_theirs(hera, org, backend):
    """Every write route, called by each organization's admin with ids of the other's records (drawn at
    random by hypothesis), is refused (404, or 409 for an id that is taken) and leaves the other's rows as
    they were."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from flows_factories import row_counts

    other = hera.create_organization("Luigi's Pizzeria", currency="EUR")
    with serving(hera) as url:
        orgs = {o.id: Api(url, hera, o, tokens_for(hera, o)) for o in (org, other)}
        try:
            records: dict[str, dict[str, str]] = {}
            for o_id, api in orgs.items():
                me = api.client("admin")
                txn = json_of(send(me, "POST", f"{V2}/txn-emit", api.journal("7.00")))["transaction_id"]
                cust = json_of(send(me, "POST", f"{V2}/entity-upsert", {
                    "entity_type": "customer", "entity_name": "Regular", "smart_code": CUSTOMER_SC}))["entity_id"]
                field = json_of(send(me, "POST", f"{V2}/dynamic-data-upsert", {
                    "entity_id": cust, "field_name": "email", "field_type": "text", "field_value_text": "r@x.it",
                    "smart_code": "HERA.CRM.CUSTOMER.DYN.EMAIL.V1"}))["dynamic_field_id"]
                rel = json_of(send(me, "POST", f"{V2}/relationship-upsert", {
                    "from_entity_id": cust, "to_entity_id": api.account("1000"), "relationship_type": "billed_to",
                    "smart_code": "HERA.CRM.CUSTOMER.REL.BILLING.V1"}))["relationship_id"]
                records[o_id] = {"txn": txn, "entity": cust, "field": field, "relationship": rel,
                                 "account": api.account("1000")}

            def attempts(their: dict[str, str], entity: str) -> list[tuple[str, str, dict]]:
                return [
                    ("POST", "txn-reverse", {"original_transaction_id": their["txn"], "reason": "x",
                                             "smart_code": "HERA.FINANCE.GL.REVERSAL.V1"}),
                    ("POST", "entity-upsert", {"entity_id": their["entity"], "entity_type": "customer",
                                               "entity_name": "Stolen", "smart_code": CUSTOMER_SC}),
                    ("DELETE", "entity-delete", {"entity_id": entity}),
                    ("POST", "dynamic-data-upsert", {"entity_id": entity, "field_name": "email",
                                                     "field_type": "text", "field_value_text": "evil@x.it",
                                                     "smart_code": "HERA.CRM.CUSTOMER.DYN.EMAIL.V1"}),
                    ("PUT", "dynamic-data-batch", {"entity_id": entity, "fields": [{
                        "field_name": "note", "field_type": "text", "field_value_text": "x",
                        "smart_code": "HERA.CRM.CUSTOMER.DYN.NOTE.V1"}]}),
                    ("DELETE", "dynamic-data-delete", {"dynamic_field_id": their["field"]}),
                    ("DELETE", "dynamic-data-delete", {"entity_id": entity}),
                    ("POST", "relationship-upsert", {"from_entity_id": entity, "to_entity_id": their["account"],
                                                     "relationship_type": "billed_to",
                                                     "smart_code": "HERA.CRM.CUSTOMER.REL.BILLING.V1"}),
                    ("DELETE", "relationship-delete", {"relationship_id": their["relationship"]}),
                ]
            before = row_counts(hera.db.path if backend == "sqlite" else hera.db.url)
            pairs = [(mine, theirs) for mine in orgs for theirs in orgs if mine != theirs]

            @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
            @given(st.sampled_from(pairs), st.sampled_from(["entity", "account", "txn", "relationship", "field"]))
            def one(pair: tuple[str, str], kind: str) -> None:
                mine, theirs = pair
                me = orgs[mine].client("admin")
                for method, route_name, body in attempts(records[theirs], records[theirs][kind]):
                    r = send(me, method, f"{V2}/{route_name}", body)
                    assert r.status_code in (404, 409), (route_name, kind, r.text)
                    for secret in ("r@x.it", "Regular"):
                        assert secret not in r.text, (route_name, r.text)
            one()
            assert row_counts(hera.db.path if backend == "sqlite" else hera.db.url) == before
            for o_id, api in orgs.items():
                s = hera.scope(o_id)
                assert s.universal.get_entity(records[o_id]["entity"]).entity_name == "Regular"
                assert s.universal.get_dynamic_field(records[o_id]["entity"], "email").field_value_text == "r@x.it"
                assert s.txn.read(records[o_id]["txn"]).reversed_by is None
            assert hera.verify().intact
        finally:
            for api in orgs.values():
                for c in api.clients:
                    c.close()


def test_a_tokens_user_is_not_staff_on_the_sign_in_screen_and_cannot_sign_in(api):
    s = api.hera.scope(api.org.id)
    staff = s.users.list(include_inactive=True)
    token_users = {t.user_id for t in api_tokens.every(api.hera.db, api.org.id)}
    assert token_users and not token_users & {u["id"] for u in staff}
    import hera_desktop

    for user_id in token_users:
        with pytest.raises(hera_desktop.AuthenticationError):
            s.users.authenticate(user_id, "123456")
