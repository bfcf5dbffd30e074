"""The access log: every read of nominative data, by whom, when, and why if they said so.

Kept apart from the event store in its own table, which refuses updates and early deletions
(database triggers), readable by auditors, purged after its own retention period.
"""

from datetime import UTC, datetime, timedelta
from uuid import UUID

from sqlalchemy import Engine, delete, insert

from app.auth import Principal
from app.tables import access_log


def log_access(
    engine: Engine,
    caller: Principal,
    action: str,
    record_id: UUID | None,
    reason: str | None,
) -> None:
    with engine.begin() as connection:
        connection.execute(
            insert(access_log).values(
                at=datetime.now(UTC).replace(tzinfo=None),
                actor=caller.subject,
                role=caller.role.value,
                action=action,
                record_id=record_id,
                reason=(reason or None) and reason[:500],
            )
        )


def purge(engine: Engine, retention_days: int) -> int:
    """Delete the entries older than the retention period; how many went."""
    cutoff = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=retention_days)
    with engine.begin() as connection:
        return connection.execute(delete(access_log).where(access_log.c.at < cutoff)).rowcount
