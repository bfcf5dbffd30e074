"""The entries of the access log, as the store writes them: one per record an answer shows.

A read writes its entries in a transaction of their own, before the data is read; a command
writes them in the transaction of its events (app.store.recorders): the answer holding the
dossier exists only if both were stored.
"""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Engine, insert, text
from sqlalchemy.exc import SQLAlchemyError

from app.store.database import SQLITE_BUSY_TIMEOUT_MS
from app.store.tables import access_log

MAX_REASON = 500
LOCK_TIMEOUT_MS = 2000  # a locked log refuses the answer soon, not after the database's wait


class AccessLogUnavailable(Exception):
    """The entries could not be written: the answer holding personal data is refused."""


@dataclass(frozen=True)
class AccessEntry:
    """Who read a record, in which role, by which operation, when, and why if they said so."""

    actor: str
    role: str
    action: str
    record_id: UUID | None
    reason: str | None
    at: datetime  # UTC, without its offset, as the table keeps it

    def row(self) -> dict[str, Any]:
        return {
            "at": self.at,
            "actor": self.actor,
            "role": self.role,
            "action": self.action,
            "record_id": self.record_id,
            "reason": self.reason,
        }


def access_entries(
    actor: str, role: str, action: str, record_ids: Iterable[UUID | None], reason: str | None
) -> list[AccessEntry]:
    """One entry per record, each once, stamped now."""
    at = datetime.now(UTC).replace(tzinfo=None)
    why = reason[:MAX_REASON] if reason else None
    return [
        AccessEntry(actor, role, action, record_id, why, at)
        for record_id in dict.fromkeys(record_ids)
    ]


@contextmanager
def waiting_briefly(connection: Connection) -> Iterator[None]:
    """A locked log must refuse the answer soon, not hold a worker thread for as long as the
    lock lasts: on SQLite, the connection waits LOCK_TIMEOUT_MS for a lock instead of the
    engine's 15 s, then its own wait again (it goes back to the pool)."""
    if connection.dialect.name != "sqlite":
        yield
        return
    connection.exec_driver_sql(f"PRAGMA busy_timeout = {LOCK_TIMEOUT_MS}")
    connection.commit()  # SQLAlchemy began a transaction for the pragma
    try:
        yield
    finally:
        connection.rollback()
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        connection.commit()


def write_access(engine: Engine, entries: Sequence[AccessEntry]) -> None:
    """The entries of a read, in a transaction of their own, before the answer leaves;
    AccessLogUnavailable when the log refuses them (locked, full, out of order)."""
    if not entries:
        return
    try:
        with engine.connect() as connection, waiting_briefly(connection), connection.begin():
            if connection.dialect.name == "postgresql":
                connection.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_MS}ms'"))
            connection.execute(insert(access_log), [entry.row() for entry in entries])
    except SQLAlchemyError as error:
        # The statement and its parameters stay out of the error: they hold who read what.
        raise AccessLogUnavailable(type(error).__name__) from None
