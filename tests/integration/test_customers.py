"""Customers: the usage guide's onboarding and lifecycle flows, as the people at the till and the office see them."""
from __future__ import annotations

import re
import sqlite3
from decimal import Decimal

import pytest
from sqlalchemy import event

import hera_desktop
from flows_factories import books_template, db_path, org  # noqa: F401  (fixtures: books copied from a template)
from flows_factories import contents, make_users

STATUSES = ("prospect", "active", "inactive", "suspended", "closed")
# The usage guide's table of valid transitions (CustomerLifecycleManager.validateStatusTransition).
GUIDE_TRANSITIONS = {
    "prospect": {"active", "closed"},
    "active": {"inactive", "suspended", "closed"},
    "inactive": {"active", "closed"},
    "suspended": {"active", "closed"},
    "closed": set(),
}


def onboard(s, name="Acme Foods", **kw):
    details = {"email": "billing@acme.example.com", "phone": "+1 (555) 123-4567", "credit_limit": "5000.00",
               "payment_terms": "NET30"}
    details.update(kw)
    return s.customers.onboard(name=name, **details)


def active_status_links(s, customer_id):
    return s.universal.query_relationships(from_entity_id=customer_id, relationship_type="has_status").relationships


def in_status(s, name, status):
    """A freshly onboarded customer brought to ``status`` the way a manager would."""
    if status == "prospect":
        return onboard(s, name, status="prospect").customer
    customer = onboard(s, name).customer
    if status != "active":
        s.customers.transition_status(customer.id, status, f"bring to {status}", None)
    return customer


# ------------------------------------------------------------------ onboarding

def test_onboarding_records_the_guides_profile(s):
    result = onboard(s)
    customer = result.customer

    assert customer.entity_type == "customer"
    assert customer.entity_name == "Acme Foods"
    assert customer.smart_code == "HERA.CRM.CUST.ENT.PROF.V1"
    assert customer.classification == "business"
    assert result.customer_code == customer.entity_code
    assert re.fullmatch(r"CUST-ACM-\d{4}", customer.entity_code)
    assert result.message == "Customer onboarded successfully with complete profile"

    expected = {"email": ("billing@acme.example.com", "field_value_text", "HERA.CRM.CUST.DYN.EMAIL.V1"),
                "phone": ("+1 (555) 123-4567", "field_value_text", "HERA.CRM.CUST.DYN.PHONE.V1"),
                "credit_limit": (Decimal("5000"), "field_value_number", "HERA.CRM.CUST.DYN.CREDIT.V1"),
                "payment_terms": ("NET30", "field_value_text", "HERA.CRM.CUST.DYN.TERMS.V1")}
    for name, (value, column, smart_code) in expected.items():
        stored = s.universal.get_dynamic_field(customer.id, name)
        assert stored is not None, name
        assert getattr(stored, column) == value, name
        assert stored.smart_code == smart_code

    links = active_status_links(s, customer.id)
    assert len(links) == 1
    assert links[0].smart_code == "HERA.CRM.CUST.STATUS.ACTIVE.V1"
    status = s.universal.get_entity(links[0].to_entity_id)
    assert status.entity_type == "workflow_status"
    assert status.entity_name == "active Status"
    assert status.entity_code == "STATUS-ACTIVE"
    assert status.smart_code == "HERA.WORKFLOW.STATUS.ACTIVE.V1"

    view = s.customers.view(customer.id)
    assert (view.status, view.credit_limit, view.account_balance) == ("active", Decimal("5000"), Decimal("0"))


def test_customer_codes_are_unique_and_the_status_entity_is_shared(s):
    codes = [onboard(s, name).customer.entity_code for name in ("Acme Foods", "Acme Bakery", "ACME Drinks", "Bo")]
    assert len(set(codes)) == 4
    assert all(re.fullmatch(r"CUST-[A-Z0-9]{3}-\d{4}", code) for code in codes)
    assert codes[0].startswith("CUST-ACM-") and codes[1].startswith("CUST-ACM-")
    statuses = s.universal.query_entities(entity_type="workflow_status", entity_name="active Status").entities
    assert len(statuses) == 1


def test_onboarding_as_a_prospect_starts_the_lifecycle_there(s):
    customer = onboard(s, status="prospect").customer
    assert s.customers.current_status(customer.id) == "prospect"
    assert s.customers.allowed_transitions(customer.id) == ("active", "closed")


