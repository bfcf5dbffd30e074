"""Running the projections: read the store's notifications after each projection's position,
apply them a batch at a time, and write the rows and the new position in one transaction.

A crash at any point loses or doubles nothing: a batch is committed whole with its position, or
not at all. Two runners never apply the same batch: the position is advanced only from the value
the batch was read at, and a runner holds a lock per projection while it runs it (an advisory
lock on PostgreSQL, a file beside the database on SQLite), so that the runners of several
processes take turns instead of colliding.
"""

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import cast
from uuid import UUID

import anyio
from sqlalchemy import Connection, Engine, Index, update

from app.services.following import Follower, follower
from app.store.alarm import Alarm
from app.store.database import forget_the_write_ahead_log
from app.store.eventstore import EventStoreApplication, Recorded
from domain.dossier_events import PersonalDataErased
from domain.rulebook import Rulebook
from projections.base import Change, Projector
from projections.commission import CommissionView
from projections.dossiers import DossierSummaries
from projections.envelopes import Envelopes
from projections.tables import (
    GENERATIONS,
    active_generation,
    position_of,
    projection_positions,
    projection_state,
    tables,
)

log = logging.getLogger(__name__)
BATCH = 1000


def all_projectors(rulebook: Rulebook) -> dict[str, Projector]:
    projectors: list[Projector] = [DossierSummaries(rulebook), CommissionView(), Envelopes()]
    return {p.name: p for p in projectors}


class PositionMoved(Exception):
    """Another runner advanced the projection while this batch was applied: it is rolled back."""


@dataclass(frozen=True)
class Status:
    projection: str
    active: str
    position: int
    head: int
    # the generation readers do not use is being filled: a rebuild runs (or one was cut short)
    rebuilding: bool = False
    # when the oldest event the projection has not applied yet happened; None once caught up
    behind_since: datetime | None = None

    @property
    def lag(self) -> int:
        return max(0, self.head - self.position)

    def lag_seconds(self, now: datetime) -> float:
        """How long the oldest event not applied yet has waited (0 once caught up)."""
        if self.behind_since is None or not self.lag:
            return 0.0
        return max(0.0, (now - self.behind_since).total_seconds())


