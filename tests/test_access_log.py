"""The access log fails closed: every answer holding a dossier's personal data is written to the
log before anything is read or changed, and no entry means no answer. A replayed filing answers
what the filing answered, and is logged like any other answer."""

import json
import sqlite3
import time
from collections.abc import Iterator, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from api import ACTOR, as_, caseworker, command, drive, etag, file
from conftest import ADMIN, bearer, store_of_its_own
from fastapi.testclient import TestClient
from httpx2 import Response
from payloads import APPLICANT, file_body, review_body
from sqlalchemy import Engine, text

from app.api.auth import Role
from app.api.main import create_app
from app.settings import Settings
from app.store.database import sql_engine


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    engine = sql_engine(settings)
    yield engine
    engine.dispose()


@contextmanager
def refusing_inserts(engine: Engine, settings: Settings, table: str) -> Iterator[None]:
    """The database refuses every new row of this table, as a full disk or a fault would."""
    trigger = f"{table}_out_of_order"
    with engine.begin() as connection:
        if settings.is_postgres:
            connection.execute(
                text(
                    f"CREATE FUNCTION refuse_{table}() RETURNS trigger LANGUAGE plpgsql AS "
                    f"$$ BEGIN RAISE EXCEPTION 'the {table} is out of order'; END $$"
                )
            )
            connection.execute(
                text(
                    f"CREATE TRIGGER {trigger} BEFORE INSERT ON {table} "
                    f"FOR EACH ROW EXECUTE FUNCTION refuse_{table}()"
                )
            )
        else:
            connection.execute(
                text(
                    f"CREATE TRIGGER {trigger} BEFORE INSERT ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, 'the {table} is out of order'); END"
                )
            )
    try:
        yield
    finally:
        with engine.begin() as connection:
            if settings.is_postgres:
                connection.execute(text(f"DROP TRIGGER {trigger} ON {table}"))
                connection.execute(text(f"DROP FUNCTION refuse_{table}()"))
            else:
                connection.execute(text(f"DROP TRIGGER {trigger}"))


def access_log_refusing_writes(engine: Engine, settings: Settings) -> Any:
    """The database refuses every new access-log entry, as a full disk or a lock would."""
    return refusing_inserts(engine, settings, "access_log")


def entries(client: TestClient, dossier_id: str) -> list[tuple[str, str]]:
    log = client.get("/access-log", params={"record_id": dossier_id}).json()["entries"]
    return [(e["actor"], e["action"]) for e in log]


def assert_withheld(response: Response) -> None:
    """A 503 problem that carries none of the applicant's personal data."""
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "/problems/access-log-unavailable"
    for value in (APPLICANT["last_name"], APPLICANT["first_name"], APPLICANT["email"]):
        assert value not in response.text


def test_no_access_log_entry_means_no_personal_data_and_no_change(
    client: TestClient, settings: Settings, engine: Engine
) -> None:
    dossier = file(client).headers["Location"]
    reviewed = drive(client, dossier, ("review", review_body()))
    dossier_id = dossier.rsplit("/", 1)[1]
    auditor = as_(client, Role.AUDITOR, "auditor-1")
    integration = as_(client, Role.INTEGRATION, "si-pdl", ("pays-de-la-loire",))
    with access_log_refusing_writes(engine, settings):
        assert_withheld(client.get(dossier, headers=auditor))
        assert_withheld(client.get(f"{dossier}/history", headers=auditor))
        assert_withheld(
            command(client, dossier, "withdrawal", etag(reviewed), {"reason": "Reprise"})
        )
        assert_withheld(client.get("/changes", headers=integration))
        refused_filing = client.post(
            "/dossiers",
            json=file_body(),
            headers=caseworker(client) | {"Idempotency-Key": str(uuid4())},
        )
        assert_withheld(refused_filing)
    after = client.get(dossier)
    assert after.status_code == 200
    assert etag(after) == etag(reviewed)  # the withdrawal was never written
    assert ("auditor-1", "get_dossier") not in entries(client, dossier_id)


def test_every_answer_holding_personal_data_is_logged_commands_and_filings_too(
    client: TestClient,
) -> None:
    filed = file(client)
    dossier = filed.headers["Location"]
    dossier_id = filed.json()["id"]
    command(client, dossier, "withdrawal", etag(filed), {"reason": "Reprise d'activité"})
    seen = entries(client, dossier_id)
    assert (ACTOR, "file_dossier") in seen
    assert (ACTOR, "withdraw_dossier") in seen


