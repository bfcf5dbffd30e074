"""Each aid driven over HTTP along its real path: FCI by delegation, ADR once per person."""

from typing import Any

from api import ACTOR, command, decide, drive, etag, file, open_session, present, schedule
from conftest import Clock
from fastapi.testclient import TestClient
from payloads import (
    adr_body,
    adr_review_body,
    anonymisation_body,
    catastrophe_body,
    fci_body,
    fci_review_body,
    notification_body,
)


def open_catastrophe(client: TestClient, **overrides: Any) -> str:
    response = client.post(
        "/catastrophes", json=catastrophe_body(**overrides), headers={"X-Actor-Id": ACTOR}
    )
    assert response.status_code == 201, response.text
    location: str = response.headers["Location"]
    return location


def findings(dossier: dict[str, Any]) -> dict[str, str]:
    return {f["rule"]: f["result"] for f in dossier["review"]["eligibility"]}


def test_an_fci_is_decided_by_delegation_and_draws_on_its_envelope(client: TestClient) -> None:
    catastrophe = open_catastrophe(client, envelope="5000.00")
    catastrophe_id = catastrophe.rsplit("/", 1)[1]
    dossier = file(client, **fci_body(catastrophe_id)).headers["Location"]
    reviewed = drive(client, dossier, ("review", fci_review_body())).json()
    assert set(findings(reviewed).values()) == {"passed"}

    grant = {
        "outcome": "granted_in_full",
        "granted": [{"aid": "FCI", "amount": "1500.00"}],
        "reason": "Sinistre avéré, aide d'urgence.",
    }
    decided = drive(client, dossier, ("delegated-decision", grant)).json()
    assert decided["status"] == "decided"
    assert decided["decision"]["delegated"] is True
    assert decided["decision"]["session_id"] is None
    envelope = client.get(catastrophe).json()
    assert (envelope["used"], envelope["remaining"], envelope["grants"]) == (
        "1500.00",
        "3500.00",
        1,
    )
    assert drive(client, dossier, ("notification", notification_body())).status_code == 200


def test_an_fci_grant_cannot_overspend_the_envelope(client: TestClient) -> None:
    catastrophe = open_catastrophe(client, envelope="2000.00")
    catastrophe_id = catastrophe.rsplit("/", 1)[1]
    first, second = (file(client, **fci_body(catastrophe_id)).headers["Location"] for _ in range(2))
    grant = {
        "outcome": "granted_in_full",
        "granted": [{"aid": "FCI", "amount": "1500.00"}],
        "reason": "Sinistre avéré.",
    }
    for dossier in (first, second):
        drive(client, dossier, ("review", fci_review_body()))
    drive(client, first, ("delegated-decision", grant))
    refused = command(client, second, "delegated-decision", etag(client.get(second)), grant)
    assert refused.status_code == 409
    assert refused.json()["rule"] == "fci_within_remaining_envelope"
    assert client.get(catastrophe).json()["remaining"] == "500.00"
    assert client.get(second).json()["status"] == "reviewed"


def test_an_aced_dossier_cannot_take_the_delegated_path(client: TestClient) -> None:
    dossier = file(client).headers["Location"]
    response = command(
        client,
        dossier,
        "delegated-decision",
        1,
        {"outcome": "rejected", "granted": [], "reason": "Hors délégation"},
    )
    assert response.status_code == 409
    assert response.json()["rule"] == "only_fci_takes_the_delegated_path"


def test_an_fci_outside_its_catastrophe_region_is_found_ineligible(client: TestClient) -> None:
    catastrophe = open_catastrophe(client, regions=["bretagne"])
    body = fci_body(catastrophe.rsplit("/", 1)[1])
    dossier = file(client, **body).headers["Location"]
    reviewed = drive(client, dossier, ("review", fci_review_body())).json()
    rule = "fci_requires_an_open_catastrophe_covering_region_and_date"
    assert findings(reviewed)[rule] == "failed"


