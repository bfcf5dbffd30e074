"""Shared fixtures: every store-backed test runs on SQLite and on PostgreSQL, each run isolated.

SQLite gets a fresh file per run; PostgreSQL a fresh schema per run (dropped at the end), so two
runs, even at once, never see each other's events. TEST_POSTGRES_URL names the server.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import uuid4

import psycopg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.api.auth import Role, mint_token
from app.api.deps import PARIS, now
from app.api.main import create_app
from app.services.dossiers import DossierService
from app.settings import Settings
from app.store.eventstore import EventStoreApplication, open_event_store
from app.store.migrate import migrate
from domain.rulebook import Rulebook

# The tests say every setting they rely on: a .env file of the working tree (the README's
# PostgreSQL block writes one) must not change what they test.
Settings.model_config["env_file"] = None

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
STORES = ("sqlite", "postgres")
TEST_SECRET = "a-secret-for-tests-only-" + "x" * 16
ADMIN = "admin-test"
SECRETS: dict[str, Any] = {
    "auth_secret": TEST_SECRET,
    "audit_key": TEST_SECRET,
    "key_encryption_key": TEST_SECRET,
    # high enough never to trip the suite; the rate-limit tests build apps with small ones
    "rate_limit": "100000/minute",
    "rate_limit_unauthenticated": "100000/minute",
}


def bearer(
    settings: Settings, role: Role, subject: str, regions: tuple[str, ...] = ()
) -> dict[str, str]:
    """The Authorization header of a caller with this role."""
    return {"Authorization": f"Bearer {mint_token(settings, subject, role, regions)}"}


@pytest.fixture(scope="session", params=STORES)
def settings(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Settings]:
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("store") / "events.sqlite3"
        settings = Settings(
            database_url=f"sqlite:///{path}",
            **SECRETS,
        )
        migrate(settings)
        yield settings
        return
    with postgres_schema() as settings:
        yield settings


@contextmanager
def postgres_schema() -> Iterator[Settings]:
    """A migrated PostgreSQL schema of its own, dropped afterwards."""
    schema = f"test_{os.getpid()}_{uuid4().hex[:8]}"
    settings = Settings(
        database_url=POSTGRES_URL,
        database_schema=schema,
        database_pool_size=4,
        **SECRETS,
    )
    migrate(settings)
    try:
        yield settings
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


@contextmanager
def store_of_its_own(store: str, folder: Path) -> Iterator[Settings]:
    """A migrated store that nothing else writes to: a SQLite file, or a PostgreSQL schema."""
    if store == "sqlite":
        settings = Settings(database_url=f"sqlite:///{folder}/events.sqlite3", **SECRETS)
        migrate(settings)
        yield settings
        return
    with postgres_schema() as settings:
        yield settings


@pytest.fixture(params=STORES)
def fresh_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """A store of one's own, for a test that counts everything in it."""
    with store_of_its_own(request.param, tmp_path) as settings:
        yield settings


@pytest.fixture(scope="module", params=STORES)
def module_settings(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Settings]:
    """A store of the module's own, shared by tests that only read what it holds."""
    with store_of_its_own(request.param, tmp_path_factory.mktemp("module")) as settings:
        yield settings


@pytest.fixture
def application(settings: Settings) -> Iterator[EventStoreApplication]:
    application = open_event_store(settings)
    yield application
    application.close()


@pytest.fixture
def service(application: EventStoreApplication) -> DossierService:
    return DossierService(application, Rulebook())


@pytest.fixture(scope="session")
def app(settings: Settings) -> FastAPI:
    """One app per store for the whole run: FastAPI builds its routes' dependencies on an
    app's first request, a tenth of a second each time. Each client still runs its lifespan
    (the store opened and closed)."""
    return create_app(settings)


@pytest.fixture
def client(app: FastAPI, settings: Settings) -> Iterator[TestClient]:
    with TestClient(app, headers=bearer(settings, Role.ADMIN, ADMIN)) as client:
        yield client


class Clock:
    """The service's clock, set by the test: `clock.now += timedelta(days=30)`."""

    def __init__(self) -> None:
        self.now = datetime.now(PARIS)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def timed_client(app: FastAPI, settings: Settings, clock: Clock) -> Iterator[TestClient]:
    """A client of a service whose clock the test moves."""
    app.dependency_overrides[now] = clock
    try:
        with TestClient(app, headers=bearer(settings, Role.ADMIN, ADMIN)) as client:
            yield client
    finally:
        del app.dependency_overrides[now]