class Projections:
    """The projections of one store, and what runs them."""

    def __init__(
        self,
        application: EventStoreApplication,
        engine: Engine,
        rulebook: Rulebook,
        batch: int = BATCH,
    ) -> None:
        self.application = application
        self.engine = engine
        self.projectors = all_projectors(rulebook)
        self.batch = batch

    def head(self) -> int:
        return self.application.recorder.max_notification_id() or 0

    def changes_after(self, position: int, limit: int) -> list[Change]:
        notifications = self.application.recorder.select_notifications(
            position, limit, inclusive_of_start=False
        )
        if self.application.keys is not None:  # one query for the batch's keys, not one each
            self.application.keys.prefetch(UUID(str(n.originator_id)) for n in notifications)
        mapper = self.application.mapper
        changes = []
        for notification in notifications:
            record = cast(Recorded, mapper.to_domain_event(notification))
            changes.append(
                Change(
                    notification.id, record.originator_id, record.originator_version, record.event
                )
            )
        return changes

    def step(self, name: str, generation: str | None = None) -> int:
        """Apply the next batch to a projection (its active generation unless named), in one
        transaction with its new position; the number of changes applied."""
        with self.engine.begin() as connection:
            target = generation or active_generation(connection, name)
            changes = self._apply_next(connection, {name: target})
        self._forget_erased(changes)
        return len(changes)

    def _apply_next(self, connection: Connection, targets: dict[str, str]) -> list[Change]:
        """Read the next batch once and apply it to each projection's generation named, each
        from where it stands, with their new positions, in the caller's transaction."""
        positions = {name: position_of(connection, name, g) for name, g in targets.items()}
        changes = self.changes_after(min(positions.values()), self.batch)
        if not changes:
            return []
        for name, target in targets.items():
            position = positions[name]
            self.projectors[name].apply(
                connection, target, [c for c in changes if c.position > position]
            )
            moved = connection.execute(
                update(projection_positions)
                .where(
                    projection_positions.c.projection == name,
                    projection_positions.c.generation == target,
                    projection_positions.c.position == position,
                )
                .values(position=changes[-1].position)
            )
            if moved.rowcount != 1:
                raise PositionMoved(name)
        return changes

    def _forget_erased(self, changes: list[Change]) -> None:
        if any(isinstance(c.event, PersonalDataErased) for c in changes):
            forget_the_write_ahead_log(self.engine)  # the rows it rewrote: old pages leave the WAL

    def catch_up(self, name: str, generation: str | None = None) -> int:
        """Apply batches until the projection has seen every notification stored so far."""
        applied = 0
        while step := self.step(name, generation):
            applied += step
        return applied

    def catch_up_all(self) -> int:
        return sum(self.catch_up(name) for name in self.projectors)

    def status(self) -> list[Status]:
        """Each projection's position and lag; the head is read after the positions, so that
        a projection is never seen ahead of it."""
        with self.engine.connect() as connection:
            seen = []
            for name in self.projectors:
                active = active_generation(connection, name)
                other = next(g for g in GENERATIONS if g != active)
                rebuilding = position_of(connection, name, other) > 0
                seen.append((name, active, position_of(connection, name, active), rebuilding))
        head = self.head()
        return [
            Status(
                name,
                active,
                position,
                head,
                rebuilding,
                self.application.occurred_after(position) if position < head else None,
            )
            for name, active, position, rebuilding in seen
        ]

    def position(self, name: str) -> int:
        with self.engine.connect() as connection:
            return position_of(connection, name, active_generation(connection, name))

    def rebuild(self, name: str, progress: Callable[[int, int], None] | None = None) -> str:
        """Rebuild one projection (see rebuild_all); the generation readers now use."""
        return self.rebuild_all((name,), progress)[name]

    def rebuild_all(
        self,
        names: Sequence[str] = (),
        progress: Callable[[int, int], None] | None = None,
    ) -> dict[str, str]:
        """Fill the other generation of each projection named (all if none) from the first
        event, then make it the one readers use; the generation each now reads. Each batch of
        the store is read and decoded once for all of them, and applied to each in one
        transaction with their positions: decoding is most of the cost of a rebuild.

        Readers keep the active generation, whole and current, until the switch, which is one
        committed row: they never see a half-built view. Once they have switched, the generation
        no longer read is emptied: nothing keeps it current, so an erasure applied after the
        switch would never reach it, and what it held of an erased dossier would stay in clear.
        """
        names = tuple(names or self.projectors)
        with self.engine.begin() as connection:
            actives = {name: active_generation(connection, name) for name in names}
            targets = {n: next(g for g in GENERATIONS if g != a) for n, a in actives.items()}
            for name, target in targets.items():
                self._empty(connection, name, target)
                for index in self._indexes(name, target):
                    index.drop(connection, checkfirst=True)
        while True:
            with self.engine.begin() as connection:
                changes = self._apply_next(connection, targets)
            self._forget_erased(changes)
            if not changes:
                break
            if progress:
                progress(len(changes), self.head())
        with self.engine.begin() as connection:
            for name, target in targets.items():
                for index in self._indexes(name, target):
                    index.create(connection, checkfirst=True)
        with self.engine.begin() as connection:
            for name, active in actives.items():
                connection.execute(
                    update(projection_state)
                    .where(
                        projection_state.c.projection == name,
                        projection_state.c.active == active,
                    )
                    .values(active=targets[name])
                )
        for name in names:
            self.catch_up(name)  # what arrived between the last batch and the switch
        with self.engine.begin() as connection:
            for name, active in actives.items():
                self._empty(connection, name, active)  # read by nobody now, kept by nobody
        forget_the_write_ahead_log(self.engine)  # its deleted rows leave no page in SQLite's files
        return targets

    @staticmethod
    def _indexes(name: str, generation: str) -> list[Index]:
        """The secondary indexes of a generation's tables. A rebuild fills its tables without
        them and builds each once at the end, from sorted rows: a national year's rebuild
        otherwise spends its time keeping ten indexes of the dossiers in order, row by row.
        A rebuild cut short leaves them to the next one, which builds them again; nobody reads
        a generation being rebuilt."""
        return [index for table in tables(name, generation) for index in table.indexes]

    @staticmethod
    def _empty(connection: Connection, name: str, generation: str) -> None:
        """Delete every row of a generation (overwritten on SQLite: secure_delete) and set its
        position back to the first event."""
        for table in reversed(tables(name, generation)):
            connection.execute(table.delete())
        connection.execute(
            update(projection_positions)
            .where(
                projection_positions.c.projection == name,
                projection_positions.c.generation == generation,
            )
            .values(position=0)
        )

    async def reach(self, name: str, position: int, timeout: float) -> bool:
        """Wait (bounded) until the projection has applied `position`, holding no thread while
        it waits: each look at the position borrows a worker thread for one query, and the
        looks grow sparser (10 ms to 200 ms) the longer the wait."""
        deadline = time.monotonic() + timeout
        pause = 0.01
        while await anyio.to_thread.run_sync(self.position, name) < position:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            await anyio.sleep(min(pause, left))
            pause = min(pause * 2, 0.2)
        return True


@contextmanager
def exclusive(engine: Engine, name: str, channel: str | None = None) -> Iterator[bool]:
    """Hold the projection's lock, if no other runner holds it (True), for the time of a block:
    the one a runner holds while it runs (app.services.following)."""
    held = follower(engine, channel)
    try:
        yield held.take(name)
    finally:
        held.close()


MAX_BACKOFF = 10.0  # seconds between tries while batches fail
FAILING_TOLD_EVERY = 60.0  # seconds between the lines saying they still fail
LOCKS_TRIED_EVERY = 1.0  # seconds between tries at the locks another runner holds


