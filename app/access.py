"""The access log: every read of nominative data, by whom, when, and why if they said so.

Kept apart from the event store in its own table, which refuses updates and early deletions
(database triggers), readable by auditors, purged after its own retention period.
"""

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Request
from sqlalchemy import Engine, delete, insert

from app.auth import Caller, Principal
from app.tables import access_log


def log_access(
    engine: Engine,
    caller: Principal,
    action: str,
    record_ids: Iterable[UUID | None],
    reason: str | None,
) -> None:
    """One entry per record read, all written at once."""
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
    if entries:
        with engine.begin() as connection:
            connection.execute(insert(access_log), entries)


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.projections.engine
    return engine


EngineDep = Annotated[Engine, Depends(get_engine)]


def logged(request: Request, caller: Caller, engine: EngineDep) -> Iterator[None]:
    """A route answering a dossier's personal data logs the read once it has answered."""
    yield
    dossier_id = request.path_params.get("dossier_id")
    if dossier_id:
        action = request.scope["route"].name
        reason = request.headers.get("X-Access-Reason")
        log_access(engine, caller, action, [UUID(str(dossier_id))], reason)


def purge(engine: Engine, retention_days: int) -> int:
    """Delete the entries older than the retention period; how many went."""
    cutoff = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=retention_days)
    with engine.begin() as connection:
        return connection.execute(delete(access_log).where(access_log.c.at < cutoff)).rowcount
