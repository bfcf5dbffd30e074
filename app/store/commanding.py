"""The unit of work every command goes through: load, decide, append at the expected version.

The event store refuses an append at a version already taken; when that happens because another
stream of the command moved (a session's agenda, a catastrophe's envelope), the command is
decided again on fresh state, so the rules always hold on what is really stored.
"""

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from app.store.audit import record_heads
from app.store.eventstore import EventStoreApplication, Recorded, Stream

S = TypeVar("S")
log = logging.getLogger(__name__)
ATTEMPTS = 20


class NotFound(Exception):
    def __init__(self, kind: str, aggregate_id: UUID, detail: str | None = None) -> None:
        self.kind = kind
        self.aggregate_id = aggregate_id
        self.detail = detail or f"There is no {kind} {aggregate_id}."
        super().__init__(self.detail)


@dataclass
class VersionMismatch(Exception):
    """The client's If-Match is not the aggregate's version (or it moved on meanwhile)."""

    expected: int
    current: int


class Contention(Exception):
    """The streams kept changing under the command: nothing was written, it may be retried."""

    def __init__(self, kind: str, aggregate_id: UUID) -> None:
        super().__init__(f"{kind} {aggregate_id} kept changing; retry")


@dataclass(frozen=True)
class Outcome(Generic[S]):
    """What a command left: the aggregate's new state and version, and the store position."""

    state: S
    version: int
    position: int | None
    replayed: bool = False


Plan = Callable[[Stream[Any]], list[Recorded]]


def transact(
    application: EventStoreApplication,
    kind: str,
    decider: Any,
    aggregate_id: UUID,
    expected_version: int | None,
    plan: Plan,
) -> Outcome[Any]:
    """Run `plan` on the aggregate and append what it returns, all or nothing.

    expected_version 0 means "must not exist yet"; None means "whatever its version".
    """
    evolve = decider.evolve
    for attempt in range(ATTEMPTS):
        if attempt:  # others are writing the same streams: let them through, then look again
            time.sleep(random.uniform(0, min(0.2, 0.005 * 2**attempt)))
        stream = application.load(aggregate_id, evolve, decider.EVENT_TYPES)
        if stream.version == 0 and expected_version != 0:
            raise NotFound(kind, aggregate_id)
        if expected_version is not None and expected_version != stream.version:
            raise VersionMismatch(expected=expected_version, current=stream.version)
        records = plan(stream)
        try:
            recordings = application.save(*records)
        except IntegrityError:
            continue  # a stream moved since we read it: read again and decide again
        move_heads(application, records)
        state = stream.state
        for record in records:
            if record.originator_id == aggregate_id:
                state = evolve(state, record.event)
        own = [r for r in records if r.originator_id == aggregate_id]
        version = own[-1].originator_version if own else stream.version
        return Outcome(state, version, recordings[-1].notification.id if recordings else None)
    raise Contention(kind, aggregate_id)


def move_heads(application: EventStoreApplication, records: list[Recorded]) -> None:
    """Seal where each stream now ends. After the append, not with it: a crash in between
    leaves a head behind its stream, which the audit accepts, never ahead of it."""
    if application.keys is None:
        return
    try:
        record_heads(application.keys.engine, application.audit_key, records)
    except Exception:
        log.exception("could not move the stream heads")


def execute(
    application: EventStoreApplication,
    kind: str,
    decider: Any,
    command: Any,
    aggregate_id: UUID,
    expected_version: int | None,
) -> Outcome[Any]:
    """A command that touches one aggregate only: its decider decides."""

    def plan(stream: Stream[Any]) -> list[Recorded]:
        return stream.append(decider.decide(command, stream.state))

    return transact(application, kind, decider, aggregate_id, expected_version, plan)