class Runner:
    """Keeps every projection caught up in a background thread until stopped; once `stopping`
    is set, it finishes the batch it is applying (committed with its position) and starts no
    other.

    It holds the lock of each projection it runs for as long as it runs (app.services.following)
    and tries those another runner holds every second, so it takes over when their holder stops
    or dies. Between batches it sleeps until something may have been appended: notified by the
    store on PostgreSQL (a safety poll every `longest_pause` seconds, 5 by default), woken at once
    by this process's own appends, and on SQLite looking again after `idle` seconds, then twice as
    long each time nothing has arrived, up to `longest_pause` (1 s by default). `stopping` ends
    any sleep at once.
    """

    def __init__(
        self, projections: Projections, idle: float = 0.05, longest_pause: float | None = None
    ) -> None:
        self.projections = projections
        self.idle = idle
        self.longest_pause = longest_pause
        self.stopping = Alarm()
        self.thread = threading.Thread(target=self.run, name="projections", daemon=True)
        self.held: list[str] = []  # the projections whose lock it holds
        self.locks_tried = 0.0
        self.pause = idle
        self.woken = False  # by something other than the time: the store may hold news
        self.caught_up_to: int | None = None  # every position up to it is applied

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        """Stop after the current batch, waiting 10 s at most for it: a batch cut short by the
        process's exit is rolled back whole."""
        self.stopping.set()
        self.thread.join(timeout=10)

    def run(self) -> None:
        failures, told = 0, 0.0
        following: Follower | None = None
        try:
            while not self.stopping.is_set():
                try:
                    if following is None:
                        following = self.follow()
                    self.run_round(following)
                except Exception as error:
                    failures += 1
                    # one line with its stack when it starts failing, then one a minute: a
                    # database that is down for an hour does not fill the logs
                    if failures == 1:
                        log.exception("a projection batch failed; it will be retried")
                        told = time.monotonic()
                    elif time.monotonic() - told >= FAILING_TOLD_EVERY:
                        log.warning(
                            "projection batches still failing",
                            extra={"failures": failures, "error": type(error).__name__},
                        )
                        told = time.monotonic()
                    if following is not None and following.broken:
                        following.close()  # its locks went with its session: take them anew
                        following = None
                    self.stopping.wait(min(MAX_BACKOFF, self.idle * 2**failures))
                    continue
                if failures:
                    log.info("projection batches apply again", extra={"failures": failures})
                    failures = 0
        finally:
            if following is not None:
                following.close()

    def follow(self) -> Follower:
        """A new hold on the store: no lock yet, tried at once."""
        self.held, self.locks_tried, self.pause = [], -LOCKS_TRIED_EVERY, self.idle
        self.woken, self.caught_up_to = False, None
        channel = getattr(self.projections.application.recorder, "channel_name", None)
        return follower(self.projections.engine, channel)

    def run_round(self, following: Follower) -> None:
        """Try the locks it lacks if it is time, then apply a batch of each projection it
        holds; if none had any, sleep until something may have arrived (or it is time to try
        the locks again)."""
        missing = [n for n in self.projections.projectors if n not in self.held]
        if missing and time.monotonic() - self.locks_tried >= LOCKS_TRIED_EVERY:
            taken = [n for n in missing if following.take(n)]
            if taken:  # maybe behind: what it knew of the others says nothing of these
                self.held, self.caught_up_to = self.held + taken, None
            self.locks_tried, missing = time.monotonic(), [n for n in missing if n not in self.held]
        appended = self.projections.application.appended
        appended.clear()  # before the look at the store: an append after it wakes the sleep
        following.forget()
        held = [n for n in self.projections.projectors if n in self.held]  # in their order
        if held:
            head = self.projections.head()  # read before the batches: they cover it
            # the channel is the database's, not the schema's: an append to another schema
            # sharing the database wakes it too, and costs one query, not a batch each
            if not (self.woken and head == self.caught_up_to):
                if self.run_once(held):
                    self.pause, self.caught_up_to = self.idle, None
                    return
                self.caught_up_to = head
        if self.stopping.is_set():
            return
        timeout = self.pause if self.held else LOCKS_TRIED_EVERY
        if missing:
            timeout = min(timeout, self.locks_tried + LOCKS_TRIED_EVERY - time.monotonic())
        # a runner that holds nothing is woken by nothing but the time to try again
        alarms = (self.stopping, appended) if self.held else (self.stopping,)
        self.woken = following.wait(timeout, alarms)
        self.pause = min(self.pause * 2, self.longest_pause or following.longest_pause)

    def run_once(self, names: Iterable[str] | None = None) -> int:
        """One batch of each projection named (all by default) that has any."""
        applied = 0
        for name in names or self.projections.projectors:
            if self.stopping.is_set():
                break
            applied += self.projections.step(name)
        return applied
