"""Ids are client-made UUIDv7s that sort by creation; timestamps are UTC text that sorts by time."""
from __future__ import annotations

import os
import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from hera_desktop.domain.errors import ValidationError
from hera_desktop.domain.ids import client_id, is_uuid, natural_id, new_id, new_ids, now_text, timestamp_text


def test_new_ids_are_uuid_version_7():
    value = uuid.UUID(new_id())
    assert value.version == 7
    assert value.variant == uuid.RFC_4122


def test_ids_carry_their_creation_time():
    before = time.time_ns() // 1_000_000
    value = uuid.UUID(new_id())
    after = time.time_ns() // 1_000_000
    assert before <= value.int >> 80 <= after + 1


def test_ids_made_in_a_burst_are_unique_and_sort_in_creation_order():
    ids = [new_id() for _ in range(20_000)]  # far more than 4096 in one millisecond
    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids)


def test_ids_are_canonical_lowercase_text():
    value = new_id()
    assert value == str(uuid.UUID(value))
    assert len(value) == 36


@pytest.mark.parametrize("value, ok", [
    ("01a2104e-3348-71e8-be62-3a7b310b2025", True),
    (str(uuid.uuid4()), True),
    ("01a2104e334871e8be623a7b310b2025", False),   # 32 hex digits without dashes is not our text form
    ("01a2104e-3348-71e8-be62-3a7b310b202g", False),
    ("", False), (None, False), (123, False), ("x" * 36, False),
    ("{01a2104e-3348-71e8-be62-3a7b310b20}", False),
])
def test_is_uuid(value, ok):
    assert is_uuid(value) is ok


def test_an_id_a_caller_chooses_is_a_uuidv7_in_canonical_text():
    made = new_id()
    assert client_id(made) == made
    natural = natural_id(new_id(), "workflow_status", "Active Status")
    assert client_id(natural, natural=True) == natural
    v7_other_variant = made[:19] + "c" + made[20:]  # Microsoft's variant, not RFC 9562's
    for bad in (made.upper(), str(uuid.uuid4()), natural, v7_other_variant, f"urn:uuid:{made}", made[:-1],
                made.replace("-", ""), None, 7, uuid.UUID(made)):
        with pytest.raises(ValidationError, match="must be a UUIDv7 in lowercase text") as refused:
            client_id(bad)
        assert refused.value.field == "id"
    with pytest.raises(ValidationError) as refused:
        client_id(str(uuid.uuid4()), natural=True, field="reversal_id")
    assert refused.value.field == "reversal_id"


def test_now_text_is_utc_iso_with_microseconds():
    text = now_text()
    parsed = datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    assert abs(parsed - datetime.now(timezone.utc)) < timedelta(seconds=5)


def test_timestamp_text_converts_to_utc_and_treats_naive_as_utc():
    paris = timezone(timedelta(hours=2))
    assert timestamp_text(datetime(2024, 6, 1, 14, 30, tzinfo=paris)) == "2024-06-01T12:30:00.000000Z"
    assert timestamp_text(datetime(2024, 6, 1, 14, 30)) == "2024-06-01T14:30:00.000000Z"


def test_timestamp_text_order_is_time_order():
    base = datetime(2024, 1, 1, tzinfo=timezone.utc)
    moments = [base + timedelta(microseconds=n) for n in (0, 1, 9, 10, 999_999, 1_000_000, 86_400_000_000)]
    texts = [timestamp_text(m) for m in moments]
    assert texts == sorted(texts)


def test_a_forked_process_does_not_repeat_its_parents_ids():
    """Ids draw on a pool of random bytes; a child process must not inherit the pool and repeat what the parent
    makes next (two processes of one terminal would write colliding ids)."""
    new_id()  # the pool is filled
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        os.write(write, "".join(new_id()[-12:] for _ in range(5)).encode())
        os._exit(0)
    os.close(write)
    os.waitpid(child, 0)
    theirs = os.read(read, 1000).decode()
    os.close(read)
    mine = "".join(new_id()[-12:] for _ in range(5))
    assert len(theirs) == 60
    assert {theirs[i:i + 12] for i in range(0, 60, 12)}.isdisjoint({mine[i:i + 12] for i in range(0, 60, 12)})


def test_ids_asked_for_at_once_are_the_ids_one_at_a_time_would_be():
    """Bulk writers take thousands of ids in one call: unique, valid, and in creation order with the rest,
    including past 4,096 in one millisecond, where the ids borrow the next one."""
    made = [new_id(), *new_ids(5000), new_id(), *new_ids(3), *new_ids(9000), new_id()]
    assert len(set(made)) == len(made)
    assert made == sorted(made)
    for value in made[::97] + made[-3:]:
        parsed = uuid.UUID(value)
        assert (parsed.version, parsed.variant, str(parsed)) == (7, uuid.RFC_4122, value)
    assert new_ids(0) == []
