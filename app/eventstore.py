"""The event store: the eventsourcing library's application and recorders, with our own mapper.

Events are stored under stable names from a registry (never a Python module path), as JSON
written by pydantic, so Decimal, date, datetime, UUID and enum values round-trip exactly.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from pydantic import TypeAdapter

from app.settings import Settings
from domain import adr_grant, cass_session, catastrophe, dossier_events

Event = Any  # a domain event: a frozen dataclass with a stable NAME


@dataclass(frozen=True)
class Recorded:
    """A domain event at its place in its stream: what the library stores and gives back."""

    originator_id: UUID
    originator_version: int
    event: Event


class EventNames:
    """The registry of stored event names: the only link between a stored row and a class."""

    def __init__(self, event_types: Iterable[type[Any]]) -> None:
        self.by_name: dict[str, type[Any]] = {}
        self.by_type: dict[type[Any], str] = {}
        for event_type in event_types:
            name = event_type.NAME
            if name in self.by_name:
                raise ValueError(f"two event types are stored as {name!r}")
            self.by_name[name] = event_type
            self.by_type[event_type] = name

    def name_of(self, event: Event) -> str:
        return self.by_type[type(event)]

    def type_named(self, name: str) -> type[Any]:
        return self.by_name[name]


EVENT_NAMES = EventNames(
    (
        *dossier_events.EVENT_TYPES,
        *cass_session.EVENT_TYPES,
        *catastrophe.EVENT_TYPES,
        *adr_grant.EVENT_TYPES,
    )
)


_adapters: dict[type[Any], TypeAdapter[Any]] = {}


def adapter(event_type: type[Any]) -> TypeAdapter[Any]:
    """The pydantic (de)serialiser of an event type, built once."""
    if event_type not in _adapters:
        _adapters[event_type] = TypeAdapter(event_type)
    return _adapters[event_type]


def event_data(event: Event) -> dict[str, Any]:
    """The event's fields as JSON-ready values."""
    data: dict[str, Any] = adapter(type(event)).dump_python(event, mode="json")
    return data


class EventMapper(Mapper[UUID]):
    """Turns a Recorded event into a stored row and back, by registered name."""

    def __init__(self, names: EventNames) -> None:
        self.names = names
        self.compressor = None
        self.cipher = None

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        event = domain_event.event
        return StoredEvent(
            originator_id=domain_event.originator_id,
            originator_version=domain_event.originator_version,
            topic=self.names.name_of(event),
            state=adapter(type(event)).dump_json(event),
        )

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        event_type = self.names.type_named(stored_event.topic)
        originator_id = stored_event.originator_id
        return Recorded(
            originator_id=originator_id if isinstance(originator_id, UUID) else UUID(originator_id),
            originator_version=stored_event.originator_version,
            event=adapter(event_type).validate_json(stored_event.state),
        )


S = TypeVar("S")


@dataclass(frozen=True)
class Stream(Generic[S]):
    """An aggregate as loaded: its id, its state folded from its events, and its version."""

    id: UUID
    state: S
    version: int

    def append(self, events: Iterable[Any]) -> list[Recorded]:
        """The new events at the versions that follow this one."""
        return [Recorded(self.id, self.version + i, e) for i, e in enumerate(events, start=1)]


class EventStoreApplication(Application[UUID]):
    """One application, one event table, for every aggregate of the service."""

    name = "ActionSociale"

    def construct_mapper(self) -> Mapper[UUID]:
        return EventMapper(EVENT_NAMES)

    def stream(self, originator_id: UUID, *, lte: int | None = None) -> list[Recorded]:
        """The events of one aggregate in version order, up to a version if given."""
        return cast(list[Recorded], list(self.events.get(originator_id, lte=lte)))

    def load(
        self,
        aggregate_id: UUID,
        evolve: Callable[[Any, Any], S],
        types: tuple[type[Any], ...],
    ) -> Stream[S]:
        """Fold an aggregate's events with its decider's evolve. A stream that is not of this
        kind of aggregate (its events are not of `types`) reads as no aggregate at all."""
        state: Any = None
        version = 0
        records = self.stream(aggregate_id)
        if records and not isinstance(records[0].event, types):
            return Stream(aggregate_id, None, 0)  # type: ignore[arg-type]
        for record in records:
            state, version = evolve(state, record.event), record.originator_version
        return Stream(aggregate_id, state, version)


def open_event_store(settings: Settings) -> EventStoreApplication:
    return EventStoreApplication(env=settings.eventsourcing_env())


def event_store_ddl(settings: Settings) -> Sequence[str]:
    """The library's own statements that create its tables, for the migration to run."""
    application = open_event_store(settings)
    try:
        recorder = application.recorder
        if isinstance(recorder, PostgresApplicationRecorder):
            return [statement.as_string() for statement in recorder.sql_create_statements]
        assert isinstance(recorder, SQLiteApplicationRecorder)
        return list(recorder.create_table_statements)
    finally:
        application.close()
