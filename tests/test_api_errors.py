"""Every error the dossier API answers, as RFC 9457 problem details naming the field or rule."""

import json
from typing import Any
from uuid import uuid4

import pytest
from api import ACTOR, command, drive, file, present, schedule, service_day
from fastapi.testclient import TestClient
from httpx2 import Response
from payloads import APPLICANT, anonymisation_body, file_body, review_body


def assert_problem(response: Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    assert problem["status"] == status
    assert problem["type"].startswith("/problems/")
    assert problem["title"]
    assert problem["detail"]
    return problem


def fields(problem: dict[str, Any]) -> set[str]:
    return {error["field"] for error in problem["errors"]}


def test_an_unknown_dossier_is_not_found(client: TestClient) -> None:
    missing = f"/dossiers/{uuid4()}"
    for response in (
        client.get(missing),
        client.get(f"{missing}/history"),
        command(client, missing, "review", 1, review_body()),
    ):
        problem = assert_problem(response, 404)
        assert problem["instance"].startswith(missing)


def test_a_version_the_dossier_never_had_is_not_found(client: TestClient) -> None:
    location = file(client).headers["Location"]
    assert_problem(client.get(location, params={"version": 5}), 404)
    assert_problem(client.get(location, params={"at": "2001-01-01T00:00:00+00:00"}), 404)


def test_a_command_that_breaks_the_path_is_a_conflict_naming_the_rule(client: TestClient) -> None:
    location = file(client).headers["Location"]
    problem = assert_problem(present(client, schedule(client), location), 409)
    assert problem["rule"] == "no_presentation_before_anonymisation"
    problem = assert_problem(
        command(client, location, "anonymisation", 1, anonymisation_body()), 409
    )
    assert problem["rule"] == "no_anonymisation_before_review"
    assert client.get(location).json()["version"] == 1


def test_a_stale_if_match_is_a_failed_precondition_and_changes_nothing(client: TestClient) -> None:
    location = file(client).headers["Location"]
    drive(client, location, ("review", review_body()))
    problem = assert_problem(
        command(client, location, "anonymisation", 1, anonymisation_body()), 412
    )
    assert problem["current_version"] == 2
    assert client.get(location).json()["status"] == "reviewed"


def test_a_command_without_if_match_is_refused(client: TestClient) -> None:
    location = file(client).headers["Location"]
    response = client.post(f"{location}/anonymisation", headers={"X-Actor-Id": ACTOR})
    assert_problem(response, 428)


def test_if_match_star_is_refused_a_command_names_the_version_it_read(
    client: TestClient,
) -> None:
    location = file(client).headers["Location"]
    headers = {"X-Actor-Id": ACTOR, "If-Match": "*"}
    response = client.post(f"{location}/review", json=review_body(), headers=headers)
    problem = assert_problem(response, 428)
    assert "ETag you last read" in problem["detail"]
    assert client.get(location).headers["ETag"] == '"1"'  # nothing was written


def test_a_malformed_if_match_is_invalid_input(client: TestClient) -> None:
    location = file(client).headers["Location"]
    headers = {"X-Actor-Id": ACTOR, "If-Match": "yesterday"}
    problem = assert_problem(client.post(f"{location}/anonymisation", headers=headers), 422)
    assert fields(problem) == {"header.If-Match"}


@pytest.mark.parametrize(
    ("change", "field", "reason_part"),
    [
        ({"siret": "73282932000075"}, "body.applicant.siret", "Luhn"),
        ({"siret": "1234"}, "body.applicant.siret", "14 digits"),
        ({"nir": "275067512345600"}, "body.applicant.nir", "key"),
        ({"email": "sandrine"}, "body.applicant.email", "e-mail"),
        ({"birth_date": "2019-01-01"}, "body.applicant.birth_date", "years old"),
        ({"birth_date": "21/06/1975"}, "body.applicant.birth_date", "date"),
    ],
)
def test_an_invalid_applicant_field_is_named(
    client: TestClient, change: dict[str, str], field: str, reason_part: str
) -> None:
    body = file_body(applicant={**file_body()["applicant"], **change})
    response = client.post("/dossiers", json=body, headers={"X-Actor-Id": ACTOR})
    problem = assert_problem(response, 422)
    assert field in fields(problem)
    reasons = " ".join(e["reason"] for e in problem["errors"] if e["field"] == field)
    assert reason_part.lower() in reasons.lower()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"region": "atlantis"}, "body.region"),
        ({"aids": []}, "body.aids"),
        ({"aids": [{"aid": "ACED", "amount": "-5.00"}]}, "body.aids[0].amount"),
        ({"aids": [{"aid": "AFE", "amount": "10.001"}]}, "body.aids[0].amount"),
        ({"aids": [{"aid": "RSA", "amount": "10.00"}]}, "body.aids[0].aid"),
        ({"channel": "pigeon"}, "body.channel"),
        ({"difficulty_factors": []}, "body.difficulty_factors"),
        ({"unexpected": 1}, "body.unexpected"),
    ],
)
def test_an_invalid_request_field_is_named(
    client: TestClient, overrides: dict[str, Any], field: str
) -> None:
    response = client.post("/dossiers", json=file_body(**overrides), headers={"X-Actor-Id": ACTOR})
    assert field in fields(assert_problem(response, 422))


