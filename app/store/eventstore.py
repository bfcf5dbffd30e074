"""The event store: the eventsourcing library's application and recorders, with our own mapper.

Events are stored under stable names from a registry (never a Python module path), as JSON
written by pydantic, so Decimal, date, datetime, UUID and enum values round-trip exactly. A
dossier's identifying fields are sealed with the dossier's own key (app.store.sealing), and every
stored event carries an HMAC that covers the one before it in its stream: editing or removing
a stored event breaks the chain (app.store.audit verifies it), erasing personal data does not.
"""

import hashlib
import hmac
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar, cast
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from pydantic import TypeAdapter
from sqlalchemy import Engine

from app.settings import Settings
from app.store.access_log import AccessEntry
from app.store.alarm import Alarm
from app.store.database import forget_the_write_ahead_log, local_secret, sql_engine
from app.store.recorders import Beside, PostgresRecorder
from app.store.sealing import (
    ERASED_VALUES,
    SEALED,
    SEALED_FIELDS,
    KeyErased,
    KeyStore,
    locate,
    seal,
    unseal,
)
from domain import adr_grant, cass_session, catastrophe, dossier_events

Event = Any  # a domain event: a frozen dataclass with a stable NAME


class Chain:
    """The last link of a stream while an append is encoded, event after event."""

    def __init__(self, mac: str) -> None:
        self.mac = mac


@dataclass(frozen=True)
class Recorded:
    """A domain event at its place in its stream: what the library stores and gives back."""

    originator_id: UUID
    originator_version: int
    event: Event
    chain: Chain | None = field(default=None, compare=False, repr=False)
    mac: str = field(default="", compare=False)


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


