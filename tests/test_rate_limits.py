"""Rate limits: per caller (its token's subject; its address without a valid token), answered
429 with Retry-After and the RateLimit headers, and shared by every process through Redis."""

from collections.abc import Iterator
from contextlib import contextmanager
from uuid import uuid4

import pytest
import redis
from conftest import bearer
from fastapi.testclient import TestClient

from app.api.auth import Role
from app.api.main import create_app
from app.settings import Settings

REDIS_URL = "redis://127.0.0.1:6379"
RUN = uuid4().hex  # this run's keys in Redis, apart from every other run's


@contextmanager
def limited(settings: Settings, **limits: str) -> Iterator[TestClient]:
    with TestClient(create_app(settings.model_copy(update=limits))) as client:
        yield client


def as_caller(settings: Settings, subject: str) -> dict[str, str]:
    return bearer(settings, Role.ANALYST, subject)


def test_a_caller_over_its_limit_is_answered_429_with_when_to_retry(settings: Settings) -> None:
    with limited(settings, rate_limit="3/minute") as client:
        me = as_caller(settings, "eager")
        answers = [client.get("/dossiers", headers=me) for _ in range(3)]
        assert [a.status_code for a in answers] == [200, 200, 200]
        assert [a.headers["RateLimit-Remaining"] for a in answers] == ["2", "1", "0"]
        assert {a.headers["RateLimit-Limit"] for a in answers} == {"3"}
        refused = client.get("/dossiers", headers=me)
        assert refused.status_code == 429
        assert refused.headers["content-type"] == "application/problem+json"
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        assert 0 <= int(refused.headers["RateLimit-Reset"]) <= 60
        assert refused.headers["RateLimit-Remaining"] == "0"
        assert client.get("/dossiers", headers=as_caller(settings, "calm")).status_code == 200
        assert "RateLimit-Limit" not in client.get("/health").headers


def test_every_answer_of_a_limited_route_says_the_limit(settings: Settings) -> None:
    with limited(settings, rate_limit="5/minute") as client:
        me = as_caller(settings, "analyst-x")
        missing = client.get(f"/dossiers/{uuid4()}", headers=me)  # 404 (or 403): a problem
        invalid = client.get("/dossiers", params={"limit": 0}, headers=me)
        assert missing.status_code in (403, 404)
        assert invalid.status_code == 422
        assert missing.headers["RateLimit-Remaining"] == "4"
        assert invalid.headers["RateLimit-Remaining"] == "3"


def test_a_flood_of_forged_tokens_from_one_address_is_answered_429(settings: Settings) -> None:
    with limited(settings, rate_limit_unauthenticated="5/minute") as client:
        forged = {"Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.e30.forged"}
        answers = [client.get("/dossiers", headers=forged).status_code for _ in range(7)]
        assert answers == [401] * 5 + [429] * 2
        assert client.get("/dossiers", headers=as_caller(settings, "real")).status_code == 200


@pytest.fixture
def shared_store() -> str:
    """Redis, which every API process of a deployment would share (.ci/run starts it)."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis does not answer at {REDIS_URL} ({error}): start it (see .ci/run)")
    return REDIS_URL


def test_two_api_processes_sharing_redis_share_one_limit(
    settings: Settings, shared_store: str
) -> None:
    shared = {
        "rate_limit": "3/minute",
        "rate_limit_storage_url": shared_store,
        "rate_limit_key_prefix": f"action-sociale-test-{RUN}-{uuid4().hex[:8]}",
    }
    me = as_caller(settings, "everywhere")
    with limited(settings, **shared) as one, limited(settings, **shared) as two:
        assert one.get("/dossiers", headers=me).status_code == 200
        assert two.get("/dossiers", headers=me).status_code == 200
        third = one.get("/dossiers", headers=me)
        assert third.status_code == 200
        assert third.headers["RateLimit-Remaining"] == "0"
        assert two.get("/dossiers", headers=me).status_code == 429
        assert one.get("/dossiers", headers=me).status_code == 429


def test_when_the_shared_store_is_down_each_process_still_counts(settings: Settings) -> None:
    nowhere = {"rate_limit": "2/minute", "rate_limit_storage_url": "redis://127.0.0.1:1"}
    with limited(settings, **nowhere) as client:
        me = as_caller(settings, "while-redis-sleeps")
        answers = [client.get("/dossiers", headers=me).status_code for _ in range(3)]
        assert answers == [200, 200, 429]