@pytest.mark.parametrize("field, value", [
    ("email", "not-an-email"),
    ("email", "two@@example.com"),
    ("phone", "call me maybe"),
    ("phone", "12"),
    ("credit_limit", "-1.00"),
    ("credit_limit", "lots"),
    ("credit_limit", float("nan")),
    ("payment_terms", "   "),
])
def test_invalid_details_are_refused_naming_the_field_and_nothing_is_written(s, db_path, field, value):
    before = contents(db_path)
    with pytest.raises(hera_desktop.ValidationError) as caught:
        onboard(s, **{field: value})
    assert caught.value.field == field
    assert field in str(caught.value)
    assert contents(db_path) == before


def test_a_customer_needs_a_name(s, db_path):
    before = contents(db_path)
    with pytest.raises(hera_desktop.ValidationError) as caught:
        s.customers.onboard(name="  ", email="a@b.example.com")
    assert caught.value.field == "name"
    assert contents(db_path) == before


def test_update_details_checks_each_value_before_writing(s, db_path):
    customer = onboard(s).customer
    before = contents(db_path)
    with pytest.raises(hera_desktop.ValidationError) as caught:
        s.customers.update_details(customer.id, name="Acme Foods Ltd", phone="+1 555 999 0000", email="nope")
    assert caught.value.field == "email"
    assert contents(db_path) == before

    view = s.customers.update_details(customer.id, name="Acme Foods Ltd", credit_limit="7500.50")
    assert view.entity_name == "Acme Foods Ltd"
    assert view.credit_limit == Decimal("7500.50")
    assert view.email == "billing@acme.example.com"


def test_search_finds_customers_by_name_prefix_and_code(s):
    acme = onboard(s).customer
    onboard(s, "Bella Napoli", email="orders@bellanapoli.example.com")
    assert [v.id for v in s.customers.search("Acm")] == [acme.id]
    assert [v.id for v in s.customers.search(acme.entity_code)] == [acme.id]
    assert {v.entity_name for v in s.customers.search("bel")} == {"Bella Napoli"}


# ------------------------------------------------------------------ lifecycle

@pytest.mark.parametrize("source", STATUSES)
def test_the_guides_transition_table(s, db_path, source):
    for target in STATUSES:
        customer = in_status(s, f"{source} to {target}", source)
        if target in GUIDE_TRANSITIONS[source]:
            result = s.customers.transition_status(customer.id, target, f"{source} -> {target}", None)
            assert result.success
            assert result.previous_status == f"{source} Status"
            assert result.new_status == f"{target} Status"
            assert s.customers.current_status(customer.id) == target
            assert s.customers.view(customer.id).status == target
            links = active_status_links(s, customer.id)
            assert len(links) == 1, "the old status relationship must end"
            assert s.universal.get_entity(links[0].to_entity_id).entity_name == f"{target} Status"
            assert links[0].smart_code == f"HERA.CRM.CUST.STATUS.{target.upper()}.V1"
        else:
            before = contents(db_path)
            with pytest.raises(hera_desktop.InvalidStatusTransitionError) as caught:
                s.customers.transition_status(customer.id, target, "try it", None)
            message = str(caught.value)
            assert source in message and target in message and "allowed" in message
            for allowed in GUIDE_TRANSITIONS[source]:
                assert allowed in message.split("allowed", 1)[-1], f"{allowed!r} not named in {message!r}"
            if source == "closed":
                assert "closed" in message.split("allowed", 1)[-1]
            assert s.customers.current_status(customer.id) == source
            assert contents(db_path) == before


def test_each_transition_leaves_an_audit_status_change_with_reason_and_user(hera, org, s):
    users = make_users(hera, org, s, "manager")
    manager, as_manager = users["manager"]
    customer = onboard(as_manager).customer

    as_manager.customers.transition_status(customer.id, "suspended", "Two invoices unpaid", manager.id)
    as_manager.customers.transition_status(customer.id, "active", "Paid in full", manager.id)

    changes = s.txn.query(transaction_type="status_change", source_entity_id=customer.id,
                          include_lines=True).transactions
    assert [t.description for t in changes] == ["Customer status changed: active Status → suspended Status",
                                                "Customer status changed: suspended Status → active Status"]
    first = changes[0]
    assert first.smart_code == "HERA.CRM.CUST.STATUS.CHANGE.V1"
    assert first.business_context["reason"] == "Two invoices unpaid"
    assert first.business_context["changed_by"] == manager.id
    assert first.business_context["workflow"] == "customer_lifecycle"
    assert first.created_by == manager.id
    suspended = s.customers.find_or_create_status("suspended")
    assert first.target_entity_id == suspended.id
    [line] = first.lines
    assert line.line_type == "STATUS_CHANGE"
    assert line.smart_code == "HERA.CRM.CUST.STATUS.AUDIT.V1"
    assert line.entity_id == suspended.id
    assert line.metadata["reason"] == "Two invoices unpaid"
    assert line.metadata["previous_status_name"] == "active Status"
    assert line.metadata["new_status_name"] == "suspended Status"

    # The ended relationship is kept for the audit trail, with why it ended.
    every = s.universal.query_relationships(from_entity_id=customer.id, relationship_type="has_status",
                                            include_inactive=True).relationships
    assert [r.is_active for r in every] == [False, False, True]
    assert every[1].metadata["transition_reason"] == "Two invoices unpaid"
    assert every[1].metadata["changed_by"] == manager.id
    # The customer's history shows the changes too.
    assert [t.transaction_type for t in s.customers.history(customer.id)] == ["status_change", "status_change"]


