"""A dossier driven over HTTP from filing to notification, and its history read back."""

from datetime import datetime

from api import (
    ACTOR,
    SECRETARY,
    command,
    decide,
    drive,
    etag,
    file,
    open_session,
    present,
    schedule,
    session_step,
    to_decision,
)
from fastapi.testclient import TestClient
from payloads import (
    ACED_PERIOD,
    anonymisation_body,
    decision_body,
    document_request_body,
    notification_body,
    review_body,
)

BEFORE_THE_COMMISSION = (
    ("document-requests", document_request_body()),
    ("received-documents", {"documents": ["bank_details"]}),
    ("review", review_body()),
    ("anonymisation", anonymisation_body()),
)


def test_a_dossier_is_driven_from_filing_to_notification(client: TestClient) -> None:
    filed = file(client)
    assert filed.status_code == 201, filed.text
    dossier = filed.headers["Location"]
    assert dossier == f"/dossiers/{filed.json()['id']}"
    assert filed.headers["ETag"] == '"1"'
    assert filed.json()["status"] == "filed"
    assert filed.json()["applicant"]["siret"] == "73282932000074"

    statuses = []
    response = filed
    for step, body in BEFORE_THE_COMMISSION:
        response = command(client, dossier, step, etag(response), body)
        assert response.status_code == 200, response.text
        statuses.append(response.json()["status"])
    assert statuses == ["awaiting_documents", "filed", "reviewed", "anonymised"]

    session = schedule(client)
    assert present(client, session, dossier).status_code == 200
    assert client.get(dossier).json()["status"] == "presented"
    assert open_session(client, session).status_code == 200
    decided = decide(client, session, dossier)
    assert decided.status_code == 200, decided.text
    assert session_step(client, session, "closing").status_code == 200
    assert client.get(dossier).json()["status"] == "decided"

    notified = drive(client, dossier, ("notification", notification_body()))
    final = notified.json()
    assert final["status"] == "notified"
    assert final["version"] == 8
    assert final["decision"]["outcome"] == "granted_in_part"
    assert final["decision"]["granted"] == [
        {"aid": "ACED", "amount": "1320.50", "periods": [ACED_PERIOD]}
    ]
    assert final["decision"]["session_id"] == session.rsplit("/", 1)[1]
    assert final["notification"]["reference"] == "LR-42"
    assert final["implicit_rejection_date"] is None


def test_the_history_lists_every_event_with_version_type_time_actor_and_data(
    client: TestClient,
) -> None:
    dossier = file(client).headers["Location"]
    drive(client, dossier, *BEFORE_THE_COMMISSION)
    to_decision(client, dossier)
    drive(client, dossier, ("notification", notification_body()))
    history = client.get(f"{dossier}/history").json()
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
    assert [e["actor"] for e in events] == [ACTOR] * 6 + [SECRETARY, ACTOR]
    times = [datetime.fromisoformat(e["occurred_at"]) for e in events]
    assert times == sorted(times)
    assert events[1]["data"]["reason"] == "RIB manquant"
    assert events[6]["data"]["reason"].startswith("Difficulté ponctuelle")
    assert events[0]["data"]["aids"][0]["periods"][0]["amount"] == "1320.50"
    assert events[3]["data"]["rulebook_version"] == "2026.1"
    rules = {(f["aid"], f["rule"]): f["result"] for f in events[3]["data"]["eligibility"]}
    assert rules[("ACED", "requires_more_than_one_year_of_affiliation")] == "passed"
    assert rules[("AFE", "afe_within_ceiling")] == "passed"


def test_the_anonymised_summary_carries_no_direct_identifier(client: TestClient) -> None:
    dossier = file(
        client, own_account="Je suis Sandrine Lefebvre, joignable à sandrine.lefebvre@example.fr"
    ).headers["Location"]
    response = drive(
        client, dossier, ("review", review_body()), ("anonymisation", anonymisation_body())
    )
    summary = response.json()["anonymised_summary"]
    text = str(summary).lower()
    for identifying in ("lefebvre", "sandrine", "73282932000074", "example.fr", "place du marché"):
        assert identifying not in text
    assert summary["anonymous_code"].startswith("ANO-")
    assert summary["age_bracket"] == "50-59"


def test_a_dossier_reads_as_it_was_at_an_earlier_version_or_date(client: TestClient) -> None:
    dossier = file(client).headers["Location"]
    reviewed = drive(client, dossier, ("review", review_body()))
    reviewed_at = reviewed.json()["last_changed_at"]
    drive(client, dossier, ("anonymisation", anonymisation_body()))

    at_version_1 = client.get(dossier, params={"version": 1})
    assert at_version_1.status_code == 200
    assert at_version_1.headers["ETag"] == '"1"'
    assert at_version_1.json()["status"] == "filed"
    assert at_version_1.json()["review"] is None

    at_review = client.get(dossier, params={"at": reviewed_at})
    assert at_review.json()["status"] == "reviewed"
    assert at_review.json()["version"] == 2
    assert client.get(dossier).json()["status"] == "anonymised"


def test_an_adjourned_dossier_goes_back_to_review_then_to_a_later_session(
    client: TestClient,
) -> None:
    dossier = file(client).headers["Location"]
    drive(client, dossier, ("review", review_body()), ("anonymisation", anonymisation_body()))
    adjourn = {"outcome": "adjourned", "granted": [], "reason": "Bilan 2025 attendu"}
    to_decision(client, dossier, **adjourn)
    assert client.get(dossier).json()["status"] == "adjourned"

    drive(
        client,
        dossier,
        ("review", review_body(findings="Bilan 2025 reçu: perte confirmée.")),
        ("anonymisation", anonymisation_body()),
    )
    rejected = {"outcome": "rejected", "granted": [], "reason": "Difficulté structurelle"}
    to_decision(client, dossier, **rejected)
    decided = client.get(dossier).json()
    assert decided["status"] == "decided"
    assert decided["decision"]["outcome"] == "rejected"


def test_a_withdrawn_dossier_accepts_nothing_more(client: TestClient) -> None:
    dossier = file(client).headers["Location"]
    withdrawn = drive(client, dossier, ("withdrawal", {"reason": "Activité reprise"}))
    assert withdrawn.json()["status"] == "withdrawn"
    assert withdrawn.json()["withdrawal"]["reason"] == "Activité reprise"
    refused = command(client, dossier, "review", 2, review_body())
    assert refused.status_code == 409
    assert refused.json()["rule"] == "nothing_after_withdrawal"


def test_a_decision_in_full_must_grant_everything_asked(client: TestClient) -> None:
    dossier = file(client).headers["Location"]
    drive(client, dossier, ("review", review_body()), ("anonymisation", anonymisation_body()))
    session = schedule(client)
    present(client, session, dossier)
    open_session(client, session)
    refused = decide(client, session, dossier, outcome="granted_in_full")
    assert refused.status_code == 409
    assert refused.json()["rule"] == "a_full_grant_grants_everything_asked"
    everything = decision_body(
        outcome="granted_in_full",
        granted=[
            {
                "aid": "ACED",
                "amount": "1320.50",
                "periods": [{"start": "2026-04-01", "end": "2026-06-30", "amount": "1320.50"}],
            },
            {"aid": "AFE", "amount": "1800.00"},
        ],
    )
    assert decide(client, session, dossier, **everything).status_code == 200
