"""Following the store between batches: the projection locks a runner holds for as long as it
runs, and how it sleeps until something new may be there.

On PostgreSQL one connection of the runner's own holds its projections' advisory locks and
LISTENs on the channel the event store NOTIFYs on each append (the library's channel): an idle
runner sleeps in `select()` until an append commits, with a safety poll every few seconds in
case a notification is missed. On SQLite a lock file per projection is held open, and the runner
polls, less and less often while nothing arrives; an append made by this process wakes it at
once (the store raises an `Alarm`). Either lock is freed when its holder's session or process
ends, however it ends, so another runner takes over.
"""

import select
from contextlib import ExitStack
from pathlib import Path
from typing import Protocol

import psycopg
from psycopg import sql
from sqlalchemy import Engine

from app.store.alarm import Alarm
from app.store.files import try_lock

ADVISORY_KEY = "hashtextextended(current_schema() || '.' || %s, 0)"
TRY_LOCK = f"SELECT pg_try_advisory_lock({ADVISORY_KEY})"
SAFETY_POLL = 5.0  # seconds between looks at the store on PostgreSQL, notified or not
LONGEST_POLL = 1.0  # seconds between looks on SQLite once nothing has arrived for a while


def sleep(timeout: float, alarms: tuple[Alarm, ...], *sockets: int) -> bool:
    """Until an alarm is set, a socket is readable (True), or the timeout has passed."""
    if any(alarm.is_set() for alarm in alarms):
        return True
    ready, _, _ = select.select([*(a.fileno() for a in alarms), *sockets], [], [], max(0, timeout))
    return bool(ready)


class Follower(Protocol):
    """What a runner holds while it runs: its projections' locks, and a way to sleep until
    something new may be in the store."""

    longest_pause: float  # seconds an idle runner sleeps at most before it looks again

    def take(self, name: str) -> bool:
        """Take the projection's lock if no other runner holds it; kept until `close`."""

    def forget(self) -> None:
        """Drop the wake-ups received so far: the next look at the store covers them."""

    def wait(self, timeout: float, alarms: tuple[Alarm, ...]) -> bool:
        """Sleep until the timeout, an alarm, or (if it holds a lock) news from the store:
        True if woken before the timeout."""

    @property
    def broken(self) -> bool:
        """Its connection is lost (locks included): close it and follow anew."""

    def close(self) -> None:
        """Release every lock."""


class Unlocked:
    """A store no other process can reach (SQLite in memory): nothing to lock."""

    longest_pause = LONGEST_POLL
    broken = False

    def take(self, name: str) -> bool:
        return True

    def forget(self) -> None:
        pass

    def wait(self, timeout: float, alarms: tuple[Alarm, ...]) -> bool:
        return sleep(timeout, alarms)

    def close(self) -> None:
        pass


class LockFiles(Unlocked):
    """SQLite: a lock file per projection beside the database, held open while running
    (several processes may share the file: without it they would apply the same batch at once,
    and all but one would fail on SQLite's write lock or the moved position)."""

    def __init__(self, database: str) -> None:
        self.database = Path(database).resolve()  # one file, however it is named
        self.held = ExitStack()

    def take(self, name: str) -> bool:
        path = self.database.with_name(f"{self.database.name}-projection-{name}.lock")
        attempt = ExitStack()
        if attempt.enter_context(try_lock(path)):
            self.held.push(attempt.pop_all())
            return True
        attempt.close()
        return False

    def close(self) -> None:
        self.held.close()  # closing a descriptor releases its lock


class Listening:
    """PostgreSQL: one connection of its own, autocommitted, holding the advisory locks (a key of
    its own for each projection of each schema: advisory locks are shared by the whole database,
    and several deployments or test runs may share one) and, once it holds one, LISTENing on the
    event store's channel."""

    longest_pause = SAFETY_POLL

    def __init__(self, engine: Engine, channel: str | None) -> None:
        raw = engine.raw_connection()  # the engine's settings (schema, timeouts)...
        connection = raw.driver_connection
        raw.detach()  # ...but none of its pool's places, for as long as the runner runs
        assert isinstance(connection, psycopg.Connection)
        self.connection: psycopg.Connection[tuple[object, ...]] = connection
        try:
            self.connection.rollback()
            self.connection.autocommit = True
            self.connection.execute("SET application_name = 'action-sociale projections'")
        except BaseException:
            self.connection.close()
            raise
        self.channel = channel
        self.listening = False

    def take(self, name: str) -> bool:
        row = self.connection.execute(TRY_LOCK, (f"projection:{name}",)).fetchone()
        got = bool(row and row[0])
        if got and self.channel and not self.listening:
            # only a holder listens: a runner that waits for a lock is not woken by each append
            self.connection.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self.channel)))
            self.listening = True
        return got

    def forget(self) -> None:
        if self.listening:
            for _ in self.connection.notifies(timeout=0):
                pass  # what they say does not matter: that something was appended does

    def wait(self, timeout: float, alarms: tuple[Alarm, ...]) -> bool:
        if not self.listening:
            return sleep(timeout, alarms)
        woken = sleep(timeout, alarms, self.connection.fileno())
        # a closed connection reads as readable: this raises, and the runner follows anew
        self.forget()
        return woken

    @property
    def broken(self) -> bool:
        return self.connection.broken or self.connection.closed

    def close(self) -> None:
        self.connection.close()  # the session ends: its advisory locks are released


def follower(engine: Engine, channel: str | None) -> Follower:
    """What a runner of this engine's projections holds while it runs (`channel`: the one the
    event store notifies on, on PostgreSQL; None: the locks alone)."""
    if engine.dialect.name == "postgresql":
        return Listening(engine, channel)
    if engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        return LockFiles(engine.url.database)
    return Unlocked()
