"""Organization isolation lives in ``storage/`` alone: no statement above it names the organization.

Every statement of organization-owned records outside ``hera_desktop/storage/`` is
declared without the organization and run through the ``OrgStore`` (``st.select``,
``st.run``, ``st.run_in``, ``st.change``, ``st.query``, ``st.insert``, ...), which
adds and binds it. This check reads the source (AST) of every module under
``hera_desktop/`` outside ``storage/`` and fails on any of these, which put the
organization into a statement by hand:

- a column reference ``<table>.c.organization_id`` or ``<table>.c["organization_id"]``;
- a bind parameter ``bindparam("org")`` or ``bindparam("organization_id")``;
- statement parameters that bind it: a dict literal with the key ``"org"``, or
  ``filter_by(organization_id=...)``;
- SQL text naming ``organization_id`` (a string that also holds SELECT, INSERT,
  UPDATE, DELETE, WHERE, FROM or JOIN).

Not statements, so not covered: fields of the contracts' pydantic models
(``domain/contracts``), a record's or an event's data keyed ``"organization_id"``
(a record's state as stored, the hash chain's field names), the ``organization_id``
attribute of a store, scope or caller, and the organization's own row in
``core_organizations`` (``core_organizations.c.id``), which app.py reads and writes
as organization-level code.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import hera_desktop

PACKAGE = Path(hera_desktop.__file__).parent
STORAGE = PACKAGE / "storage"
SQL_WORDS = re.compile(r"\b(select|insert|update|delete|where|from|join)\b", re.IGNORECASE)
ORG_PARAMETERS = {"org", "organization_id"}


def _text(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def statements_naming_the_organization(source: str) -> list[tuple[int, str]]:
    """(line, what) for every place this source puts the organization into a statement itself."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr == "organization_id" \
                and isinstance(node.value, ast.Attribute) and node.value.attr == "c":
            found.append((node.lineno, "the column .c.organization_id"))
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) \
                and node.value.attr == "c" and _text(node.slice) == "organization_id":
            found.append((node.lineno, 'the column .c["organization_id"]'))
        elif isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            if name == "bindparam" and node.args and _text(node.args[0]) in ORG_PARAMETERS:
                found.append((node.lineno, f"bindparam({_text(node.args[0])!r})"))
            if name == "filter_by" and any(k.arg == "organization_id" for k in node.keywords):
                found.append((node.lineno, "filter_by(organization_id=...)"))
        elif isinstance(node, ast.Dict) and any(_text(k) == "org" for k in node.keys):
            found.append((node.lineno, 'the statement parameter "org"'))
        elif (text := _text(node)) is not None and "organization_id" in text and SQL_WORDS.search(text):
            found.append((node.lineno, "SQL text naming organization_id"))
    return sorted(found)


def test_no_module_outside_storage_names_the_organization_in_a_statement():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if STORAGE in path.parents:
            continue
        for line, what in statements_naming_the_organization(path.read_text(encoding="utf-8")):
            offenders.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {what}")
    assert offenders == [], "run these statements through the OrgStore, which supplies the organization:\n" \
        + "\n".join(offenders)


def test_the_check_finds_each_way_of_naming_the_organization():
    source = '''
stmt = select(T.c.id).where(T.c.organization_id == store.organization_id)
other = select(T).where(T.c["organization_id"] == org)
by_param = Prepared(select(T.c.id).where(T.c.id == bindparam("org")))
rows = prepared.rows(conn, {"org": store.organization_id, "id": record_id})
found = session.query(T).filter_by(organization_id=org)
raw = text("SELECT id FROM core_entities WHERE organization_id = :o")
'''
    assert [line for line, _ in statements_naming_the_organization(source)] == [2, 3, 4, 5, 6, 7]


def test_the_check_leaves_data_and_contracts_alone():
    source = '''
class TxnEmit(BaseModel):
    organization_id: Optional[str] = None
record = {"id": txn_id, "organization_id": org, "kind": kind}
FIELDS = ("id", "organization_id", "transaction_type")
if data.organization_id != self.store.organization_id:
    raise OrganizationMismatchError("organization_id of the payload is not the organization you are working in")
row = conn.execute(core_organizations.select().where(core_organizations.c.id == organization_id)).first()
'''
    assert statements_naming_the_organization(source) == []
