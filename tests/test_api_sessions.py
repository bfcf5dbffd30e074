"""CASS sessions over HTTP: the agenda, attendance attested by each member with their own token,
the quorum of those, decisions only in the open session of the dossier's region by a member
present, and anonymous minutes naming exactly the members who signed in."""

from datetime import timedelta
from typing import Any

import pytest
from api import (
    anonymous_code,
    as_,
    caseworker,
    decide,
    drive,
    file,
    open_session,
    present,
    schedule,
    service_day,
    service_now,
    session_step,
    sign_in,
)
from conftest import Clock
from fastapi.testclient import TestClient
from payloads import APPLICANT, anonymisation_body, review_body, session_body

from app.api.auth import Role
from app.api.sessions import ONLY_MEMBERS


def anonymised(client: TestClient, **overrides: Any) -> str:
    dossier = file(client, **overrides).headers["Location"]
    drive(client, dossier, ("review", review_body()), ("anonymisation", anonymisation_body()))
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


def test_a_session_opens_only_with_its_quorum_of_members_who_signed_in(client: TestClient) -> None:
    session = schedule(client)
    members = client.get(session).json()["members"]
    for member in members[:3]:
        assert sign_in(client, session, member).status_code == 200
    assert rule(session_step(client, session, "opening")) == "session_needs_its_quorum"
    assert sign_in(client, session, members[3]).status_code == 200
    opened = session_step(client, session, "opening")
    assert opened.status_code == 200, opened.text
    assert opened.json()["members_present"] == members[:4]


def test_one_member_cannot_open_a_session_alone_with_a_body_claiming_five(
    client: TestClient,
) -> None:
    session = schedule(client)
    members = client.get(session).json()["members"]
    assert sign_in(client, session, members[0]).status_code == 200
    claiming = session_step(client, session, "opening", {"members_present": members[:5]})
    assert claiming.status_code == 422, claiming.text
    assert [e["field"] for e in claiming.json()["errors"]] == ["body.members_present"]
    assert rule(session_step(client, session, "opening")) == "session_needs_its_quorum"
    state = client.get(session).json()
    assert (state["status"], state["members_present"]) == ("scheduled", members[:1])


def test_a_token_of_someone_not_a_member_cannot_sign_in(client: TestClient) -> None:
    session = schedule(client)
    version = client.get(session).headers["ETag"]
    outsider = as_(client, Role.COMMISSION, "not-a-member", ("pays-de-la-loire",))
    response = client.post(f"{session}/attendance", headers=outsider | {"If-Match": version})
    assert response.status_code == 403
    assert response.json()["detail"] == ONLY_MEMBERS
    admin = client.post(f"{session}/attendance", headers={"If-Match": version})  # not a member
    assert admin.status_code == 403, admin.text
    assert admin.json()["detail"] == ONLY_MEMBERS
    assert client.get(session).json()["members_present"] == []


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.COMMISSION])
def test_only_commission_tokens_sit_even_an_admin_whose_subject_is_a_member(
    client: TestClient, role: Role
) -> None:
    dossier = anonymised(client)
    session = schedule(client)
    present(client, session, dossier)
    members = client.get(session).json()["members"]
    as_member = as_(client, role, members[0], ("pays-de-la-loire",))
    code = anonymous_code(client, dossier)
    decision = {"outcome": "rejected", "granted": [], "reason": "x"}
    for step, body in (
        ("attendance", None),
        ("opening", None),
        (f"agenda/{code}/decision", decision),
        ("closing", None),
    ):
        headers = as_member | {"If-Match": client.get(session).headers["ETag"]}
        refused = client.post(f"{session}/{step}", json=body, headers=headers)
        assert refused.status_code == 403, (step, refused.text)
        assert refused.json()["detail"] == ONLY_MEMBERS
    assert open_session(client, session).status_code == 200  # the members themselves may
    state = client.get(session).json()
    assert state["members_present"] == members[:4]
    assert client.get(dossier).json()["status"] == "presented"


def test_a_member_signs_in_with_their_own_token_once(client: TestClient) -> None:
    session = schedule(client)
    members = client.get(session).json()["members"]
    signed = sign_in(client, session, members[2])
    assert signed.status_code == 200, signed.text
    assert signed.json()["members_present"] == [members[2]]
    assert rule(sign_in(client, session, members[2])) == "a_member_signs_in_once"


def test_the_minutes_list_exactly_the_members_who_signed_in(client: TestClient) -> None:
    dossier = anonymised(client)
    session = schedule(client)
    members = client.get(session).json()["members"]
    present(client, session, dossier)
    assert open_session(client, session, present=5).status_code == 200
    decided = decide(client, session, dossier)
    assert decided.json()["agenda"][0]["decision"]["members_present"] == members[:5]
    assert session_step(client, session, "closing").status_code == 200
    minutes = client.get(f"{session}/minutes").json()
    assert minutes["members_present"] == members[:5]
    assert minutes["attendance"] == "attested"
    assert [line["members_present"] for line in minutes["decisions"]] == [members[:5]]


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


