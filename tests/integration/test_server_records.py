"""HERA V2's entity, dynamic-data and relationship routes over real HTTP, and the business flows as routes."""
from __future__ import annotations

from decimal import Decimal

from flows_factories import books_template, build_restaurant, db_path, org, order_items  # noqa: F401
from hera_desktop.services import api_tokens
from server_fixtures import api, json_of, send  # noqa: F401  (fixtures)

V2 = "/api/v2/universal"
CUSTOMER_SC = "HERA.CRM.CUSTOMER.ENT.V1"
EMAIL_SC = "HERA.CRM.CUSTOMER.DYN.EMAIL.V1"
LIMIT_SC = "HERA.CRM.CUSTOMER.DYN.CREDIT.V1"


def test_an_entity_is_upserted_read_with_its_fields_queried_and_deleted(api):
    admin = api.client("admin")
    made = send(admin, "POST", f"{V2}/entity-upsert", {
        "organization_id": api.org.id, "entity_type": "customer", "entity_name": "Acme Catering",
        "smart_code": CUSTOMER_SC, "entity_code": "CUST-ACME", "entity_description": "Caterer on Via Roma",
        "tags": ["vip"]})
    assert made.status_code == 201, made.text
    body = json_of(made)
    assert body["api_version"] == "v2" and body["is_update"] is False
    acme = body["entity_id"]
    changed = json_of(send(admin, "POST", f"{V2}/entity-upsert", {
        "entity_id": acme, "entity_type": "customer", "entity_name": "Acme Catering Ltd", "smart_code": CUSTOMER_SC}))
    assert (changed["entity_id"], changed["is_update"], changed["version"]) == (acme, True, 2)

    field = send(admin, "POST", f"{V2}/dynamic-data-upsert", {
        "entity_id": acme, "field_name": "email", "field_type": "text", "field_value_text": "ops@acme.it",
        "smart_code": EMAIL_SC})
    assert field.status_code == 201
    assert json_of(field)["is_update"] is False and json_of(field)["field_name"] == "email"
    again = json_of(send(admin, "POST", f"{V2}/dynamic-data-upsert", {
        "entity_id": acme, "field_name": "email", "field_type": "text", "field_value_text": "acct@acme.it",
        "smart_code": EMAIL_SC}))
    assert again["is_update"] is True and again["dynamic_field_id"] == json_of(field)["dynamic_field_id"]
    batch = send(admin, "PUT", f"{V2}/dynamic-data-upsert/batch", {"entity_id": acme, "fields": [
        {"field_name": "credit_limit", "field_type": "number", "field_value_number": Decimal("2500.50"),
         "smart_code": LIMIT_SC},
        {"field_name": "vip", "field_type": "boolean", "field_value_boolean": True,
         "smart_code": "HERA.CRM.CUSTOMER.DYN.VIP.V1"}]})
    assert batch.status_code == 201, batch.text
    assert [f["field_name"] for f in json_of(batch)["fields"]] == ["credit_limit", "vip"]

    read = json_of(send(admin, "GET", f"{V2}/entity-read", params={"entity_id": acme,
                                                                   "include_dynamic_data": "true"}))["data"]
    assert (read["entity_name"], read["entity_code"], read["entity_description"], read["tags"]) == \
        ("Acme Catering Ltd", "CUST-ACME", "Caterer on Via Roma", ["vip"])
    fields = {f["field_name"]: f for f in read["dynamic_data"]}
    assert fields["email"]["field_value_text"] == "acct@acme.it"
    assert fields["credit_limit"]["field_value_number"] == Decimal("2500.50")
    one = json_of(send(admin, "GET", f"{V2}/dynamic-data-read", params={"entity_id": acme,
                                                                       "field_name": "credit_limit"}))
    assert one["data"]["field_value_number"] == Decimal("2500.50")
    missing = send(admin, "GET", f"{V2}/dynamic-data-read", params={"entity_id": acme, "field_name": "fax"})
    assert missing.status_code == 404 and json_of(missing)["error"] == "FIELD_NOT_FOUND"

    for name in ("Bianchi", "Carta"):
        send(admin, "POST", f"{V2}/entity-upsert", {"entity_type": "customer", "entity_name": name,
                                                     "smart_code": CUSTOMER_SC})
    found = json_of(send(admin, "POST", f"{V2}/entity-query", {"filters": {"entity_type": "customer"}, "limit": 2,
                                                                "joins": ["dynamic_data"]}))
    assert found["api_version"] == "v2" and len(found["data"]) == 2 and found["metadata"]["has_more"] is True
    assert {"total", "limit", "offset", "page", "total_pages", "has_more"} <= set(found["metadata"])
    words = json_of(send(admin, "POST", f"{V2}/entity-query", {"filters": {"entity_type": "customer"},
                                                                "search": "acme"}))
    assert [e["id"] for e in words["data"]] == [acme]

    gone = send(admin, "DELETE", f"{V2}/entity-delete", json={"entity_id": acme})
    assert gone.status_code == 200 and json_of(gone)["deleted"] is True
    twice = send(admin, "DELETE", f"{V2}/entity-delete", json={"entity_id": acme})
    assert twice.status_code == 409 and json_of(twice)["error"] == "ENTITY_ALREADY_DELETED"
    hard = send(admin, "DELETE", f"{V2}/entity-delete", json={"entity_id": acme, "hard_delete": True})
    assert hard.status_code == 422 and json_of(hard)["details"][0]["field"] == "hard_delete"
    nobody = send(admin, "GET", f"{V2}/entity-read", params={"entity_id": "01a2429a-0154-720f-8f06-1ccda327cd96"})
    assert nobody.status_code == 404 and json_of(nobody)["error"] == "ENTITY_NOT_FOUND"


