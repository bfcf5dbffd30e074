"""The read models: exactly once, resumable, rebuildable, and what they show matches the store;
their workers stop between batches."""

import signal
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from conftest import STORES, store_of_its_own
from processes import launched, stopped, store_env
from sqlalchemy import Connection, inspect, select
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from app.cli import cli
from app.demo.data import load_demo_data
from app.services.projecting import BATCH, PositionMoved, Projections, Runner, exclusive
from app.settings import Settings
from app.store.database import sql_engine
from app.store.eventstore import EventStoreApplication, open_event_store
from domain import dossier
from domain.rulebook import Rulebook
from projections import queries
from projections.base import Change, cents
from projections.queries import DossierFilter
from projections.tables import active_generation, tables


@pytest.fixture
def store(fresh_settings: Settings) -> Iterator[EventStoreApplication]:
    """A store of its own holding the demo's events."""
    application = open_event_store(fresh_settings)
    load_demo_data(application)
    yield application
    application.close()


def projections_of(
    settings: Settings, application: EventStoreApplication, batch: int = 1000
) -> Projections:
    return Projections(application, sql_engine(settings), Rulebook(), batch=batch)


def snapshot(projections: Projections, name: str, generation: str) -> list[list[dict[str, Any]]]:
    """Every row of a generation's tables, in a fixed order."""
    with projections.engine.connect() as connection:
        return [
            sorted(
                (dict(r) for r in connection.execute(select(t)).mappings()),
                key=lambda r: [str(v) for v in r.values()],
            )
            for t in tables(name, generation)
        ]


def test_the_dossier_summary_agrees_with_each_dossier_folded_from_its_stream(
    fresh_settings: Settings, store: EventStoreApplication
) -> None:
    projections = projections_of(fresh_settings, store)
    projections.catch_up_all()
    summary, _ = tables("dossiers", "a")
    with projections.engine.connect() as connection:
        rows = {r["id"]: r for r in connection.execute(select(summary)).mappings()}
    assert len(rows) == 44
    rulebook = Rulebook()
    for dossier_id, row in rows.items():
        state = dossier.fold([r.event for r in store.stream(dossier_id)])
        assert state is not None
        assert row["status"] == state.status.value
        assert row["requested_cents"] == sum(cents(a.total()) for a in state.filing.aids)
        assert row["implicit_rejection_date"] == dossier.implicit_rejection_date(state, rulebook)
        if state.decision and state.status is dossier.Status.DECIDED:
            granted = sum(cents(g.amount) for g in state.decision.granted)
            assert row["granted_cents"] == granted


def test_catching_up_twice_applies_nothing_the_second_time(
    fresh_settings: Settings, store: EventStoreApplication
) -> None:
    projections = projections_of(fresh_settings, store)
    assert projections.catch_up_all() == 3 * (store.recorder.max_notification_id() or 0)
    before = {name: snapshot(projections, name, "a") for name in projections.projectors}
    assert projections.catch_up_all() == 0
    assert {name: snapshot(projections, name, "a") for name in projections.projectors} == before


class Overtaken:
    """A projector that lets another runner apply the same batch first, then applies it too."""

    def __init__(self, inner: Any, rival: Projections) -> None:
        self.inner, self.rival = inner, rival
        self.name = inner.name

    def apply(self, connection: Connection, generation: str, changes: Sequence[Change]) -> None:
        self.rival.step(self.name)
        self.inner.apply(connection, generation, changes)


def test_a_batch_another_runner_applied_meanwhile_is_rolled_back_not_doubled(
    fresh_settings: Settings, store: EventStoreApplication
) -> None:
    rival = projections_of(fresh_settings, store, batch=50)
    late = projections_of(fresh_settings, store, batch=50)
    late.projectors["dossiers"] = Overtaken(late.projectors["dossiers"], rival)
    with pytest.raises((PositionMoved, DBAPIError)):
        late.step("dossiers")
    assert rival.position("dossiers") == 50
    rival.catch_up("dossiers")
    incremental = snapshot(rival, "dossiers", "a")
    reference = projections_of(fresh_settings, store)
    reference.rebuild("dossiers")
    assert snapshot(reference, "dossiers", "b") == incremental


