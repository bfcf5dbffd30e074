"""Who may see and do what: bearer tokens, roles and regions on every route, and a commission
that never sees a worker's identity."""

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from api import as_, drive, file, open_session, present, schedule
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from payloads import catastrophe_body, review_body

from app.auth import NATIONAL, Role
from app.demo import DOSSIERS, demo_dossier_id, demo_sessions, load_demo_data
from app.eventstore import open_event_store
from app.settings import Settings
from domain.dossier_events import DossierFiled

PUBLIC = {
    "/health",
    "/problems/{kind}",
    "/openapi.json",
    "/docs",
    "/docs/oauth2-redirect",
    "/redoc",
}
HOME, ELSEWHERE = "pays-de-la-loire", "corse"


def problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    return body


def token(settings: Settings, **claims: Any) -> str:
    now = datetime.now(UTC)
    payload = {
        "sub": "someone",
        "role": "caseworker",
        "regions": [HOME],
        "iss": settings.auth_issuer,
        "aud": settings.auth_audience,
        "exp": now + timedelta(hours=1),
    } | claims
    key = claims.pop("key", settings.auth_secret)
    payload.pop("key", None)
    return jwt.encode(payload, key, algorithm="HS256")


@pytest.mark.parametrize(
    "claims",
    [
        {"exp": datetime.now(UTC) - timedelta(minutes=1)},
        {"aud": "someone-else"},
        {"iss": "a-stranger"},
        {"key": "not-the-secret-of-this-service-at-all"},
        {"role": "emperor"},
    ],
    ids=["expired", "audience", "issuer", "signature", "role"],
)
def test_a_token_that_is_not_valid_is_refused(
    client: TestClient, settings: Settings, claims: dict[str, Any]
) -> None:
    headers = {"Authorization": f"Bearer {token(settings, **claims)}"}
    refused = client.get("/dossiers", headers=headers)
    problem(refused, 401)
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")


def test_no_token_no_answer_but_for_health_and_the_docs(client: TestClient) -> None:
    bare = TestClient(client.app)
    problem(bare.get("/dossiers"), 401)
    problem(bare.post("/dossiers", json={}), 401)
    for path in ("/health", "/docs", "/openapi.json", "/problems/forbidden"):
        assert bare.get(path).status_code == 200, path


def test_a_dossier_of_another_region_answers_as_if_it_did_not_exist(client: TestClient) -> None:
    dossier = file(client, region=ELSEWHERE).headers["Location"]
    outsider = as_(client, Role.CASEWORKER, "agent-home", (HOME,))
    missing = problem(client.get(dossier, headers=outsider), 404)
    unknown = problem(client.get(f"/dossiers/{'0' * 8}-0000-4000-8000-{'0' * 12}"), 404)
    assert missing["title"] == unknown["title"]
    assert ELSEWHERE not in str(missing)
    listed = client.get("/dossiers", headers=outsider, params={"region": ELSEWHERE}).json()
    assert listed["items"] == []
    filing = client.post("/dossiers", json={"region": ELSEWHERE}, headers=outsider)
    assert filing.status_code in (403, 422)


def test_filing_in_a_region_one_does_not_act_in_is_forbidden(client: TestClient) -> None:
    from payloads import file_body

    outsider = as_(client, Role.INTEGRATION, "backoffice", (HOME,))
    problem(client.post("/dossiers", json=file_body(region=ELSEWHERE), headers=outsider), 403)
    assert client.post("/dossiers", json=file_body(), headers=outsider).status_code == 201


def test_the_actor_of_an_event_is_the_token_subject(client: TestClient) -> None:
    agent = as_(client, Role.CASEWORKER, "agent-042", (HOME,))
    from payloads import file_body

    filed = client.post("/dossiers", json=file_body(), headers=agent | {"X-Actor-Id": "liar"})
    history = client.get(f"{filed.headers['Location']}/history").json()
    assert history["events"][0]["actor"] == "agent-042"


# The matrix: every route, every role, inside and outside its regions.


