"""Projection catch-up on 100 000 events, beside the bare rate of reading and decoding them.

    .venv/bin/python bench/projection_catchup.py [--events 100000] [--store sqlite|postgres|both]

Fills a fresh store with realistic dossier paths (every event decided by the domain), then, in
the same run: reads and decodes every notification (the baseline), catches each projection up
from zero, and rebuilds the dossier projection while tracing its peak memory, at half and at
all the events (memory must not grow with the number of events replayed).
"""

import argparse
import os
import random
import secrets
import sys
import time
import tracemalloc
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from tempfile import mkdtemp
from typing import Any
from uuid import UUID, uuid4

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.services.projecting import Projections
from app.settings import Settings
from app.store.database import sql_engine
from app.store.eventstore import EventStoreApplication, Recorded, open_event_store
from app.store.migrate import migrate
from domain import dossier
from domain.rulebook import Rulebook
from domain.values import (
    Activity,
    ActivityKind,
    Aid,
    AidAmount,
    AidRequest,
    Applicant,
    Assessment,
    ContributionPeriod,
    DifficultyFactor,
    DocumentKind,
    IntakeChannel,
    Opinion,
    PostalAddress,
    Situation,
)

SECRETS: dict[str, Any] = {
    name: secrets.token_urlsafe(32) for name in ("auth_secret", "audit_key", "key_encryption_key")
}
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REGIONS = ("bretagne", "grand-est", "occitanie", "ile-de-france", "normandie", "corse")


def filing(
    n: int, dossier_id: UUID, at: datetime, rng: random.Random, regions: Sequence[str] = REGIONS
) -> tuple[dossier.FileDossier, ContributionPeriod]:
    """The n-th bench dossier's filing (an ACED over one quarter), and the quarter it asks for."""
    amount = Decimal(rng.randrange(30_000, 400_000)) / 100
    period = ContributionPeriod(date(2026, 1, 1), date(2026, 3, 31), amount)
    command = dossier.FileDossier(
        dossier_id=dossier_id,
        reference=f"AS-BENCH-{n:07d}",
        at=at,
        actor="bench",
        applicant=Applicant(
            "Bench",
            "Worker",
            date(1980, 1, 1),
            "73282932000074",
            "b@example.fr",
            "0612345678",
            PostalAddress("1 rue du Banc", "35000", "Rennes"),
        ),
        activity=Activity(ActivityKind.ARTISAN, date(2010, 1, 1)),
        region=rng.choice(regions),
        aids=(AidRequest(Aid.ACED, periods=(period,)),),
        difficulty_factors=(DifficultyFactor.ROADWORKS,),
        own_account="Travaux de voirie devant l'atelier.",
        channel=IntakeChannel.URSSAF_MESSAGING,
        documents=(DocumentKind.APPLICATION_FORM,),
    )
    return command, period


def review(dossier_id: UUID, at: datetime, period: ContributionPeriod) -> dossier.ReviewDossier:
    """A favourable review proposing the quarter asked for."""
    amount = period.amount
    return dossier.ReviewDossier(
        dossier_id,
        at,
        "bench",
        "Difficulté ponctuelle.",
        Assessment(Decimal("18000"), Decimal("900"), amount, Decimal("9000")),
        (AidAmount(Aid.ACED, amount, (period,)),),
        Opinion.FAVOURABLE,
        Situation(True, True, False),
        Rulebook(),
    )


def decided(dossier_id: UUID, commands: Sequence[dossier.Command]) -> list[Recorded]:
    """The events the domain decides for these commands, one after the other, as recorded."""
    state, events = None, []
    for command in commands:
        new = dossier.decide(command, state)
        state = dossier.fold(new, state)
        events += new
    return [Recorded(dossier_id, v, e) for v, e in enumerate(events, start=1)]


def dossier_events(n: int, start: datetime) -> list[Any]:
    """A dossier taken along its path by the domain: 1 to 4 events."""
    rng = random.Random(n)
    dossier_id = uuid4()
    at = start + timedelta(minutes=n)
    filed, period = filing(n, dossier_id, at, rng)
    commands: list[dossier.Command] = [filed]
    steps = rng.randrange(0, 3)
    if steps >= 1:
        commands.append(review(dossier_id, at + timedelta(days=7), period))
    if steps >= 2:
        commands.append(
            dossier.AnonymiseDossier(
                dossier_id, at + timedelta(days=8), "bench", "Difficulté ponctuelle.", "ANO-BENCH"
            )
        )
    if rng.random() < 0.5:
        commands.append(
            dossier.WithdrawDossier(dossier_id, at + timedelta(days=9), "bench", "Retrait")
        )
    return decided(dossier_id, commands)


def fill(application: EventStoreApplication, events: int) -> int:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    pending: list[Recorded] = []
    written, n = 0, 0
    while written < events:
        records = dossier_events(n, start)[: events - written]
        pending += records
        written += len(records)
        n += 1
        if len(pending) >= 500:
            application.save(*pending)
            pending = []
    if pending:
        application.save(*pending)
    return written


def baseline(projections: Projections, total: int) -> float:
    """Events/s of reading and decoding every notification, as the projections must."""
    started, position = time.perf_counter(), 0
    while changes := projections.changes_after(position, 1000):
        position = changes[-1].position
    assert position == total
    return total / (time.perf_counter() - started)


def catch_up(projections: Projections, name: str, total: int) -> float:
    started = time.perf_counter()
    projections.catch_up(name)
    return total / (time.perf_counter() - started)


def rebuild_peak(projections: Projections) -> float:
    tracemalloc.start()
    projections.rebuild("dossiers")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def run(store: str, events: int) -> None:
    if store == "sqlite":
        settings = Settings(database_url=f"sqlite:///{mkdtemp()}/bench.sqlite3", **SECRETS)
        cleanup = None
    else:
        schema = f"bench_{uuid4().hex[:8]}"
        settings = Settings(database_url=POSTGRES, database_schema=schema, **SECRETS)
        cleanup = schema
    migrate(settings)
    application = open_event_store(settings)
    try:
        half = fill(application, events // 2)
        projections = Projections(application, sql_engine(settings), Rulebook())
        peak_half = rebuild_peak(projections)
        total = half + fill(application, events - half)
        print(f"\n{store}: {total} events")
        base = baseline(projections, total)
        print(f"  read + decode (baseline)  {base:>10,.0f} events/s")
        for name in projections.projectors:
            rate = catch_up(projections, name, total)
            ratio = rate / base
            print(f"  catch-up {name:<12}  {rate:>10,.0f} events/s   ({ratio:.2f} x baseline)")
        peak_all = rebuild_peak(projections)
        print(
            f"  rebuild dossiers, peak memory  {peak_half:>6.1f} MiB at {half} events,"
            f" {peak_all:.1f} MiB at {total}"
        )
        projections.engine.dispose()
    finally:
        application.close()
        if cleanup:
            with psycopg.connect(POSTGRES, autocommit=True) as connection:
                connection.execute(f'DROP SCHEMA "{cleanup}" CASCADE')


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--store", choices=["sqlite", "postgres", "both"], default="both")
    arguments = parser.parse_args()
    for store in ("sqlite", "postgres") if arguments.store == "both" else (arguments.store,):
        run(store, arguments.events)
