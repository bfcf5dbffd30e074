"""CASS sessions over HTTP: the agenda, the quorum, decisions only in the open session of the
dossier's region, and anonymous minutes."""

from typing import Any

from api import (
    anonymous_code,
    as_,
    decide,
    drive,
    file,
    open_session,
    present,
    schedule,
    session_step,
)
from fastapi.testclient import TestClient
from payloads import APPLICANT, review_body

from app.auth import Role


def anonymised(client: TestClient, **overrides: Any) -> str:
    dossier = file(client, **overrides).headers["Location"]
    drive(client, dossier, ("review", review_body()), ("anonymisation", None))
    return dossier


def rule(response: Any) -> str:
    assert response.status_code == 409, response.text
    name: str = response.json()["rule"]
    return name


def test_the_agenda_and_the_minutes_are_anonymous(client: TestClient) -> None:
    dossier = anonymised(client)
    session = schedule(client)
    present(client, session, dossier)
    open_session(client, session)
    decide(client, session, dossier)
    closed = session_step(client, session, "closing")
    assert closed.json()["status"] == "closed"
    minutes = client.get(f"{session}/minutes")
    assert minutes.status_code == 200
    [line] = minutes.json()["decisions"]
    assert line["anonymous_code"] == anonymous_code(client, dossier)
    assert line["outcome"] == "granted_in_part"
    for seen in (client.get(session).text, minutes.text):
        for identifying in (
            APPLICANT["last_name"],
            APPLICANT["first_name"],
            "73282932000074",
            APPLICANT["email"],
            dossier.rsplit("/", 1)[1],
        ):
            assert identifying not in seen


def test_a_session_opens_only_with_its_quorum_of_members(client: TestClient) -> None:
    session = schedule(client)
    members = client.get(session).json()["members"]
    too_few = session_step(client, session, "opening", {"members_present": members[:2]})
    assert rule(too_few) == "session_needs_its_quorum"
    present_with_strangers = {"members_present": [members[0], "x1", "x2", "x3"]}
    strangers = session_step(client, session, "opening", present_with_strangers)
    assert rule(strangers) == "only_members_sit"
    assert client.get(session).json()["status"] == "scheduled"


def test_no_decision_outside_an_open_session(client: TestClient) -> None:
    dossier = anonymised(client)
    session = schedule(client)
    present(client, session, dossier)
    assert rule(decide(client, session, dossier)) == "decided_in_an_open_session"
    assert client.get(dossier).json()["status"] == "presented"


def test_a_dossier_is_presented_only_to_the_commission_of_its_region(client: TestClient) -> None:
    dossier = anonymised(client)
    session = schedule(client, region="bretagne")
    assert rule(present(client, session, dossier)) == "presented_to_the_commission_of_its_region"


def test_a_session_closes_only_when_its_agenda_is_decided(client: TestClient) -> None:
    dossier = anonymised(client)
    session = schedule(client)
    present(client, session, dossier)
    open_session(client, session)
    assert rule(session_step(client, session, "closing")) == (
        "every_agenda_dossier_is_decided_before_closing"
    )
    assert rule(client.get(f"{session}/minutes")) == "minutes_once_closed"


def test_a_closed_session_takes_nothing_more(client: TestClient) -> None:
    session = schedule(client)
    open_session(client, session)
    session_step(client, session, "closing")
    assert rule(present(client, session, anonymised(client))) == "nothing_after_the_minutes"


def test_an_adjourned_dossier_goes_to_a_later_session_without_a_new_review(
    client: TestClient,
) -> None:
    dossier = anonymised(client)
    first = schedule(client)
    present(client, first, dossier)
    open_session(client, first)
    adjourn = {"outcome": "adjourned", "granted": [], "reason": "Pièce comptable attendue"}
    assert decide(client, first, dossier, **adjourn).status_code == 200
    later = schedule(client, reference="CASS-PDL-2027-01")
    assert present(client, later, dossier).status_code == 200
    open_session(client, later)
    assert decide(client, later, dossier).status_code == 200
    assert client.get(dossier).json()["decision"]["session_reference"] == "CASS-PDL-2027-01"


def test_a_decision_names_the_session_and_the_session_knows_it(client: TestClient) -> None:
    dossier = anonymised(client)
    session = schedule(client)
    present(client, session, dossier)
    open_session(client, session)
    decided = decide(client, session, dossier).json()
    [item] = decided["agenda"]
    assert item["decision"]["outcome"] == "granted_in_part"
    assert item["summary"]["region"] == "pays-de-la-loire"
    history = client.get(f"{dossier}/history").json()["events"]
    assert history[-1]["data"]["session_id"] == session.rsplit("/", 1)[1]


def test_an_unknown_agenda_code_is_not_found(client: TestClient) -> None:
    session = schedule(client)
    open_session(client, session)
    response = session_step(
        client,
        session,
        "agenda/ANO-0000000000/decision",
        {"outcome": "rejected", "granted": [], "reason": "x"},
    )
    assert response.status_code == 404


def test_a_dossier_leaves_an_agenda_before_the_session_opens_and_goes_to_another(
    client: TestClient,
) -> None:
    dossier = anonymised(client)
    first = schedule(client)
    present(client, first, dossier)
    code = anonymous_code(client, dossier)
    removed = session_step(
        client, first, f"agenda/{code}/removal", {"reason": "Séance reportée"}, by="caseworker"
    )
    assert removed.status_code == 200, removed.text
    assert removed.json()["agenda"] == []
    assert removed.headers["X-Dossier-ETag"] == client.get(dossier).headers["ETag"]
    assert client.get(dossier).json()["status"] == "anonymised"
    later = schedule(client, reference="CASS-PDL-2027-02")
    assert present(client, later, dossier).status_code == 200
    open_session(client, later)
    again = session_step(
        client, later, f"agenda/{code}/removal", {"reason": "Trop tard"}, by="caseworker"
    )
    assert rule(again) == "agenda_changes_before_the_session_opens"


def test_a_session_has_at_least_its_quorum_of_members(client: TestClient) -> None:
    response = client.post(
        "/cass-sessions",
        json={
            "reference": "CASS-X",
            "region": "bretagne",
            "session_date": "2026-12-01",
            "members": ["m1", "m2"],
        },
        headers={"X-Actor-Id": "secretariat"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.members"


def test_a_session_does_not_open_before_its_date(client: TestClient) -> None:
    session = schedule(client, session_date="2099-01-05")
    assert rule(open_session(client, session)) == "a_session_opens_on_its_date"


def test_only_a_member_sitting_in_the_session_opens_it_and_decides(client: TestClient) -> None:
    dossier = anonymised(client)
    session = schedule(client)
    present(client, session, dossier)
    members = client.get(session).json()["members"]
    outsider = as_(client, Role.COMMISSION, "not-a-member", ("pays-de-la-loire",))
    headers = outsider | {"If-Match": client.get(session).headers["ETag"]}
    response = client.post(f"{session}/opening", json={"members_present": members}, headers=headers)
    assert response.status_code == 403
    absent = as_(client, Role.COMMISSION, members[5], ("pays-de-la-loire",))
    assert open_session(client, session).status_code == 200  # members 1 to 4 sit
    code = anonymous_code(client, dossier)
    headers = absent | {"If-Match": client.get(session).headers["ETag"]}
    body = {"outcome": "rejected", "granted": [], "reason": "x"}
    decided = client.post(f"{session}/agenda/{code}/decision", json=body, headers=headers)
    assert decided.status_code == 403