def test_a_relationship_is_made_found_from_either_side_read_and_ended(api):
    admin = api.client("admin")
    a, b = (json_of(send(admin, "POST", f"{V2}/entity-upsert", {"entity_type": "customer", "entity_name": n,
                                                                 "smart_code": CUSTOMER_SC}))["entity_id"]
            for n in ("Head office", "Branch"))
    made = send(admin, "POST", f"{V2}/relationship-upsert", {
        "from_entity_id": b, "to_entity_id": a, "relationship_type": "branch_of",
        "smart_code": "HERA.CRM.CUSTOMER.REL.BRANCH.V1", "relationship_strength": 1,
        "relationship_data": {"since": "2024"}})
    assert made.status_code == 201, made.text
    rel = json_of(made)["relationship_id"]
    for side, entity in (("from", b), ("to", a), ("either", a)):
        got = json_of(send(admin, "POST", f"{V2}/relationship-query", {"entity_id": entity, "side": side}))
        assert [r["id"] for r in got["data"]] == [rel], side
    assert json_of(send(admin, "POST", f"{V2}/relationship-query", {"entity_id": a, "side": "from"}))["data"] == []
    read = json_of(send(admin, "POST", f"{V2}/relationship-read", {"relationship_id": rel}))["data"]
    assert (read["from_entity_id"], read["to_entity_id"], read["relationship_data"], read["is_active"]) == \
        (b, a, {"since": "2024"}, True)
    ended = send(admin, "DELETE", f"{V2}/relationship-delete", json={"relationship_id": rel})
    assert ended.status_code == 200 and json_of(ended)["is_active"] is False
    assert json_of(send(admin, "POST", f"{V2}/relationship-query", {"entity_id": a}))["data"] == []
    kept = json_of(send(admin, "POST", f"{V2}/relationship-query", {"entity_id": a, "active_only": False}))
    assert [r["is_active"] for r in kept["data"]] == [False]


def test_a_cashier_takes_an_order_through_the_route_as_the_till_would(api):
    r = build_restaurant(api.hera, api.org, api.hera.scope(api.org.id))
    cashier = api.client("cashier")
    answer = send(cashier, "POST", "/api/v2/restaurant/orders", {
        "items": order_items(r, pizza=2, wine=1), "table_number": 4, "payment_method": "card",
        "idempotency_key": "table-4-order-1"})
    assert answer.status_code == 201, answer.text
    order = json_of(answer)["data"]
    same = api.hera.scope(api.org.id).restaurant.sale(order["sales_transaction"]["transaction_id"])
    assert same.total_amount == order["order_summary"]["total_amount"] > 0
    assert same.created_by == next(t.user_id for t in api_tokens.every(api.hera.db, api.org.id) if t.role == "cashier")
    again = json_of(send(cashier, "POST", "/api/v2/restaurant/orders", {
        "items": order_items(r, pizza=2, wine=1), "table_number": 4, "payment_method": "card",
        "idempotency_key": "table-4-order-1"}))["data"]
    assert again["order_summary"] == order["order_summary"]
    assert len(api.hera.scope(api.org.id).txn.query(transaction_type="sale").transactions) == 1
    wrong = send(cashier, "POST", "/api/v2/restaurant/orders", {"items": order_items(r, pizza=1),
                                                                "tableNumber": 4})
    assert wrong.status_code == 422 and "tableNumber" in json_of(wrong)["message"]
    tb = send(api.client("bookkeeper"), "POST", "/api/v2/reports/trial-balance", {})
    assert tb.status_code == 200
    data = json_of(tb)["data"]
    assert data["total_debits"] == data["total_credits"] > 0
    assert send(cashier, "POST", "/api/v2/reports/trial-balance", {}).status_code == 403
    onboard = send(api.client("manager"), "POST", "/api/v2/customers/onboard", {
        "name": "Rossi Srl", "email": "info@rossi.it", "credit_limit": Decimal("500.00"), "payment_terms": "NET30"})
    assert onboard.status_code == 201, onboard.text
    pl = send(api.client("manager"), "POST", "/api/v2/reports/profit-and-loss", {})
    assert pl.status_code == 200 and "Traceback" not in pl.text


