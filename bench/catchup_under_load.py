"""How far the embedded projections trail the store while commands arrive at the service's own
rate, beside the commands' own answer times in the same run.

    .venv/bin/python bench/catchup_under_load.py [--seconds 20] [--connections 8] [--repeats 2]

Needs `wrk`. Starts the service (`action-sociale serve`, one process, the projections embedded as
by default) on a fresh PostgreSQL schema (BENCH_POSTGRES_URL, by default the test database) and
files dossiers through `POST /dossiers` from `--connections` keep-alive connections for
`--seconds`, as fast as it answers, `--repeats` times. Meanwhile the lag of the projections is
sampled every 50 ms from the database: events the slowest projection has not applied yet, and
the age of the oldest of them (`Projections.status`, what /metrics and /health/ready report).
Prints the lag's p50, p99 and max beside the filings' p50 and p99 answer times (their ratio).
"""

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import threading
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from http_throughput import FILING, LUA_POST, wrk
from idle import fresh_store, percentile, served, service_env

from app.api.auth import Role, mint_token
from app.services.projecting import Projections
from app.services.reference import load_rulebook
from app.settings import DEFAULT_REGIONS, Settings
from app.store.database import sql_engine
from app.store.eventstore import open_event_store

SAMPLE_EVERY = 0.05


def sample_lag(settings: Settings, done: threading.Event) -> list[tuple[int, float]]:
    """(events, seconds) the slowest projection trails the store by, until `done`."""
    engine = sql_engine(settings)
    application = open_event_store(settings, engine)
    projections = Projections(application, engine, load_rulebook(settings.rulebook_file))
    samples = []
    try:
        while not done.wait(SAMPLE_EVERY):
            statuses, now = projections.status(), datetime.now(UTC)
            samples.append(
                (max(s.lag for s in statuses), max(s.lag_seconds(now) for s in statuses))
            )
    finally:
        application.close()
        engine.dispose()
    return samples


def sampled(settings: Settings, done: threading.Event, into: list[tuple[int, float]]) -> None:
    into.extend(sample_lag(settings, done))


def main(seconds: float, connections: int, repeats: int) -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed (apt-get install wrk)")
    folder = Path(tempfile.mkdtemp(prefix="bench_lag_"))
    try:
        with (
            fresh_store("postgres", folder) as settings,
            served(folder, service_env(settings, DATABASE_POOL_SIZE=str(connections))) as (
                url,
                service,
            ),
        ):
            token = mint_token(settings, "bench", Role.CASEWORKER, DEFAULT_REGIONS)
            post = folder / "post.lua"
            post.write_text(LUA_POST.replace("BODY", json.dumps(FILING)))
            for repeat in range(repeats):
                done = threading.Event()
                samples: list[tuple[int, float]] = []
                sampler = threading.Thread(target=sampled, args=(settings, done, samples))
                sampler.start()
                try:
                    run = wrk(f"{url}/dossiers", seconds, connections, post, token, service.pid)
                finally:
                    done.set()
                    sampler.join()
                events = [float(e) for e, _ in samples]
                lag = [1000 * s for _, s in samples]
                p50, p99 = percentile(lag, 50), percentile(lag, 99)
                print(
                    f"run {repeat + 1}: {run.rate:,.0f} filings/s from {connections} connections "
                    f"for {seconds:.0f} s ({run.errors} errors), answered in p50 {run.p50:.1f} ms, "
                    f"p99 {run.p99:.1f} ms; lag of the slowest projection over "
                    f"{len(samples)} samples: p50 {p50:.0f} ms ({p50 / run.p50:.1f}x the "
                    f"answer's p50), p99 {p99:.0f} ms ({p99 / run.p99:.1f}x the answer's p99), "
                    f"max {max(lag):.0f} ms; in events p50 {percentile(events, 50):.0f}, "
                    f"p99 {percentile(events, 99):.0f}, max {max(events):.0f}, "
                    f"mean {statistics.fmean(events):.1f}"
                )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=2)
    arguments = parser.parse_args()
    main(arguments.seconds, arguments.connections, arguments.repeats)
