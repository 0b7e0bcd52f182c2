"""The change feed's event contract: its canonical payload, its hash, and an altered event refused."""
from __future__ import annotations

import pytest
from pydantic import ValidationError as PydanticValidationError


def test_a_change_events_hash_covers_its_canonical_payload_and_refuses_an_altered_one():
    from decimal import Decimal

    from hera_desktop.domain.contracts.events import (ChangeEvent, canonical_text, event_text, json_safe,
                                                      payload_hash)
    from hera_desktop.domain.hlc import Reading
    from hera_desktop.domain.ids import new_id

    parts = dict(event_id=new_id(), organization_id=new_id(), kind="dynamic_field.set", record_id=new_id(),
                 change_seq=7, clock=Reading(1_733_216_400_000, 3), terminal_id=new_id(), actor_id=None)
    record = {"id": parts["record_id"], "field_value_number": Decimal("12.50"), "field_name": "credit_limit"}
    event = ChangeEvent.sealed(record=record, **parts)
    assert event.record["field_value_number"] == "12.5"  # amounts as their exact text
    # writers hash the same text without building the model
    text = event_text(record_text=canonical_text(json_safe(record)), **parts)
    assert text == canonical_text(event.payload())
    assert payload_hash(event.payload()) == event.payload_hash
    assert ChangeEvent.model_validate_json(event.model_dump_json()) == event
    altered = {**event.model_dump(), "record": {**event.record, "field_value_number": "125"}}
    with pytest.raises(PydanticValidationError, match="altered after it was written"):
        ChangeEvent.model_validate(altered)
