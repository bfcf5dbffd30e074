"""A command is one transaction: its events, a new dossier's key, the streams' sealed heads and
the access-log entry of its answer are stored together, or none of them is. The audit then
takes a stream that does not end exactly at its head for what it is: tampered with."""

from collections.abc import Callable, Iterator
from typing import Any
from uuid import UUID, uuid4

import pytest
from api import ACTOR, caseworker, command, etag, file
from fastapi.testclient import TestClient
from httpx2 import Response
from payloads import file_body
from sqlalchemy import Engine, select, text
from test_access_log import entries, refusing_inserts
from test_privacy import events_table

from app.settings import Settings
from app.store.database import sql_engine
from app.store.tables import dossier_keys, stream_heads


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    engine = sql_engine(settings)
    yield engine
    engine.dispose()


def stored(engine: Engine, settings: Settings, dossier_id: UUID) -> dict[str, Any]:
    """What the store holds of a dossier, table by table."""
    identity = str(dossier_id) if settings.is_postgres else dossier_id.hex
    with engine.connect() as connection:
        events = connection.execute(
            text(f"SELECT COUNT(*) FROM {events_table(settings)} WHERE originator_id = :id"),
            {"id": identity},
        ).scalar_one()
        key = connection.execute(
            select(dossier_keys.c.dossier_id).where(dossier_keys.c.dossier_id == dossier_id)
        ).first()
        head = connection.execute(
            select(stream_heads.c.version).where(stream_heads.c.stream_id == dossier_id)
        ).scalar_one_or_none()
    return {"events": events, "key": key is not None, "head": head}


def status_of(call: Callable[[], Response]) -> int:
    """The status answered, or 500 for a failure the test client raises instead of answering
    (as the server answers an unexpected database error)."""
    try:
        return call().status_code
    except Exception:
        return 500


@pytest.mark.parametrize("refused", ["access_log", "dossier_keys", "stream_heads"])
def test_a_filing_stores_its_event_key_head_and_access_entry_together_or_none(
    client: TestClient, settings: Settings, engine: Engine, refused: str
) -> None:
    key = str(uuid4())
    headers = caseworker(client) | {"Idempotency-Key": key}
    with refusing_inserts(engine, settings, refused):
        assert status_of(lambda: client.post("/dossiers", json=file_body(), headers=headers)) >= 500
    dossier_id = UUID(client.post("/dossiers", json=file_body(), headers=headers).json()["id"])
    assert client.get(f"/dossiers/{dossier_id}/history").json()["version"] == 1
    refusal_left = entries(client, str(dossier_id)).count((ACTOR, "file_dossier"))
    assert refusal_left == 1  # the filing that was stored, not the one refused
    assert stored(engine, settings, dossier_id) == {"events": 1, "key": True, "head": 1}


@pytest.mark.parametrize("refused", ["access_log", "stream_heads"])
def test_a_command_stores_its_events_head_and_access_entry_together_or_none(
    client: TestClient, settings: Settings, engine: Engine, refused: str
) -> None:
    filed = file(client)
    dossier, dossier_id = filed.headers["Location"], UUID(filed.json()["id"])
    with refusing_inserts(engine, settings, refused):
        withdrawal = {"reason": "Reprise"}
        assert (
            status_of(lambda: command(client, dossier, "withdrawal", etag(filed), withdrawal))
            >= 500
        )
    assert stored(engine, settings, dossier_id) == {"events": 1, "key": True, "head": 1}
    assert (ACTOR, "withdraw_dossier") not in entries(client, str(dossier_id))
    done = command(client, dossier, "withdrawal", etag(filed), {"reason": "Reprise"})
    assert done.status_code == 200
    assert stored(engine, settings, dossier_id) == {"events": 2, "key": True, "head": 2}
    assert (ACTOR, "withdraw_dossier") in entries(client, str(dossier_id))


def test_a_command_refused_by_its_rules_leaves_nothing_not_even_an_entry(
    client: TestClient, settings: Settings, engine: Engine
) -> None:
    filed = file(client)
    dossier, dossier_id = filed.headers["Location"], UUID(filed.json()["id"])
    refused = command(client, dossier, "notification", etag(filed), {"reference": "LR-1"})
    assert refused.status_code in (409, 422)
    assert (ACTOR, "notify_decision") not in entries(client, str(dossier_id))
    assert stored(engine, settings, dossier_id)["events"] == 1


def test_the_audit_finds_a_stream_past_its_head_or_without_one(
    client: TestClient, settings: Settings, engine: Engine
) -> None:
    first, second = (UUID(file(client).json()["id"]) for _ in range(2))
    table = events_table(settings)
    identity = str(first) if settings.is_postgres else first.hex
    with engine.begin() as connection:  # an event appended behind the service's back
        connection.execute(
            text(
                f"INSERT INTO {table} (originator_id, originator_version, topic, state) "
                f"SELECT originator_id, 2, topic, state FROM {table} WHERE originator_id = :id"
            ),
            {"id": identity},
        )
        connection.execute(stream_heads.delete().where(stream_heads.c.stream_id == second))
    past = client.get(f"/audit/dossiers/{first}").json()
    assert not past["valid"]
    assert "written past the stream's sealed head" in {b["problem"] for b in past["breaches"]}
    headless = client.get(f"/audit/dossiers/{second}").json()
    assert {b["problem"] for b in headless["breaches"]} == {"has no sealed head"}
