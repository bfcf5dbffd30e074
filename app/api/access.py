"""The access log: every answer holding nominative data, to whom, when, and why if they said so.

Kept apart from the event store in its own table, which refuses updates and early deletions
(database triggers), readable by auditors, purged after its own retention period. A read writes
its entries before its answer leaves; a command writes them in the transaction of its events
(app.store.recorders). Either way, no entry, no answer.
"""

import logging
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Request
from sqlalchemy import Engine, delete

from app.api.auth import Principal
from app.api.metrics import access_log_written
from app.api.problems import ProblemError
from app.store.access_log import AccessEntry, AccessLogUnavailable, access_entries
from app.store.eventstore import EventStoreApplication
from app.store.tables import access_log

log = logging.getLogger(__name__)
WITHHELD = (
    "This answer holds personal data and its reading could not be written to the access log: "
    "nothing was read or changed. Retry shortly."
)


def entries_of(
    caller: Principal, action: str, record_ids: Iterable[UUID | None], reason: str | None
) -> list[AccessEntry]:
    """The entries of an answer showing these records to this caller."""
    return access_entries(caller.subject, caller.role.value, action, record_ids, reason)


def withheld(error: AccessLogUnavailable) -> ProblemError:
    """The answer refused because its entries could not be written (503)."""
    access_log_written("failed")
    # The statement and its parameters stay out of the log: they hold who read what, and why.
    log.error("access log write failed (%s): personal data withheld", error)
    return ProblemError(
        503,
        "access-log-unavailable",
        "Access log unavailable",
        WITHHELD,
        headers={"Retry-After": "5"},
    )


def log_access(
    store: EventStoreApplication,
    caller: Principal,
    action: str,
    record_ids: Iterable[UUID | None],
    reason: str | None,
) -> None:
    """The entries of a read, one per record, written at once, before the data leaves. When
    they cannot be written the answer is refused (503): no entry, no personal data."""
    entries = entries_of(caller, action, record_ids, reason)
    try:
        store.log_access(entries)
    except AccessLogUnavailable as error:
        raise withheld(error) from None
    if entries:
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