def test_a_missing_required_field_is_named(client: TestClient) -> None:
    body = file_body()
    del body["applicant"]
    response = client.post("/dossiers", json=body, headers={"X-Actor-Id": ACTOR})
    assert fields(assert_problem(response, 422)) == {"body.applicant"}


def test_invalid_input_saves_nothing(client: TestClient, service: Any) -> None:
    before = service.application.recorder.max_notification_id()
    body = file_body(applicant={**APPLICANT, "siret": "73282932000075"})
    assert_problem(client.post("/dossiers", json=body, headers={"X-Actor-Id": ACTOR}), 422)
    assert service.application.recorder.max_notification_id() == before


def test_an_idempotency_key_files_a_dossier_once(client: TestClient) -> None:
    headers = {"X-Actor-Id": ACTOR, "Idempotency-Key": str(uuid4())}
    first = client.post("/dossiers", json=file_body(), headers=headers)
    again = client.post("/dossiers", json=file_body(), headers=headers)
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["Location"] == first.headers["Location"]
    other = client.post("/dossiers", json=file_body(region="bretagne"), headers=headers)
    assert fields(assert_problem(other, 422)) == {"header.Idempotency-Key"}
    assert client.get(first.headers["Location"]).json()["version"] == 1


def test_amounts_are_read_exactly_and_kept_in_cents(client: TestClient) -> None:
    body = json.dumps(file_body(aids=[{"aid": "AFE", "amount": "__AMOUNT__"}])).replace(
        '"__AMOUNT__"', "1800.5"
    )
    response = client.post(
        "/dossiers",
        content=body,
        headers={"X-Actor-Id": ACTOR, "Content-Type": "application/json"},
    )
    assert response.status_code == 201, response.text
    assert response.json()["aids"][0]["amount"] == "1800.50"


@pytest.mark.parametrize(
    ("raw_amount", "reason"),
    [
        ("1e999999", "at most"),
        ('"1e3"', "such as"),
        ('"  12.00 "', "such as"),
        ('"1_000"', "such as"),
        ("10.001", "two decimals"),
        ("1234567890123.45", "at most"),
        ("-5", "negative"),
        ("NaN", "JSON"),
        ("true", "such as"),
    ],
)
def test_an_amount_that_is_not_euros_and_cents_is_refused(
    client: TestClient, raw_amount: str, reason: str
) -> None:
    body = json.dumps(file_body(aids=[{"aid": "AFE", "amount": "__AMOUNT__"}]))
    response = client.post(
        "/dossiers",
        content=body.replace('"__AMOUNT__"', raw_amount),
        headers={"X-Actor-Id": ACTOR, "Content-Type": "application/json"},
    )
    problem = assert_problem(response, 422)
    assert reason.lower() in str(problem["errors"]).lower()


def test_text_that_is_not_valid_unicode_is_refused_by_field(client: TestClient) -> None:
    body = json.dumps(file_body(own_account="__TEXT__")).replace('"__TEXT__"', '"\\ud800"')
    response = client.post(
        "/dossiers",
        content=body,
        headers={"X-Actor-Id": ACTOR, "Content-Type": "application/json"},
    )
    assert fields(assert_problem(response, 422)) == {"body.own_account"}


def test_text_and_lists_are_bounded(client: TestClient) -> None:
    response = client.post(
        "/dossiers", json=file_body(own_account="x" * 10_001), headers={"X-Actor-Id": ACTOR}
    )
    assert fields(assert_problem(response, 422)) == {"body.own_account"}


