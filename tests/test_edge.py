"""The HTTP edge holds under input that costs more to answer than to send: callers are known
before their body is read, bodies are bounded, a 422 is bounded, headers are bounded, and a
client that leaves is not a server error."""

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from conftest import bearer
from fastapi.testclient import TestClient
from payloads import file_body

from app.api.auth import Role
from app.api.problems import MAX_PROBLEMS
from app.settings import Settings

MiB = 1024 * 1024
CHUNK = 64 * 1024


@dataclass
class Exchange:
    """What a request made of a streamed body pulled from it, and what it answered."""

    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    pulled: int = 0  # bytes of the body the app asked for


def call(client: TestClient, path: str, headers: dict[str, str], receive: Any, send: Any) -> None:
    """POST straight to the app (under the client's lifespan), with our own receive and send."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.4"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }

    async def run() -> None:
        await client.app(scope, receive, send)

    assert client.portal is not None
    client.portal.call(run)


def stream(
    client: TestClient, path: str, headers: dict[str, str], chunks: Iterator[bytes]
) -> Exchange:
    """POST a body chunk by chunk straight to the app, counting how much of it the app pulls
    (the test client would read the whole body before the app sees it)."""
    exchange = Exchange()

    async def receive() -> dict[str, Any]:
        chunk = next(chunks, None)
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        exchange.pulled += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            exchange.status = message["status"]
            exchange.headers = {k.decode(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            exchange.body += message.get("body", b"")

    call(client, path, headers, receive, send)
    return exchange


def fifty_mib() -> Iterator[bytes]:
    return (b" " * CHUNK for _ in range(50 * MiB // CHUNK))


JSON = {"content-type": "application/json"}


def test_a_body_without_a_valid_token_is_answered_401_unread(client: TestClient) -> None:
    answered = stream(client, "/dossiers", JSON, fifty_mib())
    assert answered.status == 401
    assert answered.pulled == 0


def test_a_forged_token_with_a_big_body_is_answered_401_unread(client: TestClient) -> None:
    forged = JSON | {"authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.e30.forged"}
    answered = stream(client, "/dossiers", forged, fifty_mib())
    assert answered.status == 401
    assert answered.pulled == 0


def test_a_body_declared_over_the_limit_is_refused_413_before_any_of_it_is_read(
    client: TestClient, settings: Settings
) -> None:
    headers = JSON | bearer(settings, Role.ADMIN, "big") | {"content-length": str(50 * MiB)}
    answered = stream(client, "/dossiers", headers, fifty_mib())
    assert answered.status == 413
    assert answered.headers["content-type"] == "application/problem+json"
    assert answered.pulled == 0


def test_a_chunked_body_over_the_limit_is_cut_off_at_the_limit(
    client: TestClient, settings: Settings
) -> None:
    headers = JSON | bearer(settings, Role.ADMIN, "big")
    answered = stream(client, "/dossiers", headers, fifty_mib())
    assert answered.status == 413
    assert b"larger than" in answered.body
    assert answered.pulled <= settings.max_body_bytes + CHUNK


def test_a_body_within_the_limit_is_read_as_before(client: TestClient, settings: Settings) -> None:
    import json

    body = json.dumps(file_body()).encode()
    headers = JSON | bearer(settings, Role.ADMIN, "small")
    answered = stream(client, "/dossiers", headers, iter([body[:100], body[100:]]))
    assert answered.status == 201, answered.body
    assert answered.pulled == len(body)


LONE_SURROGATES = b"[" + b",".join([b'"\\ud800"'] * 100_000) + b"]"  # 0.9 MB


def test_a_megabyte_of_lone_surrogates_is_refused_413_not_parsed(client: TestClient) -> None:
    assert len(LONE_SURROGATES) > 800_000
    answered = client.post("/dossiers", content=LONE_SURROGATES, headers=JSON)
    assert answered.status_code == 413
    assert len(answered.content) < 1000


def test_unauthenticated_lone_surrogates_are_answered_401_not_parsed(
    client: TestClient,
) -> None:
    bare = TestClient(client.app)
    answered = bare.post("/dossiers", content=LONE_SURROGATES[:200_000] + b"]", headers=JSON)
    assert answered.status_code == 401


def test_a_422_lists_at_most_fifty_problems_and_says_more_were_cut(client: TestClient) -> None:
    body = b"[" + b",".join([b'"\\ud800"'] * 20_000) + b"]"  # 180 kB, under the limit
    answered = client.post("/dossiers", content=body, headers=JSON)
    assert answered.status_code == 422
    problem = answered.json()
    assert len(problem["errors"]) == MAX_PROBLEMS
    assert "more problems, not listed" in problem["detail"]
    assert len(answered.content) < 20_000
    assert "\\ud800" not in answered.text  # the input is never echoed


def test_a_422_names_a_long_unknown_key_shortly_and_once(client: TestClient) -> None:
    body = file_body() | {"k" * 5000 + "1": 1, "k" * 5000 + "2": 2}
    problem = client.post("/dossiers", json=body).json()
    unknown = [e for e in problem["errors"] if e["reason"] == "unknown field"]
    assert len(unknown) == 1
    assert len(unknown[0]["field"]) < 300
    assert len(problem["detail"]) < 1000


def test_an_8_mib_authorization_header_is_refused_undecoded(client: TestClient) -> None:
    huge = {"Authorization": "Bearer " + "a" * (8 * MiB)}
    answered = client.get("/dossiers", headers=huge)
    assert answered.status_code == 431
    assert answered.headers["content-type"] == "application/problem+json"


def test_a_client_that_leaves_mid_body_is_one_info_line_not_an_error(
    client: TestClient, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    headers = JSON | bearer(settings, Role.ADMIN, "leaver")
    received: list[str] = []

    async def receive() -> dict[str, Any]:
        received.append("disconnect")
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        pass

    with caplog.at_level(logging.INFO):
        call(client, "/dossiers", headers, receive, send)  # raises nothing
    assert received
    gone = [r for r in caplog.records if "disconnected" in r.getMessage()]
    assert [r.levelno for r in gone] == [logging.INFO]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize(
    "nested",
    ["[" * 600 + "]" * 600, '{"a":' * 400 + "1" + "}" * 400, "[" * 5000 + "]" * 5000],
    ids=["600 lists", "400 objects", "5000 lists"],
)
def test_a_body_nested_deeper_than_any_of_ours_is_invalid_input_not_a_crash(
    client: TestClient, nested: str
) -> None:
    answered = client.post(
        "/dossiers", content=nested, headers={"Content-Type": "application/json"}
    )
    assert answered.status_code == 422, answered.text
    assert answered.headers["content-type"] == "application/problem+json"
    assert "nested more than 32 levels deep" in answered.text or "not valid JSON" in answered.text
    assert client.get("/health").status_code == 200
