"""`action-sociale serve` as an operator runs it: the address a caller is counted by is the
connection's, unless the operator names the reverse proxy whose X-Forwarded-For it believes;
several workers share one port and the embedded store; SIGTERM lets the requests in flight be
answered before the server stops.

The server is a real process on a port of its own; the embedded store is enough here (what is
checked is uvicorn's configuration, not the store's; several processes on PostgreSQL are
tests/test_kill.py's)."""

import json
import os
import select
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx2
import pytest
from conftest import SECRETS, bearer
from payloads import file_body
from processes import (
    free_port,
    launched,
    serve_args,
    stopped,
    store_env,
    until_answering,
    workers_of,
)

from app.api.auth import Role
from app.services.projecting import Projections
from app.settings import DEFAULT_REGIONS, Settings
from app.store.database import sql_engine
from app.store.eventstore import open_event_store
from app.store.migrate import migrate
from domain.rulebook import Rulebook

FORGED = {"Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.e30.forged"}


def settings_in(folder: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{folder}/events.sqlite3", **SECRETS)


@contextmanager
def serving(
    tmp_path: Path, *args: str, **env: str
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    settings = store_env(settings_in(tmp_path)) | {"RATE_LIMIT_UNAUTHENTICATED": "3/minute"}
    with launched(tmp_path, "serve", *serve_args(port, *args), **settings | env) as server:
        url = f"http://127.0.0.1:{port}"
        until_answering(url, server)
        yield url, server


def forged_from_many_addresses(url: str) -> list[int]:
    """Forged tokens, each request claiming another client address."""
    return [
        httpx2.get(
            f"{url}/dossiers", headers=FORGED | {"X-Forwarded-For": f"192.0.2.{n}"}
        ).status_code
        for n in range(5)
    ]


def test_a_caller_cannot_choose_the_address_its_rate_limit_counts(tmp_path: Path) -> None:
    with serving(tmp_path) as (url, _):
        assert forged_from_many_addresses(url) == [401, 401, 401, 429, 429]


def test_behind_a_named_proxy_each_client_is_counted_by_its_own_address(tmp_path: Path) -> None:
    with serving(tmp_path, FORWARDED_ALLOW_IPS="127.0.0.1") as (url, _):
        assert forged_from_many_addresses(url) == [401] * 5


def filed(url: str, settings: Settings) -> int:
    """File a dossier; the store position of its event."""
    headers = bearer(settings, Role.CASEWORKER, "agent-serve", DEFAULT_REGIONS)
    response = httpx2.post(f"{url}/dossiers", json=file_body(), headers=headers)
    assert response.status_code == 201, response.text
    return int(response.headers["X-Event-Position"])


def read_waiting_for(url: str, settings: Settings, position: int, wait: float) -> httpx2.Response:
    """The activity dashboard, once it reflects `position` (or `wait` seconds have passed)."""
    headers = bearer(settings, Role.ANALYST, "analyst-serve")
    params: dict[str, float | str] = {"min_position": position, "wait": wait, "by": "region"}
    return httpx2.get(f"{url}/dashboards/activity", params=params, headers=headers, timeout=60)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_sigterm_lets_the_requests_in_flight_be_answered_then_stops(
    tmp_path: Path, workers: str
) -> None:
    settings = settings_in(tmp_path)
    migrate(settings)
    # the projections are not run by the server: a read waiting for a new position waits
    # until this test applies it, after the SIGTERM
    quiet = {"PROJECTIONS_EMBEDDED": "false", "READ_WAITS_PER_CALLER": "1"}
    with serving(tmp_path, "--workers", workers, **quiet) as (url, server):
        position = filed(url, settings)
        with ThreadPoolExecutor(1) as pool:
            in_flight = pool.submit(read_waiting_for, url, settings, position, 30)
            # the same caller's second wait is refused (429) only while the first is held (by
            # the process holding it: with two workers, once a probe reaches that one)
            deadline = time.monotonic() + 20
            while read_waiting_for(url, settings, position, 0).status_code != 429:
                assert time.monotonic() < deadline
                if in_flight.done():  # refused itself, for it came while a probe waited
                    assert in_flight.result().status_code == 429
                    in_flight = pool.submit(read_waiting_for, url, settings, position, 30)
            server.send_signal(signal.SIGTERM)
            time.sleep(0.5)
            assert server.poll() is None, "the server stopped with a request in flight"
            engine = sql_engine(settings)
            application = open_event_store(settings, engine)
            Projections(application, engine, Rulebook()).catch_up_all()
            application.close()
            answer = in_flight.result(timeout=20)
        assert answer.status_code == 200, answer.text
        assert int(answer.headers["X-Projection-Position"]) >= position
        assert server.wait(timeout=20) == 0
    log = (tmp_path / "serve.log").read_text()
    assert "Traceback" not in log


def test_two_workers_share_the_port_the_store_and_the_embedded_projections(
    tmp_path: Path,
) -> None:
    settings = settings_in(tmp_path)
    with serving(tmp_path, "--workers", "2") as (url, server):
        deadline = time.monotonic() + 20
        while len(workers_of(server.pid)) < 2:
            assert time.monotonic() < deadline, workers_of(server.pid)
            time.sleep(0.1)
        with ThreadPoolExecutor(4) as pool:  # a connection each: both workers take some
            positions = list(pool.map(lambda _: filed(url, settings), range(12)))
        # both workers run the projections, one at a time on each (a lock file each)
        read = read_waiting_for(url, settings, max(positions), 20)
        assert read.status_code == 200, read.text
        assert sum(row["dossiers"] for row in read.json()["rows"]) == 12

        killed = workers_of(server.pid)[0]
        os.kill(killed, signal.SIGKILL)
        deadline = time.monotonic() + 20
        while killed in (found := workers_of(server.pid)) or len(found) < 2:
            assert time.monotonic() < deadline, f"no worker in place of {killed}: {found}"
            time.sleep(0.1)
        assert read_waiting_for(url, settings, filed(url, settings), 20).status_code == 200
        assert stopped(server) == 0
        assert workers_of(server.pid) == []
    log = (tmp_path / "serve.log").read_text()
    assert f"Child process [{killed}] died" in log
    assert "Traceback" not in log


def exchanged(url: str, *chunks: bytes) -> bytes:
    """What the server answers to a request sent in these chunks, read until it closes the
    connection (every request here asks it to). Sending stops once an answer is there: the
    server may answer before the request is whole."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=20) as connection:
        for chunk in chunks:
            connection.sendall(chunk)
            if select.select([connection], [], [], 0.02)[0]:
                break
        answer = b""
        while data := connection.recv(65536):
            answer += data
        return answer


def test_a_request_head_over_16_kib_is_refused_before_it_is_held(tmp_path: Path) -> None:
    start = b"GET /dossiers HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
    with serving(tmp_path) as (url, _):
        # under the bound, the app answers (401: no token)
        small = exchanged(url, start + b"X-Filler: " + b"a" * 15_000 + b"\r\n\r\n")
        assert small.startswith(b"HTTP/1.1 401"), small[:100]
        # one header over it, whole or trickled in pieces: 400, and the connection closed
        big = exchanged(url, start + b"X-Filler: " + b"a" * 17_000 + b"\r\n\r\n")
        assert big.startswith(b"HTTP/1.1 400"), big[:100]
        pieces = [start + b"X-Filler: "] + [b"a" * 1000] * 200
        trickled = exchanged(url, *pieces)
        assert trickled.startswith(b"HTTP/1.1 400"), trickled[:100]
        # a small head with a large body behind it in the same read is not a large head
        body = json.dumps({"filler": "a" * 100_000}).encode()
        post = (
            b"POST /dossiers HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            b"Content-Type: application/json\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        assert exchanged(url, post).startswith(b"HTTP/1.1 401")
