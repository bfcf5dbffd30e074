"""The event store's recorders: the library's own, writing a command's other rows in the same
transaction as its events, on the same connection.

Beside the events of an append go a new dossier's key, the sealed head of every stream it
moves, the access-log entries of the answer it makes, and the keys an erasure destroys: they
are all stored, or none is. The keyword arguments of `Application.save` reach the recorder. On
SQLite the library runs its `_insert_events` hook inside the transaction that inserts the
events; on PostgreSQL the whole append is one call of a function of the database (migration
0008): one statement, one round trip.
"""

import hashlib
import hmac
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import psycopg
from eventsourcing.persistence import (
    InterfaceError,
    OperationalError,
    PersistenceError,
    StoredEvent,
)
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteCursor
from eventsourcing.utils import retry
from psycopg import ClientCursor
from psycopg.rows import namedtuple_row
from psycopg.sql import SQL, Composed, Identifier, Literal

from app.store.access_log import LOCK_TIMEOUT_MS, AccessEntry, AccessLogUnavailable
from app.store.sealing import NewKey


def head_seal(audit_key: bytes, stream_id: UUID, version: int, mac: str) -> str:
    message = f"head|{stream_id}|{version}|{mac}".encode()
    return hmac.new(audit_key, message, hashlib.sha256).hexdigest()


@dataclass
class Beside:
    """What an append writes beside its events."""

    audit_key: bytes
    new_keys: Any = None  # a callable giving the keys made for this append, once it is encoded
    access: Sequence[AccessEntry] = ()
    erased: Sequence[UUID] = ()  # dossiers whose key this append destroys
    at: datetime = field(default_factory=lambda: datetime.now(UTC).replace(tzinfo=None))

    def keys(self) -> list[NewKey]:
        return list(self.new_keys().values()) if self.new_keys else []

    def heads(self, stored_events: Sequence[StoredEvent]) -> list[tuple[UUID, int, str, str]]:
        """Where each stream of the append now ends, sealed: (stream, version, mac, seal)."""
        last: dict[UUID, StoredEvent] = {}
        for stored in stored_events:
            last[_uuid(stored.originator_id)] = stored
        heads = []
        for stream_id, stored in last.items():
            mac = json.loads(stored.state)["mac"]
            version = stored.originator_version
            heads.append(
                (stream_id, version, mac, head_seal(self.audit_key, stream_id, version, mac))
            )
        return heads


ACCESS_LOG_REFUSED = "AS001"  # the SQLSTATE the append function raises for its access log
APPEND_ARGUMENTS = (
    *("uuid[]", "bigint[]", "text[]", "bytea[]"),  # the events
    *("timestamp[]", "text[]", "text[]", "text[]", "uuid[]", "text[]", "text"),  # access log
    *("uuid[]", "bytea[]", "timestamp[]"),  # new keys
    *("uuid[]", "integer[]", "text[]", "text[]"),  # stream heads
    *("uuid[]", "timestamp", "text"),  # erased keys, when, and the events' lock timeout
)


def columns(rows: Sequence[Sequence[Any]], width: int) -> list[list[Any]]:
    """The rows as `width` columns: the arrays a function of the database takes."""
    return [[row[i] for row in rows] for i in range(width)]


def _access_row(e: AccessEntry) -> tuple[Any, ...]:
    return (e.at, e.actor, e.role, e.action, e.record_id, e.reason)


def _uuid(value: UUID | str) -> UUID:
    return value if isinstance(value, UUID) else UUID(value)


def _sqlite_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")  # as SQLAlchemy keeps a DateTime on SQLite


