"""What an idle API process costs, and how soon a command reaches the projections, beside a bare
FastAPI app idle in the same run.

    .venv/bin/python bench/idle.py [--store sqlite|postgres|both] [--seconds 5] [--repeats 3]
        [--filings 30]

For each store, starts the service (`action-sociale serve`, one process, the projections
embedded as by default) on a fresh store with no data (a temporary SQLite file; a temporary
PostgreSQL schema at BENCH_POSTGRES_URL, by default the test database) and a bare uvicorn app,
then, alternating bare / service `--repeats` times, leaves each idle and reads the CPU time its
processes used over `--seconds` (utime + stime in /proc/PID/stat): percent of one core. Then
files `--filings` dossiers one at a time, each after a pause (0.3 to 1.5 s) that lets the runner
fall asleep, and times from the command's answer until every projection's position in the
database shows its event (polled every millisecond): p50 and p99, beside the filing's own
answer time.
"""

import argparse
import json
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx2
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from http_throughput import BARE, FILING, POSTGRES, cpu_seconds, free_port, until_up

from app.api.auth import Role, mint_token
from app.settings import DEFAULT_REGIONS, Settings
from app.store.database import sql_engine
from projections.tables import active_generation, position_of

PROJECTIONS = ("dossiers", "commission", "envelopes")


@contextmanager
def fresh_store(store: str, folder: Path) -> Iterator[Settings]:
    """The settings of an empty store (`serve` migrates it), dropped afterwards."""
    names = ("auth_secret", "audit_key", "key_encryption_key")
    secret: dict[str, Any] = {name: secrets.token_urlsafe(32) for name in names}
    if store == "sqlite":
        yield Settings(database_url=f"sqlite:///{folder}/events.sqlite3", **secret)
        return
    schema = f"bench_{uuid4().hex[:8]}"
    try:
        yield Settings(database_url=POSTGRES, database_schema=schema, **secret)
    finally:
        with psycopg.connect(POSTGRES, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def service_env(settings: Settings, **more: str) -> dict[str, str]:
    """The environment `serve` reads, for these settings."""
    return {
        "DATABASE_URL": settings.database_url,
        "DATABASE_SCHEMA": settings.database_schema,
        "AUTH_SECRET": settings.auth_secret or "",
        "AUDIT_KEY": settings.audit_key or "",
        "KEY_ENCRYPTION_KEY": settings.key_encryption_key or "",
        "LOG_LEVEL": "WARNING",
        "RATE_LIMIT": "100000000/minute",
    } | more


Server = tuple[str, subprocess.Popen[bytes]]  # its URL and process


@contextmanager
def listening(command: list[str], folder: Path, env: dict[str, str]) -> Iterator[Server]:
    """A server started with `--port` on a free port, answering, until the block ends: its URL
    and process."""
    port = free_port()
    process = subprocess.Popen(
        [*command, "--port", str(port)],
        env=os.environ | env,
        cwd=folder,
        stdout=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        until_up(url, process)
        yield url, process
    finally:
        process.terminate()
        process.wait(timeout=30)


def served(folder: Path, env: dict[str, str]) -> AbstractContextManager[Server]:
    """`action-sociale serve`, one process."""
    return listening([str(Path(sys.executable).parent / "action-sociale"), "serve"], folder, env)


def bare_app(folder: Path) -> AbstractContextManager[Server]:
    """The bare FastAPI app of bench/http_throughput.py under uvicorn."""
    (folder / "bare_app.py").write_text(BARE.replace("DOSSIER_JSON", "{}"))
    command = [sys.executable, "-m", "uvicorn", "bare_app:app", "--log-level", "warning"]
    return listening(command, folder, {})


def idle_cpu(pid: int, seconds: float) -> float:
    """Percent of one core the process tree used over `seconds` with no request."""
    before = cpu_seconds(pid)
    time.sleep(seconds)
    return 100 * (cpu_seconds(pid) - before) / seconds


def positions(engine: Any) -> int:
    """The lowest position of the projections readers use."""
    with engine.connect() as connection:
        return min(position_of(c := connection, n, active_generation(c, n)) for n in PROJECTIONS)


def wake_latencies(url: str, settings: Settings, filings: int) -> tuple[list[float], list[float]]:
    """Milliseconds from each filing's answer until the projections show it, and each filing's
    own answer time."""
    token = mint_token(settings, "bench", Role.CASEWORKER, DEFAULT_REGIONS)
    engine = sql_engine(settings)
    rng = random.Random(7)
    applied, answered = [], []
    try:
        with httpx2.Client(headers={"Authorization": f"Bearer {token}"}) as client:
            for _ in range(filings):
                time.sleep(rng.uniform(0.3, 1.5))  # the runner falls asleep meanwhile
                sent = time.perf_counter()
                response = client.post(
                    f"{url}/dossiers",
                    content=json.dumps(FILING),
                    headers={"Content-Type": "application/json"},
                )
                answer = time.perf_counter()
                response.raise_for_status()
                position = int(response.headers["X-Event-Position"])
                deadline = answer + 30
                while positions(engine) < position:
                    if time.perf_counter() > deadline:
                        raise RuntimeError(f"position {position} not applied in 30 s")
                    time.sleep(0.001)
                applied.append(1000 * (time.perf_counter() - answer))
                answered.append(1000 * (answer - sent))
    finally:
        engine.dispose()
    return applied, answered


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def run(store: str, seconds: float, repeats: int, filings: int) -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench_idle_"))
    try:
        with (
            fresh_store(store, folder) as settings,
            served(folder, service_env(settings)) as (url, service),
            bare_app(folder) as (_, bare),
        ):
            time.sleep(2)  # start-up done, the runner caught up and asleep
            bare_cpu, service_cpu = [], []
            for _ in range(repeats):
                bare_cpu.append(idle_cpu(bare.pid, seconds))
                service_cpu.append(idle_cpu(service.pid, seconds))
            base, idle = statistics.median(bare_cpu), statistics.median(service_cpu)
            print(
                f"{store:<10} idle CPU over {seconds:.0f} s (median of {repeats}, alternating): "
                f"bare uvicorn {base:.2f} % of a core, service {idle:.2f} % "
                f"({f'{idle / base:.1f}x' if base else 'the bare app used no tick'}); "
                f"each run: bare {', '.join(f'{c:.2f}' for c in bare_cpu)}; "
                f"service {', '.join(f'{c:.2f}' for c in service_cpu)}"
            )
            applied, answered = wake_latencies(url, settings, filings)
            a50, a99 = percentile(applied, 50), percentile(applied, 99)
            f50, f99 = percentile(answered, 50), percentile(answered, 99)
            print(
                f"{store:<10} {filings} filings, each after 0.3-1.5 s idle: answered in "
                f"p50 {f50:.1f} ms, p99 {f99:.1f} ms; then applied by every projection in "
                f"p50 {a50:.1f} ms ({a50 / f50:.2f}x), p99 {a99:.1f} ms ({a99 / f99:.2f}x), "
                f"max {max(applied):.1f} ms"
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--filings", type=int, default=30)
    arguments = parser.parse_args()
    for store in ("sqlite", "postgres") if arguments.store == "both" else (arguments.store,):
        run(store, arguments.seconds, arguments.repeats, arguments.filings)
