"""At the size of a national year: 100 000 dossiers in PostgreSQL, read over HTTP.

    .venv/bin/python bench/national_year.py [--dossiers 100000] [--postgres URL]
        [--samples 200] [--jobs 2] [--keep] [--reuse SCHEMA]

Loads the dossiers into a fresh schema in bulk through the real domain (bench/national_load.py:
realistic paths with their CASS sessions, sealed, chained, about ten events a dossier, and one
dossier of 1 000 events), half of them first. Rebuilds every projection (`action-sociale
projections rebuild`, each in a process of its own, its peak RSS read back) at half and at
full size, beside the floor of reading and decoding every event. Then serves the store
(`action-sociale serve`, one worker, projections apart) beside a bare FastAPI app answering the
same bodies, and measures with one sequential keep-alive client: `GET /dossiers` with each
filter and each sort, first page and page 200 (cursors followed), each dashboard, the history
of the 1 000-event dossier and the change feed 10 000 events a request. Prints PostgreSQL's
plan of each list query and whether it reads an index. `--reuse` measures a schema kept by an
earlier `--keep` run (migrated to head first) without loading it again (`--rebuild`: rebuilds
it first, timed).
"""

import argparse
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx2
import psycopg
from http_throughput import free_port, until_up
from national_load import load_year
from projection_catchup import baseline

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.api.auth import Role, mint_token  # noqa: E402
from app.services.projecting import Projections  # noqa: E402
from app.settings import Settings  # noqa: E402
from app.store.database import sql_engine  # noqa: E402
from app.store.eventstore import open_event_store  # noqa: E402
from app.store.migrate import migrate  # noqa: E402
from domain.rulebook import Rulebook  # noqa: E402
from projections import queries  # noqa: E402
from projections.tables import active_generation, metadata  # noqa: E402

POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
NAMES = ("auth_secret", "audit_key", "key_encryption_key")
MIN_SAMPLES, BUDGET = 20, 30.0  # a figure slower than 1.5 s a request stops at 20 samples
DEEP = 200  # the deep page: the 200th, cursors followed from the first
SORTS = ("filed_at", "reference", "requested", "decided_at", "updated")
FILTERS: dict[str, dict[str, str]] = {
    "status": {"status": "awaiting_documents"},
    "region": {"region": "bretagne"},
    "aid": {"aid": "ACED"},
    "outcome": {"outcome": "rejected"},
    "filed": {"filed_from": "2026-03-01", "filed_to": "2026-03-31"},
    "decided": {"decided_from": "2026-05-01", "decided_to": "2026-05-31"},
}
DASHBOARDS = {
    "activity": "/dashboards/activity",
    "activity by region": "/dashboards/activity?by=region",
    "delays": "/dashboards/delays",
    "silence": "/dashboards/silence",
    "envelopes": "/dashboards/envelopes",
    "commission view": "/commission-view",
}
BARE = textwrap.dedent(
    """
    import json
    from typing import Any
    from fastapi import FastAPI
    app = FastAPI()
    with open("bodies.json") as f:
        BODIES = json.load(f)

    @app.get("/bare/{name}")
    def read(name: str) -> Any:
        return BODIES[name]
    """
)


@dataclass
class Timing:
    p50: float  # ms
    p99: float  # ms

    @classmethod
    def of(cls, samples: list[float]) -> "Timing":
        cuts = statistics.quantiles(samples, n=100, method="inclusive")
        return cls(statistics.median(samples) * 1000, cuts[98] * 1000)


def timed(client: httpx2.Client, url: str, samples: int) -> tuple[Timing, Any]:
    """Latencies of `samples` sequential GETs after a few to warm up (fewer if they take more
    than BUDGET seconds, at least MIN_SAMPLES), and the last body."""
    for _ in range(3):
        answer = client.get(url)
        if answer.status_code != 200:
            raise RuntimeError(f"{url}: {answer.status_code} {answer.text[:300]}")
    spent: list[float] = []
    while len(spent) < samples and (len(spent) < MIN_SAMPLES or sum(spent) < BUDGET):
        started = time.perf_counter()
        answer = client.get(url)
        spent.append(time.perf_counter() - started)
        assert answer.status_code == 200, answer.text[:300]
    return Timing.of(spent), answer.json()


