"""Commands and reads over HTTP on PostgreSQL, beside a bare FastAPI app in the same run.

    .venv/bin/python bench/http_throughput.py [--seconds 10] [--connections 8] [--workers 1 2]
        [--repeats 3]

Needs `wrk` (Debian's package) and `pgbench` (PostgreSQL's client). For each number of API
processes asked, starts a bare FastAPI app (uvicorn, answering the same paths without doing
anything) and the service (`action-sociale serve --workers N`, projections apart, on a fresh
PostgreSQL schema), then drives both with the same keep-alive connections, alternating
bare / service, `--repeats` times:

- filing a dossier: `POST /dossiers` (the bare app takes the same body and answers 201);
- a command on an existing dossier: `POST /dossiers/{id}/review` with `If-Match` (each request
  a dossier of its own, filed beforehand in bulk);
- a read: `GET /dossiers/{id}` (the bare app answers a dossier-sized JSON).

Prints requests/s, p50 and p99 latency of each, the ratio to the bare app (medians of the
repeats), the CPU the server's processes spent per request (read from /proc: steadier than
requests/s on a shared machine, and what bounds a process that is busy), and the ceiling
PostgreSQL itself puts on appends: one-row insert transactions at the
same concurrency, with and without the table lock the event store takes (pgbench).
"""

import argparse
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx2
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.api.auth import Role, mint_token  # noqa: E402
from app.services.dossiers import reference_for  # noqa: E402
from app.settings import DEFAULT_REGIONS, Settings  # noqa: E402
from app.store.eventstore import Stream, open_event_store  # noqa: E402
from app.store.migrate import migrate  # noqa: E402
from domain import dossier  # noqa: E402
from domain.values import (  # noqa: E402
    Activity,
    ActivityKind,
    Aid,
    AidRequest,
    Applicant,
    DifficultyFactor,
    DocumentKind,
    IntakeChannel,
    PostalAddress,
)

