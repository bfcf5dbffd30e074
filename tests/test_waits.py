"""Read-your-writes waits hold no worker thread, and one caller holds only a few at once."""

import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager

from conftest import ADMIN, bearer
from fastapi.testclient import TestClient
from httpx2 import Response
from payloads import file_body

from app.api.auth import Role
from app.api.main import create_app
from app.api.waiting import Waits
from app.settings import Settings


def waits_of(client: TestClient) -> Waits:
    waits: Waits = client.app.state.waits  # type: ignore[attr-defined]
    return waits


def until_pending(client: TestClient, count: int) -> None:
    """Until `count` waits are pending (bounded: a wait that never starts fails the test)."""
    deadline = time.monotonic() + 20
    while waits_of(client).pending < count:
        assert time.monotonic() < deadline, f"{waits_of(client).pending} waits of {count}"
        time.sleep(0.01)


def unprojected(client: TestClient) -> int:
    """The store position of a filing that no projection of this client applies."""
    return int(client.post("/dossiers", json=file_body()).headers["X-Event-Position"])


def wait_on(client: TestClient, subject: str, seconds: float = 4) -> Response:
    headers = bearer(client.app.state.settings, Role.ANALYST, subject)  # type: ignore[attr-defined]
    params = {"min_position": client.position, "wait": seconds}  # type: ignore[attr-defined]
    response: Response = client.get("/dashboards/activity", params=params, headers=headers)
    return response


@contextmanager
def waiting_client(settings: Settings, **limits: int) -> Iterator[TestClient]:
    # The projections are not run in this process: a read waiting for a new position waits
    # for the whole of its `wait`.
    app = create_app(settings.model_copy(update={"projections_embedded": False, **limits}))
    with TestClient(app, headers=bearer(settings, Role.ADMIN, ADMIN)) as client:
        client.position = unprojected(client)  # type: ignore[attr-defined]
        yield client


def test_health_answers_at_once_while_forty_reads_wait(settings: Settings) -> None:
    with waiting_client(settings) as client:
        with ThreadPoolExecutor(max_workers=40) as pool:
            waits: list[Future[Response]] = [
                pool.submit(wait_on, client, f"reader-{i % 8}") for i in range(40)
            ]
            until_pending(client, 40)
            health = client.get("/health")
            assert health.status_code == 200
            assert not any(w.done() for w in waits)  # health answered while all still waited
            assert waits_of(client).pending == 40
            answers = [w.result() for w in waits]
        assert {a.status_code for a in answers} == {503}
        assert all(a.headers["Retry-After"] for a in answers)
        assert waits_of(client).pending == 0


def test_a_caller_holds_only_so_many_waits_at_once(settings: Settings) -> None:
    with (
        waiting_client(settings, read_waits_per_caller=2) as client,
        ThreadPoolExecutor(max_workers=3) as pool,
    ):
        held = [pool.submit(wait_on, client, "greedy", 3) for _ in range(2)]
        until_pending(client, 2)
        refused = wait_on(client, "greedy")
        assert refused.status_code == 429
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.headers["Retry-After"] == "1"
        other = pool.submit(wait_on, client, "patient", 3)
        until_pending(client, 3)  # another caller still may wait
        assert {f.result().status_code for f in [*held, other]} == {503}
