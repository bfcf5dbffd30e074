"""Who may see and do what: bearer tokens, roles and regions on every route, and a commission
that never sees a worker's identity."""

import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from api import SECRETARY, as_, drive, file, open_session, present, schedule
from fastapi.testclient import TestClient
from payloads import anonymisation_body, catastrophe_body, review_body

from app.api.auth import NATIONAL, Role, mint_token
from app.api.main import create_app
from app.demo.data import DOSSIERS, demo_dossier_id, demo_sessions, load_demo_data
from app.settings import Settings
from app.store.eventstore import open_event_store
from domain.dossier_events import DossierFiled, DossierReviewed

PUBLIC = {
    "/health",
    "/health/live",
    "/health/ready",
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
        "iat": now,
        "exp": now + timedelta(hours=1),
    } | {name: value(now) if callable(value) else value for name, value in claims.items()}
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
        {"aud": ["action-sociale-api", "another-service"]},
        {"exp": lambda now: str(int((now + timedelta(hours=1)).timestamp()))},
        {"iat": lambda now: str(int(now.timestamp()))},
        {"exp": True},
        {"exp": lambda now: now - timedelta(seconds=20)},  # the moment the test runs
        {"iat": lambda now: now + timedelta(seconds=20)},
    ],
    ids=[
        "expired",
        "audience",
        "issuer",
        "signature",
        "role",
        "audience shared with another service",
        "exp a numeric string",
        "iat a numeric string",
        "exp a boolean",
        "expired beyond the leeway",
        "issued in the future beyond the leeway",
    ],
)
def test_a_token_that_is_not_valid_is_refused(
    client: TestClient, settings: Settings, claims: dict[str, Any]
) -> None:
    headers = {"Authorization": f"Bearer {token(settings, **claims)}"}
    refused = client.get("/dossiers", headers=headers)
    problem(refused, 401)
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "claims",
    [
        {},
        {"aud": ["action-sociale-api"]},
        {"exp": lambda now: now - timedelta(seconds=3)},
        {"iat": lambda now: (now + timedelta(seconds=3)).timestamp()},
    ],
    ids=["plain", "audience list of ours alone", "expired within the leeway", "float iat"],
)
def test_a_valid_token_is_taken(
    client: TestClient, settings: Settings, claims: dict[str, Any]
) -> None:
    headers = {"Authorization": f"Bearer {token(settings, **claims)}"}
    assert client.get("/dossiers", headers=headers).status_code == 200


def test_a_forbidden_role_is_told_which_roles_may(client: TestClient) -> None:
    from payloads import file_body

    analyst = as_(client, Role.ANALYST, "analyst-1")
    refused = problem(client.post("/dossiers", json=file_body(), headers=analyst), 403)
    assert refused["detail"] == "Only caseworker, integration, admin may do this."


def test_a_role_that_may_not_call_is_refused_before_its_body_is_read(client: TestClient) -> None:
    analyst = as_(client, Role.ANALYST, "analyst-1")
    for body in (b"{not json", b'{"region": 12}'):
        answer = client.post(
            "/dossiers", content=body, headers=analyst | {"Content-Type": "application/json"}
        )
        problem(answer, 403)


def test_no_token_no_answer_but_for_health_and_the_docs(client: TestClient) -> None:
    bare = TestClient(client.app)
    problem(bare.get("/dossiers"), 401)
    problem(bare.post("/dossiers", json={}), 401)
    for path in ("/health", "/health/live", "/docs", "/openapi.json", "/problems/forbidden"):
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
    drive(client, dossier, ("review", review_body()), ("anonymisation", anonymisation_body()))
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


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    name: str
    roles: set[str]


def routes(client: TestClient) -> list[Operation]:
    """Every operation of the app, from its OpenAPI spec: a new route cannot be forgotten."""
    spec = client.app.openapi()  # type: ignore[attr-defined]
    found = [
        Operation(method.upper(), path, op["operationId"], set(op.get("x-roles", ())))
        for path, methods in spec["paths"].items()
        for method, op in methods.items()
        if path not in PUBLIC
    ]
    assert len(found) > 30
    return found


def subject(role: Role) -> str:
    """Who plays the role: a commission member sits in the test sessions."""
    return SECRETARY if role is Role.COMMISSION else f"matrix-{role}"


def call(
    client: TestClient, route: Operation, values: dict[str, str], headers: dict[str, str]
) -> Any:
    path = re.sub(r"{(\w+)}", lambda m: values[m.group(1)], route.path)
    headers = headers | {"If-Match": '"1"'}
    if route.method == "GET":
        return client.get(path, headers=headers)
    return client.post(path, json={}, headers=headers)


def test_every_route_says_which_roles_may_call_it(client: TestClient) -> None:
    for route in routes(client):
        assert route.roles, f"{route.path} declares no roles"
        assert route.roles <= {r.value for r in Role}


def test_every_route_lets_in_its_roles_and_only_them(
    client: TestClient, records: dict[str, str]
) -> None:
    for route in routes(client):
        allowed = route.roles
        for role in Role:
            headers = as_(client, role, subject(role), (HOME,))
            status = call(client, route, records, headers).status_code
            where = f"{route.method} {route.path} as {role}"
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
            if role.value not in route.roles:
                continue
            headers = as_(client, role, subject(role), (ELSEWHERE,))
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
            values += [a.last_name, a.first_name, a.siret, a.email, a.address.line1, a.phone]
            values += [a.address.city, a.birth_date.isoformat(), filed.own_account]
            values += [a.nir] if a.nir else []
            values += [  # the reviewer's findings, which speak of the person, never reach it
                r.event.findings
                for r in application.stream(demo_dossier_id(n))
                if isinstance(r.event, DossierReviewed)
            ]
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


