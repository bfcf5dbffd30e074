"""Two clients racing on the same version: exactly one wins, the other is told, nothing is lost."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest
from api import ACTOR, SECRETARY, command, drive, file, open_session, present, schedule
from fastapi.testclient import TestClient
from payloads import (
    adr_body,
    adr_review_body,
    anonymisation_body,
    catastrophe_body,
    fci_body,
    fci_review_body,
    file_body,
    review_body,
)

from app.services.dossiers import DossierService
from app.settings import Settings
from app.store.commanding import VersionMismatch
from app.store.database import sql_engine
from app.store.eventstore import EventStoreApplication
from app.store.sealing import KeyStore
from domain import dossier
from domain.errors import RuleViolation
from domain.rulebook import Rulebook
from domain.values import Aid, AidAmount, Outcome


class RendezVousApplication(EventStoreApplication):
    """An event store where writers wait for each other just before appending.

    Both writers have then read the same version and decided, so the store's own version
    check is what must let exactly one through. A writer's retry goes on alone.
    """

    name = EventStoreApplication.name  # the same tables as the service's

    def __init__(self, writers: int, settings: Settings) -> None:
        engine = sql_engine(settings)
        audit_key = (settings.audit_key or "").encode()
        keys = KeyStore(engine, (settings.key_encryption_key or "").encode())
        super().__init__(settings.eventsourcing_env(), keys, audit_key, engine)
        self.rendezvous = threading.Barrier(writers, timeout=10)
        self.met = threading.local()

    def save(self, *objs: Any, **kwargs: Any) -> Any:
        if not getattr(self.met, "done", False):
            self.met.done = True
            self.rendezvous.wait()
        return super().save(*objs, **kwargs)


def test_two_writers_on_the_same_version_one_wins_one_is_refused(
    settings: Settings, client: TestClient
) -> None:
    location = file(client).headers["Location"]
    dossier_id = UUID(location.rsplit("/", 1)[1])
    application = RendezVousApplication(writers=2, settings=settings)
    service = DossierService(application, Rulebook())

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


def race(settings: Settings, *commands: Callable[[DossierService], object]) -> list[str]:
    """Run each command in its own thread; the writers meet just before appending."""
    application = RendezVousApplication(writers=len(commands), settings=settings)
    service = DossierService(application, Rulebook())

    def run(command: Callable[[DossierService], object]) -> str:
        try:
            command(service)
        except RuleViolation as violation:
            return violation.rule
        return "won"

    with ThreadPoolExecutor(len(commands)) as pool:
        results = sorted(pool.map(run, commands))
    application.close()
    return results


def test_two_fci_grants_racing_cannot_overspend_the_envelope(
    settings: Settings, client: TestClient
) -> None:
    catastrophe = client.post(
        "/catastrophes", json=catastrophe_body(envelope="2000.00"), headers={"X-Actor-Id": ACTOR}
    ).headers["Location"]
    catastrophe_id = catastrophe.rsplit("/", 1)[1]
    dossiers = [file(client, **fci_body(catastrophe_id)).headers["Location"] for _ in range(2)]
    for location in dossiers:
        drive(client, location, ("review", fci_review_body()))

    def grant(location: str) -> Callable[[DossierService], object]:
        return lambda service: service.decide_by_delegation(
            dossier.DecideDossier(
                dossier_id=UUID(location.rsplit("/", 1)[1]),
                at=datetime.now(UTC),
                actor=ACTOR,
                outcome=Outcome.GRANTED_IN_FULL,
                granted=(AidAmount(Aid.FCI, Decimal("1500.00")),),
                reason="Sinistre avéré",
                rulebook=Rulebook(),
            ),
            expected_version=2,
        )

    assert race(settings, *(grant(d) for d in dossiers)) == [
        "fci_within_remaining_envelope",
        "won",
    ]
    envelope = client.get(catastrophe).json()
    assert (envelope["used"], envelope["remaining"], envelope["grants"]) == ("1500.00", "500.00", 1)


def test_two_adr_grants_racing_for_one_person_let_one_through(
    settings: Settings, client: TestClient
) -> None:
    person = adr_body()
    dossiers = [file(client, **person).headers["Location"] for _ in range(2)]
    sessions = []
    for location in dossiers:
        drive(
            client, location, ("review", adr_review_body()), ("anonymisation", anonymisation_body())
        )
        session = schedule(client)
        present(client, session, location)
        open_session(client, session)
        sessions.append(session)

    def grant(location: str, session: str) -> Callable[[DossierService], object]:
        return lambda service: service.decide_in_session(
            UUID(session.rsplit("/", 1)[1]),
            dossier.DecideDossier(
                dossier_id=UUID(location.rsplit("/", 1)[1]),
                at=datetime.now(UTC),
                actor=SECRETARY,  # a member who signed in
                outcome=Outcome.GRANTED_IN_FULL,
                granted=(AidAmount(Aid.ADR, Decimal("8000.00")),),
                reason="Conditions réunies",
                rulebook=Rulebook(),
            ),
            session_version=None,
        )

    results = race(settings, *(grant(d, s) for d, s in zip(dossiers, sessions, strict=True)))
    assert results == ["adr_is_granted_once_per_person", "won"]
    statuses = sorted(client.get(d).json()["status"] for d in dossiers)
    assert statuses == ["decided", "presented"]