def rebuild_all(env: dict[str, str], folder: Path) -> tuple[float, float]:
    """Seconds to rebuild every projection with the CLI (one process reading the store once
    for all of them), and the peak RSS of that process in MiB."""
    cli = str(Path(sys.executable).parent / "action-sociale")
    started = time.perf_counter()
    process = subprocess.Popen(
        [cli, "projections", "rebuild"], env=os.environ | env, cwd=folder, stdout=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise RuntimeError(f"the rebuild exited with {process.returncode}")
    return time.perf_counter() - started, usage.ru_maxrss / 1024  # KiB on Linux


def print_rebuild(events: int, seconds: float, peak: float) -> None:
    print(
        f"rebuild of every projection at {events:,} events: {seconds:.1f} s "
        f"({events / seconds:,.0f} events/s; target < 120 s), peak RSS {peak:.0f} MiB",
        flush=True,
    )


def list_filter(params: dict[str, str]) -> queries.DossierFilter:
    """The filter the API makes of these query parameters (a national caller: every region)."""

    def day(name: str) -> date | None:
        return date.fromisoformat(params[name]) if name in params else None

    def values(name: str) -> tuple[str, ...]:
        return (params[name],) if name in params else ()

    return queries.DossierFilter(
        status=values("status"),
        region=values("region"),
        aid=values("aid"),
        outcome=values("outcome"),
        filed_from=day("filed_from"),
        filed_to=day("filed_to"),
        decided_from=day("decided_from"),
        decided_to=day("decided_to"),
        reference=params.get("reference"),
    )


def explain(settings: Settings, params: dict[str, str], cursor: str | None) -> tuple[bool, str]:
    """Whether PostgreSQL reads the page from an index (no sequential scan of the dossiers),
    and its plan's lines naming a scan, with the execution time."""
    engine = sql_engine(settings)
    try:
        with engine.connect() as connection:
            generation = active_generation(connection, "dossiers")
            column, descending = queries.sort_of(params.get("sort", "filed_at"))
            query = queries.page_query(
                generation,
                list_filter(params),
                sort=column,
                descending=descending,
                cursor=cursor,
            )
            compiled = query.compile(connection, compile_kwargs={"render_postcompile": True})
            plan = [
                row[0]
                for row in connection.exec_driver_sql(
                    f"EXPLAIN (ANALYZE, COSTS OFF) {compiled}", compiled.params
                )
            ]
    finally:
        engine.dispose()
    scans = [line.strip() for line in plan if "Scan" in line or "Execution" in line]
    indexed = any("Index" in s for s in scans) and not any("Seq Scan" in s for s in scans)
    return indexed, " | ".join(scans)


class Bench:
    """The service and the bare app, one sequential client each, measured side by side."""

    def __init__(self, service: str, bare: str, token: str, samples: int, folder: Path) -> None:
        headers = {"Authorization": f"Bearer {token}", "X-Access-Reason": "bench"}
        self.service = httpx2.Client(base_url=service, headers=headers, timeout=120)
        self.bare = httpx2.Client(base_url=bare, timeout=120)
        self.samples = samples
        self.folder = folder
        self.bodies: dict[str, Any] = {}
        self.rows: list[tuple[str, float, Timing, Timing]] = []

    def first(self, name: str, url: str) -> Timing:
        timing, body = timed(self.service, url, self.samples)
        self.bodies[name] = body
        return timing

    def against_bare(
        self, measured: dict[str, tuple[str, float, Timing]], restart: Callable[[], None]
    ) -> None:
        """Serve the bodies the service answered from the bare app, and time it the same way."""
        (self.folder / "bodies.json").write_text(json.dumps(self.bodies))
        restart()
        for name, (_, target, service) in measured.items():
            bare, _ = timed(self.bare, f"/bare/{name}", self.samples)
            self.rows.append((name, target, service, bare))

    def print(self) -> None:
        print(f"{'read':<44} {'target':>7} {'p50':>8} {'p99':>8} {'bare p99':>9} {'ratio':>7}  ok")
        for name, target, service, bare in self.rows:
            ok = "yes" if service.p99 < target else "NO"
            print(
                f"{name:<44} {target:>5.0f}ms {service.p50:>6.1f}ms {service.p99:>6.1f}ms "
                f"{bare.p99:>7.1f}ms {service.p99 / bare.p99:>6.1f}x  {ok}"
            )


def deep_cursor(client: httpx2.Client, params: dict[str, str]) -> tuple[int, str | None]:
    """Follow the cursors from the first page to the DEEP-th (or the last): its number and
    the cursor that asks for it."""
    cursor, page = None, 1
    while page < DEEP:
        body = client.get("/dossiers", params=params | ({"cursor": cursor} if cursor else {}))
        following = body.json()["next_cursor"]
        if following is None:
            break
        cursor, page = following, page + 1
    return page, cursor


def analyze(settings: Settings) -> None:
    """Refresh the planner's statistics of the read tables, as autovacuum does soon after a
    rebuild: the plans measured are those of a settled database, not of its first minute."""
    engine = sql_engine(settings)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql(f"ANALYZE {', '.join(metadata.tables)}")
    finally:
        engine.dispose()


def measure(settings: Settings, env: dict[str, str], heavy: str, samples: int) -> None:
    analyze(settings)
    folder = Path(tempfile.mkdtemp(prefix="bench_national_"))
    service_port, bare_port = free_port(), free_port()
    cli = str(Path(sys.executable).parent / "action-sociale")
    service = subprocess.Popen(
        [cli, "serve", "--port", str(service_port), "--workers", "1"],
        env=os.environ | env,
        cwd=folder,
        stdout=subprocess.DEVNULL,
    )
    bare: list[subprocess.Popen[bytes]] = []

    def restart_bare() -> None:
        for process in bare:
            process.terminate()
            process.wait(timeout=30)
        bare[:] = [
            subprocess.Popen(
                [
                    *(sys.executable, "-m", "uvicorn", "bare_app:app", "--port", str(bare_port)),
                    *("--workers", "1", "--log-level", "warning", "--no-access-log"),
                ],
                cwd=folder,
            )
        ]
        until_up(f"http://127.0.0.1:{bare_port}", bare[0])

    (folder / "bare_app.py").write_text(BARE)
    token = mint_token(settings, "bench-national", Role.AUDITOR)
    try:
        until_up(f"http://127.0.0.1:{service_port}", service)
        bench = Bench(
            f"http://127.0.0.1:{service_port}",
            f"http://127.0.0.1:{bare_port}",
            token,
            samples,
            folder,
        )
        measured: dict[str, tuple[str, float, Timing]] = {}
        plans: list[tuple[str, bool, str]] = []
        reference = bench.service.get(f"/dossiers/{heavy}").json()["reference"]
        lists = {f"sort {s}": {"sort": s} for s in SORTS}
        lists |= {f"sort -{s}": {"sort": f"-{s}"} for s in SORTS}
        lists |= {f"filter {name}": params for name, params in FILTERS.items()}
        lists |= {"filter reference": {"reference": reference[-6:]}}
        for name, params in lists.items():
            query = "&".join(f"{k}={v}" for k, v in params.items())
            timing = bench.first(f"{name}, page 1", f"/dossiers?{query}")
            measured[f"{name}, page 1"] = ("list", 20, timing)
            plans.append((f"{name}, page 1", *explain(settings, params, None)))
            page, cursor = deep_cursor(bench.service, params)
            if cursor is None:
                continue
            deep = f"{name}, page {page}"
            timing = bench.first(deep, f"/dossiers?{query}&cursor={cursor}")
            measured[deep] = ("list", 20, timing)
            plans.append((deep, *explain(settings, params, cursor)))
            print(f"  measured {name}", flush=True)
        for name, path in DASHBOARDS.items():
            measured[f"dashboard {name}"] = (
                "dashboard",
                100,
                bench.first(f"dashboard {name}", path),
            )
        history = bench.first("history of the 1 000-event dossier", f"/dossiers/{heavy}/history")
        measured["history of the 1 000-event dossier"] = ("history", 50, history)
        assert len(bench.bodies["history of the 1 000-event dossier"]["events"]) == 1000
        feed = feed_rate(bench.service, settings)
        bench.against_bare(measured, restart_bare)
        bench.print()
        print(
            f"change feed, limit=10000: {feed[0]:,.0f} events/s (p50 {feed[1]:.0f} ms a request "
            f"of 10 000 events); read + decode floor {feed[2]:,.0f} events/s, "
            f"{feed[0] / feed[2]:.2f}x"
        )
        print("EXPLAIN of each list query (PostgreSQL, ANALYZE):")
        for name, indexed, plan in plans:
            print(f"  {'index' if indexed else 'NO INDEX':<8} {name:<36} {plan}")
    finally:
        for process in (service, *bare):
            process.terminate()
            process.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)


