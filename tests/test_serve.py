"""`action-sociale serve` as an operator runs it: the address a caller is counted by is the
connection's, unless the operator names the reverse proxy whose X-Forwarded-For it believes.

The server is a real process on a port of its own; the embedded store is enough here (what is
checked is uvicorn's configuration, not the store's)."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2
from conftest import TEST_SECRET

FORGED = {"Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.e30.forged"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serving(tmp_path: Path, **env: str) -> Iterator[str]:
    port = free_port()
    command = [str(Path(sys.executable).parent / "action-sociale"), "serve", "--port", str(port)]
    settings = {
        "DATABASE_URL": f"sqlite:///{tmp_path}/events.sqlite3",
        "AUTH_SECRET": TEST_SECRET,
        "AUDIT_KEY": TEST_SECRET,
        "KEY_ENCRYPTION_KEY": TEST_SECRET,
        "RATE_LIMIT_UNAUTHENTICATED": "3/minute",
    }
    server = subprocess.Popen(
        command,
        env=os.environ | settings | env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, "the server stopped"
            assert time.monotonic() < deadline, "the server did not answer in time"
            try:
                if httpx2.get(f"{url}/health").status_code == 200:
                    break
            except httpx2.TransportError:
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


def forged_from_many_addresses(url: str) -> list[int]:
    """Forged tokens, each request claiming another client address."""
    return [
        httpx2.get(
            f"{url}/dossiers", headers=FORGED | {"X-Forwarded-For": f"192.0.2.{n}"}
        ).status_code
        for n in range(5)
    ]


def test_a_caller_cannot_choose_the_address_its_rate_limit_counts(tmp_path: Path) -> None:
    with serving(tmp_path) as url:
        assert forged_from_many_addresses(url) == [401, 401, 401, 429, 429]


def test_behind_a_named_proxy_each_client_is_counted_by_its_own_address(tmp_path: Path) -> None:
    with serving(tmp_path, FORWARDED_ALLOW_IPS="127.0.0.1") as url:
        assert forged_from_many_addresses(url) == [401] * 5