def adr_to_session(client: TestClient, dossier: str) -> str:
    drive(client, dossier, ("review", adr_review_body()), ("anonymisation", anonymisation_body()))
    session = schedule(client)
    assert present(client, session, dossier).status_code == 200
    assert open_session(client, session).status_code == 200
    return session


ADR_GRANT = {
    "outcome": "granted_in_full",
    "granted": [{"aid": "ADR", "amount": "8000.00"}],
    "reason": "Faibles ressources, conditions réunies.",
}


def test_an_adr_is_granted_in_session_then_notified(client: TestClient) -> None:
    dossier = file(client, **adr_body()).headers["Location"]
    session = adr_to_session(client, dossier)
    assert set(findings(client.get(dossier).json()).values()) == {"passed"}
    assert decide(client, session, dossier, **ADR_GRANT).status_code == 200
    notified = drive(client, dossier, ("notification", notification_body())).json()
    assert notified["status"] == "notified"
    assert notified["decision"]["granted"][0]["amount"] == "8000.00"


def test_an_adr_is_granted_once_per_person(client: TestClient) -> None:
    nir_holder = adr_body()
    first = file(client, **nir_holder).headers["Location"]
    decide(client, adr_to_session(client, first), first, **ADR_GRANT)

    second = file(client, **nir_holder).headers["Location"]
    session = adr_to_session(client, second)
    assert findings(client.get(second).json())["adr_is_granted_once_per_person"] == "failed"
    refused = decide(client, session, second, **ADR_GRANT)
    assert refused.status_code == 409
    assert refused.json()["rule"] == "adr_is_granted_once_per_person"
    assert client.get(second).json()["status"] == "presented"


def test_an_adr_for_a_profession_liberale_is_found_ineligible(client: TestClient) -> None:
    body = adr_body(activity={"kind": "profession_liberale", "affiliated_since": "1995-01-01"})
    dossier = file(client, **body).headers["Location"]
    reviewed = drive(client, dossier, ("review", adr_review_body())).json()
    assert findings(reviewed)["adr_requires_artisan_or_commercant"] == "failed"


def test_an_afe_above_its_ceiling_cannot_be_proposed(client: TestClient) -> None:
    dossier = file(client, aids=[{"aid": "AFE", "amount": "2500.00"}]).headers["Location"]
    from payloads import review_body

    proposal = review_body(proposal=[{"aid": "AFE", "amount": "2500.00"}])
    refused = command(client, dossier, "review", 1, proposal)
    assert refused.status_code == 409
    assert refused.json()["rule"] == "afe_within_ceiling"
    special = file(
        client, aids=[{"aid": "AFE", "amount": "2500.00", "scheme": "riots-2023"}]
    ).headers["Location"]
    assert command(client, special, "review", 1, proposal).status_code == 200


def test_an_fci_decided_in_session_draws_on_its_envelope_too(client: TestClient) -> None:
    catastrophe = open_catastrophe(client, envelope="5000.00")
    dossier = file(client, **fci_body(catastrophe.rsplit("/", 1)[1])).headers["Location"]
    drive(client, dossier, ("review", fci_review_body()), ("anonymisation", anonymisation_body()))
    session = schedule(client)
    present(client, session, dossier)
    open_session(client, session)
    grant = {
        "outcome": "granted_in_full",
        "granted": [{"aid": "FCI", "amount": "1500.00"}],
        "reason": "Sinistre avéré",
    }
    assert decide(client, session, dossier, **grant).status_code == 200
    assert client.get(catastrophe).json()["used"] == "1500.00"


def test_the_fci_ceiling_holds_per_worker_and_event_across_dossiers(client: TestClient) -> None:
    catastrophe_id = open_catastrophe(client).rsplit("/", 1)[1]
    worker = fci_body(catastrophe_id)["applicant"]
    grant = {
        "outcome": "granted_in_full",
        "granted": [{"aid": "FCI", "amount": "1500.00"}],
        "reason": "Sinistre avéré",
    }
    first, second = (
        file(client, **fci_body(catastrophe_id, applicant=worker)).headers["Location"]
        for _ in range(2)
    )
    for dossier in (first, second):
        drive(client, dossier, ("review", fci_review_body()))
    drive(client, first, ("delegated-decision", grant))
    refused = command(client, second, "delegated-decision", 2, grant)
    assert refused.status_code == 409
    assert refused.json()["rule"] == "fci_within_ceiling_per_worker_and_event"


