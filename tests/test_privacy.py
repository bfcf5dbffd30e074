"""Personal data sealed at rest and erased by destroying its key; a tamper-evident history; an
append-only log of who read what."""

import time
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from api import (
    ACTOR,
    anonymous_code,
    as_,
    command,
    drive,
    file,
    if_match,
    open_session,
    present,
    schedule,
    session_step,
)
from conftest import ADMIN, Clock, bearer
from fastapi.testclient import TestClient
from payloads import APPLICANT, anonymisation_body, review_body
from sqlalchemy import Engine, event, inspect, select, text
from sqlalchemy.exc import DBAPIError

from app.api.auth import Role
from app.api.deps import now
from app.api.main import create_app
from app.demo.data import load_demo_data
from app.services.projecting import Projections
from app.settings import Settings
from app.store.audit import verify_store
from app.store.database import sql_engine
from app.store.eventstore import open_event_store
from app.store.sealing import KeyErased, KeyStore
from app.store.tables import dossier_keys
from domain.rulebook import Rulebook
from projections.tables import tables

IDENTIFYING = (APPLICANT["last_name"], APPLICANT["email"], "73282932000074", "2750675123456")


def events_table(settings: Settings) -> str:
    return "actionsociale_events" if settings.is_postgres else "stored_events"


def everything_stored(engine: Engine) -> str:
    """Every value of every table of the database, as text."""
    chunks = []
    with engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                for value in row:
                    chunks.append(
                        value.decode("latin-1") if isinstance(value, bytes) else str(value)
                    )
    return "\n".join(chunks)