WRK_THREADS = 2
TICKS = os.sysconf("SC_CLK_TCK")
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
FILING = {
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
REVIEW = {
    "findings": "Perte d'un client représentant 40 % du chiffre d'affaires, attestée.",
    "assessment": {
        "annual_income": "14200.00",
        "monthly_charges": "900.00",
        "contributions_due": "3100.00",
        "contributions_paid": "2200.00",
        "household_size": 2,
    },
    "proposal": [{"aid": "AFE", "amount": "1500.00"}],
    "opinion": "favourable",
    "situation": {
        "self_employment_is_main_activity": True,
        "difficulty_is_one_off": True,
        "has_covid_debt": False,
        "contributions_up_to_date": True,
    },
}
BARE = textwrap.dedent(
    """
    from typing import Any
    from fastapi import FastAPI, Header, status
    app = FastAPI()
    DOSSIER = DOSSIER_JSON

    @app.post("/dossiers", status_code=status.HTTP_201_CREATED)
    def file(body: dict[str, Any]) -> dict[str, Any]:
        return DOSSIER

    @app.post("/dossiers/{dossier_id}/review")
    def review(
        dossier_id: str, body: dict[str, Any], if_match: str = Header(alias="If-Match")
    ) -> dict[str, Any]:
        return DOSSIER

    @app.get("/dossiers/{dossier_id}")
    def read(dossier_id: str) -> dict[str, Any]:
        return DOSSIER
    """
)
LUA_POST = textwrap.dedent(
    """
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/json"
    wrk.body = [[BODY]]
    """
)
LUA_REVIEW = textwrap.dedent(
    """
    local threads = 0
    function setup(thread)
      thread:set("me", threads)
      threads = threads + 1
    end
    local ids = {}
    for line in io.lines("IDS") do ids[#ids + 1] = line end
    local n = 0
    wrk.method = "POST"
    wrk.headers["Content-Type"] = "application/json"
    wrk.headers["If-Match"] = '"1"'
    wrk.body = [[BODY]]
    request = function()
      -- each thread its own dossiers: thread k takes the k-th of every WRK_THREADS
      local i = n * WRK_THREADS + me
      n = n + 1
      return wrk.format(nil, "/dossiers/" .. ids[i % #ids + 1] .. "/review")
    end
    """
)


@dataclass
class Run:
    rate: float
    p50: float  # ms
    p99: float  # ms
    errors: int
    cpu: float  # ms of CPU the server's processes spent per request


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process and every live descendant (uvicorn's workers), in
    seconds so far."""
    children: dict[int, list[int]] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        children.setdefault(int(fields[1]), []).append(int(entry.name))
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / TICKS
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        total += times.get(current, 0.0)
        todo += children.get(current, [])
    return total


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited with {process.returncode}")
        try:
            httpx2.get(url + "/openapi.json", timeout=1)
            return
        except httpx2.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not start")


def milliseconds(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(
    url: str, seconds: float, connections: int, script: Path | None, token: str, server: int
) -> Run:
    command = ["wrk", f"-t{WRK_THREADS}", f"-c{connections}", f"-d{int(seconds)}s", "--latency"]
    command += ["-H", f"Authorization: Bearer {token}"]
    if script:
        command += ["-s", str(script)]
    before = cpu_seconds(server)
    done = subprocess.run([*command, url], capture_output=True, text=True)
    spent = cpu_seconds(server) - before
    if done.returncode:
        raise RuntimeError(f"wrk failed on {url}: {done.stderr or done.stdout}")
    out = done.stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", out, re.MULTILINE))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    return Run(
        rate,
        milliseconds(percentiles["50"]),
        milliseconds(percentiles["99"]),
        int(errors.group(1)) if errors else 0,
        1000 * spent / max(1, requests),
    )


def filed(at: datetime, n: int) -> dossier.FileDossier:
    dossier_id = uuid4()
    return dossier.FileDossier(
        dossier_id=dossier_id,
        reference=reference_for(dossier_id, at),
        at=at,
        actor="bench",
        applicant=Applicant(
            last_name="Banc",
            first_name="Essai",
            birth_date=date(1975, 6, 21),
            siret="73282932000074",
            email=f"essai{n}@example.fr",
            phone="0612345678",
            address=PostalAddress("4 place du Marché", "44000", "Nantes"),
        ),
        activity=Activity(ActivityKind.COMMERCANT, date(2012, 3, 1)),
        region="pays-de-la-loire",
        aids=(AidRequest(Aid.AFE, amount=Decimal("1800.00")),),
        difficulty_factors=(DifficultyFactor.LOSS_OF_CUSTOMERS,),
        own_account="Perte d'un gros client.",
        channel=IntakeChannel.URSSAF_MESSAGING,
        documents=(DocumentKind.APPLICATION_FORM,),
    )


def file_in_bulk(settings: Settings, count: int) -> list[str]:
    """Dossiers filed through the domain and the real store, many per transaction."""
    application = open_event_store(settings)
    ids, at = [], datetime.now(UTC)
    try:
        for start in range(0, count, 250):
            records = []
            for n in range(start, min(count, start + 250)):
                command = filed(at, n)
                stream: Stream[Any] = Stream(command.dossier_id, None, 0)
                records += stream.append(dossier.decide(command, None))
                ids.append(str(command.dossier_id))
            application.save(*records)
    finally:
        application.close()
    return ids


def pgbench(connections: int, seconds: float, locked: bool) -> float:
    """Transactions/s of one-row inserts, with the event store's table lock or without."""
    script = "BEGIN;\n"
    if locked:
        script += "LOCK TABLE bench_ceiling IN EXCLUSIVE MODE;\n"
    script += "INSERT INTO bench_ceiling (payload) VALUES (repeat('x', 1200));\nCOMMIT;\n"
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
        f.write(script)
    with psycopg.connect(POSTGRES, autocommit=True) as connection:
        connection.execute("DROP TABLE IF EXISTS bench_ceiling")
        connection.execute("CREATE TABLE bench_ceiling (id BIGSERIAL PRIMARY KEY, payload TEXT)")
    try:
        url = POSTGRES
        command = ["pgbench", "-n", "-f", f.name, "-c", str(connections), "-j", "2"]
        command += ["-T", str(int(seconds)), url]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        return float(re.search(r"tps = ([\d.]+)", out).group(1))  # type: ignore[union-attr]
    finally:
        os.unlink(f.name)
        with psycopg.connect(POSTGRES, autocommit=True) as connection:
            connection.execute("DROP TABLE IF EXISTS bench_ceiling")


def main(seconds: float, connections: int, workers: list[int], repeats: int) -> None:
    for tool in ("wrk", "pgbench"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is needed (apt-get install wrk, postgresql-client)")
    schema = f"bench_{uuid4().hex[:8]}"
    names = ("auth_secret", "audit_key", "key_encryption_key")
    secret: dict[str, Any] = {name: secrets.token_urlsafe(32) for name in names}
    settings = Settings(database_url=POSTGRES, database_schema=schema, **secret)
    migrate(settings)
    folder = Path(tempfile.mkdtemp(prefix="bench_http_"))
    try:
        per_run = int(seconds * 800) + 500  # more dossiers than the reviews can reach
        reviewable = file_in_bulk(settings, per_run * repeats * len(workers) + 1000)
        token = mint_token(settings, "bench", Role.CASEWORKER, DEFAULT_REGIONS)
        env = {
            "DATABASE_URL": POSTGRES,
            "DATABASE_SCHEMA": schema,
            "PROJECTIONS_EMBEDDED": "false",
            "DATABASE_POOL_SIZE": str(connections),
            "LOG_LEVEL": "WARNING",
            "RATE_LIMIT": "100000000/minute",
        } | {k.upper(): v for k, v in secret.items()}
        results: dict[tuple[int, str, str], list[Run]] = {}
        for count in workers:
            service_port = free_port()
            service = subprocess.Popen(
                [
                    str(Path(sys.executable).parent / "action-sociale"),
                    *("serve", "--port", str(service_port), "--workers", str(count)),
                ],
                env=os.environ | env,
                cwd=folder,
                stdout=subprocess.DEVNULL,
            )
            service_url = f"http://127.0.0.1:{service_port}"
            until_up(service_url, service)
            sample = httpx2.get(
                f"{service_url}/dossiers/{reviewable[-1]}",
                headers={"Authorization": f"Bearer {token}"},
            )
            (folder / "bare_app.py").write_text(BARE.replace("DOSSIER_JSON", repr(sample.json())))
            bare_port = free_port()
            bare = subprocess.Popen(
                [
                    *(sys.executable, "-m", "uvicorn", "bare_app:app", "--port", str(bare_port)),
                    *("--workers", str(count), "--log-level", "warning"),
                ],
                cwd=folder,
            )
            bare_url = f"http://127.0.0.1:{bare_port}"
            try:
                until_up(bare_url, bare)
                for repeat in range(repeats):
                    start = (workers.index(count) * repeats + repeat) * per_run
                    ids = folder / "ids.txt"
                    ids.write_text("\n".join(reviewable[start : start + per_run]) + "\n")
                    post = folder / "post.lua"
                    post.write_text(LUA_POST.replace("BODY", json.dumps(FILING)))
                    review = folder / "review.lua"
                    review.write_text(
                        LUA_REVIEW.replace("IDS", str(ids))
                        .replace("BODY", json.dumps(REVIEW))
                        .replace("WRK_THREADS", str(WRK_THREADS))
                    )
                    read_path = f"/dossiers/{reviewable[-1]}"
                    for kind, path, script in (
                        ("file", "/dossiers", post),
                        ("review", "/", review),
                        ("read", read_path, None),
                    ):
                        for name, url, pid in (
                            ("bare", bare_url, bare.pid),
                            ("service", service_url, service.pid),
                        ):
                            run = wrk(url + path, seconds, connections, script, token, pid)
                            results.setdefault((count, kind, name), []).append(run)
            finally:
                for process in (bare, service):
                    process.terminate()
                    process.wait(timeout=30)
        print(
            f"PostgreSQL, {connections} keep-alive connections (wrk), {seconds:.0f} s a run, "
            f"medians of {repeats} runs alternating bare and service"
        )
        print(
            f"{'API processes':>13} {'operation':<8} {'bare req/s':>11} {'p50':>7} {'p99':>7}"
            f" {'service req/s':>14} {'p50':>7} {'p99':>8} {'ratio':>6} {'errors':>6}"
            f" {'CPU/request bare':>17} {'service':>8} {'ratio':>6}"
        )
        for count in workers:
            for kind in ("file", "review", "read"):
                b, s = results[(count, kind, "bare")], results[(count, kind, "service")]
                rate = statistics.median(r.rate for r in s)
                base = statistics.median(r.rate for r in b)
                print(
                    f"{count:>13} {kind:<8} {base:>11,.0f} "
                    f"{statistics.median(r.p50 for r in b):>6.1f}ms "
                    f"{statistics.median(r.p99 for r in b):>5.1f}ms "
                    f"{rate:>14,.0f} {statistics.median(r.p50 for r in s):>6.1f}ms "
                    f"{statistics.median(r.p99 for r in s):>6.1f}ms {rate / base:>5.2f}x "
                    f"{sum(r.errors for r in s):>6} "
                    f"{(bare_cpu := statistics.median(r.cpu for r in b)):>15.3f}ms "
                    f"{(cpu := statistics.median(r.cpu for r in s)):>6.3f}ms "
                    f"{bare_cpu / cpu:>5.2f}x"
                )
        plain = pgbench(connections, seconds, locked=False)
        locked = pgbench(connections, seconds, locked=True)
        print(
            f"PostgreSQL ceiling, {connections} connections: one-row insert transactions "
            f"{plain:,.0f}/s; with the event store's table lock {locked:,.0f}/s"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        with psycopg.connect(POSTGRES, autocommit=True) as connection:
            connection.execute(f'DROP SCHEMA "{schema}" CASCADE')


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeats", type=int, default=3)
    arguments = parser.parse_args()
    main(arguments.seconds, arguments.connections, arguments.workers, arguments.repeats)