@pytest.fixture
def records(client: TestClient) -> dict[str, str]:
    """A dossier on the agenda of an open session of HOME, and a catastrophe event."""
    dossier = file(client).headers["Location"]
    drive(client, dossier, ("review", review_body()), ("anonymisation", None))
    session = schedule(client)
    present(client, session, dossier)
    open_session(client, session)
    catastrophe = client.post("/catastrophes", json=catastrophe_body()).headers["Location"]
    code = client.get(dossier).json()["anonymised_summary"]["anonymous_code"]
    return {
        "dossier_id": dossier.rsplit("/", 1)[1],
        "session_id": session.rsplit("/", 1)[1],
        "catastrophe_id": catastrophe.rsplit("/", 1)[1],
        "anonymous_code": code,
        "kind": "forbidden",
    }


def routes(client: TestClient) -> list[APIRoute]:
    return [r for r in client.app.routes if isinstance(r, APIRoute) and r.path not in PUBLIC]  # type: ignore[attr-defined]


def call(
    client: TestClient, route: APIRoute, values: dict[str, str], headers: dict[str, str]
) -> Any:
    path = re.sub(r"{(\w+)}", lambda m: values[m.group(1)], route.path)
    [method] = list(route.methods or ())
    headers = headers | {"If-Match": "*"}
    if method == "GET":
        return client.get(path, headers=headers)
    return client.post(path, json={}, headers=headers)


def test_every_route_says_which_roles_may_call_it(client: TestClient) -> None:
    for route in routes(client):
        roles = (route.openapi_extra or {}).get("x-roles")
        assert roles, f"{route.path} declares no roles"
        assert set(roles) <= {r.value for r in Role}


def test_every_route_lets_in_its_roles_and_only_them(
    client: TestClient, records: dict[str, str]
) -> None:
    for route in routes(client):
        allowed = set((route.openapi_extra or {})["x-roles"])
        for role in Role:
            headers = as_(client, role, f"matrix-{role}", (HOME,))
            status = call(client, route, records, headers).status_code
            where = f"{sorted(route.methods or ())} {route.path} as {role}"
            if role.value in allowed:
                assert status not in (401, 403), where
            else:
                assert status == 403, where


def test_a_scoped_role_meets_another_regions_records_as_absent(
    client: TestClient, records: dict[str, str]
) -> None:
    for route in routes(client):
        if "{dossier_id}" not in route.path and "{session_id}" not in route.path:
            continue
        for role in set(Role) - NATIONAL:
            if role.value not in (route.openapi_extra or {})["x-roles"]:
                continue
            headers = as_(client, role, f"matrix-{role}", (ELSEWHERE,))
            response = call(client, route, records, headers)
            assert response.status_code == 404, f"{route.path} as {role}: {response.text}"


# The commission never sees who the workers are.


def identities(settings: Settings) -> list[str]:
    application = open_event_store(settings)
    try:
        load_demo_data(application)
        values = []
        for n in range(len(DOSSIERS)):
            filed = application.stream(demo_dossier_id(n), lte=1)[0].event
            assert isinstance(filed, DossierFiled)
            a = filed.applicant
            values += [a.last_name, a.siret, a.email, a.address.line1, a.phone]
            values += [a.nir] if a.nir else []
    finally:
        application.close()
    return values


def test_no_commission_response_holds_an_identifying_value(
    client: TestClient, settings: Settings
) -> None:
    values = identities(settings)
    seen = []
    for session in demo_sessions():
        member = as_(client, Role.COMMISSION, f"cass-{session.region}-m1", (session.region,))
        for path in (f"/cass-sessions/{session.id}", f"/cass-sessions/{session.id}/minutes"):
            response = client.get(path, headers=member)
            assert response.status_code in (200, 409), response.text
            seen.append(response.text)
        view = client.get("/commission-view", headers=member, params={"wait": 5})
        seen.append(view.text)
    assert len(seen) > 40
    text = "\n".join(seen)
    leaks = [v for v in values if v in text]
    assert leaks == []