def test_an_fci_names_an_existing_open_catastrophe_event(client: TestClient) -> None:
    unknown = file(client, **fci_body("0b5d7c1e-6a0f-4d61-9f43-3c2a8e5b7d10"))
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "body.catastrophe.catastrophe_id"
    catastrophe = open_catastrophe(client)
    closing = client.post(
        f"{catastrophe}/closing",
        json={"reason": "Guichet fermé"},
        headers={"X-Actor-Id": ACTOR, "If-Match": '"1"'},
    )
    assert closing.status_code == 200
    closed = file(client, **fci_body(catastrophe.rsplit("/", 1)[1]))
    assert closed.status_code == 409
    assert closed.json()["rule"] == "fci_names_an_open_catastrophe"


def test_an_fci_is_not_granted_once_its_catastrophe_event_is_closed(client: TestClient) -> None:
    catastrophe = open_catastrophe(client)
    dossier = file(client, **fci_body(catastrophe.rsplit("/", 1)[1])).headers["Location"]
    drive(client, dossier, ("review", fci_review_body()))
    client.post(
        f"{catastrophe}/closing",
        json={"reason": "Enveloppe close"},
        headers={"X-Actor-Id": ACTOR, "If-Match": '"1"'},
    )
    grant = {
        "outcome": "granted_in_full",
        "granted": [{"aid": "FCI", "amount": "1500.00"}],
        "reason": "Sinistre avéré",
    }
    refused = command(client, dossier, "delegated-decision", 2, grant)
    assert refused.status_code == 409
    assert refused.json()["rule"] == "fci_requires_an_open_catastrophe_covering_region_and_date"


def test_no_aid_is_granted_against_a_rule_that_failed_at_review(client: TestClient) -> None:
    body = adr_body(activity={"kind": "profession_liberale", "affiliated_since": "1995-01-01"})
    dossier = file(client, **body).headers["Location"]
    session = adr_to_session(client, dossier)
    refused = decide(client, session, dossier, **ADR_GRANT)
    assert refused.status_code == 409
    assert refused.json()["rule"] == "adr_requires_artisan_or_commercant"
    rejected = {"outcome": "rejected", "granted": [], "reason": "Profession libérale"}
    assert decide(client, session, dossier, **rejected).status_code == 200


def test_the_dossier_holding_the_adr_is_granted_again_after_a_recours(
    timed_client: TestClient, clock: Clock
) -> None:
    client = timed_client
    dossier = file(client, **adr_body()).headers["Location"]
    part = {
        "outcome": "granted_in_part",
        "granted": [{"aid": "ADR", "amount": "5000.00"}],
        "reason": "Ressources à confirmer",
    }
    decide(client, adr_to_session(client, dossier), dossier, **part)
    drive(client, dossier, ("notification", notification_body(clock.now.date())))
    recours = {"received_on": clock.now.date().isoformat(), "reason": "Avis de non-imposition"}
    drive(client, dossier, ("re-examination", recours), ("review", adr_review_body()))
    drive(client, dossier, ("anonymisation", anonymisation_body()))
    session = schedule(client)
    present(client, session, dossier)
    open_session(client, session)
    assert decide(client, session, dossier, **ADR_GRANT).status_code == 200
    assert client.get(dossier).json()["decision"]["granted"][0]["amount"] == "8000.00"


def test_an_afe_names_a_scheme_of_the_rulebook(client: TestClient) -> None:
    response = file(client, aids=[{"aid": "AFE", "amount": "800.00", "scheme": "moonshot"}])
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.aids[0].scheme"