def test_a_replayed_filing_answers_the_dossier_as_filed_and_is_logged(
    client: TestClient,
) -> None:
    headers = caseworker(client) | {"Idempotency-Key": str(uuid4())}
    first = client.post("/dossiers", json=file_body(), headers=headers)
    assert first.status_code == 201
    dossier = first.headers["Location"]
    findings = "Constat confidentiel de l'instruction, postérieur au dépôt."
    drive(client, dossier, ("review", review_body(findings=findings)))
    assert client.get(dossier).json()["version"] == 2

    replay = client.post("/dossiers", json=file_body(), headers=headers)

    assert replay.status_code == 200
    assert replay.headers["Location"] == dossier
    assert replay.headers["ETag"] == '"1"'
    body: dict[str, Any] = replay.json()
    assert body == first.json()
    assert findings not in replay.text
    seen = entries(client, body["id"])
    assert seen.count((ACTOR, "file_dossier")) == 2


@contextmanager
def access_log_locked(settings: Settings) -> Iterator[None]:
    """Another session holds the log (a long maintenance, a stuck transaction): on PostgreSQL a
    lock on its table, on SQLite an exclusive transaction on the database."""
    if settings.is_postgres:
        engine = sql_engine(settings)
        with engine.connect() as locker:
            locker.execute(text("LOCK TABLE access_log IN ACCESS EXCLUSIVE MODE"))
            try:
                yield
            finally:
                locker.rollback()
        engine.dispose()
        return
    holder = sqlite3.connect(settings.sqlite_path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@pytest.mark.parametrize("store", ["sqlite", "postgres"])
def test_a_locked_access_log_refuses_the_answer_soon_rather_than_holding_it(
    store: str, tmp_path: Path
) -> None:
    """A locked log answers 503 after the log's own short wait (2 s), instead of holding a
    worker thread for as long as the lock lasts."""
    with store_of_its_own(store, tmp_path) as settings:
        admin = bearer(settings, Role.ADMIN, ADMIN)
        with (
            TestClient(create_app(settings), headers=admin) as client,
            ThreadPoolExecutor() as pool,
        ):
            dossier = file(client).headers["Location"]
            with access_log_locked(settings):
                started = time.monotonic()
                read = pool.submit(client.get, dossier)
                assert_withheld(read.result(timeout=30))
                assert time.monotonic() - started < 8  # the database waits 15 s for others
            assert client.get(dossier).status_code == 200


def raw_get(client: TestClient, path: str, headers: list[tuple[bytes, bytes]]) -> tuple[int, bytes]:
    """GET straight to the app with these header bytes, as a server hands them over (the test
    client would re-encode them)."""
    answer: dict[str, Any] = {"body": b""}
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
        elif message["type"] == "http.response.body":
            answer["body"] += message.get("body", b"")

    async def run() -> None:
        await client.app(scope, receive, send)

    assert client.portal is not None
    client.portal.call(run)
    return answer["status"], answer["body"]


def test_the_reason_is_kept_as_written_and_a_refused_one_leaves_no_entry(
    client: TestClient,
) -> None:
    dossier_id = file(client).json()["id"]
    reader = as_(client, Role.AUDITOR, "auditor-reasons")
    why = "Réclamation de l'assurée, appel du 3 décembre"
    token = reader["Authorization"].encode()

    def saying(reason: str) -> dict[bytes, bytes]:  # HTTP carries the header's UTF-8 bytes
        return {b"Authorization": token, b"X-Access-Reason": reason.encode()}

    read = client.get(f"/dossiers/{dossier_id}", headers=saying(why))
    assert read.status_code == 200
    refused = client.get(f"/dossiers/{dossier_id}", headers=saying("é" * 501))
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "header.X-Access-Reason"
    not_utf8 = [(b"authorization", token), (b"x-access-reason", b"\xff\xfe relance")]
    status, body = raw_get(client, f"/dossiers/{dossier_id}", not_utf8)
    assert status == 422
    assert json.loads(body)["errors"] == [
        {"field": "header.X-Access-Reason", "reason": "not UTF-8 text"}
    ]
    log = client.get("/access-log", params={"record_id": dossier_id}).json()["entries"]
    assert [e["reason"] for e in log if e["actor"] == "auditor-reasons"] == [why]
