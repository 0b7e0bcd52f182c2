"""Fixtures of the HERA server tests: the books' server on 127.0.0.1, tokens of each role, HTTP clients.

``api`` is a running server over the test's books (SQLite or PostgreSQL, as ``hera`` is) with one token
per role of Mario's Trattoria; ``api.client(role)`` calls it as that token would, over real HTTP.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import httpx
import pytest

from hera_desktop.domain.roles import ROLES
from hera_desktop.services import api_tokens
from server_harness import serving

GL_SC = "HERA.FINANCE.GL.JOURNAL.V1"
LINE_SC = "HERA.FINANCE.GL.LINE.V1"


@dataclass
class Api:
    url: str
    hera: Any
    org: Any
    tokens: dict[str, str]
    clients: list[httpx.Client] = field(default_factory=list)

    def client(self, role: str = "admin", token: str | None = None, **headers: str) -> httpx.Client:
        bearer = token if token is not None else self.tokens[role]
        made = httpx.Client(base_url=self.url, headers={"Authorization": f"Bearer {bearer}", **headers},
                            timeout=60)
        self.clients.append(made)
        return made

    def account(self, code: str) -> str:
        with self.hera.db.acting_for(self.org.id):  # as a request does (the server's role sees nothing else)
            return self.hera.scope(self.org.id).universal.query_entities(entity_type="gl_account",
                                                                         entity_code=code).entities[0].id

    def journal(self, amount: str = "125.50", **extra: Any) -> dict[str, Any]:
        """A HERA client's txn-emit body for a balanced two-line journal: cash debited, sales credited."""
        cash, sales = self.account("1000"), self.account("4000")
        return {"transaction_type": "journal_entry", "smart_code": GL_SC, "total_amount": Decimal(amount),
                "lines": [{"line_type": "GL", "smart_code": LINE_SC, "entity_id": cash, "line_amount": Decimal(amount),
                           "dr_cr": "dr"},
                          {"line_type": "GL", "smart_code": LINE_SC, "entity_id": sales,
                           "line_amount": Decimal(amount), "dr_cr": "cr"}], **extra}


def tokens_for(hera: Any, org: Any) -> dict[str, str]:
    return {role: api_tokens.create(hera.db, org.id, f"{role.title()} token", role)[0] for role in ROLES}


@pytest.fixture
def api(hera: Any, org: Any) -> Iterator[Api]:
    made = Api("", hera, org, tokens_for(hera, org))
    with serving(hera) as url:
        made.url = url
        try:
            yield made
        finally:
            for c in made.clients:
                c.close()


def send(client: httpx.Client, method: str, path: str, body: Any = None, **kwargs: Any) -> httpx.Response:
    """A request with a JSON body whose decimals are written exactly (as a HERA client's numbers are)."""
    from hera_desktop.server.wire import dumps

    content = dumps(body) if body is not None else None
    headers = {"Content-Type": "application/json"} if content is not None else {}
    return client.request(method, path, content=content, headers=headers, **kwargs)


def json_of(response: httpx.Response) -> Any:
    import json

    return json.loads(response.content, parse_float=Decimal)
