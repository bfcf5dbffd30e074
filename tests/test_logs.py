"""The logs an operator keeps: one JSON object per line, each line of a request naming its id and
route, the id answered and quoted in problems, and never a person's data."""

import io
import json
import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from api import command, drive, etag, file, open_session, present, schedule, session_step
from api import decide as decide_in_session
from conftest import ADMIN, bearer, store_of_its_own
from fastapi.testclient import TestClient
from payloads import (
    APPLICANT,
    anonymisation_body,
    document_request_body,
    file_body,
    notification_body,
    review_body,
)
from test_access_log import access_log_refusing_writes
from test_auth import identities

from app.api.auth import Role
from app.api.main import create_app, served_app
from app.logs import formatter, logging_config
from app.settings import Settings
from app.store.database import sql_engine

Lines = Callable[[], list[dict[str, Any]]]
CLIENT_LOGGERS = ("httpx", "httpcore")
UTC_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")


@pytest.fixture
def log_lines() -> Iterator[Lines]:
    """Every line the service logs meanwhile, at DEBUG and up, as the JSON format writes it
    (not the lines of the test's own HTTP client)."""
    written = io.StringIO()
    handler = logging.StreamHandler(written)
    handler.setFormatter(formatter("json"))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)

    def lines() -> list[dict[str, Any]]:
        parsed = [json.loads(line) for line in written.getvalue().splitlines()]
        return [line for line in parsed if not line["logger"].startswith(CLIENT_LOGGERS)]

    try:
        yield lines
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def test_each_line_is_a_json_object_with_its_time_in_utc_level_and_event(
    client: TestClient, log_lines: Lines
) -> None:
    assert client.get("/dossiers").status_code == 200
    [line] = [line for line in log_lines() if line["event"] == "request"]
    assert list(line)[:3] == ["time", "level", "event"]
    assert UTC_TIME.fullmatch(line["time"])
    assert line["level"] == "info"
    assert line["method"] == "GET"
    assert line["route"] == "/dossiers"
    assert line["status"] == 200
    assert isinstance(line["latency_ms"], float)
    assert (line["subject"], line["role"]) == (ADMIN, "admin")


def test_every_line_of_a_request_names_its_id_and_route_even_inside_the_route(
    client: TestClient, settings: Settings, log_lines: Lines
) -> None:
    dossier = file(client).headers["Location"]
    engine = sql_engine(settings)
    try:
        with access_log_refusing_writes(engine, settings):
            withheld = client.get(dossier, headers={"X-Request-ID": "back-office.42"})
    finally:
        engine.dispose()
    assert withheld.status_code == 503
    assert withheld.headers["X-Request-ID"] == "back-office.42"
    assert withheld.json()["request_id"] == "back-office.42"
    mine = [line for line in log_lines() if line.get("request_id") == "back-office.42"]
    events = [line["event"] for line in mine]
    assert "request" in events
    assert any("access log" in event for event in events)  # written by the route, in a thread
    for line in mine:
        assert line["route"] == "/dossiers/{dossier_id}"
        assert line["subject"] == ADMIN
    [failed] = [line for line in mine if "access log" in line["event"]]
    assert failed["level"] == "error"
    [request] = [line for line in mine if line["event"] == "request"]
    assert request["status"] == 503


@pytest.mark.parametrize(
    "given", [None, "", "a b", "x" * 129, "line\\nbreak", "é".encode(), "<script>"], ids=repr
)
def test_a_request_id_that_is_not_a_plain_token_is_replaced_by_a_new_one(
    client: TestClient, given: str | bytes | None
) -> None:
    headers: dict[str, Any] = {} if given is None else {"X-Request-ID": given}
    answered = client.get("/health", headers=headers)
    made = answered.headers["X-Request-ID"]
    assert re.fullmatch("[0-9a-f]{32}", made)
    assert made != client.get("/health", headers=headers).headers["X-Request-ID"]


