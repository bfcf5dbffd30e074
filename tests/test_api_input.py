"""Malformed parameters answer a 4xx problem naming them, never a 500: crafted cursors, times
at the edges of the calendar, control characters, dates that are not text."""

import base64
import json
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest
from api import file
from fastapi.testclient import TestClient
from payloads import APPLICANT, catastrophe_body, file_body, review_body, session_body
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from test_api_errors import assert_problem, fields

from app.api.deps import now
from app.settings import Settings
from app.store.commanding import execute
from app.store.database import sql_engine
from domain import catastrophe

SOME_ID = "8e955a17-755c-4251-8c4f-83bf34205482"


def cursor(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


@pytest.mark.parametrize(
    ("sort", "crafted"),
    [
        ("filed_at", cursor([1, 2])),
        ("filed_at", cursor({"a": 1, "b": 2, "c": 3, "d": 4})),
        ("filed_at", cursor(["filed_at", False, "2026-01-01T00:00:00", 12])),
        ("filed_at", cursor(["filed_at", False, "2026-01-01T00:00:00", "not-an-id"])),
        ("filed_at", cursor(["filed_at", 0, "2026-01-01T00:00:00", SOME_ID])),
        ("filed_at", cursor(["filed_at", False, "2026-01-01T00:00:00+14:00", SOME_ID])),
        ("requested", cursor(["requested_cents", False, 10**30, SOME_ID])),
        ("requested", cursor(["requested_cents", False, "a string", SOME_ID])),
        ("updated", cursor(["position", False, [1], SOME_ID])),
        ("reference", cursor(["reference", False, "AS\u0000", SOME_ID])),
        ("reference", cursor(["reference", False, 12, SOME_ID])),
        ("filed_at", base64.urlsafe_b64encode(b"[" * 100_000).decode()[:500]),
        ("filed_at", "%%%"),
    ],
)
def test_a_crafted_cursor_is_refused_naming_the_cursor(
    client: TestClient, sort: str, crafted: str
) -> None:
    problem = assert_problem(client.get("/dossiers", params={"sort": sort, "cursor": crafted}), 422)
    assert fields(problem) == {"query.cursor"}


@pytest.mark.parametrize(
    ("path", "field", "value"),
    [
        ("/access-log", "since", "0001-01-01T00:00:00+14:00"),
        ("/access-log", "until", "9999-12-31T23:59:59-14:00"),
        ("/access-log", "since", "0"),
        ("/access-log", "until", "2026-05-01"),
        ("/dossiers", "filed_from", "0"),
        ("/dossiers", "decided_to", "1700000000"),
        ("/dossiers", "filed_to", "10000-01-01"),
        ("/dashboards/delays", "decided_from", "2026-02-30"),
    ],
)
def test_a_time_outside_the_calendar_or_not_written_as_text_is_refused(
    client: TestClient, path: str, field: str, value: str
) -> None:
    problem = assert_problem(client.get(path, params={field: value}), 422)
    assert fields(problem) == {f"query.{field}"}


def test_a_moment_outside_the_calendar_is_refused_when_reading_a_dossier(
    client: TestClient,
) -> None:
    location = file(client).headers["Location"]
    response = client.get(location, params={"at": "0001-01-01T00:00:00+14:00"})
    assert fields(assert_problem(response, 422)) == {"query.at"}


def test_the_edges_of_the_calendar_are_read_when_they_are_days(client: TestClient) -> None:
    for params in (
        {"filed_from": "0001-01-01", "filed_to": "9999-12-31"},
        {"decided_from": "0001-01-01", "decided_to": "9999-12-31"},
    ):
        assert client.get("/dossiers", params=params).status_code == 200
    edges = {"since": "0001-01-01T00:00:00Z", "until": "9999-12-31T23:59:59Z"}
    assert client.get("/access-log", params=edges).status_code == 200


def test_an_sql_error_never_shows_the_statement_s_parameters(settings: Settings) -> None:
    engine = sql_engine(settings)
    try:
        with pytest.raises(DBAPIError) as failure, engine.connect() as connection:
            connection.execute(
                text("SELECT x FROM no_such_table WHERE x = :marker"), {"marker": "Claire Martin"}
            )
    finally:
        engine.dispose()
    assert "Claire Martin" not in str(failure.value)


TEXT_PARAMETERS = [
    ("/dossiers", "region"),
    ("/dossiers", "reference"),
    ("/exports/dossiers.csv", "region"),
    ("/exports/dossiers.csv", "reference"),
    ("/dashboards/activity", "region"),
    ("/dashboards/delays", "reference"),
    ("/dashboards/silence", "region"),
    ("/commission-view", "region"),
    ("/commission-view", "session_status"),
    ("/access-log", "actor"),
]


@pytest.mark.parametrize(("path", "name"), TEXT_PARAMETERS)
def test_a_control_character_in_a_text_parameter_is_refused_naming_it(
    client: TestClient, path: str, name: str
) -> None:
    for control in ("\x00", "\x1f", "\x7f", "\n"):
        problem = assert_problem(client.get(path, params={name: f"a{control}b"}), 422)
        reason = "contains a control character"
        assert problem["errors"] == [{"field": f"query.{name}", "reason": reason}]


def test_a_control_character_in_a_path_parameter_is_refused_naming_it(
    client: TestClient,
) -> None:
    problem = assert_problem(client.get("/cass-sessions/a%00b/minutes"), 422)
    assert fields(problem) == {"path.session_id"}


def test_a_control_character_in_a_header_read_is_refused_naming_it(client: TestClient) -> None:
    location = file(client).headers["Location"]
    response = client.get(location, headers={"X-Access-Reason": "audit\x01"})
    assert fields(assert_problem(response, 422)) == {"header.X-Access-Reason"}


def test_the_csv_export_refuses_bad_input_before_it_starts(client: TestClient) -> None:
    response = client.get("/exports/dossiers.csv", params={"region": "a\x00b"})
    assert_problem(response, 422)
    response = client.get("/exports/dossiers.csv", params={"filed_from": "0"})
    assert_problem(response, 422)


def test_a_date_given_as_a_number_is_refused(client: TestClient) -> None:
    response = client.post("/cass-sessions", json=session_body(session_date=0))
    assert fields(assert_problem(response, 422)) == {"body.session_date"}
    response = client.post("/cass-sessions", json=session_body(session_date="20261215"))
    assert fields(assert_problem(response, 422)) == {"body.session_date"}


def test_a_birth_date_given_as_a_number_is_refused(client: TestClient) -> None:
    body = file_body(applicant=APPLICANT | {"birth_date": 0})
    response = client.post("/dossiers", json=body, headers={"Idempotency-Key": str(uuid4())})
    assert fields(assert_problem(response, 422)) == {"body.applicant.birth_date"}


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x85"])
def test_a_control_character_in_a_body_text_is_refused_naming_its_field(
    client: TestClient, character: str
) -> None:
    body = catastrophe_body(name=f"Tempête{character}test")
    refused = client.post("/catastrophes", json=body)
    assert fields(assert_problem(refused, 422)) == {"body.name"}
    own_account = file_body(own_account="Première ligne\nseconde ligne\tet une tabulation")
    assert client.post("/dossiers", json=own_account).status_code == 201  # free text keeps them


def test_an_event_holding_a_nul_does_not_stop_a_view(client: TestClient) -> None:
    """An event stored before the API refused NUL (PostgreSQL refuses it in text)."""
    service = client.app.state.dossiers  # type: ignore[attr-defined]
    catastrophe_id = uuid4()
    command = catastrophe.OpenCatastrophe(
        catastrophe_id,
        now(),
        "admin-test",
        "Tempête\x00ancienne",
        ("bretagne",),
        date(2026, 11, 18),
        date(2026, 11, 20),
        Decimal("1000.00"),
    )
    outcome = execute(service.application, "catastrophe", catastrophe, command, catastrophe_id, 0)
    shown = client.get(
        "/dashboards/envelopes", params={"min_position": outcome.position, "wait": 10}
    )
    assert shown.status_code == 200, shown.text
    [envelope] = [e for e in shown.json()["envelopes"] if e["id"] == str(catastrophe_id)]
    assert envelope["name"] == "Tempête\ufffdancienne"


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("assessment", "household_size"), True),
        (("assessment", "household_size"), "3"),
        (("situation", "quarters_as_self_employed"), "143"),
        (("situation", "self_employment_is_main_activity"), 1),
        (("situation", "self_employment_is_main_activity"), "true"),
    ],
    ids=repr,
)
def test_a_value_of_another_json_type_is_refused_not_coerced(
    client: TestClient, path: tuple[str, str], value: Any
) -> None:
    dossier = file(client)
    body = review_body()
    body.setdefault(path[0], {})[path[1]] = value
    refused = client.post(
        f"{dossier.headers['Location']}/review", json=body, headers={"If-Match": '"1"'}
    )
    problem = assert_problem(refused, 422)
    assert fields(problem) == {f"body.{path[0]}.{path[1]}"}


