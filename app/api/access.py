"""The access log: every read of nominative data, by whom, when, and why if they said so.

Kept apart from the event store in its own table, which refuses updates and early deletions
(database triggers), readable by auditors, purged after its own retention period.
"""

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Request
from sqlalchemy import Connection, Engine, delete, insert, text
from sqlalchemy.exc import SQLAlchemyError

from app.api.auth import Principal
from app.api.metrics import access_log_written
from app.api.problems import ProblemError
from app.store.database import SQLITE_BUSY_TIMEOUT_MS
from app.store.tables import access_log

log = logging.getLogger(__name__)
LOCK_TIMEOUT_MS = 2000


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


def log_access(
    engine: Engine,
    caller: Principal,
    action: str,
    record_ids: Iterable[UUID | None],
    reason: str | None,
) -> None:
    """One entry per record read, all written at once, before the data is read.

    When the entry cannot be written the answer is refused (503): no entry, no personal data.
    """
    at = datetime.now(UTC).replace(tzinfo=None)
    entries = [
        {
            "at": at,
            "actor": caller.subject,
            "role": caller.role.value,
            "action": action,
            "record_id": record_id,
            "reason": (reason or None) and reason[:500],
        }
        for record_id in dict.fromkeys(record_ids)
    ]
    if not entries:
        return
    try:
        with engine.connect() as connection, waiting_briefly(connection), connection.begin():
            if connection.dialect.name == "postgresql":
                connection.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_MS}ms'"))
            connection.execute(insert(access_log), entries)
    except SQLAlchemyError as error:
        access_log_written("failed")
        # The statement and its parameters stay out of the log: they hold who read what, and why.
        log.error("access log write failed (%s): personal data withheld", type(error).__name__)
        raise ProblemError(
            503,
            "access-log-unavailable",
            "Access log unavailable",
            "This answer holds personal data and its reading could not be written to the access "
            "log: nothing was read or changed. Retry shortly.",
            headers={"Retry-After": "5"},
        ) from None
    access_log_written("written")


async def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.projections.engine
    return engine


EngineDep = Annotated[Engine, Depends(get_engine)]


def purge(engine: Engine, retention_days: int) -> int:
    """Delete the entries older than the retention period; how many went."""
    cutoff = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=retention_days)
    with engine.begin() as connection:
        return connection.execute(delete(access_log).where(access_log.c.at < cutoff)).rowcount