def test_dynamic_fields_are_removed_by_id_by_name_or_all_at_once_and_the_feed_keeps_their_last_state(api):
    admin = api.client("admin")
    acme = json_of(send(admin, "POST", f"{V2}/entity-upsert", {"entity_type": "customer", "entity_name": "Acme",
                                                                "smart_code": CUSTOMER_SC}))["entity_id"]
    fields = [{"field_name": name, "field_type": "text", "field_value_text": value,
               "smart_code": "HERA.CRM.CUSTOMER.DYN.NOTE.V1"}
              for name, value in (("email", "ops@rossiworks.example"), ("phone", "+39 06 1234"), ("note", "VIP"),
                                   ("fax", "x"))]
    made = json_of(send(admin, "PUT", f"{V2}/dynamic-data-batch", {"entity_id": acme, "fields": fields}))["fields"]
    ids = {f["field_name"]: f["dynamic_field_id"] for f in made}
    s = api.hera.scope(api.org.id)
    assert [e.id for e in s.universal.search("customer", "rossiworks")] == [acme]  # found by its email
    by_id = send(admin, "DELETE", f"{V2}/dynamic-data-delete", json={"dynamic_field_id": ids["fax"]})
    assert by_id.status_code == 200 and json_of(by_id)["deleted_count"] == 1
    by_name = json_of(send(admin, "DELETE", f"{V2}/dynamic-data-delete", json={"entity_id": acme,
                                                                              "field_name": "email"}))
    assert [d["field_name"] for d in by_name["deleted"]] == ["email"]
    again = send(admin, "DELETE", f"{V2}/dynamic-data-delete", json={"entity_id": acme, "field_name": "email"})
    assert again.status_code == 404 and json_of(again)["error"] == "FIELD_NOT_FOUND"
    # a removed email no longer finds the customer
    assert s.universal.search("customer", "rossiworks") == []
    rest = json_of(send(admin, "DELETE", f"{V2}/dynamic-data-delete", json={"entity_id": acme}))
    assert sorted(d["field_name"] for d in rest["deleted"]) == ["note", "phone"]
    assert s.universal.get_dynamic_fields(acme) == {}
    assert send(api.client("manager"), "DELETE", f"{V2}/dynamic-data-delete",
                json={"entity_id": acme}).status_code == 403
    report = api.hera.verify()
    assert report.intact, report.findings()
    from flows_factories import connect

    conn = connect(api.hera.db.url if api.hera.db.path is None else api.hera.db.path)
    try:
        kinds = [k for (k,) in conn.execute("SELECT kind FROM hera_change_feed WHERE record_table = "
                                            "'core_dynamic_data' ORDER BY change_seq").fetchall()]
    finally:
        conn.close()
    assert kinds.count("dynamic_field.removed") == 4


def test_every_business_route_answers_as_its_service_does(api, log_file):
    r = build_restaurant(api.hera, api.org, api.hera.scope(api.org.id))
    manager = api.client("manager")
    flour = r.products["flour"].id
    moved = send(manager, "POST", "/api/v2/inventory/adjustments", {
        "product_id": flour, "adjustment_type": "transfer", "quantity": Decimal("5"), "reason": "Restock kitchen",
        "location_id": r.warehouse.id, "to_location_id": r.kitchen.id})
    assert moved.status_code == 201, moved.text
    s = api.hera.scope(api.org.id)
    assert (s.inventory.level(flour, r.kitchen.id), s.inventory.level(flour, r.warehouse.id)) == \
        (Decimal("15"), Decimal("45"))
    short = send(manager, "POST", "/api/v2/inventory/adjustments", {
        "product_id": r.products["wine"].id, "adjustment_type": "issue", "quantity": 3, "reason": "Breakage",
        "location_id": r.kitchen.id})
    assert short.status_code == 409 and json_of(short)["error"] == "INSUFFICIENT_INVENTORY"

    customer = r.customer.id
    moved_on = send(manager, "POST", "/api/v2/customers/transition-status", {
        "customer_id": customer, "new_status": "suspended", "reason": "Unpaid invoices"})
    assert moved_on.status_code == 201, moved_on.text
    assert s.customers.current_status(customer) == "suspended"
    wrong = send(manager, "POST", "/api/v2/customers/transition-status", {
        "customer_id": customer, "new_status": "prospect", "reason": "x"})
    assert wrong.status_code == 409 and json_of(wrong)["error"] == "INVALID_STATUS_TRANSITION"

    batch = send(manager, "POST", "/api/v2/batch", {"operations": [
        {"type": "customer", "operation": "create", "data": {"name": "Bianchi Srl", "email": "a@bianchi.it"}},
        {"type": "spaceship", "operation": "launch", "data": {}}]})
    assert batch.status_code == 200, batch.text
    result = json_of(batch)["data"]
    assert (result["successful"], result["failed"]) == (1, 1), result
    sheet = send(api.client("bookkeeper"), "POST", "/api/v2/reports/balance-sheet", {})
    assert sheet.status_code == 200 and "Traceback" not in sheet.text
    # the log holds what was done, and never a token
    text = log_file.read_text(encoding="utf-8")
    assert "inventory.adjust" in text and "customers.transition_status" in text
    for token in api.tokens.values():
        assert token not in text and token[4:20] not in text