def test_a_path_that_is_no_anonymous_code_is_refused_without_being_echoed(
    client: TestClient,
) -> None:
    session = schedule(client)
    open_session(client, session)
    long_code = "ANO-" + "A" * 5000
    response = session_step(
        client, session, f"agenda/{long_code}/decision", {"outcome": "rejected", "granted": []}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "path.anonymous_code"
    assert long_code not in response.json()["detail"]


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
            "session_date": service_day(client),
            "members": ["m1", "m2"],
        },
        headers={"X-Actor-Id": "secretariat"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.members"


def test_a_session_does_not_open_before_its_date(client: TestClient) -> None:
    session = schedule(client, session_date="2099-01-05")
    assert rule(open_session(client, session)) == "members_sign_in_on_the_session_day"
    assert client.get(session).json()["members_present"] == []


def test_only_a_member_who_signed_in_opens_decides_and_closes(client: TestClient) -> None:
    dossier = anonymised(client)
    session = schedule(client)
    present(client, session, dossier)
    members = client.get(session).json()["members"]
    for member in members[:4]:
        sign_in(client, session, member)
    outsider = as_(client, Role.COMMISSION, "not-a-member", ("pays-de-la-loire",))
    headers = outsider | {"If-Match": client.get(session).headers["ETag"]}
    assert client.post(f"{session}/opening", headers=headers).status_code == 403
    late = members[5]
    opening = session_step(client, session, "opening", member=late)
    assert rule(opening) == "only_a_member_present_acts"
    assert session_step(client, session, "opening").status_code == 200
    code = anonymous_code(client, dossier)
    body = {"outcome": "rejected", "granted": [], "reason": "x"}
    decision = f"agenda/{code}/decision"
    assert rule(session_step(client, session, decision, body, member=late)) == (
        "only_a_member_present_acts"
    )
    assert client.get(dossier).json()["status"] == "presented"
    assert sign_in(client, session, late).status_code == 200  # arrives late, and sits
    decided = session_step(client, session, decision, body, member=late)
    assert decided.status_code == 200, decided.text
    assert decided.json()["agenda"][0]["decision"]["members_present"] == [*members[:4], late]
    assert rule(session_step(client, session, "closing", member=members[4])) == (
        "only_a_member_present_acts"
    )


# A session's reference and members are identifiers, nothing else


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reference": "Yannick Le Floch 0298123456"}, "body.reference"),
        ({"reference": "cass-pdl-2026-12"}, "body.reference"),
        ({"reference": "CASS PDL 2026"}, "body.reference"),
        ({"members": ["a", "A", "á", "a\u200b", "b", "c"]}, "body.members[2]"),
        ({"members": ["a", "A", "b", "c", "d", "e"]}, "body.members"),
        ({"members": ["cass-pdl-m1", "саss-pdl-m2", "m3", "m4", "m5"]}, "body.members[1]"),
        ({"members": ["cass-pdl-m1", "Yannick Le Floch", "m3", "m4", "m5"]}, "body.members[1]"),
    ],
    ids=[
        "a-sentence-as-reference",
        "a-lower-case-reference",
        "a-reference-with-spaces",
        "look-alike-members",
        "members-differing-by-case",
        "a-cyrillic-member",
        "a-name-as-member",
    ],
)
def test_a_session_reference_and_member_ids_are_identifiers_only(
    client: TestClient, overrides: dict[str, Any], field: str
) -> None:
    refused = client.post(
        "/cass-sessions", json=session_body(**overrides), headers=caseworker(client)
    )
    assert refused.status_code == 422, refused.text
    fields = [error["field"] for error in refused.json()["errors"]]
    assert field in fields
    assert "Floch" not in refused.text


@pytest.mark.parametrize(
    "subject", ["Yannick Le Floch", "yannick\u200b", "cass-pdl-m\u0131", "m1\n", "édouard"]
)
def test_a_token_whose_subject_is_not_a_visible_ascii_identifier_is_refused(
    client: TestClient, subject: str
) -> None:
    region = ("pays-de-la-loire",)
    refused = client.get("/commission-view", headers=as_(client, Role.COMMISSION, subject, region))
    assert refused.status_code == 401, refused.text


def test_the_reference_and_the_members_are_patterns_of_the_spec(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    request = schemas["ScheduleSessionRequest"]["properties"]
    assert request["reference"]["pattern"] == "^[A-Z0-9][A-Z0-9-]{2,59}$"
    assert request["members"]["items"]["pattern"].startswith("^[\\x21-")


# The minutes carry the day the session was held


def test_a_session_is_scheduled_for_today_or_a_later_day(timed_client: TestClient) -> None:
    yesterday = (service_now(timed_client) - timedelta(days=1)).date().isoformat()
    refused = timed_client.post(
        "/cass-sessions",
        json=session_body(session_date=yesterday),
        headers=caseworker(timed_client),
    )
    assert rule(refused) == "a_session_is_scheduled_ahead"
    assert schedule(timed_client)  # today is fine


def test_members_sign_in_and_the_session_opens_on_its_day_only(
    timed_client: TestClient, clock: Clock
) -> None:
    session = schedule(timed_client)
    members = timed_client.get(session).json()["members"]
    clock.now += timedelta(days=120)  # months later, the members would sign in: too late
    assert rule(sign_in(timed_client, session, members[0])) == "members_sign_in_on_the_session_day"
    clock.now -= timedelta(days=120)
    for member in members[:4]:
        assert sign_in(timed_client, session, member).status_code == 200
    clock.now += timedelta(days=1)
    assert rule(session_step(timed_client, session, "opening")) == "a_session_opens_on_its_date"
    clock.now -= timedelta(days=1)
    assert session_step(timed_client, session, "opening").status_code == 200
    clock.now += timedelta(days=1)  # once open, it may run past midnight
    closed = session_step(timed_client, session, "closing")
    assert closed.status_code == 200, closed.text
    minutes = timed_client.get(f"{session}/minutes").json()
    assert minutes["session_date"] == (clock.now - timedelta(days=1)).date().isoformat()