def test_every_problem_quotes_the_request_id_it_was_answered_with(
    client: TestClient, settings: Settings
) -> None:
    given = {"X-Request-ID": "0f2c-4e1a"}
    problems = [
        client.get("/dossiers", headers={"Authorization": "Bearer forged"} | given),  # 401
        client.get("/dossiers/4b7c2a9e-0000-4000-8000-000000000000", headers=given),  # 404
        client.get("/no-such-route", headers=given),  # 404 of no route
        client.post("/dossiers", json={"region": 3}, headers=given),  # 422
        client.post(file(client).headers["Location"] + "/review", json={}, headers=given),  # 428
    ]
    for answered in problems:
        assert answered.headers["content-type"] == "application/problem+json", answered.text
        assert answered.json()["request_id"] == "0f2c-4e1a", answered.text
        assert answered.headers["X-Request-ID"] == "0f2c-4e1a"


def test_a_route_no_route_has_is_logged_as_unmatched_never_as_its_path(
    client: TestClient, log_lines: Lines
) -> None:
    client.get("/dossiers-of/Sandrine-Lefebvre")
    [line] = [line for line in log_lines() if line["event"] == "request"]
    assert (line["route"], line["status"]) == ("unmatched", 404)
    assert "Lefebvre" not in json.dumps(log_lines())


def full_path(client: TestClient) -> None:
    """A dossier from filing to notification, with a refusal, a stale version and bad input
    on the way: every kind of answer a caseworker's day produces."""
    filed = file(client)
    dossier = filed.headers["Location"]
    assert command(client, dossier, "notification", 1, notification_body()).status_code == 409
    stale = client.post(f"{dossier}/review", json=review_body(), headers={"If-Match": '"9"'})
    assert stale.status_code == 412
    bad = file_body()
    bad["applicant"] = {**bad["applicant"], "siret": "73282932000075"}
    assert client.post("/dossiers", json=bad).status_code == 422
    drive(
        client,
        dossier,
        ("document-requests", document_request_body()),
        ("received-documents", {"documents": ["bank_details"]}),
        ("review", review_body()),
        ("anonymisation", anonymisation_body()),
    )
    session = schedule(client)
    assert present(client, session, dossier).status_code == 200
    assert open_session(client, session).status_code == 200
    assert decide_in_session(client, session, dossier).status_code == 200
    assert session_step(client, session, "closing").status_code == 200
    notified = drive(client, dossier, ("notification", notification_body()))
    assert notified.json()["status"] == "notified"
    for read in (dossier, f"{dossier}/history", "/changes", "/access-log", "/dossiers"):
        assert client.get(read).status_code == 200
    assert etag(notified) == 8


@pytest.mark.parametrize("store", ["sqlite", "postgres"])
def test_no_line_of_a_demo_load_and_a_full_path_holds_a_persons_data(
    store: str, tmp_path: Path, log_lines: Lines
) -> None:
    with store_of_its_own(store, tmp_path) as settings:
        values = identities(settings)  # loads the demo, logging meanwhile
        app = create_app(settings)
        with TestClient(app, headers=bearer(settings, Role.ADMIN, ADMIN)) as client:
            full_path(client)
    lines = log_lines()
    assert len([line for line in lines if line["event"] == "request"]) > 20
    body = file_body()
    values += [str(v) for v in APPLICANT.values() if isinstance(v, str)]
    values += ["73282932000074", body["applicant"]["nir"], "place du Marché", "Nantes"]
    values += [body["own_account"], review_body()["findings"], "Lefebvre", "lefebvre"]
    written = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines)
    leaks = sorted({value for value in values if value and value in written})
    assert leaks == []


def test_uvicorn_s_own_process_logs_as_the_service_does() -> None:
    """`app/logging.json`, given to the plain uvicorn command line, is the service's JSON
    configuration, written out (it cannot drift from it)."""
    shipped = json.loads((Path(__file__).parent.parent / "app" / "logging.json").read_text())
    expected = json.loads(json.dumps(logging_config("json", "INFO"), default=str))
    expected["formatters"]["structured"] = {"()": "app.logs.formatter", "log_format": "json"}
    assert shipped == expected


def test_a_worker_started_with_bad_settings_names_them_on_one_line_and_exits_2(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/s.sqlite3")
    monkeypatch.setenv("REGIONS", "bretagne")  # not a JSON list
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        with pytest.raises(SystemExit) as exited:
            served_app()
    finally:
        root.handlers, root.level = handlers, level
    assert exited.value.code == 2
    [line] = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert line["event"] == "action-sociale cannot start"
    assert any(problem.startswith("REGIONS: malformed") for problem in line["problems"])
