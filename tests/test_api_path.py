"""A dossier driven over HTTP from filing to notification, and its history read back."""

from datetime import datetime
from typing import Any

from fastapi.testclient import TestClient
from httpx2 import Response
from payloads import (
    decision_body,
    document_request_body,
    file_body,
    notification_body,
    presentation_body,
    review_body,
)

ACTOR = "agent-pdl-007"


def file(client: TestClient, **overrides: Any) -> Response:
    response: Response = client.post(
        "/dossiers", json=file_body(**overrides), headers={"X-Actor-Id": ACTOR}
    )
    return response


def command(
    client: TestClient, location: str, step: str, version: int, body: Any = None
) -> Response:
    headers = {"X-Actor-Id": ACTOR, "If-Match": f'"{version}"'}
    response: Response = client.post(f"{location}/{step}", json=body, headers=headers)
    return response


def drive(client: TestClient, location: str, *steps: tuple[str, Any]) -> Response:
    """Apply the steps in order, each with the ETag of the one before."""
    response: Response = client.get(location)
    for step, body in steps:
        version = int(response.headers["ETag"].strip('"'))
        response = command(client, location, step, version, body)
        assert response.status_code == 200, response.text
    return response


ORDINARY_PATH = (
    ("document-requests", document_request_body()),
    ("received-documents", {"documents": ["bank_details"]}),
    ("review", review_body()),
    ("anonymisation", None),
    ("presentation", presentation_body()),
    ("decision", decision_body()),
    ("notification", notification_body()),
)


def test_a_dossier_is_driven_from_filing_to_notification(client: TestClient) -> None:
    filed = file(client)
    assert filed.status_code == 201, filed.text
    location = filed.headers["Location"]
    assert location == f"/dossiers/{filed.json()['id']}"
    assert filed.headers["ETag"] == '"1"'
    assert filed.json()["status"] == "filed"
    assert filed.json()["applicant"]["siret"] == "73282932000074"

    statuses = []
    response = filed
    for step, body in ORDINARY_PATH:
        version = int(response.headers["ETag"].strip('"'))
        response = command(client, location, step, version, body)
        assert response.status_code == 200, response.text
        assert response.headers["ETag"] == f'"{version + 1}"'
        statuses.append(response.json()["status"])
    assert statuses == [
        "awaiting_documents",
        "filed",
        "reviewed",
        "anonymised",
        "presented",
        "decided",
        "notified",
    ]
    final = client.get(location).json()
    assert final["version"] == 8
    assert final["decision"]["outcome"] == "granted_in_part"
    assert final["decision"]["granted"] == [{"aid": "ACED", "amount": "1320.50", "periods": []}]
    assert final["notification"]["reference"] == "LR-42"


def test_the_history_lists_every_event_with_version_type_time_actor_and_data(
    client: TestClient,
) -> None:
    location = file(client).headers["Location"]
    drive(client, location, *ORDINARY_PATH)
    history = client.get(f"{location}/history").json()
    assert history["version"] == 8
    events = history["events"]
    assert [e["type"] for e in events] == [
        "DossierFiled",
        "DocumentsRequested",
        "DocumentsReceived",
        "DossierReviewed",
        "DossierAnonymised",
        "DossierPresentedToCass",
        "DossierDecided",
        "DecisionNotified",
    ]
    assert [e["version"] for e in events] == list(range(1, 9))
    assert {e["actor"] for e in events} == {ACTOR}
    times = [datetime.fromisoformat(e["occurred_at"]) for e in events]
    assert times == sorted(times)
    assert events[1]["data"]["reason"] == "RIB manquant"
    assert events[6]["data"]["reason"].startswith("Difficulté ponctuelle")
    assert events[0]["data"]["aids"][0]["periods"][0]["amount"] == "1320.50"


def test_the_anonymised_summary_carries_no_direct_identifier(client: TestClient) -> None:
    location = file(
        client, own_account="Je suis Sandrine Lefebvre, joignable à sandrine.lefebvre@example.fr"
    ).headers["Location"]
    response = drive(client, location, ("review", review_body()), ("anonymisation", None))
    summary = response.json()["anonymised_summary"]
    text = str(summary).lower()
    for identifying in ("lefebvre", "sandrine", "73282932000074", "example.fr", "place du marché"):
        assert identifying not in text
    assert summary["anonymous_code"].startswith("ANO-")
    assert summary["age_bracket"] == "50-59"


def test_a_dossier_reads_as_it_was_at_an_earlier_version_or_date(client: TestClient) -> None:
    location = file(client).headers["Location"]
    reviewed = drive(client, location, ("review", review_body()))
    reviewed_at = reviewed.json()["last_changed_at"]
    drive(client, location, ("anonymisation", None))

    at_version_1 = client.get(location, params={"version": 1})
    assert at_version_1.status_code == 200
    assert at_version_1.headers["ETag"] == '"1"'
    assert at_version_1.json()["status"] == "filed"
    assert at_version_1.json()["review"] is None

    at_review = client.get(location, params={"at": reviewed_at})
    assert at_review.json()["status"] == "reviewed"
    assert at_review.json()["version"] == 2
    assert client.get(location).json()["status"] == "anonymised"


def test_an_adjourned_dossier_goes_back_to_review_and_can_be_decided_again(
    client: TestClient,
) -> None:
    location = file(client).headers["Location"]
    adjourned = drive(
        client,
        location,
        ("review", review_body()),
        ("anonymisation", None),
        ("presentation", presentation_body()),
        ("decision", decision_body(outcome="adjourned", granted=[], reason="Bilan 2025 attendu")),
    )
    assert adjourned.json()["status"] == "adjourned"
    decided = drive(
        client,
        location,
        ("review", review_body(findings="Bilan 2025 reçu: perte confirmée.")),
        ("anonymisation", None),
        ("presentation", presentation_body()),
        (
            "decision",
            decision_body(outcome="rejected", granted=[], reason="Difficulté structurelle"),
        ),
    )
    assert decided.json()["status"] == "decided"
    assert decided.json()["decision"]["outcome"] == "rejected"


def test_a_withdrawn_dossier_accepts_nothing_more(client: TestClient) -> None:
    location = file(client).headers["Location"]
    withdrawn = drive(client, location, ("withdrawal", {"reason": "Activité reprise"}))
    assert withdrawn.json()["status"] == "withdrawn"
    assert withdrawn.json()["withdrawal"]["reason"] == "Activité reprise"
    refused = command(client, location, "review", 2, review_body())
    assert refused.status_code == 409
    assert refused.json()["rule"] == "nothing_after_withdrawal"
