"""GET /metrics as Prometheus scrapes it: for an admin or the scraper's credential only; the
requests by route template, the commands by operation and outcome, the access log's writes,
where the store and its projections stand; no label holding an id or anyone's data; and the
counts of several processes summed."""

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from subprocess import DEVNULL
from typing import Any

import httpx2
import pytest
from api import as_, caseworker, command, etag, file
from conftest import ADMIN, TEST_SECRET, bearer
from fastapi.testclient import TestClient
from payloads import review_body
from processes import free_port
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine
from test_access_log import access_log_refusing_writes

from app.api.auth import Role
from app.api.main import create_app
from app.demo.data import DOSSIERS, demo_dossier_id, load_demo_data
from app.settings import Settings
from app.startup import SettingsProblems, settings_problems
from app.store.database import sql_engine
from app.store.eventstore import open_event_store
from app.store.migrate import migrate

SCRAPER = "a-scraper-credential-for-tests-" + "s" * 16
SERVE_ENV = dict.fromkeys(("AUTH_SECRET", "AUDIT_KEY", "KEY_ENCRYPTION_KEY"), TEST_SECRET)
UUID = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", re.I)
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def samples(text: str) -> Samples:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def scrape(client: TestClient, **headers: str) -> Samples:
    answer = client.get("/metrics", headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    return samples(answer.text)


def value(found: Samples, name: str, **labels: str) -> float:
    return found.get((name, frozenset(labels.items())), 0.0)


def commands(found: Samples, command: str, outcome: str, rule: str = "") -> float:
    name = "action_sociale_commands_total"
    return value(found, name, command=command, outcome=outcome, rule=rule)


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    engine = sql_engine(settings)
    yield engine
    engine.dispose()


def test_the_metrics_answer_an_admin_only(client: TestClient) -> None:
    bare = TestClient(client.app)
    refused = bare.get("/metrics")
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"
    assert client.get("/metrics", headers=caseworker(client)).status_code == 403
    assert bare.get("/metrics", headers={"Authorization": f"Bearer {SCRAPER}"}).status_code == 401
    assert any(name == "action_sociale_http_requests_total" for name, _ in scrape(client))


def test_the_scraper_reads_with_its_credential_never_rate_limited(settings: Settings) -> None:
    scraped = settings.model_copy(
        update={"metrics_token": SCRAPER, "rate_limit_unauthenticated": "2/minute"}
    )
    with TestClient(create_app(scraped)) as client:
        for _ in range(5):
            scrape(client, Authorization=f"Bearer {SCRAPER}")
        basic = client.get("/metrics", headers={"Authorization": f"Basic {SCRAPER}"})
        assert basic.status_code == 401
        wrong = [
            client.get("/metrics", headers={"Authorization": f"Bearer {SCRAPER}x"}).status_code
            for _ in range(3)
        ]
        assert wrong == [401, 429, 429]  # counted like any caller without a valid token
        admin = bearer(scraped, Role.ADMIN, ADMIN)
        assert client.get("/metrics", headers=admin).status_code == 200


def test_commands_are_counted_by_operation_and_outcome_with_the_rule_broken(
    client: TestClient,
) -> None:
    before = scrape(client)
    filed = file(client)
    assert filed.status_code == 201
    dossier = filed.headers["Location"]
    withdrawn = command(client, dossier, "withdrawal", etag(filed), {"reason": "Reprise"})
    assert withdrawn.status_code == 200
    again = command(client, dossier, "withdrawal", etag(withdrawn), {"reason": "Reprise"})
    assert again.json()["rule"] == "nothing_after_withdrawal"
    assert command(client, dossier, "review", 1, review_body()).status_code == 412
    assert client.post("/dossiers", json={}, headers=caseworker(client)).status_code == 422
    after = scrape(client)

    def more(*labels: str) -> float:
        return commands(after, *labels) - commands(before, *labels)

    assert more("file_dossier", "accepted") == 1
    assert more("withdraw_dossier", "accepted") == 1
    assert more("withdraw_dossier", "rule_violation", "nothing_after_withdrawal") == 1
    assert more("review_dossier", "version_mismatch") == 1
    assert more("file_dossier", "invalid_input") == 1


def test_requests_are_counted_by_route_template_never_by_path(client: TestClient) -> None:
    dossier = file(client).headers["Location"]
    dossier_id = dossier.rsplit("/", 1)[1]
    before = scrape(client)
    assert client.get(dossier).status_code == 200
    assert client.head(dossier).status_code == 200
    assert client.get(f"{dossier}/no/such/thing").status_code == 404
    assert client.request("BREW", dossier).status_code == 405
    after = scrape(client)
    route = "/dossiers/{dossier_id}"

    def more(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    requests, latency = "action_sociale_http_requests_total", "action_sociale_http_request_duration"
    assert more(requests, route=route, method="GET", status="200") == 1
    assert more(f"{latency}_seconds_count", route=route, method="GET", status="200") == 1
    assert more(f"{latency}_seconds_bucket", route=route, method="GET", status="200", le="+Inf")
    assert more(requests, route=route, method="HEAD", status="200") == 1
    assert more(requests, route="unmatched", method="GET", status="404") == 1
    assert more(requests, route=route, method="other", status="405") == 1
    assert dossier_id not in client.get("/metrics").text


def test_access_log_writes_and_failures_are_counted(
    client: TestClient, settings: Settings, engine: Engine
) -> None:
    dossier = file(client).headers["Location"]
    auditor = as_(client, Role.AUDITOR, "auditor-1")
    before = scrape(client)
    assert client.get(dossier, headers=auditor).status_code == 200
    with access_log_refusing_writes(engine, settings):
        assert client.get(dossier, headers=auditor).status_code == 503
    after = scrape(client)
    name = "action_sociale_access_log_writes_total"
    for outcome in ("written", "failed"):
        assert value(after, name, outcome=outcome) - value(before, name, outcome=outcome) == 1


def test_the_store_head_and_each_projection_stand_in_the_metrics(
    fresh_settings: Settings,
) -> None:
    idle = fresh_settings.model_copy(update={"projections_embedded": False})
    with TestClient(create_app(idle), headers=bearer(idle, Role.ADMIN, ADMIN)) as client:
        for _ in range(2):
            file(client)
        behind = scrape(client)
        assert value(behind, "action_sociale_store_up") == 1
        assert value(behind, "action_sociale_event_store_head_position") == 2
        for name in ("dossiers", "commission", "envelopes"):
            assert value(behind, "action_sociale_projection_position", projection=name) == 0
            assert value(behind, "action_sociale_projection_lag_events", projection=name) == 2
            assert value(behind, "action_sociale_projection_lag_seconds", projection=name) >= 0
            assert value(behind, "action_sociale_projection_rebuild_running", projection=name) == 0
        projections = client.app.state.projections  # type: ignore[attr-defined]
        projections.catch_up_all()
        projections.step("dossiers", "b")  # a rebuild's first batch, and no more: cut short
        caught_up = scrape(client)
        for name in ("dossiers", "commission", "envelopes"):
            assert value(caught_up, "action_sociale_projection_position", projection=name) == 2
            assert value(caught_up, "action_sociale_projection_lag_events", projection=name) == 0
            assert value(caught_up, "action_sociale_projection_lag_seconds", projection=name) == 0
        running = "action_sociale_projection_rebuild_running"
        assert value(caught_up, running, projection="dossiers") == 1
        assert value(caught_up, running, projection="commission") == 0


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def test_no_label_holds_an_id_a_path_or_anyones_data(fresh_settings: Settings) -> None:
    application = open_event_store(fresh_settings)
    try:
        load_demo_data(application)
    finally:
        application.close()
    app = create_app(fresh_settings)
    with TestClient(app, headers=bearer(fresh_settings, Role.ADMIN, ADMIN)) as client:
        personal: set[str] = set()
        for n in range(len(DOSSIERS)):
            dossier = client.get(f"/dossiers/{demo_dossier_id(n)}").json()
            personal |= {dossier["id"], dossier["reference"], dossier["own_account"]}
            personal |= {dossier["activity"]["description"], *strings(dossier["applicant"])}
            client.get(f"/dossiers/{demo_dossier_id(n)}/history")
            client.post(f"/dossiers/{demo_dossier_id(n)}/withdrawal", json={"reason": "x"})
        client.get("/dossiers", params={"region": "bretagne", "limit": 5})
        client.get(f"/dossiers/{demo_dossier_id(0)}/{dossier['reference']}")
        labels = {
            (label, text)
            for name, pairs in scrape(client)
            for label, text in pairs
            if name.startswith("action_sociale")
        }
    assert {("route", "/dossiers/{dossier_id}/withdrawal")} <= labels
    for label, text in labels:
        assert not UUID.search(text), (label, text)
        assert not any(value in text for value in personal if len(value) > 3), (label, text)
        assert re.fullmatch(r"[a-z0-9_./{}+-]*", text, re.I), (label, text)


@contextmanager
def processes(folder: Path, count: int, **env: str) -> Iterator[list[str]]:
    """`count` real `action-sociale serve` processes on one migrated store, started at once."""
    settings = Settings(database_url=f"sqlite:///{folder}/events.sqlite3")
    migrate(settings)
    ports = [free_port() for _ in range(count)]
    command = [str(Path(sys.executable).parent / "action-sociale"), "serve", "--port"]
    env = os.environ | SERVE_ENV | {"DATABASE_URL": settings.database_url} | env
    servers = [
        subprocess.Popen([*command, str(port)], env=env, cwd=folder, stdout=DEVNULL, stderr=DEVNULL)
        for port in ports
    ]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        deadline = time.monotonic() + 60
        for server, url in zip(servers, urls, strict=True):
            while not answers(url):
                assert server.poll() is None, "a server stopped"
                assert time.monotonic() < deadline, "a server did not answer in time"
                time.sleep(0.05)
        yield urls
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            server.wait(timeout=20)


def answers(url: str) -> bool:
    try:
        return httpx2.get(f"{url}/health").status_code == 200  # the test counts /health/live
    except httpx2.TransportError:
        return False


def test_several_processes_count_into_one_scrape(tmp_path: Path) -> None:
    """Two real `action-sociale serve` processes sharing PROMETHEUS_MULTIPROC_DIR: either one
    answers the requests of both."""
    folder = tmp_path / "metrics"
    folder.mkdir()
    env = {"PROMETHEUS_MULTIPROC_DIR": str(folder), "METRICS_TOKEN": SCRAPER}
    scraper = {"Authorization": f"Bearer {SCRAPER}"}
    with processes(tmp_path, 2, **env) as (first, second):
        for url, times in ((first, 3), (second, 2)):
            for _ in range(times):
                assert httpx2.get(f"{url}/health/live").status_code == 200
        for url in (first, second):
            answer = httpx2.get(f"{url}/metrics", headers=scraper)
            assert answer.status_code == 200, answer.text
            found = samples(answer.text)
            live = {"route": "/health/live", "method": "GET", "status": "200"}
            assert value(found, "action_sociale_http_requests_total", **live) == 5
            count = "action_sociale_http_request_duration_seconds_count"
            assert value(found, count, **live) == 5
            heads = [key for key in found if key[0] == "action_sociale_event_store_head_position"]
            assert len(heads) == 1  # read from the store once, not once per process
    assert len(os.listdir(folder)) >= 2  # each process its own files


def test_the_scrapers_credential_is_checked_at_start_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path}/s.sqlite3"

    def problems(**settings: Any) -> list[tuple[str, str]]:
        found = settings_problems(Settings(database_url=url, **settings))
        return [(p.name, p.problem) for p in found]

    assert problems(metrics_token=SCRAPER) == []
    assert problems(metrics_token="short") == [("METRICS_TOKEN", "too short (5 bytes)")]
    assert problems(metrics_token=TEST_SECRET, auth_secret=TEST_SECRET) == [
        ("METRICS_TOKEN", "the value of another secret")
    ]
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path / "not-there"))
    [(name, problem)] = problems()
    assert name == "PROMETHEUS_MULTIPROC_DIR"
    assert problem.startswith("not a directory this process may write in")
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR")
    refused = pytest.raises(SettingsProblems, match="METRICS_TOKEN: too short")
    with refused, TestClient(create_app(Settings(database_url=url, metrics_token="short"))):
        pass  # pragma: no cover
