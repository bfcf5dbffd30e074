"""Small clients for the API tests: each step of a dossier's path, by the role that takes it,
with the ETag it needs."""

from datetime import datetime
from typing import Any

from fastapi.testclient import TestClient
from httpx2 import Response
from payloads import decision_body, file_body, session_body

from app.api.auth import Role, mint_token
from app.api.deps import now
from app.settings import DEFAULT_REGIONS

ACTOR = "agent-pdl-007"  # a caseworker of every region, in these tests
SECRETARY = "cass-pdl-m1"  # a member of the commission of every test session


def as_(
    client: TestClient, role: Role, subject: str, regions: tuple[str, ...] = ()
) -> dict[str, str]:
    """The Authorization header of a caller with this role, for this client's service."""
    token = mint_token(client.app.state.settings, subject, role, regions)  # type: ignore[attr-defined]
    return {"Authorization": f"Bearer {token}"}


def caseworker(client: TestClient) -> dict[str, str]:
    return as_(client, Role.CASEWORKER, ACTOR, DEFAULT_REGIONS)


def commission(client: TestClient, session: str, member: str = SECRETARY) -> dict[str, str]:
    """The token of a member of the session's commission (by default, the one who chairs)."""
    region = client.get(session).json()["region"]
    return as_(client, Role.COMMISSION, member, (region,))


def etag(response: Response) -> int:
    return int(response.headers["ETag"].strip('"'))


def if_match(client: TestClient, location: str) -> dict[str, str]:
    """If-Match with the record's current ETag, as read now."""
    return {"If-Match": client.get(location).headers["ETag"]}


def file(client: TestClient, **overrides: Any) -> Response:
    response: Response = client.post(
        "/dossiers", json=file_body(**overrides), headers=caseworker(client)
    )
    return response


def command(
    client: TestClient, location: str, step: str, version: int, body: Any = None
) -> Response:
    headers = caseworker(client) | {"If-Match": f'"{version}"'}
    response: Response = client.post(f"{location}/{step}", json=body, headers=headers)
    return response


def drive(client: TestClient, location: str, *steps: tuple[str, Any]) -> Response:
    """Apply the dossier's steps in order, each with the ETag of the one before."""
    response: Response = client.get(location)
    for step, body in steps:
        response = command(client, location, step, etag(response), body)
        assert response.status_code == 200, response.text
    return response


def service_now(client: TestClient) -> datetime:
    """The moment for the client's service, whose clock a test may have moved."""
    clock = client.app.dependency_overrides.get(now, now)  # type: ignore[attr-defined]
    moment: datetime = clock()
    return moment


def service_day(client: TestClient) -> str:
    """Today for the client's service."""
    return service_now(client).date().isoformat()


def schedule(client: TestClient, **overrides: Any) -> str:
    """A new session of the commission, on the service's today unless told; its location."""
    body = session_body(**({"session_date": service_day(client)} | overrides))
    response = client.post("/cass-sessions", json=body, headers=caseworker(client))
    assert response.status_code == 201, response.text
    location: str = response.headers["Location"]
    return location


def session_step(
    client: TestClient,
    session: str,
    step: str,
    body: Any = None,
    *,
    by: str = "commission",
    member: str = SECRETARY,
) -> Response:
    """A step of the session, with the session's current ETag, by a member of its commission
    (or by a caseworker)."""
    version = etag(client.get(session))
    who = commission(client, session, member) if by == "commission" else caseworker(client)
    headers = who | {"If-Match": f'"{version}"'}
    response: Response = client.post(f"{session}/{step}", json=body, headers=headers)
    return response


def present(client: TestClient, session: str, dossier: str) -> Response:
    """Put the dossier on the session's agenda, with the dossier's ETag."""
    version = etag(client.get(dossier))
    headers = caseworker(client) | {"If-Match": f'"{version}"'}
    body = {"dossier_id": dossier.rsplit("/", 1)[1]}
    response: Response = client.post(f"{session}/agenda", json=body, headers=headers)
    return response


def anonymous_code(client: TestClient, dossier: str) -> str:
    code: str = client.get(dossier).json()["anonymised_summary"]["anonymous_code"]
    return code


def sign_in(client: TestClient, session: str, member: str) -> Response:
    """A member attests their own presence, with their own token."""
    return session_step(client, session, "attendance", member=member)


def open_session(client: TestClient, session: str, present: int = 4) -> Response:
    """The first `present` members sign in, each with their own token; the first opens."""
    members = client.get(session).json()["members"]
    for member in members[:present]:
        signed = sign_in(client, session, member)
        if signed.status_code != 200:
            return signed
    return session_step(client, session, "opening")


def decide(client: TestClient, session: str, dossier: str, **overrides: Any) -> Response:
    code = anonymous_code(client, dossier)
    return session_step(client, session, f"agenda/{code}/decision", decision_body(**overrides))


def to_decision(client: TestClient, dossier: str, **decision: Any) -> str:
    """Present an anonymised dossier to a new session, open it and decide; the session."""
    region = client.get(dossier).json()["region"]
    session = schedule(client, region=region)
    assert present(client, session, dossier).status_code == 200
    assert open_session(client, session).status_code == 200
    decided = decide(client, session, dossier, **decision)
    assert decided.status_code == 200, decided.text
    return session
