"""Where a read's CPU goes: `GET /dossiers/{id}` cut at each stage, over HTTP, on PostgreSQL.

    .venv/bin/python bench/read_stages.py [--seconds 6] [--connections 8] [--repeats 3]

Serves the service with extra routes that stop after each stage of a read — the service's
middleware and nothing else, then the caller's token and role checked, then the dossier read
(its events, its key, decoded and opened, its region checked), then the access-log entry
written, then the answer shaped — beside the real route and a bare FastAPI app answering the
same JSON, all driven by wrk with the same keep-alive connections, alternating, `--repeats`
times. Prints the CPU the server spent per request at each stage (from /proc, steadier than
requests/s on a shared machine) and what each stage adds to the one above it: a process that
is busy serves at most 1 / (CPU per request) requests a second.
"""

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import textwrap
from contextlib import ExitStack
from pathlib import Path

import httpx2

sys.path.insert(0, str(Path(__file__).resolve().parent))

from http_throughput import BARE, file_in_bulk, wrk
from idle import fresh_store, listening, service_env

from app.api.auth import Role, mint_token
from app.settings import DEFAULT_REGIONS
from app.store.migrate import migrate

STAGED = textwrap.dedent(
    """
    import functools
    import json
    from pathlib import Path
    from typing import Any
    from uuid import UUID
    from fastapi import APIRouter
    from app.api.auth import Caller, Role, allowed
    from app.api.deps import LoggedDossier, OpenedDossier, Service
    from app.api.main import served_app
    from app.api.schemas import DossierOut


    @functools.cache
    def sample() -> dict[str, Any]:
        # the dossier's own answer, written beside this file before any stage is asked
        return json.loads((Path(__file__).parent / "sample.json").read_text())


    def app():
        staged = served_app()
        router = APIRouter()

        @router.get("/stage/middleware/{dossier_id}")
        def middleware(dossier_id: str) -> dict[str, Any]:
            return sample()

        @router.get("/stage/caller/{dossier_id}", **allowed(Role.CASEWORKER))
        def caller(dossier_id: UUID, caller: Caller) -> dict[str, Any]:
            return sample()

        @router.get("/stage/read/{dossier_id}", **allowed(Role.CASEWORKER))
        async def read(opened: OpenedDossier) -> dict[str, Any]:
            return sample()

        @router.get("/stage/logged/{dossier_id}", **allowed(Role.CASEWORKER))
        async def logged(opened: LoggedDossier) -> dict[str, Any]:
            return sample()

        @router.get("/stage/shaped/{dossier_id}", **allowed(Role.CASEWORKER))
        async def shaped(opened: LoggedDossier, service: Service) -> DossierOut:
            snapshot = service.load(opened.id, records=opened.records)
            return DossierOut.of(snapshot, service.rulebook)

        staged.include_router(router)
        return staged
    """
)
HTTP = ("--http", "app.api.http_protocol:BoundedHttpToolsProtocol")  # as `serve` runs it
STAGES = (
    ("the service's middleware, a plain route", "/stage/middleware"),
    ("+ token and role checked", "/stage/caller"),
    ("+ dossier read, opened, region checked", "/stage/read"),
    ("+ access-log entry written", "/stage/logged"),
    ("+ answer shaped (the whole read)", "/stage/shaped"),
    ("GET /dossiers/{id} itself", "/dossiers"),
)


def main(seconds: float, connections: int, repeats: int) -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed (apt-get install wrk)")
    folder = Path(tempfile.mkdtemp(prefix="bench_stages_"))
    uvicorn = str(Path(sys.executable).parent / "uvicorn")
    quiet = ("--log-level", "warning", "--no-access-log", "--no-proxy-headers")
    try:
        with fresh_store("postgres", folder) as settings, ExitStack() as servers:
            migrate(settings)
            dossier_id = file_in_bulk(settings, 1)[0]
            token = mint_token(settings, "bench", Role.CASEWORKER, DEFAULT_REGIONS)
            env = service_env(
                settings,
                PROJECTIONS_EMBEDDED="false",
                DATABASE_POOL_SIZE=str(connections),
                PYTHONPATH=str(folder),
            )
            (folder / "staged_app.py").write_text(STAGED)
            command = [uvicorn, "staged_app:app", "--factory", *quiet, *HTTP]
            service_url, service = servers.enter_context(listening(command, folder, env))
            sample = httpx2.get(
                f"{service_url}/dossiers/{dossier_id}",
                headers={"Authorization": f"Bearer {token}"},
            ).json()
            (folder / "sample.json").write_text(json.dumps(sample))
            (folder / "bare_app.py").write_text(BARE.replace("DOSSIER_JSON", repr(sample)))
            bare_command = [uvicorn, "bare_app:app", *quiet]
            bare_url, bare = servers.enter_context(listening(bare_command, folder, {}))
            cpu: dict[str, list[float]] = {}
            rate: dict[str, list[float]] = {}
            for _ in range(repeats):
                runs = [("bare FastAPI GET", bare_url + "/dossiers", bare.pid)]
                runs += [(label, service_url + path, service.pid) for label, path in STAGES]
                for label, url, pid in runs:
                    run = wrk(f"{url}/{dossier_id}", seconds, connections, None, token, pid)
                    if run.errors:
                        raise RuntimeError(f"{label}: {run.errors} answers were not 2xx")
                    cpu.setdefault(label, []).append(run.cpu)
                    rate.setdefault(label, []).append(run.rate)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(
        f"PostgreSQL, one process each, {connections} keep-alive connections (wrk), "
        f"{seconds:.0f} s a run, medians of {repeats} runs"
    )
    print(f"{'stage':<42} {'req/s':>7} {'CPU/request':>12} {'added':>8} {'vs bare':>8}")
    bare_cpu = statistics.median(cpu["bare FastAPI GET"])
    previous: float | None = None
    for label in cpu:
        spent = statistics.median(cpu[label])
        added = f"{spent - previous:+.3f}" if previous is not None else ""
        print(
            f"{label:<42} {statistics.median(rate[label]):>7,.0f} {spent:>10.3f}ms "
            f"{added:>8} {bare_cpu / spent:>7.2f}x"
        )
        previous = spent  # the last row against the shaped stage: both are the whole read


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=6)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=3)
    arguments = parser.parse_args()
    main(arguments.seconds, arguments.connections, arguments.repeats)
