"""Every error the dossier API answers, as RFC 9457 problem details naming the field or rule."""

from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from payloads import APPLICANT, file_body, presentation_body, review_body
from test_api_path import ACTOR, command, drive, file


def assert_problem(response: Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    assert problem["status"] == status
    assert problem["type"].startswith("https://")
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
    problem = assert_problem(command(client, location, "presentation", 1, presentation_body()), 409)
    assert problem["rule"] == "no_presentation_before_anonymisation"
    problem = assert_problem(command(client, location, "anonymisation", 1), 409)
    assert problem["rule"] == "no_anonymisation_before_review"
    assert client.get(location).json()["version"] == 1


def test_a_stale_if_match_is_a_failed_precondition_and_changes_nothing(client: TestClient) -> None:
    location = file(client).headers["Location"]
    drive(client, location, ("review", review_body()))
    problem = assert_problem(command(client, location, "anonymisation", 1), 412)
    assert problem["current_version"] == 2
    assert client.get(location).json()["status"] == "reviewed"


def test_a_command_without_if_match_is_refused(client: TestClient) -> None:
    location = file(client).headers["Location"]
    response = client.post(f"{location}/anonymisation", headers={"X-Actor-Id": ACTOR})
    assert_problem(response, 428)


def test_if_match_star_accepts_any_version(client: TestClient) -> None:
    location = file(client).headers["Location"]
    headers = {"X-Actor-Id": ACTOR, "If-Match": "*"}
    response = client.post(f"{location}/review", json=review_body(), headers=headers)
    assert response.status_code == 200, response.text


def test_a_malformed_if_match_is_invalid_input(client: TestClient) -> None:
    location = file(client).headers["Location"]
    headers = {"X-Actor-Id": ACTOR, "If-Match": "yesterday"}
    problem = assert_problem(client.post(f"{location}/anonymisation", headers=headers), 422)
    assert fields(problem) == {"header.If-Match"}


def test_a_command_without_actor_is_invalid_input(client: TestClient) -> None:
    problem = assert_problem(client.post("/dossiers", json=file_body()), 422)
    assert fields(problem) == {"header.X-Actor-Id"}


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
