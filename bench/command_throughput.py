"""A command endpoint's throughput on PostgreSQL, beside a bare FastAPI endpoint in the same run.

    .venv/bin/python bench/command_throughput.py [--seconds 10] [--clients 8]

Starts two uvicorn servers on loopback, one worker each: a bare FastAPI app whose endpoint
takes a JSON body and answers 201, and the service on a fresh PostgreSQL schema (projections
left to a worker, not run). The same clients then POST as fast as they can to each: filing a
dossier (validation, sealing, the audit chain, the append, the stream head) against the bare
endpoint. Prints requests/s and the ratio.
"""

import argparse
import os
import secrets
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx2
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.api.auth import Role, mint_token  # noqa: E402
from app.settings import DEFAULT_REGIONS, Settings  # noqa: E402
from app.store.migrate import migrate  # noqa: E402

POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
BARE = textwrap.dedent(
    """
    from typing import Any
    from fastapi import FastAPI, status
    app = FastAPI()

    @app.post("/dossiers", status_code=status.HTTP_201_CREATED)
    def file(body: dict[str, Any]) -> dict[str, Any]:
        return {"id": "bare", "received": len(body)}
    """
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(
    target: str, env: dict[str, str], cwd: Path, *extra: str
) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", target, "--port", str(port), *extra]
    command += ["--log-level", "warning"]
    server = subprocess.Popen(command, env=os.environ | env, cwd=cwd)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            httpx2.get(url + "/openapi.json", timeout=1)
            return server, url
        except httpx2.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{target} did not start")


BODY = {
    "applicant": {
        "last_name": "Banc",
        "first_name": "Essai",
        "birth_date": "1975-06-21",
        "siret": "73282932000074",
        "email": "essai.banc@example.fr",
        "phone": "0612345678",
        "address": {"line1": "4 place du Marché", "postal_code": "44000", "city": "Nantes"},
    },
    "activity": {"kind": "commercant", "affiliated_since": "2012-03-01"},
    "region": "pays-de-la-loire",
    "aids": [{"aid": "AFE", "amount": "1800.00"}],
    "difficulty_factors": ["loss_of_customers"],
    "own_account": "Perte d'un gros client.",
    "channel": "urssaf_messaging",
    "documents": ["application_form"],
}


def hammer(url: str, headers: dict[str, str], clients: int, seconds: float) -> float:
    """Requests per second answered 2xx by `clients` keep-alive clients during `seconds`."""
    body = BODY
    done = [0] * clients
    stop = time.monotonic() + seconds

    def client(n: int) -> None:
        with httpx2.Client(base_url=url, headers=headers, timeout=30) as http:
            while time.monotonic() < stop:
                response = http.post("/dossiers", json=body)
                assert response.status_code == 201, response.text
                done[n] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.monotonic() - started)


def main(seconds: float, clients: int) -> None:
    schema = f"bench_{uuid4().hex[:8]}"
    names = ("auth_secret", "audit_key", "key_encryption_key")
    secret: dict[str, Any] = {name: secrets.token_urlsafe(32) for name in names}
    settings = Settings(database_url=POSTGRES, database_schema=schema, **secret)
    migrate(settings)
    env = {
        "DATABASE_URL": POSTGRES,
        "DATABASE_SCHEMA": schema,
        "PROJECTIONS_EMBEDDED": "false",
        "DATABASE_POOL_SIZE": str(clients),
    } | {k.upper(): v for k, v in secret.items()}
    bare_dir = Path(os.environ.get("TMPDIR", "/tmp")) / f"bare_{uuid4().hex[:6]}"
    bare_dir.mkdir()
    (bare_dir / "bare_app.py").write_text(BARE)
    token = mint_token(settings, "bench", Role.CASEWORKER, DEFAULT_REGIONS)
    servers = []
    try:
        bare, bare_url = serve("bare_app:app", {}, bare_dir)
        servers.append(bare)
        service, service_url = serve("app.api.main:create_app", env, ROOT, "--factory")
        servers.append(service)
        hammer(bare_url, {}, clients, 1)  # warm up both
        hammer(service_url, {"Authorization": f"Bearer {token}"}, clients, 1)
        base = hammer(bare_url, {}, clients, seconds)
        rate = hammer(service_url, {"Authorization": f"Bearer {token}"}, clients, seconds)
        print(f"PostgreSQL, {clients} clients, {seconds:.0f} s each, one uvicorn worker each")
        print(f"  bare FastAPI POST             {base:>8,.0f} requests/s")
        ratio = rate / base
        print(f"  POST /dossiers (file)         {rate:>8,.0f} requests/s   ({ratio:.2f} x bare)")
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
        with psycopg.connect(POSTGRES, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=8)
    arguments = parser.parse_args()
    main(arguments.seconds, arguments.clients)
