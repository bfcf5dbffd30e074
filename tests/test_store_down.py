"""A PostgreSQL that stops answering: every request is refused within seconds as the store's
(503, Retry-After), never held for minutes nor answered as a server error; the projections wait
for it without filling the logs; and all answers again once it is back (within the time the
connection pools take to try again)."""

import logging
import time
from collections.abc import Iterator
from uuid import uuid4

import psycopg
import pytest
from api import file
from conftest import ADMIN, POSTGRES_URL, SECRETS, bearer
from fastapi.testclient import TestClient

from app.api.auth import Role
from app.api.main import create_app
from app.settings import Settings
from app.store.migrate import migrate


@pytest.fixture
def database() -> Iterator[Settings]:
    """A database of the test's own, so that it can stop answering without stopping others."""
    name = f"down_{uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    settings = Settings(
        database_url=POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}", database_pool_size=2, **SECRETS
    )
    migrate(settings)
    try:
        yield settings
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
            answering(connection, name, allowed=True)
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def answering(
    connection: psycopg.Connection[tuple[object, ...]], name: str, *, allowed: bool
) -> None:
    """Let the database take connections, or refuse them and drop the ones it has."""
    connection.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(allowed).lower()}')
    if not allowed:
        connection.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,)
        )


def test_a_database_that_stops_answering_is_told_within_seconds_then_answers_again(
    database: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    name = database.database_url.rsplit("/", 1)[1]
    admin = bearer(database, Role.ADMIN, ADMIN)
    with TestClient(create_app(database), headers=admin) as client:
        dossier = file(client).headers["Location"]
        assert client.get(dossier).status_code == 200
        with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
            answering(connection, name, allowed=False)
            try:
                with caplog.at_level(logging.INFO):
                    for path in (dossier, "/dossiers"):  # the event store, the read tables
                        started = time.monotonic()
                        refused = client.get(path)
                        assert time.monotonic() - started < 20, path
                        assert refused.status_code == 503, (path, refused.text)
                        assert refused.json()["type"] == "/problems/store-unavailable"
                        assert refused.headers["Retry-After"]
                    time.sleep(3)  # the embedded projections try, and wait longer each time
                failing = [r for r in caplog.records if "projection batch" in r.getMessage()]
                assert 1 <= len(failing) <= 2  # said once, not once per try
            finally:
                answering(connection, name, allowed=True)
        deadline = time.monotonic() + 60
        while client.get(dossier).status_code != 200:
            assert time.monotonic() < deadline, "the service did not come back"
            time.sleep(0.5)
        assert client.get("/dossiers").status_code == 200