def test_closed_is_final(s):
    customer = onboard(s).customer
    s.customers.transition_status(customer.id, "closed", "Business closed down", None)
    for target in STATUSES:
        with pytest.raises(hera_desktop.InvalidStatusTransitionError):
            s.customers.transition_status(customer.id, target, "reopen?", None)
    assert s.customers.current_status(customer.id) == "closed"
    assert s.customers.allowed_transitions(customer.id) == ()


@pytest.mark.parametrize("status, reason, field", [("vip", "upgrade", "new_status"), ("inactive", " ", "reason")])
def test_a_transition_needs_a_known_status_and_a_reason(s, db_path, status, reason, field):
    customer = onboard(s).customer
    before = contents(db_path)
    with pytest.raises(hera_desktop.ValidationError) as caught:
        s.customers.transition_status(customer.id, status, reason, None)
    assert caught.value.field == field
    assert contents(db_path) == before


def test_a_cashier_may_onboard_but_not_change_status(hera, org, s, db_path):
    users = make_users(hera, org, s, "cashier")
    cashier, as_cashier = users["cashier"]
    customer = onboard(as_cashier).customer
    assert customer.created_by == cashier.id
    before = contents(db_path)
    with pytest.raises(hera_desktop.PermissionDeniedError):
        as_cashier.customers.transition_status(customer.id, "suspended", "I don't like them", cashier.id)
    with pytest.raises(hera_desktop.PermissionDeniedError):
        as_cashier.customers.update_details(customer.id, credit_limit="1000000")
    assert contents(db_path) == before


def test_customers_of_another_organization_are_invisible(hera, s):
    other = hera.scope(hera.create_organization("Luigi's", currency="USD").id)
    theirs = onboard(other, "Luigi Regular").customer
    with pytest.raises(hera_desktop.NotFoundError):
        s.customers.view(theirs.id)
    with pytest.raises(hera_desktop.NotFoundError):
        s.customers.transition_status(theirs.id, "closed", "not ours", None)
    assert s.customers.search("Luigi") == []


def test_customer_codes_keep_counting_past_9999(s) -> None:  # type: ignore[no-untyped-def]
    s.universal.create_entity(entity_type="customer", entity_name="Marco Old", entity_code="CUST-MAR-9999",
                              smart_code="HERA.CRM.CUST.ENT.PROF.V1")
    first = s.customers.onboard(name="Mario Nuovo").customer_code
    second = s.customers.onboard(name="Marta Nuova").customer_code
    assert (first, second) == ("CUST-MAR-10000", "CUST-MAR-10001")


def test_history_shows_the_most_recent_first_when_there_is_more_than_a_page(s):
    customer = onboard(s).customer
    reasons = [f"Review {i}" for i in range(1, 6)]
    for i, reason in enumerate(reasons):
        s.customers.transition_status(customer.id, "suspended" if i % 2 == 0 else "active", reason, None)

    latest = s.customers.history(customer.id, limit=2)

    full = [s.txn.read(t.id) for t in latest]
    assert [t.lines[0].metadata["reason"] for t in full] == ["Review 5", "Review 4"]
    assert len(s.customers.history(customer.id)) == 5


def test_history_is_read_through_an_index_not_by_walking_every_transaction(s, db_path):
    """With a million transactions on the books, a customer's page must not read them all to find theirs."""
    customer = onboard(s).customer
    s.customers.transition_status(customer.id, "suspended", "Review", None)
    statements = []

    def seen(conn, cursor, statement, params, context, many):
        statements.append((statement, params))

    event.listen(s.db.engine, "before_cursor_execute", seen)
    try:
        assert len(s.customers.history(customer.id)) == 1
    finally:
        event.remove(s.db.engine, "before_cursor_execute", seen)
    reads = [(sql, params) for sql, params in statements if "FROM universal_transactions" in sql]
    assert reads
    raw = sqlite3.connect(db_path)
    try:
        for sql, params in reads:
            plan = " ".join(row[3] for row in raw.execute(f"EXPLAIN QUERY PLAN {sql}", params))
            assert "source_entity_id=?" in plan or "reversal_of=?" in plan, plan
    finally:
        raw.close()