# The table of who may call what, written out: a route whose roles change, or a new route,
# must be looked at here.
EXPECTED: dict[str, set[str]] = {
    "file_dossier": {"caseworker", "integration"},
    "get_dossier": {"caseworker", "integration", "auditor"},
    "get_dossier_history": {"caseworker", "integration", "auditor"},
    "request_documents": {"caseworker"},
    "receive_documents": {"caseworker"},
    "review_dossier": {"caseworker"},
    "anonymise_dossier": {"caseworker"},
    "decide_dossier_by_delegation": {"caseworker"},
    "notify_decision": {"caseworker"},
    "withdraw_dossier": {"caseworker"},
    "close_dossier_without_follow_up": {"caseworker"},
    "request_re_examination": {"caseworker"},
    "erase_personal_data": set(),
    "schedule_cass_session": {"caseworker"},
    "get_cass_session": {"caseworker", "commission", "auditor"},
    "put_dossier_on_agenda": {"caseworker"},
    "sign_in_to_cass_session": {"commission"},
    "open_cass_session": {"commission"},
    "decide_in_cass_session": {"commission"},
    "remove_dossier_from_agenda": {"caseworker"},
    "close_cass_session": {"commission"},
    "get_cass_session_minutes": {"caseworker", "commission", "auditor"},
    "open_catastrophe": set(),
    "get_catastrophe": {"caseworker", "auditor", "analyst"},
    "close_catastrophe": set(),
    "list_dossiers": {"caseworker", "integration", "auditor", "analyst"},
    "export_dossiers_csv": {"caseworker", "auditor", "analyst"},
    "dashboard_activity": {"caseworker", "auditor", "analyst"},
    "dashboard_delays": {"caseworker", "auditor", "analyst"},
    "dashboard_silence": {"caseworker", "auditor", "analyst"},
    "dashboard_envelopes": {"caseworker", "auditor", "analyst"},
    "get_commission_view": {"commission", "auditor"},
    "list_changes": {"integration", "auditor"},
    "verify_dossier_chain": {"auditor"},
    "verify_store_chain": {"auditor"},
    "read_access_log": {"auditor"},
    "metrics": set(),  # or the scraper's METRICS_TOKEN, which is no role
}


# Only the members of a session sit in it, with their own commission token: no admin either.
SITTING = {"sign_in_to_cass_session", "open_cass_session", "decide_in_cass_session"}
SITTING |= {"close_cass_session"}


def test_the_roles_of_every_route_are_those_of_the_written_table(client: TestClient) -> None:
    declared = {r.name: r.roles for r in routes(client)}
    assert declared == {
        name: roles if name in SITTING else roles | {"admin"} for name, roles in EXPECTED.items()
    }


def test_lists_feeds_and_views_hold_nothing_of_another_region(client: TestClient) -> None:
    dossier = file(client).headers["Location"]
    drive(client, dossier, ("review", review_body()), ("anonymisation", anonymisation_body()))
    session = schedule(client)
    last = present(client, session, dossier)
    reference = client.get(dossier).json()["reference"]
    wait = {"min_position": last.headers["X-Event-Position"]}
    outsider = as_(client, Role.CASEWORKER, "agent-corse", (ELSEWHERE,))
    assert client.get("/dossiers", params=wait | {"reference": reference}).json()["items"]
    listed = client.get("/dossiers", headers=outsider, params=wait | {"reference": reference})
    assert listed.json()["items"] == []
    csv = client.get("/exports/dossiers.csv", headers=outsider, params=wait).text
    assert reference not in csv
    feed_reader = as_(client, Role.INTEGRATION, "backoffice-corse", (ELSEWHERE,))
    head = client.get("/changes", params={"after": 0, "limit": 1}).json()["head"]
    feed = client.get("/changes", headers=feed_reader, params={"after": head - 20, "limit": 20})
    assert dossier.rsplit("/", 1)[1] not in feed.text
    member = as_(client, Role.COMMISSION, "cass-corse-m1", (ELSEWHERE,))
    view = client.get("/commission-view", headers=member, params=wait).json()["items"]
    assert all(item["region"] == ELSEWHERE for item in view)
    other_session = schedule(client, region=ELSEWHERE)
    corse_worker = as_(client, Role.CASEWORKER, "agent-corse", (ELSEWHERE,))
    body = {"dossier_id": dossier.rsplit("/", 1)[1]}
    headers = corse_worker | {"If-Match": client.get(dossier).headers["ETag"]}
    smuggled = client.post(f"{other_session}/agenda", json=body, headers=headers)
    assert smuggled.status_code == 404


def test_a_token_taken_once_is_refused_once_it_has_expired(settings: Settings) -> None:
    """Checked tokens are kept for speed, never past their expiry."""
    strict = settings.model_copy(update={"auth_leeway_seconds": 0})
    token = mint_token(strict, "brief", Role.AUDITOR, hours=3 / 3600)
    expires = jwt.decode(token, options={"verify_signature": False})["exp"]
    with TestClient(create_app(strict), headers={"Authorization": f"Bearer {token}"}) as client:
        assert client.get("/access-log").status_code == 200
        assert client.get("/access-log").status_code == 200  # taken again, from what it knew
        time.sleep(max(0.0, expires - time.time()) + 1.1)  # NumericDate: whole seconds
        assert client.get("/access-log").status_code == 401
