"""The entries of the access log, as the store writes them: one per record an answer shows.

A read writes its entries in a transaction of their own, before its answer leaves; a command
writes them in the transaction of its events: the answer holding the dossier exists only if
both were stored. Both are written by the event store's recorders (app.store.recorders), on
their own connections.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

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