def test_a_body_that_is_not_json_is_refused(client: TestClient) -> None:
    headers = {"X-Actor-Id": ACTOR}
    as_text = client.post(
        "/dossiers", content=b"hello", headers=headers | {"Content-Type": "text/plain"}
    )
    assert_problem(as_text, 415)
    broken = client.post(
        "/dossiers",
        content=b'{"applicant": ',
        headers=headers | {"Content-Type": "application/json"},
    )
    assert fields(assert_problem(broken, 422)) == {"body"}


@pytest.mark.parametrize(
    ("if_match", "status"),
    [('W/"1"', 412), ('"1", "2"', 422), ('"01"', 422), ('"1', 422), ("²".encode("latin-1"), 422)],
)
def test_if_match_takes_one_strong_etag(
    client: TestClient, if_match: str | bytes, status: int
) -> None:
    location = file(client).headers["Location"]
    raw = if_match if isinstance(if_match, bytes) else if_match.encode()
    headers = {b"X-Actor-Id": ACTOR.encode(), b"If-Match": raw}
    response = client.post(f"{location}/review", json=review_body(), headers=headers)
    assert_problem(response, status)
    assert client.get(location).json()["version"] == 1


def test_a_version_beyond_any_stream_is_invalid_input(client: TestClient) -> None:
    location = file(client).headers["Location"]
    assert_problem(client.get(location, params={"version": 2**63}), 422)


def test_an_empty_idempotency_key_is_refused(client: TestClient) -> None:
    headers = {"X-Actor-Id": ACTOR, "Idempotency-Key": ""}
    response = client.post("/dossiers", json=file_body(), headers=headers)
    assert fields(assert_problem(response, 422)) == {"header.Idempotency-Key"}


@pytest.mark.parametrize(
    ("applicant", "field"),
    [
        ({"siret": "٧٣٢٨٢٩٣٢٠٠٠٠٧٤"}, "body.applicant.siret"),
        ({"phone": "٠٦١٢٣٤٥٦٧٨"}, "body.applicant.phone"),
        ({"birth_date": "1850-01-01"}, "body.applicant.birth_date"),
        (
            {"address": {"line1": "1 rue", "postal_code": "44000", "city": "N", "country": "fr"}},
            "body.applicant.address.country",
        ),
    ],
)
def test_identifiers_are_checked_in_ascii_digits_and_dates_are_plausible(
    client: TestClient, applicant: dict[str, Any], field: str
) -> None:
    body = file_body(applicant=file_body()["applicant"] | applicant)
    response = client.post("/dossiers", json=body, headers={"X-Actor-Id": ACTOR})
    assert field in fields(assert_problem(response, 422))


def test_a_difficulty_named_twice_is_refused(client: TestClient) -> None:
    body = file_body(difficulty_factors=["roadworks", "roadworks"])
    response = client.post("/dossiers", json=body, headers={"X-Actor-Id": ACTOR})
    assert fields(assert_problem(response, 422)) == {"body.difficulty_factors[1]"}


def test_each_problem_type_is_described_at_its_url(client: TestClient) -> None:
    problem = assert_problem(client.get(f"/dossiers/{uuid4()}"), 404)
    described = client.get(problem["type"])
    assert described.status_code == 200
    assert described.json()["type"] == problem["type"]


def test_an_id_of_another_kind_of_record_is_not_found(client: TestClient) -> None:
    dossier = file(client).headers["Location"]
    dossier_id = dossier.rsplit("/", 1)[1]
    session = client.post(
        "/cass-sessions",
        json={
            "reference": "CASS-PDL-X",
            "region": "pays-de-la-loire",
            "session_date": service_day(client),
            "members": ["m1", "m2", "m3", "m4"],
        },
        headers={"X-Actor-Id": ACTOR},
    ).headers["Location"]
    session_id = session.rsplit("/", 1)[1]
    for path in (
        f"/cass-sessions/{dossier_id}",
        f"/catastrophes/{session_id}",
        f"/dossiers/{session_id}",
        f"/dossiers/{session_id}/history",
        f"/cass-sessions/{dossier_id}/minutes",
    ):
        assert_problem(client.get(path), 404)
    withdraw = command(client, f"/dossiers/{session_id}", "withdrawal", 1, {"reason": "x"})
    assert_problem(withdraw, 404)
