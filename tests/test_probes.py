"""The probes an orchestrator calls: alive when the process answers, ready when its database,
its schema and its projections are; and every answer names the release that gave it."""

import time
from datetime import timedelta
from typing import Any

from alembic import command
from alembic.script import ScriptDirectory
from api import file
from conftest import ADMIN, bearer
from fastapi.testclient import TestClient

from app import __version__
from app.api.auth import Role
from app.api.deps import PARIS, now
from app.api.health import FRESH_FOR
from app.api.main import create_app
from app.settings import Settings
from app.store.migrate import alembic_config, migrate


def not_ready(response: Any) -> dict[str, Any]:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["type"] == "/problems/not-ready"
    return body


def ready_soon(client: TestClient) -> Any:
    """The readiness once the embedded projections have caught up with the other tests."""
    deadline = time.monotonic() + 10
    while (answer := client.get("/health/ready")).status_code != 200:
        assert time.monotonic() < deadline, answer.text
        time.sleep(0.2)
    return answer


def test_the_probes_answer_without_a_token(client: TestClient) -> None:
    bare = TestClient(client.app)
    for path in ("/health/live", "/health"):
        answer = bare.get(path)
        assert answer.status_code == 200, path
        assert answer.json() == {"status": "ok"}
    assert ready_soon(bare).json() == {"status": "ready"}


def test_every_answer_names_the_release(client: TestClient) -> None:
    bare = TestClient(client.app)
    answers = [
        bare.get("/health/live"),
        bare.head("/health/live"),
        bare.get("/dossiers"),  # 401
        client.get(f"/dossiers/{'0' * 8}-0000-4000-8000-{'0' * 12}"),  # 404
        client.post("/dossiers", json={}),  # 422
        client.put("/dossiers"),  # 405
        client.get("/no-such-path"),
    ]
    for answer in answers:
        assert answer.headers["X-Service-Version"] == __version__, answer.request.url
    assert __version__ != "0+unknown"  # read from the installed package
    assert client.get("/openapi.json").json()["info"]["version"] == __version__


def test_a_schema_behind_this_release_is_not_ready_until_migrated(
    fresh_settings: Settings,
) -> None:
    command.downgrade(alembic_config(fresh_settings), "0004")  # the release before
    idle = fresh_settings.model_copy(update={"projections_embedded": False})
    with TestClient(create_app(idle)) as client:
        body = not_ready(client.get("/health/ready"))
        assert body["not_ready"] == ["migrations"]
        head = ScriptDirectory.from_config(alembic_config(fresh_settings)).get_current_head()
        assert f"the schema is at 0004, this release needs {head}" in body["detail"]
        assert client.get("/health/live").status_code == 200  # alive all the same
        migrate(fresh_settings)
        time.sleep(FRESH_FOR)
        assert client.get("/health/ready").status_code == 200


def test_a_projection_too_many_events_behind_is_not_ready(fresh_settings: Settings) -> None:
    idle = fresh_settings.model_copy(
        update={
            "projections_embedded": False,  # nobody projects
            "ready_max_projection_lag_events": 2,
            "ready_max_projection_lag_seconds": 0,
        }
    )
    with TestClient(create_app(idle), headers=bearer(idle, Role.ADMIN, ADMIN)) as client:
        for _ in range(3):
            assert file(client).status_code == 201
        body = not_ready(client.get("/health/ready"))
        assert body["not_ready"] == [
            "projection:dossiers",
            "projection:commission",
            "projection:envelopes",
        ]
        assert "the projection dossiers is 3 events behind the store (at most 2)" in body["detail"]
        client.app.state.projections.catch_up_all()  # type: ignore[attr-defined]
        time.sleep(FRESH_FOR)
        assert client.get("/health/ready").status_code == 200


def test_a_projection_whose_oldest_waiting_event_is_too_old_is_not_ready(
    fresh_settings: Settings,
) -> None:
    idle = fresh_settings.model_copy(
        update={
            "projections_embedded": False,
            "ready_max_projection_lag_events": 0,
            "ready_max_projection_lag_seconds": 60,
        }
    )
    app = create_app(idle)
    two_hours_ago = now() - timedelta(hours=2)
    app.dependency_overrides[now] = lambda: two_hours_ago.astimezone(PARIS)
    with TestClient(app, headers=bearer(idle, Role.ADMIN, ADMIN)) as client:
        assert file(client).status_code == 201
        body = not_ready(client.get("/health/ready"))
        assert "projection:dossiers" in body["not_ready"]
        assert "has not applied an event of 720" in body["detail"]  # 7200 s and a little
        assert "(at most 60 s)" in body["detail"]
        assert "events behind" not in body["detail"]  # that bound is off