class SQLiteRecorder(SQLiteApplicationRecorder):
    """SQLite: the rows beside the events, on the cursor of the events' transaction."""

    def write_access(self, entries: Sequence[AccessEntry]) -> None:
        """A read's entries in a transaction of their own, waiting LOCK_TIMEOUT_MS at most for
        a lock (then AccessLogUnavailable)."""
        waits = int((self.datastore.pool.lock_timeout or 5) * 1000)
        try:
            with self.datastore.transaction(commit=True) as c:
                c.execute(f"PRAGMA busy_timeout = {LOCK_TIMEOUT_MS}")
                try:
                    self._insert_access(c, entries)
                finally:
                    c.execute(f"PRAGMA busy_timeout = {waits}")
        except (sqlite3.Error, PersistenceError) as error:
            raise AccessLogUnavailable(type(error).__name__) from None

    @staticmethod
    def _insert_access(c: SQLiteCursor, entries: Sequence[AccessEntry]) -> None:
        c.executemany(
            "INSERT INTO access_log (at, actor, role, action, record_id, reason) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    _sqlite_time(e.at),
                    e.actor,
                    e.role,
                    e.action,
                    e.record_id.hex if e.record_id else None,
                    e.reason,
                )
                for e in entries
            ],
        )

    def _insert_events(
        self, c: SQLiteCursor, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        beside: Beside | None = kwargs.get("beside")
        if beside is not None and beside.access:
            try:
                self._insert_access(c, beside.access)
            except sqlite3.Error as error:
                raise AccessLogUnavailable(type(error).__name__) from None
        ids = super()._insert_events(c, stored_events, **kwargs)
        if beside is None:
            return ids
        keys = beside.keys()
        if keys:
            c.executemany(
                'INSERT INTO dossier_keys (dossier_id, "key", created_at) VALUES (?, ?, ?)',
                [(k.dossier_id.hex, k.wrapped, _sqlite_time(k.created_at)) for k in keys],
            )
        heads = beside.heads(stored_events)
        if heads:
            c.executemany(
                "INSERT INTO stream_heads (stream_id, version, mac, seal) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, "
                "mac = excluded.mac, seal = excluded.seal "
                "WHERE stream_heads.version < excluded.version",
                [(stream.hex, version, mac, seal) for stream, version, mac, seal in heads],
            )
        if beside.erased:
            c.executemany(
                'UPDATE dossier_keys SET "key" = NULL, erased_at = ? '
                "WHERE dossier_id = ? AND erased_at IS NULL",
                [(_sqlite_time(beside.at), dossier_id.hex) for dossier_id in beside.erased],
            )
        return ids


class PostgresRecorder(PostgresApplicationRecorder):
    """PostgreSQL: a command's append is one call of the function of migration 0008, which
    writes the rows beside the events and the events under the store's table lock, in one
    statement (one transaction, one round trip)."""

    def _table(self, name: str) -> Identifier:
        return Identifier(self.datastore.schema, name)

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)  # as the library's
    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        beside: Beside | None = kwargs.get("beside")
        if beside is None:
            ids: Sequence[int] | None = super().insert_events(stored_events, **kwargs)
            return ids
        keys, heads, access = beside.keys(), beside.heads(stored_events), beside.access
        arguments = (
            [e.originator_id for e in stored_events],
            [e.originator_version for e in stored_events],
            [e.topic for e in stored_events],
            [e.state for e in stored_events],
            *columns([_access_row(e) for e in access], 6),
            f"{LOCK_TIMEOUT_MS}ms",
            [k.dossier_id for k in keys],
            [k.wrapped for k in keys],
            [k.created_at for k in keys],
            *columns(heads, 4),
            list(beside.erased),
            beside.at,
            f"{self.datastore.lock_timeout}s",
        )
        try:
            with self.datastore.get_connection() as conn, conn.cursor() as curs:
                curs.execute(self._append(), arguments, prepare=True)
                return [int(row["notification_id"]) for row in curs.fetchall()]
        except PersistenceError as error:
            if getattr(error.__cause__, "sqlstate", None) == ACCESS_LOG_REFUSED:
                raise AccessLogUnavailable(type(error.__cause__).__name__) from None
            raise

    def _append(self) -> Composed:
        casts = APPEND_ARGUMENTS
        return SQL("SELECT notification_id FROM {}({}) AS notification_id").format(
            Identifier(self.datastore.schema, "actionsociale_append"),
            SQL(", ").join(SQL(f"%s::{cast}") for cast in casts),
        )

    def key_rows(self, dossier_ids: Sequence[UUID]) -> list[Any]:
        """The key rows of these dossiers: one prepared statement in autocommit, a tenth of the
        CPU of the same query through SQLAlchemy's engine (0.1 ms against 0.4-0.5 ms, measured
        in process), read for every command and read of a dossier whose key is not cached."""
        query = SQL(
            'SELECT dossier_id, "key", created_at, erased_at FROM {} WHERE dossier_id = ANY(%s)'
        ).format(self._table("dossier_keys"))
        with (
            self.datastore.get_connection() as conn,
            conn.cursor(row_factory=namedtuple_row) as curs,
        ):
            curs.execute(query, [list(dossier_ids)], prepare=True)
            return curs.fetchall()

    def write_access(self, entries: Sequence[AccessEntry]) -> None:
        """A read's entries in a transaction of their own, in one message and one round trip:
        the lock timeout and the insert as one simple query, which PostgreSQL runs as one
        implicit transaction (both or neither). The values are bound by psycopg's client-side
        cursor, which quotes them as literals; a prepared, pipelined transaction costs twice
        the CPU of this for a single row, and the read path is bound by CPU."""
        rows = SQL(", ").join(
            SQL("({})").format(SQL(", ").join(Literal(v) for v in _access_row(e))) for e in entries
        )
        query = SQL(
            "SET LOCAL lock_timeout = '{}ms'; "
            "INSERT INTO {} (at, actor, role, action, record_id, reason) VALUES {}"
        ).format(SQL(str(LOCK_TIMEOUT_MS)), self._table("access_log"), rows)
        try:
            with self.datastore.get_connection() as conn, ClientCursor(conn) as curs:
                curs.execute(query)
        except (psycopg.Error, PersistenceError) as error:
            raise AccessLogUnavailable(type(error).__name__) from None
