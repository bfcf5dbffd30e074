"""The unit of work every command goes through: load, decide, append at the expected version.

The event store refuses an append at a version already taken; when that happens because another
stream of the command moved (a session's agenda, a catastrophe's envelope), the command is
decided again on fresh state, so the rules always hold on what is really stored.
"""

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from app.store.access_log import AccessEntry
from app.store.eventstore import EventStoreApplication, Recorded, Stream

S = TypeVar("S")
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
    *,
    access: Sequence[AccessEntry] = (),
    loaded: Stream[Any] | None = None,
    erased: Sequence[UUID] = (),
) -> Outcome[Any]:
    """Run `plan` on the aggregate and append what it returns, all or nothing, with the
    access-log entries of the answer the command makes (`access`) in the same transaction.

    expected_version 0 means "must not exist yet"; None means "whatever its version". `loaded`
    is the aggregate as the request already read it: the first attempt decides on it. `erased`
    names the dossiers whose keys the append destroys.
    """
    evolve = decider.evolve
    for attempt in range(ATTEMPTS):
        if attempt:  # others are writing the same streams: let them through, then look again
            time.sleep(random.uniform(0, min(0.2, 0.005 * 2**attempt)))
        stream = loaded if loaded is not None and not attempt else None
        if stream is None and expected_version == 0 and not attempt:
            # a new stream: its append alone says whether it existed (the store refuses the
            # first version twice), which spares reading it first
            stream = Stream(aggregate_id, None, 0)
        if stream is None:
            stream = application.load(aggregate_id, evolve, decider.EVENT_TYPES)
        if stream.version == 0 and expected_version != 0:
            raise NotFound(kind, aggregate_id)
        if expected_version is not None and expected_version != stream.version:
            raise VersionMismatch(expected=expected_version, current=stream.version)
        records = plan(stream)
        try:
            recordings = application.save(*records, access=access, erased=erased)
        except IntegrityError:
            continue  # a stream moved since we read it: read again and decide again
        state = stream.state
        for record in records:
            if record.originator_id == aggregate_id:
                state = evolve(state, record.event)
        own = [r for r in records if r.originator_id == aggregate_id]
        version = own[-1].originator_version if own else stream.version
        return Outcome(state, version, recordings[-1].notification.id if recordings else None)
    raise Contention(kind, aggregate_id)


def execute(
    application: EventStoreApplication,
    kind: str,
    decider: Any,
    command: Any,
    aggregate_id: UUID,
    expected_version: int | None,
    *,
    access: Sequence[AccessEntry] = (),
    loaded: Stream[Any] | None = None,
    erased: Sequence[UUID] = (),
) -> Outcome[Any]:
    """A command that touches one aggregate only: its decider decides."""

    def plan(stream: Stream[Any]) -> list[Recorded]:
        return stream.append(decider.decide(command, stream.state))

    return transact(
        application,
        kind,
        decider,
        aggregate_id,
        expected_version,
        plan,
        access=access,
        loaded=loaded,
        erased=erased,
    )