class Crashing:
    """A projector that dies in the middle of its third batch, after writing some rows."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.name, self.batches = inner, inner.name, 0

    def apply(self, connection: Connection, generation: str, changes: Sequence[Change]) -> None:
        self.batches += 1
        self.inner.apply(connection, generation, changes[: len(changes) // 2])
        if self.batches == 3:
            raise RuntimeError("killed mid-batch")
        self.inner.apply(connection, generation, changes[len(changes) // 2 :])


@pytest.mark.parametrize("name", ["dossiers", "commission", "envelopes"])
def test_a_projection_killed_mid_batch_or_between_batches_resumes_exactly(
    fresh_settings: Settings, store: EventStoreApplication, name: str
) -> None:
    crashing = projections_of(fresh_settings, store, batch=17)
    crashing.projectors[name] = Crashing(crashing.projectors[name])
    with pytest.raises(RuntimeError, match="killed"):
        crashing.catch_up(name)
    assert crashing.position(name) == 2 * 17  # the third batch left nothing behind

    restarted = projections_of(fresh_settings, store, batch=17)
    restarted.step(name)  # one batch, then "killed" between batches
    restarted = projections_of(fresh_settings, store, batch=17)
    restarted.catch_up(name)
    incremental = snapshot(restarted, name, "a")

    reference = projections_of(fresh_settings, store)
    reference.rebuild(name)
    assert snapshot(reference, name, "b") == incremental


@pytest.mark.parametrize("name", ["dossiers", "commission", "envelopes"])
def test_a_rebuild_equals_the_incrementally_built_tables_and_switches_readers(
    fresh_settings: Settings, store: EventStoreApplication, name: str
) -> None:
    projections = projections_of(fresh_settings, store, batch=11)
    projections.catch_up(name)
    incremental = snapshot(projections, name, "a")
    seen: list[int] = []
    assert projections.rebuild(name, progress=lambda applied, _: seen.append(applied)) == "b"
    assert sum(seen) == store.recorder.max_notification_id()
    with projections.engine.connect() as connection:
        assert active_generation(connection, name) == "b"
    assert snapshot(projections, name, "b") == incremental
    assert all(rows == [] for rows in snapshot(projections, name, "a"))  # read by nobody now
    assert projections.rebuild(name) == "a"  # and back again, into the other tables
    assert snapshot(projections, name, "a") == incremental
    assert all(rows == [] for rows in snapshot(projections, name, "b"))


def test_rebuilding_every_projection_reads_each_batch_once_and_equals_each_rebuilt_alone(
    fresh_settings: Settings, store: EventStoreApplication
) -> None:
    projections = projections_of(fresh_settings, store, batch=11)
    projections.catch_up_all()
    incremental = {name: snapshot(projections, name, "a") for name in projections.projectors}
    seen: list[int] = []
    rebuilt = projections.rebuild_all(progress=lambda applied, _: seen.append(applied))
    assert rebuilt == dict.fromkeys(projections.projectors, "b")
    assert sum(seen) == store.recorder.max_notification_id()  # each event read once, not thrice
    inspector = inspect(projections.engine)
    for name in projections.projectors:
        assert projections.position(name) == store.recorder.max_notification_id()
        assert snapshot(projections, name, "b") == incremental[name]
        assert all(rows == [] for rows in snapshot(projections, name, "a"))
        for table in tables(name, "b"):  # filled without them, then each index built
            built = {i["name"] for i in inspector.get_indexes(table.name)}
            assert {i.name for i in table.indexes} <= built


def test_the_status_and_rebuild_commands(
    fresh_settings: Settings, store: EventStoreApplication
) -> None:
    head = store.recorder.max_notification_id()
    runner, env = CliRunner(), store_env(fresh_settings)
    status = runner.invoke(cli, ["projections", "status"], env=env)
    assert status.exit_code == 0, status.output
    assert f"dossiers     a               0 {head:>8}" in status.output
    rebuilt = runner.invoke(
        cli, ["projections", "rebuild", "dossiers"], env=store_env(fresh_settings)
    )
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "readers now use generation b" in rebuilt.output
    status = runner.invoke(cli, ["projections", "status"], env=env)
    assert f"dossiers     b      {head:>10}        0" in status.output
    unknown = runner.invoke(cli, ["projections", "rebuild", "nope"], env=env)
    assert unknown.exit_code != 0


def test_two_workers_keep_the_projections_as_one_would(
    fresh_settings: Settings, store: EventStoreApplication, tmp_path: Path
) -> None:
    projections = projections_of(fresh_settings, store)
    with (
        launched(tmp_path, "one", "projections", "run", **store_env(fresh_settings)) as one,
        launched(tmp_path, "two", "projections", "run", **store_env(fresh_settings)) as two,
    ):
        deadline = time.monotonic() + 30
        while any(s.lag for s in projections.status()) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(s.lag for s in projections.status())
        assert one.poll() is None
        assert two.poll() is None
    reference = projections_of(fresh_settings, store)
    for name in reference.projectors:
        incremental = snapshot(projections, name, "a")
        reference.rebuild(name)
        assert snapshot(reference, name, "b") == incremental


@pytest.mark.parametrize("store", STORES)
def test_each_projection_of_each_store_is_run_by_one_runner_at_a_time(
    store: str, tmp_path: Path
) -> None:
    with store_of_its_own(store, tmp_path / "one") as one, store_of_its_own(store, tmp_path) as two:
        engine, elsewhere = sql_engine(one), sql_engine(two)
        with exclusive(engine, "dossiers") as held:
            assert held
            with exclusive(engine, "dossiers") as again:
                assert not again  # another runner skips it meanwhile...
            with exclusive(engine, "commission") as other, exclusive(elsewhere, "dossiers") as its:
                assert other  # ...but not another projection
                assert its  # nor the same one of another store
        with exclusive(engine, "dossiers") as free:
            assert free
        engine.dispose()
        elsewhere.dispose()


class StoppedMidBatch:
    """A projector during whose batch the runner is told to stop, as a SIGTERM would."""

    def __init__(self, inner: Any, runner: Runner) -> None:
        self.inner, self.name, self.runner = inner, inner.name, runner

    def apply(self, connection: Connection, generation: str, changes: Sequence[Change]) -> None:
        self.inner.apply(connection, generation, changes[: len(changes) // 2])
        self.runner.stopping.set()
        self.inner.apply(connection, generation, changes[len(changes) // 2 :])


def test_a_runner_told_to_stop_commits_the_batch_under_way_and_starts_no_other(
    tmp_path: Path,
) -> None:
    with store_of_its_own("sqlite", tmp_path) as settings:  # what a runner does is the same
        application = open_event_store(settings)
        load_demo_data(application)
        projections = projections_of(settings, application, batch=17)
        runner = Runner(projections)
        dossiers = projections.projectors["dossiers"]
        projections.projectors["dossiers"] = StoppedMidBatch(dossiers, runner)
        runner.run()  # in this thread: it returns once stopped
        assert [(s.projection, s.position) for s in projections.status()] == [
            ("dossiers", 17),
            ("commission", 0),
            ("envelopes", 0),
        ]
        application.close()


def test_a_worker_stops_on_sigterm_or_ctrl_c_between_batches_with_status_0(
    tmp_path: Path,
) -> None:
    with store_of_its_own("sqlite", tmp_path) as settings:
        application = open_event_store(settings)
        load_demo_data(application)
        projections = projections_of(settings, application)
        head = projections.head()
        env = store_env(settings)
        with launched(tmp_path, "stopped-early", "projections", "run", **env) as worker:
            deadline = time.monotonic() + 30
            while not projections.position("dossiers"):  # its first batch is committed
                assert time.monotonic() < deadline
                time.sleep(0.01)
            assert stopped(worker, signal.SIGTERM) == 0
        # whole batches only, each with its position: nothing half-applied
        assert all(s.position == head or s.position % BATCH == 0 for s in projections.status())
        with launched(tmp_path, "caught-up", "projections", "run", **env) as worker:
            deadline = time.monotonic() + 30
            while any(s.lag for s in projections.status()):
                assert time.monotonic() < deadline
                time.sleep(0.05)
            assert stopped(worker, signal.SIGINT) == 0
        application.close()
    for log in ("stopped-early", "caught-up"):
        assert (tmp_path / f"{log}.log").read_text().endswith("projections stopped\n")


@pytest.mark.parametrize("fresh_settings", ["postgres"], indirect=True)  # SQLite: in Python
def test_postgresql_computes_the_delays_as_they_are_computed_from_every_row(
    fresh_settings: Settings, store: EventStoreApplication
) -> None:
    projections = projections_of(fresh_settings, store)
    projections.catch_up("dossiers")
    with projections.engine.connect() as connection:
        assert connection.dialect.name == "postgresql"
        for f in (
            DossierFilter(),
            DossierFilter(region=("bretagne",)),
            DossierFilter(aid=("FCI",)),
        ):
            in_python = queries.delays_in_python(connection, "a", f)
            assert queries.delays_in_the_database(connection, "a", f) == in_python
            assert in_python["filed_to_decided"]["count"] > 0 or f.aid
