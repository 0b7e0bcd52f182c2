"""No body a client can send makes the HERA server fail: every answer is a success or the error envelope,
never a 500 and never a traceback."""
from __future__ import annotations

import json
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows_factories import books_template, db_path, org  # noqa: F401  (fixtures)
from hera_desktop.server.calls import ROUTES
from server_fixtures import api, json_of  # noqa: F401  (fixtures)

NAMES = ["transaction_type", "smart_code", "lines", "total_amount", "entity_id", "entity_type", "entity_name",
         "field_name", "field_type", "field_value_number", "field_value_text", "from_entity_id", "to_entity_id",
         "relationship_type", "transaction_id", "original_transaction_id", "reason", "limit", "offset", "cursor",
         "include_lines", "filters", "joins", "items", "side", "fields", "idempotency_key", "line_amount", "dr_cr",
         "quantity", "unit_price", "date", "amount", "name", "operations", "as_of", "hard_delete", "id",
         "organization_id", "transaction_date", "metadata", "search", "tableNumber"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70), st.text(max_size=30),
                    st.decimals(allow_nan=False, allow_infinity=False, places=3),
                    st.sampled_from(["HERA.FINANCE.GL.JOURNAL.V1", "DR", "cr", "2026-02-30", "01a2429a-0140-73d0-"
                                     "9188-7caea6cf388b", "-1", "1e400", "\ud800", "'; DROP TABLE x; --"]))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.sampled_from(NAMES), inner, max_size=5)),
                      max_leaves=12)
bodies = st.dictionaries(st.sampled_from(NAMES), values, max_size=8)


def _encode(body: object) -> bytes:
    def default(v: object) -> object:
        if isinstance(v, Decimal):
            return float(v)
        raise TypeError
    return json.dumps(body, default=default).encode("utf-8", "surrogatepass")


def test_fuzzed_bodies_on_every_route_get_an_answer_or_the_envelope_never_a_500(api):
    admin = api.client("admin")
    routes = [(r.method, r.path) for r in ROUTES]

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(routes), bodies)
    def one(route: tuple[str, str], body: dict) -> None:
        method, path = route
        raw = _encode(body)
        if method == "GET":
            params = {k: str(v)[:50] for k, v in body.items()}
            answer = admin.request(method, path, params=params)
        else:
            answer = admin.request(method, path, content=raw, headers={"Content-Type": "application/json"})
        assert answer.status_code < 500, (path, body, answer.text)
        assert "Traceback" not in answer.text
        if answer.status_code >= 400:
            got = json_of(answer)
            assert got["success"] is False and got["api_version"] == "v2" and got["error"], answer.text
    one()
    # and the books are still whole
    assert api.hera.verify().intact
