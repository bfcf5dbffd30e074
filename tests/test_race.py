"""Two clients racing on the same version: exactly one wins, the other is told, nothing is lost."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient
from payloads import file_body, review_body
from test_api_path import ACTOR, command, file

from app.dossiers import DossierService, VersionMismatch
from app.eventstore import EventStoreApplication
from app.settings import Settings
from domain import dossier


class RendezVousApplication(EventStoreApplication):
    """An event store where writers wait for each other just before appending.

    Both writers have then read the same version and decided, so the store's own version
    check is what must let exactly one through.
    """

    name = EventStoreApplication.name  # the same tables as the service's

    def __init__(self, writers: int, env: dict[str, str]) -> None:
        super().__init__(env=env)
        self.rendezvous = threading.Barrier(writers, timeout=10)

    def save(self, *objs: Any, **kwargs: Any) -> Any:
        self.rendezvous.wait()
        return super().save(*objs, **kwargs)


def test_two_writers_on_the_same_version_one_wins_one_is_refused(
    settings: Settings, client: TestClient
) -> None:
    location = file(client).headers["Location"]
    dossier_id = UUID(location.rsplit("/", 1)[1])
    application = RendezVousApplication(writers=2, env=settings.eventsourcing_env())
    service = DossierService(application)

    def withdraw(reason: str) -> str:
        command = dossier.WithdrawDossier(
            dossier_id=dossier_id, at=datetime.now(UTC), actor=ACTOR, reason=reason
        )
        try:
            service.handle(command, expected_version=1)
        except VersionMismatch as mismatch:
            return f"refused, now at version {mismatch.current}"
        return "won"

    with ThreadPoolExecutor(2) as pool:
        results = sorted(pool.map(withdraw, ["first", "second"]))
    application.close()

    assert results == ["refused, now at version 2", "won"]
    history = client.get(f"{location}/history").json()["events"]
    assert [e["type"] for e in history] == ["DossierFiled", "DossierWithdrawn"]


@pytest.mark.parametrize("clients", [8])
def test_concurrent_http_commands_with_one_if_match_let_exactly_one_through(
    client: TestClient, clients: int
) -> None:
    location = file(client).headers["Location"]
    with ThreadPoolExecutor(clients) as pool:
        responses = list(
            pool.map(
                lambda _: command(client, location, "review", 1, review_body()), range(clients)
            )
        )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] + [412] * (clients - 1)
    assert client.get(location).json()["version"] == 2


def test_concurrent_filings_with_one_idempotency_key_file_one_dossier(client: TestClient) -> None:
    headers = {"X-Actor-Id": ACTOR, "Idempotency-Key": str(uuid4())}
    with ThreadPoolExecutor(6) as pool:
        responses = list(
            pool.map(
                lambda _: client.post("/dossiers", json=file_body(), headers=headers), range(6)
            )
        )
    assert sorted(r.status_code for r in responses) == [200] * 5 + [201]
    assert len({r.json()["id"] for r in responses}) == 1