def canonical(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def link(audit_key: bytes, stored: StoredEvent, previous: str, data: Any) -> str:
    """The HMAC of a stored event: its place, its name, its stored data and the link before."""
    head = f"{stored.originator_id}|{stored.originator_version}|{stored.topic}|{previous}|"
    return hmac.new(audit_key, head.encode() + canonical(data), hashlib.sha256).hexdigest()


class EventMapper(Mapper[UUID]):
    """Turns a Recorded event into a stored row and back: named, sealed, chained."""

    def __init__(self, names: EventNames, keys: KeyStore | None, audit_key: bytes) -> None:
        self.names = names
        self.keys = keys
        self.audit_key = audit_key
        self.compressor = None
        self.cipher = None

    def to_stored_event(self, domain_event: Any) -> StoredEvent:
        record: Recorded = domain_event
        event, name = record.event, self.names.name_of(record.event)
        data = adapter(type(event)).dump_python(event, mode="json")
        owner_field, sealed = SEALED_FIELDS.get(name, (None, ()))
        if sealed and self.keys is not None:
            owner = UUID(str(data[owner_field])) if owner_field else record.originator_id
            starts = owner == record.originator_id and record.originator_version == 1
            key = self.keys.key_for(owner, create=True, fresh=starts)
            for path in sealed:
                found = locate(data, path)
                if found is not None:
                    holder, last = found
                    aad = f"{owner}:{path}".encode()
                    holder[last] = {SEALED: seal(key, canonical(holder[last]), aad)}
        stored = StoredEvent(record.originator_id, record.originator_version, name, b"")
        previous = record.chain.mac if record.chain else ""
        mac = link(self.audit_key, stored, previous, data)
        if record.chain:
            record.chain.mac = mac
        envelope = {"prev": previous, "mac": mac, "data": data}
        return StoredEvent(
            stored.originator_id, stored.originator_version, name, canonical(envelope)
        )

    def to_domain_event(self, stored_event: StoredEvent) -> Any:
        event_type = self.names.type_named(stored_event.topic)
        originator_id = stored_event.originator_id
        if not isinstance(originator_id, UUID):
            originator_id = UUID(originator_id)
        envelope = json.loads(stored_event.state)
        data = envelope["data"]
        owner_field, sealed = SEALED_FIELDS.get(stored_event.topic, (None, ()))
        owner = UUID(str(data[owner_field])) if owner_field else originator_id
        for path in sealed:
            found = locate(data, path)
            if found is not None and isinstance(found[0][found[1]], dict):
                holder, last = found
                if SEALED in holder[last]:
                    holder[last] = self._open(owner, path, holder[last][SEALED])
        return Recorded(
            originator_id=originator_id,
            originator_version=stored_event.originator_version,
            event=adapter(event_type).validate_python(data),
            mac=envelope["mac"],
        )

    def _open(self, dossier_id: UUID, field_name: str, sealed: str) -> Any:
        try:
            if self.keys is None:
                raise KeyErased(dossier_id)
            key = self.keys.key_for(dossier_id, create=False)
        except KeyErased:
            return ERASED_VALUES[field_name]
        aad = f"{dossier_id}:{field_name}".encode()
        return json.loads(unseal(key, sealed, aad))


def occurred_at(stored_event: StoredEvent) -> datetime | None:
    """When a stored event happened (every event type has `occurred_at`), read from its clear
    part without opening any seal; None when it does not say."""
    try:
        moment = datetime.fromisoformat(json.loads(stored_event.state)["data"]["occurred_at"])
    except (ValueError, KeyError, TypeError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


S = TypeVar("S")


@dataclass(frozen=True)
class Stream(Generic[S]):
    """An aggregate as loaded: its id, its state folded from its events, and its version."""

    id: UUID
    state: S
    version: int
    mac: str = ""

    def append(self, events: Iterable[Any]) -> list[Recorded]:
        """The new events at the versions that follow this one, chained to the last."""
        chain = Chain(self.mac)
        return [
            Recorded(self.id, self.version + i, e, chain) for i, e in enumerate(events, start=1)
        ]


class EventStoreApplication(Application[UUID]):
    """One application, one event table, for every aggregate of the service."""

    name = "ActionSociale"

    def __init__(
        self,
        env: dict[str, str],
        keys: KeyStore | None = None,
        audit_key: bytes = b"",
        owned: Engine | None = None,
    ) -> None:
        self.keys = keys
        self.audit_key = audit_key
        self.owned = owned  # an engine made for this store alone, closed with it
        # raised after each append: the projection runner of this process wakes at once
        self.appended = Alarm()
        super().__init__(env=env)
        if keys is not None and isinstance(self.recorder, PostgresRecorder):
            keys.rows = self.recorder.key_rows  # on the store's own connections, prepared

    def close(self) -> None:
        super().close()
        if getattr(self, "owned", None) is not None:
            self.owned.dispose()  # type: ignore[union-attr]

    def construct_mapper(self) -> Mapper[UUID]:
        return EventMapper(EVENT_NAMES, self.keys, self.audit_key)

    def save(  # type: ignore[override]
        self,
        *records: Recorded,
        access: Sequence[AccessEntry] = (),
        erased: Sequence[UUID] = (),
    ) -> Any:
        """Append these events, all or nothing, in one transaction with what goes beside them:
        a new dossier's key, the streams' sealed heads, the access-log entries of the answer
        (`access`), the keys of the dossiers erased (`erased`). AccessLogUnavailable when the
        log refused its entries: then nothing was written."""
        keys = self.keys
        beside = Beside(
            self.audit_key,
            new_keys=keys.new_keys_made if keys is not None else None,
            access=access,
            erased=erased,
        )
        try:
            recordings = super().save(*records, beside=beside)
        except BaseException:
            if keys is not None:
                keys.settle(stored=False)
            raise
        self.appended.set()
        if keys is not None:
            keys.settle(stored=True)
            if erased:
                keys.forget(erased)
                forget_the_write_ahead_log(keys.engine)  # the keys' old bytes leave the WAL
        return recordings

    def log_access(self, entries: Sequence[AccessEntry]) -> None:
        """Write the access-log entries of an answer that no append carries (a read, a
        replay), before it leaves; AccessLogUnavailable when the log refuses them."""
        if entries:
            recorder: Any = self.recorder  # ours (app.store.recorders), named by the settings
            recorder.write_access(entries)

    def stream(self, originator_id: UUID, *, lte: int | None = None) -> list[Recorded]:
        """The events of one aggregate in version order, up to a version if given."""
        return cast(list[Recorded], list(self.events.get(originator_id, lte=lte)))

    def occurred_after(self, position: int) -> datetime | None:
        """When the first event stored after this position happened (None if there is none)."""
        following = self.recorder.select_notifications(position, 1, inclusive_of_start=False)
        return occurred_at(following[0]) if following else None

    def load(
        self,
        aggregate_id: UUID,
        evolve: Callable[[Any, Any], S],
        types: tuple[type[Any], ...],
    ) -> Stream[S]:
        """Fold an aggregate's events with its decider's evolve. A stream that is not of this
        kind of aggregate (its events are not of `types`) reads as no aggregate at all."""
        state: Any = None
        version, mac = 0, ""
        records = self.stream(aggregate_id)
        if records and not isinstance(records[0].event, types):
            return Stream(aggregate_id, None, 0)  # type: ignore[arg-type]
        for record in records:
            state, version, mac = evolve(state, record.event), record.originator_version, record.mac
        return Stream(aggregate_id, state, version, mac)


def open_event_store(settings: Settings, engine: Engine | None = None) -> EventStoreApplication:
    """The event store of these settings; its key store uses `engine` (or one of its own)."""
    owned = None if engine else sql_engine(settings)
    wrapping = local_secret(settings, settings.key_encryption_key, "key-encryption-key").encode()
    keys = KeyStore(engine or owned, wrapping)  # type: ignore[arg-type]
    audit_key = local_secret(settings, settings.audit_key, "audit-key").encode()
    return EventStoreApplication(settings.eventsourcing_env(), keys, audit_key, owned)


def event_store_ddl(settings: Settings) -> Sequence[str]:
    """The library's own statements that create its tables, for the migration to run (no
    secret is needed to create tables: the store is opened without keys)."""
    application = EventStoreApplication(settings.eventsourcing_env())
    try:
        recorder = application.recorder
        if isinstance(recorder, PostgresApplicationRecorder):
            return [statement.as_string() for statement in recorder.sql_create_statements]
        assert isinstance(recorder, SQLiteApplicationRecorder)
        return list(recorder.create_table_statements)
    finally:
        application.close()
