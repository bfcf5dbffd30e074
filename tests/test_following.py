"""The projection runner follows the store: an append anywhere reaches the projections, woken by
the store rather than by polling; each projection's lock stays with one runner while it runs and
passes to another once it stops; a lost connection is followed anew; stopping ends any sleep.

Nothing here times how fast: the runners are told to look at the store once an hour on their
own, so that what reaches the projections within the generous deadlines was woken for."""

import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import uuid4

import psycopg
import pytest
from conftest import POSTGRES_URL
from sqlalchemy import Connection

from app.demo.data import load_demo_data
from app.services.projecting import Projections, Runner
from app.settings import Settings
from app.store.database import sql_engine
from app.store.eventstore import EventStoreApplication, Stream, open_event_store
from domain import dossier
from domain.rulebook import Rulebook
from domain.values import (
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
from projections.base import Change

HOUR = 3600.0  # how long a runner here sleeps unless woken
DEADLINE = 30.0


def file_a_dossier(application: EventStoreApplication) -> int:
    """A new dossier filed through the domain and the store: the store position of its event."""
    dossier_id = uuid4()
    command = dossier.FileDossier(
        dossier_id=dossier_id,
        reference=f"AS-TEST-{dossier_id.hex[:8].upper()}",
        at=datetime.now(UTC),
        actor="test",
        applicant=Applicant(
            "Suivi",
            "Essai",
            date(1975, 6, 21),
            "73282932000074",
            "essai.suivi@example.fr",
            "0612345678",
            PostalAddress("4 place du Marché", "44000", "Nantes"),
        ),
        activity=Activity(ActivityKind.COMMERCANT, date(2012, 3, 1)),
        region="pays-de-la-loire",
        aids=(AidRequest(Aid.AFE, amount=Decimal("1800.00")),),
        difficulty_factors=(DifficultyFactor.LOSS_OF_CUSTOMERS,),
        own_account="Perte d'un gros client.",
        channel=IntakeChannel.URSSAF_MESSAGING,
        documents=(DocumentKind.APPLICATION_FORM,),
    )
    stream: Stream[Any] = Stream(dossier_id, None, 0)
    recordings = application.save(*stream.append(dossier.decide(command, None)))
    return int(recordings[-1].notification.id)


class Counted:
    """A projector that counts the batches it applies."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.name, self.batches = inner, inner.name, 0

    def apply(self, connection: Connection, generation: str, changes: Sequence[Change]) -> None:
        self.batches += 1
        self.inner.apply(connection, generation, changes)


def projections_of(settings: Settings, application: EventStoreApplication) -> Projections:
    projections = Projections(application, sql_engine(settings), Rulebook())
    projections.projectors = {n: Counted(p) for n, p in projections.projectors.items()}
    return projections


def batches(projections: Projections) -> int:
    return sum(p.batches for p in projections.projectors.values())  # type: ignore[attr-defined]


def until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        assert time.monotonic() < deadline, f"not within {DEADLINE} s: {what}"
        time.sleep(0.02)


def applied(projections: Projections, position: int) -> Callable[[], bool]:
    return lambda: all(projections.position(name) >= position for name in projections.projectors)


@pytest.fixture
def stores(fresh_settings: Settings) -> Iterator[tuple[EventStoreApplication, ...]]:
    """Two applications on one store holding the demo's events, as two processes would have."""
    one, two = open_event_store(fresh_settings), open_event_store(fresh_settings)
    load_demo_data(one)
    yield one, two
    one.close()
    two.close()


@pytest.fixture
def started(fresh_settings: Settings) -> Iterator[Callable[..., Runner]]:
    """Runners of the fresh store started in their threads, each returned once it has applied
    the demo's events; stopped at the end whatever happens."""
    runners: list[Runner] = []

    def start(application: EventStoreApplication, **options: Any) -> Runner:
        runner = Runner(projections_of(fresh_settings, application), **options)
        runners.append(runner)
        runner.start()
        until(applied(runner.projections, runner.projections.head()), "the demo's events applied")
        return runner

    yield start
    for runner in runners:
        runner.stop()
        runner.projections.engine.dispose()


def each_append_reaches(runner: Runner, writer: EventStoreApplication, what: str) -> None:
    for _ in range(3):
        position = file_a_dossier(writer)
        until(applied(runner.projections, position), f"position {position} applied {what}")


def test_an_append_of_this_process_wakes_its_runner(
    stores: tuple[EventStoreApplication, ...], started: Callable[..., Runner]
) -> None:
    one, _ = stores
    each_append_reaches(started(one, idle=HOUR, longest_pause=HOUR), one, "by its own writer")


def test_an_append_of_another_process_reaches_the_projections(
    fresh_settings: Settings,
    stores: tuple[EventStoreApplication, ...],
    started: Callable[..., Runner],
) -> None:
    one, elsewhere = stores
    # PostgreSQL notifies the runner; on SQLite it looks again every second at most
    pause = HOUR if fresh_settings.is_postgres else None
    runner = started(one, idle=pause or 0.05, longest_pause=pause)
    each_append_reaches(runner, elsewhere, "by another writer")


def test_a_second_runner_applies_nothing_while_the_first_runs_then_takes_over(
    stores: tuple[EventStoreApplication, ...], started: Callable[..., Runner]
) -> None:
    one, two = stores
    first = started(one)
    second = started(two)  # at once: the first has applied the demo's events
    for _ in range(4):  # the second runner tries the locks every second meanwhile
        position = file_a_dossier(two)
        until(applied(first.projections, position), f"position {position} applied")
        time.sleep(0.5)
    assert batches(second.projections) == 0
    ran = batches(first.projections)
    first.stop()
    assert not first.thread.is_alive()
    position = file_a_dossier(one)
    until(applied(second.projections, position), "the second runner took over")
    assert batches(second.projections) >= len(second.projections.projectors)
    assert batches(first.projections) == ran


def lock_holders(settings: Settings) -> set[int]:
    """The PostgreSQL sessions that hold a lock of this schema's projections."""
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        rows = connection.execute(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND "
            "((classid::bigint << 32) | objid::bigint) IN "
            "(SELECT hashtextextended(%s || '.projection:' || name, 0) "
            "FROM unnest(%s::text[]) AS name)",
            (settings.database_schema, ["dossiers", "commission", "envelopes"]),
        ).fetchall()
    return {pid for (pid,) in rows}


@pytest.mark.parametrize("fresh_settings", ["postgres"], indirect=True)
def test_a_runner_follows_anew_once_its_connection_is_killed(
    fresh_settings: Settings,
    stores: tuple[EventStoreApplication, ...],
    started: Callable[..., Runner],
) -> None:
    one, elsewhere = stores
    # asleep for an hour unless notified; it connects again 10 s after a failure
    runner = started(one, idle=HOUR, longest_pause=HOUR)
    (holder,) = lock_holders(fresh_settings)  # one session holds the three locks
    with psycopg.connect(POSTGRES_URL, autocommit=True) as connection:
        connection.execute("SELECT pg_terminate_backend(%s)", (holder,))
    until(lambda: len(lock_holders(fresh_settings) - {holder}) == 1, "the locks held again")
    each_append_reaches(runner, elsewhere, "once it follows again")


def test_stopping_ends_a_runner_s_sleep_at_once(
    stores: tuple[EventStoreApplication, ...], started: Callable[..., Runner]
) -> None:
    one, _ = stores
    runner = started(one, idle=HOUR, longest_pause=HOUR)
    time.sleep(0.2)  # asleep by now, for an hour unless woken
    runner.stopping.set()  # as SIGTERM does in `projections run`
    runner.thread.join(timeout=10)
    assert not runner.thread.is_alive()