def feed_rate(client: httpx2.Client, settings: Settings) -> tuple[float, float, float]:
    """Events/s of the change feed read 10 000 at a time from the start over the first twenty
    pages, the median milliseconds of a request, and the floor: events/s of reading and
    decoding the same pages in process, as the feed must."""
    after, spent, events = 0, [], 0
    for _ in range(20):
        started = time.perf_counter()
        body = client.get("/changes", params={"after": after, "limit": 10_000}).json()
        spent.append(time.perf_counter() - started)
        events += len(body["changes"])
        after = body["next_after"]
    application = open_event_store(settings)
    projections = Projections(application, sql_engine(settings), Rulebook())
    started, position = time.perf_counter(), 0
    while position < after:
        position = projections.changes_after(position, 10_000)[-1].position
    floor = events / (time.perf_counter() - started)
    projections.engine.dispose()
    application.close()
    return events / sum(spent), statistics.median(spent) * 1000, floor


def main(arguments: argparse.Namespace) -> None:
    schema = arguments.reuse or f"bench_national_{uuid4().hex[:8]}"
    secret: dict[str, Any] = {name: secrets.token_urlsafe(32) for name in NAMES}
    if arguments.reuse:
        secret = json.loads((Path(tempfile.gettempdir()) / f"{schema}.json").read_text())
    url = arguments.postgres
    settings = Settings(database_url=url, database_schema=schema, **secret)
    env = {
        "DATABASE_URL": url,
        "DATABASE_SCHEMA": schema,
        "PROJECTIONS_EMBEDDED": "false",
        "LOG_LEVEL": "WARNING",
        "RATE_LIMIT": "100000000/minute",
    } | {k.upper(): v for k, v in secret.items()}
    migrate(settings)
    folder = Path(tempfile.mkdtemp(prefix="bench_national_rebuild_"))
    drop = not (arguments.keep or arguments.reuse)
    try:
        if arguments.reuse:
            heavy_id = secret.pop("heavy")
            settings = Settings(database_url=url, database_schema=schema, **secret)
            application = open_event_store(settings)
            projections = Projections(application, sql_engine(settings), Rulebook())
            projections.catch_up_all()  # what a run cut short had not projected yet
            events = projections.head()
            projections.engine.dispose()
            application.close()
            if arguments.rebuild:
                print_rebuild(events, *rebuild_all(env, folder))
        else:
            (Path(tempfile.gettempdir()) / f"{schema}.json").write_text(json.dumps(secret))
            count, jobs = arguments.dossiers, arguments.jobs
            half = load_year(settings, 0, count // 2, tag="A", heavy=True, jobs=jobs)
            print_rebuild(half.events, *rebuild_all(env, folder))
            rest = load_year(
                settings, count // 2, count - count // 2, tag="B", heavy=False, jobs=jobs
            )
            events, took = half.events + rest.events, half.seconds + rest.seconds
            print(
                f"load: {half.dossiers + rest.dossiers:,} dossiers, {events:,} events in "
                f"{took:.0f} s ({events / took:,.0f} events/s, {jobs} processes)",
                flush=True,
            )
            print_rebuild(events, *rebuild_all(env, folder))
            heavy_id = str(half.heavy)
            keep = secret | {"heavy": heavy_id}
            (Path(tempfile.gettempdir()) / f"{schema}.json").write_text(json.dumps(keep))
            application = open_event_store(settings)
            projections = Projections(application, sql_engine(settings), Rulebook())
            floor = baseline(projections, projections.head())
            print(
                f"read + decode floor: {floor:,.0f} events/s, {events / floor:.0f} s for every "
                "event: the least a rebuild reading them once can take",
                flush=True,
            )
            projections.engine.dispose()
            application.close()
        measure(settings, env, heavy_id, arguments.samples)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if drop:
            (Path(tempfile.gettempdir()) / f"{schema}.json").unlink(missing_ok=True)  # its secrets
            with psycopg.connect(url, autocommit=True) as connection:
                connection.execute(f'DROP SCHEMA "{schema}" CASCADE')
        elif not arguments.reuse:
            print(f"kept schema {schema}: --reuse {schema} measures it again")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dossiers", type=int, default=100_000)
    parser.add_argument("--postgres", default=POSTGRES, help="PostgreSQL URL")
    parser.add_argument("--samples", type=int, default=200, help="requests per figure")
    parser.add_argument("--jobs", type=int, default=2, help="processes loading months")
    parser.add_argument("--keep", action="store_true", help="keep the schema")
    parser.add_argument("--reuse", metavar="SCHEMA", help="measure a kept schema again")
    parser.add_argument("--rebuild", action="store_true", help="with --reuse: rebuild it first")
    main(parser.parse_args())