def test_a_region_the_service_does_not_have_is_refused_in_every_filter(
    client: TestClient,
) -> None:
    for path in ("/dossiers", "/dashboards/activity", "/exports/dossiers.csv", "/commission-view"):
        problem = assert_problem(client.get(path, params={"region": "nolwenn@example.fr"}), 422)
        assert fields(problem) == {"query.region"}, path
        assert "nolwenn" not in json.dumps(problem)


def test_a_path_id_that_is_no_uuid_is_refused_without_quoting_it(client: TestClient) -> None:
    problem = assert_problem(client.get("/dossiers/Nolwenn-Le-Gall"), 422)
    assert fields(problem) == {"path.dossier_id"}
    assert "N" not in problem["detail"].replace("UUID", "")
    assert "Nolwenn" not in json.dumps([problem["detail"], problem["errors"]])


@pytest.mark.parametrize("hidden", ["\ufeff", "\u200b", "\u202e", "\u2066"], ids=ascii)
def test_a_reason_holding_an_invisible_character_is_refused(
    client: TestClient, hidden: str
) -> None:
    dossier = file(client).headers["Location"]
    reason = f"relance{hidden} du dossier".encode()
    token = client.headers["Authorization"].encode()
    answered = client.get(dossier, headers={b"Authorization": token, b"X-Access-Reason": reason})
    problem = assert_problem(answered, 422)
    assert fields(problem) == {"header.X-Access-Reason"}
