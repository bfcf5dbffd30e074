"""The detours of a real dossier over HTTP: documents that never come, a recours gracieux, and
the date after which silence counts as a rejection."""

from datetime import date, timedelta

from api import command, drive, etag, file, to_decision
from conftest import Clock
from fastapi.testclient import TestClient
from payloads import anonymisation_body, document_request_body, notification_body, review_body

from domain.rulebook import add_months


def day(clock: Clock) -> date:
    return clock.now.date()


def test_a_dossier_whose_documents_never_come_is_closed_without_follow_up(
    timed_client: TestClient, clock: Clock
) -> None:
    dossier = file(timed_client).headers["Location"]
    waiting = drive(timed_client, dossier, ("document-requests", document_request_body()))
    closing = {"reason": "RIB jamais reçu"}
    early = command(timed_client, dossier, "closure-without-follow-up", etag(waiting), closing)
    assert early.status_code == 409
    assert early.json()["rule"] == "closed_without_follow_up_after_the_due_date"

    clock.now += timedelta(days=31)
    closed = drive(timed_client, dossier, ("closure-without-follow-up", closing)).json()
    assert closed["status"] == "closed_without_follow_up"
    assert closed["closure"]["reason"] == "RIB jamais reçu"
    assert closed["implicit_rejection_date"] is None
    refused = command(timed_client, dossier, "review", closed["version"], review_body())
    assert refused.json()["rule"] == "nothing_after_closing_without_follow_up"


def notified(client: TestClient) -> str:
    dossier = file(client).headers["Location"]
    drive(client, dossier, ("review", review_body()), ("anonymisation", anonymisation_body()))
    to_decision(client, dossier)
    drive(client, dossier, ("notification", notification_body()))
    return dossier


def test_a_recours_gracieux_sends_the_decision_back_to_the_commission(
    timed_client: TestClient, clock: Clock
) -> None:
    dossier = notified(timed_client)
    clock.now += timedelta(days=40)
    recours = {"received_on": day(clock).isoformat(), "reason": "Bilan 2025 joint"}
    reopened = drive(timed_client, dossier, ("re-examination", recours)).json()
    assert reopened["status"] == "re_examination"
    assert reopened["implicit_rejection_date"] is not None

    to_decision(timed_client, dossier, outcome="rejected", granted=[], reason="Décision confirmée")
    again = drive(timed_client, dossier, ("notification", notification_body(day(clock)))).json()
    assert again["status"] == "notified"
    assert again["decision"]["outcome"] == "rejected"
    second = command(timed_client, dossier, "re-examination", again["version"], recours)
    assert second.json()["rule"] == "a_decision_is_re_examined_once"


def test_a_recours_after_two_months_is_refused(timed_client: TestClient, clock: Clock) -> None:
    dossier = notified(timed_client)
    clock.now += timedelta(days=75)
    recours = {"received_on": day(clock).isoformat(), "reason": "Trop tard"}
    late = command(
        timed_client, dossier, "re-examination", etag(timed_client.get(dossier)), recours
    )
    assert late.status_code == 409
    assert late.json()["rule"] == "re_examination_within_the_period"
    assert timed_client.get(dossier).json()["status"] == "notified"


def test_silence_for_two_months_after_the_file_is_complete_counts_as_a_rejection(
    timed_client: TestClient, clock: Clock
) -> None:
    filed = file(timed_client).json()
    assert filed["implicit_rejection_date"] == add_months(day(clock), 2).isoformat()
    dossier = f"/dossiers/{filed['id']}"
    waiting = drive(timed_client, dossier, ("document-requests", document_request_body())).json()
    assert waiting["implicit_rejection_date"] is None

    clock.now += timedelta(days=10)
    received = {"documents": ["bank_details"]}
    complete = drive(timed_client, dossier, ("received-documents", received)).json()
    assert complete["implicit_rejection_date"] == add_months(day(clock), 2).isoformat()