def sqlite_files(settings: Settings) -> dict[str, bytes]:
    """The bytes of the SQLite database and of its -wal and -shm, as they are on disk."""
    path = settings.sqlite_path
    files = (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"))
    return {file.name: file.read_bytes() for file in files if file.exists()}


@pytest.fixture
def engine(settings: Settings) -> Any:
    engine = sql_engine(settings)
    yield engine
    engine.dispose()


def test_personal_data_is_sealed_at_rest(
    client: TestClient, settings: Settings, engine: Engine
) -> None:
    filed = file(client)
    assert filed.json()["applicant"]["last_name"] == APPLICANT["last_name"]
    table = events_table(settings)
    with engine.connect() as connection:
        [state] = connection.execute(
            text(f"SELECT state FROM {table} WHERE topic = 'DossierFiled' LIMIT 1")
        ).one()
    stored = bytes(state).decode()
    assert "$sealed" in stored
    for value in IDENTIFYING:
        assert value not in stored


def test_erasure_destroys_the_key_and_nothing_identifying_can_be_read_back(
    timed_client: TestClient, clock: Clock, settings: Settings, engine: Engine
) -> None:
    client = timed_client
    dossier = file(client).headers["Location"]
    dossier_id = UUID(dossier.rsplit("/", 1)[1])
    drive(client, dossier, ("review", review_body()), ("withdrawal", {"reason": "Reprise"}))
    too_early = client.post(f"{dossier}/erasure", headers=if_match(client, dossier))
    assert too_early.status_code == 409
    assert too_early.json()["rule"] == "personal_data_is_kept_for_the_retention_period"
    with engine.connect() as connection:
        key = connection.execute(
            select(dossier_keys.c.key).where(dossier_keys.c.dossier_id == dossier_id)
        ).scalar_one()
    assert key

    clock.now += timedelta(days=731)
    erased = client.post(f"{dossier}/erasure", headers=if_match(client, dossier))
    assert erased.status_code == 200, erased.text
    assert erased.json()["applicant"]["last_name"] == "[effacé]"
    assert erased.json()["own_account"] == "[effacé]"
    history = client.get(f"{dossier}/history").json()["events"]
    assert history[0]["data"]["applicant"]["siret"] == "00000000000000"
    assert history[1]["data"]["findings"] == "[effacé]"
    assert history[-1]["type"] == "PersonalDataErased"
    assert client.get(f"/audit/dossiers/{dossier_id}").json()["valid"] is True

    with engine.connect() as connection:
        row = connection.execute(
            select(dossier_keys).where(dossier_keys.c.dossier_id == dossier_id)
        ).one()
    assert row.key is None
    assert row.erased_at is not None
    stored = everything_stored(engine)
    assert key.decode("latin-1") not in stored
    if not settings.is_postgres:  # nor anywhere in the files: overwritten, the WAL emptied
        assert not [name for name, raw in sqlite_files(settings).items() if key in raw]
    caught_up = {"min_position": erased.headers["X-Event-Position"], "wait": 10}
    reference = {"reference": erased.json()["reference"]}
    [row_after] = client.get("/dossiers", params=reference | caught_up).json()["items"]
    assert (row_after["region"], row_after["requested"]) == ("pays-de-la-loire", "3120.50")


def test_a_key_read_while_it_is_erased_is_not_cached_after_the_erasure(
    client: TestClient, settings: Settings, engine: Engine
) -> None:
    """A projection's batch reads the keys of its events while a request erases one of them:
    the batch may use what it read, but the erased key must not come back for later reads."""
    dossier_id = UUID(file(client).json()["id"])  # its key stored with its first event
    keys = KeyStore(engine, (settings.key_encryption_key or "").encode())

    read: list[str] = []

    def note_the_batch_reading(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if not read and "dossier_keys" in statement and statement.lstrip().startswith("SELECT"):
            read.append("keys read")

    def erase_once_the_batch_has_read(_dbapi_connection: Any, _record: Any) -> None:
        if read == ["keys read"]:  # the batch has its rows, and has not cached them yet
            read.append("erased")
            keys.erase(dossier_id)

    event.listen(engine, "after_cursor_execute", note_the_batch_reading)
    event.listen(engine.pool, "checkin", erase_once_the_batch_has_read)
    keys.prefetch([dossier_id])
    assert read == ["keys read", "erased"]
    with pytest.raises(KeyErased):
        keys.key_for(dossier_id, create=False)


def test_an_erased_situation_leaves_no_old_page_of_the_commission_view_behind(
    timed_client: TestClient, clock: Clock, settings: Settings, engine: Engine
) -> None:
    client, marker = timed_client, "zanzibarite"  # a word of the commission's text, in no other
    dossier = file(client).headers["Location"]
    text = f"Activité touchée par une {marker} saisonnière ; pas de cumul."
    drive(client, dossier, ("review", review_body()), ("anonymisation", anonymisation_body(text)))
    session = schedule(client)
    assert present(client, session, dossier).status_code == 200
    code = anonymous_code(client, dossier)
    removal = {"reason": "Seance reportee"}
    removed = session_step(client, session, f"agenda/{code}/removal", removal, by="caseworker")
    assert removed.status_code == 200, removed.text
    drive(client, dossier, ("withdrawal", {"reason": "Reprise"}))
    clock.now += timedelta(days=731)
    erased = client.post(f"{dossier}/erasure", headers=if_match(client, dossier))
    assert erased.status_code == 200, erased.text
    wait = {"min_position": erased.headers["X-Event-Position"], "wait": "10"}
    assert client.get("/commission-view", params=wait).status_code == 200
    assert marker not in everything_stored(engine)
    if settings.is_postgres:
        return  # its old row versions are VACUUM's to reclaim (README: erasure on PostgreSQL)
    deadline = time.monotonic() + 5  # the projection checkpoints once it has applied the erasure
    while time.monotonic() < deadline and marker.encode() in b"".join(
        sqlite_files(settings).values()
    ):
        time.sleep(0.05)
    assert not [name for name, raw in sqlite_files(settings).items() if marker.encode() in raw]


def test_after_rebuilds_an_erasure_leaves_nothing_in_the_generation_no_longer_read(
    fresh_settings: Settings, clock: Clock
) -> None:
    settings, marker = fresh_settings, "zanzibarite"  # a word of the commission's text only
    app = create_app(settings)
    app.dependency_overrides[now] = clock
    with TestClient(app, headers=bearer(settings, Role.ADMIN, ADMIN)) as client:
        dossier = file(client).headers["Location"]
        text = f"Activité touchée par une {marker} saisonnière ; pas de cumul."
        body = anonymisation_body(text)
        drive(client, dossier, ("review", review_body()), ("anonymisation", body))
        session = schedule(client)
        assert present(client, session, dossier).status_code == 200
        engine = sql_engine(settings)
        application = open_event_store(settings, engine)
        projections = Projections(application, engine, Rulebook())
        try:
            # given every projection rebuilt, twice for one: readers moved a → b, b → a, a → b
            assert [projections.rebuild(name) for name in projections.projectors] == ["b"] * 3
            assert projections.rebuild("commission") == "a"
            assert projections.rebuild("commission") == "b"
            assert marker in everything_stored(engine)
            # when the dossier is erased
            clock.now += timedelta(days=731)
            erased = client.post(f"{dossier}/erasure", headers=if_match(client, dossier))
            assert erased.status_code == 200, erased.text
            wait = {"min_position": erased.headers["X-Event-Position"], "wait": "10"}
            assert client.get("/commission-view", params=wait).status_code == 200
            # then its text is in no table, no generation, and (SQLite) no page of the files
            assert marker not in everything_stored(engine)
            with engine.connect() as connection:
                for name in projections.projectors:
                    for table in tables(name, "a"):
                        assert connection.execute(select(table)).first() is None, table.name
            if not settings.is_postgres:
                deadline = time.monotonic() + 5  # checkpointed once the erasure is applied
                while time.monotonic() < deadline and marker.encode() in b"".join(
                    sqlite_files(settings).values()
                ):
                    time.sleep(0.05)
                files = sqlite_files(settings)
                assert not [name for name, raw in files.items() if marker.encode() in raw]
            # and the views rebuilt after it are whole and current
            assert projections.rebuild("commission") == "a"
            assert projections.rebuild("dossiers") == "a"
            reference = erased.json()["reference"]
            [row] = client.get("/dossiers", params={"reference": reference}).json()["items"]
            assert row["status"] == erased.json()["status"]
            assert marker not in everything_stored(engine)
        finally:
            application.close()
            engine.dispose()


def test_a_dossier_touched_within_its_retention_keeps_its_data_then_loses_it(
    timed_client: TestClient, clock: Clock
) -> None:
    dossier = file(timed_client).headers["Location"]
    clock.now += timedelta(days=700)
    drive(timed_client, dossier, ("review", review_body()))  # a contact: the clock restarts
    clock.now += timedelta(days=100)
    refused = timed_client.post(f"{dossier}/erasure", headers=if_match(timed_client, dossier))
    assert refused.json()["rule"] == "personal_data_is_kept_for_the_retention_period"
    clock.now += timedelta(days=700)
    assert timed_client.post(f"{dossier}/erasure").status_code == 428  # which version it read
    stale = timed_client.post(f"{dossier}/erasure", headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    abandoned = timed_client.post(f"{dossier}/erasure", headers=if_match(timed_client, dossier))
    assert abandoned.status_code == 200
    assert abandoned.json()["review"]["findings"] == "[effacé]"


def test_every_text_that_speaks_of_the_person_is_sealed_and_erased(
    timed_client: TestClient, clock: Clock, settings: Settings, engine: Engine
) -> None:
    client = timed_client
    dossier = file(
        client,
        activity={
            "kind": "commercant",
            "affiliated_since": "2012-03-01",
            "description": "Tabac Lefebvre",
        },
    ).headers["Location"]
    request = {
        "documents": ["bank_details"],
        "due_date": (clock.now.date() + timedelta(days=9)).isoformat(),
        "reason": "RIB de Mme Lefebvre",
    }
    drive(
        client,
        dossier,
        ("document-requests", request),
        ("withdrawal", {"reason": "Mme Lefebvre a retrouvé des clients"}),
    )
    with engine.connect() as connection:
        stored = "\n".join(
            bytes(state).decode()
            for (state,) in connection.execute(text(f"SELECT state FROM {events_table(settings)}"))
        )
    assert "Lefebvre" not in stored
    clock.now += timedelta(days=731)
    client.post(f"{dossier}/erasure", headers=if_match(client, dossier))
    history = client.get(f"{dossier}/history").text
    assert "Lefebvre" not in history
    assert "[effacé]" in history


def test_a_demo_store_verifies_whole(fresh_settings: Settings) -> None:
    application = open_event_store(fresh_settings)
    engine = sql_engine(fresh_settings)
    try:
        load_demo_data(application)
        report = verify_store(application, engine)
    finally:
        application.close()
        engine.dispose()
    assert report.events > 300
    assert report.breaches == []


def test_an_edited_or_removed_event_breaks_the_chain(
    client: TestClient, settings: Settings, engine: Engine
) -> None:
    dossier = file(client).headers["Location"]
    dossier_id = dossier.rsplit("/", 1)[1]
    drive(client, dossier, ("review", review_body()), ("anonymisation", anonymisation_body()))
    assert client.get(f"/audit/dossiers/{dossier_id}").json()["valid"] is True
    table, key = events_table(settings), dossier_id.replace("-", "")
    where = "originator_id = :id AND originator_version = :v"
    identity = dossier_id if settings.is_postgres else key
    with engine.begin() as connection:
        [state] = connection.execute(
            text(f"SELECT state FROM {table} WHERE {where}"), {"id": identity, "v": 2}
        ).one()
        forged = bytes(state).replace(b"favourable", b"unfavourable")
        connection.execute(
            text(f"UPDATE {table} SET state = :s WHERE {where}"),
            {"s": forged, "id": identity, "v": 2},
        )
    report = client.get(f"/audit/dossiers/{dossier_id}").json()
    assert report["valid"] is False
    assert report["breaches"] == [
        {"stream_id": dossier_id, "version": 2, "problem": "changed since it was written"}
    ]
    with engine.begin() as connection:
        connection.execute(text(f"DELETE FROM {table} WHERE {where}"), {"id": identity, "v": 2})
    problems = {
        b["problem"] for b in client.get(f"/audit/dossiers/{dossier_id}").json()["breaches"]
    }
    assert problems == {"follows version 1: a gap", "does not link to the event before it"}
    assert client.get("/audit").json()["valid"] is False


def test_a_dossier_cut_short_is_caught_by_its_summary(
    client: TestClient, settings: Settings, engine: Engine
) -> None:
    dossier = file(client).headers["Location"]
    dossier_id = dossier.rsplit("/", 1)[1]
    last = drive(client, dossier, ("review", review_body()))
    client.get("/dossiers", params={"min_position": last.headers["X-Event-Position"]})
    identity = dossier_id if settings.is_postgres else dossier_id.replace("-", "")
    with engine.begin() as connection:
        connection.execute(
            text(
                f"DELETE FROM {events_table(settings)} "
                "WHERE originator_id = :id AND originator_version = 2"
            ),
            {"id": identity},
        )
    report = client.get(f"/audit/dossiers/{dossier_id}").json()
    assert report["valid"] is False
    assert "missing" in report["breaches"][0]["problem"]


def test_every_read_of_personal_data_is_logged_and_the_log_is_append_only(
    client: TestClient, engine: Engine
) -> None:
    dossier = file(client).headers["Location"]
    dossier_id = dossier.rsplit("/", 1)[1]
    reader = as_(client, Role.CASEWORKER, "agent-curious", ("pays-de-la-loire",))
    client.get(dossier, headers=reader | {"X-Access-Reason": "Appel de l'assuree"})
    client.get(f"{dossier}/history", headers=reader)
    log = client.get("/access-log", params={"record_id": dossier_id}).json()["entries"]
    seen = [(e["actor"], e["action"], e["reason"]) for e in log]
    assert ("agent-curious", "get_dossier", "Appel de l'assuree") in seen
    assert ("agent-curious", "get_dossier_history", None) in seen
    assert (ACTOR, "file_dossier", None) in seen  # its answer holds the dossier too
    forbidden = client.get("/access-log", headers=reader)
    assert forbidden.status_code == 403
    with pytest.raises(DBAPIError), engine.begin() as connection:
        connection.execute(text("UPDATE access_log SET actor = 'nobody'"))
    with pytest.raises(DBAPIError), engine.begin() as connection:
        connection.execute(text("DELETE FROM access_log"))


def test_the_chain_of_the_whole_store_holds(client: TestClient) -> None:
    dossier = file(client).headers["Location"]
    command(client, dossier, "withdrawal", 1, {"reason": "Reprise d'activité"})
    report = client.get("/audit").json()
    assert report["events"] >= 2
    assert report["streams"] >= 1


def test_a_stream_cut_short_or_removed_whole_misses_its_sealed_head(
    client: TestClient, settings: Settings, engine: Engine
) -> None:
    session = schedule(client)
    open_session(client, session)
    closed = session_step(client, session, "closing")  # the minutes: the last version
    last = int(closed.headers["ETag"].strip('"'))
    session_id = session.rsplit("/", 1)[1]
    assert client.get(f"/audit/dossiers/{file(client).json()['id']}").json()["valid"]
    identity = session_id if settings.is_postgres else session_id.replace("-", "")
    table = events_table(settings)
    with engine.begin() as connection:
        connection.execute(
            text(f"DELETE FROM {table} WHERE originator_id = :id AND originator_version = :v"),
            {"id": identity, "v": last},
        )
    breaches = client.get("/audit").json()["breaches"]
    missing = {
        "stream_id": session_id,
        "version": last,
        "problem": f"missing: the stream reached {last}",
    }
    assert missing in breaches
    with engine.begin() as connection:
        connection.execute(text(f"DELETE FROM {table} WHERE originator_id = :id"), {"id": identity})
        connection.execute(
            text("UPDATE stream_heads SET version = 0 WHERE version > 0 AND seal <> ''")
        )
    forged = {b["problem"] for b in client.get("/audit").json()["breaches"]}
    assert "its head was forged" in forged
