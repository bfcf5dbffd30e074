"""The dossier service: load the stream, fold, decide, append at the expected version."""

from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID, uuid5

from eventsourcing.persistence import IntegrityError

from app.eventstore import EventStoreApplication, Recorded
from domain import dossier
from domain.dossier import Command, Dossier, FileDossier

IDEMPOTENCY_NAMESPACE = UUID("6f1f5a43-4c1e-4c3b-9d0e-2a7d1b0c9e51")


class DossierNotFound(Exception):
    def __init__(self, dossier_id: UUID, detail: str | None = None) -> None:
        self.dossier_id = dossier_id
        self.detail = detail or f"There is no dossier {dossier_id}."
        super().__init__(self.detail)


@dataclass
class VersionMismatch(Exception):
    """The client's If-Match is not the dossier's version (or the dossier moved on meanwhile)."""

    expected: int
    current: int


@dataclass
class IdempotencyKeyReused(Exception):
    """An Idempotency-Key already filed a different dossier."""

    dossier_id: UUID


@dataclass(frozen=True)
class Snapshot:
    """A dossier's state at a version, and the store position of that version's event."""

    state: Dossier
    version: int


@dataclass(frozen=True)
class Outcome:
    state: Dossier
    version: int
    position: int | None
    replayed: bool = False


def reference_for(dossier_id: UUID, at: datetime) -> str:
    """A reference people can read on the phone, derived from the id so a replay keeps it."""
    return f"AS-{at.year}-{dossier_id.hex[:8].upper()}"


def dossier_id_for_idempotency_key(actor: str, key: str) -> UUID:
    """The same actor and key always name the same dossier: the store's version check dedupes."""
    return uuid5(IDEMPOTENCY_NAMESPACE, f"{actor}\n{key}")


class DossierService:
    def __init__(self, application: EventStoreApplication) -> None:
        self.application = application

    def history(self, dossier_id: UUID) -> list[Recorded]:
        records = self.application.stream(dossier_id)
        if not records:
            raise DossierNotFound(dossier_id)
        return records

    def load(
        self, dossier_id: UUID, *, version: int | None = None, at: datetime | None = None
    ) -> Snapshot:
        """The dossier now, at a version, or as it stood at a moment."""
        records = self.application.stream(dossier_id, lte=version)
        if not records:
            raise DossierNotFound(dossier_id)
        if at is not None:
            records = [r for r in records if r.event.occurred_at <= at]
        state = dossier.fold([r.event for r in records])
        if state is None:
            raise DossierNotFound(dossier_id, f"Dossier {dossier_id} was filed after {at}.")
        return Snapshot(state=state, version=records[-1].originator_version)

    def file(self, command: FileDossier, *, idempotent: bool = False) -> Outcome:
        """File a new dossier; with an idempotency key, a repeat answers with the same dossier."""
        try:
            return self.handle(command, expected_version=0)
        except VersionMismatch:
            if not idempotent:
                raise
            return self.replay_filing(command)  # filed before, or by a twin request a moment ago

    def replay_filing(self, command: FileDossier) -> Outcome:
        records = self.application.stream(command.dossier_id)
        first = records[0].event
        filed = dossier.decide(command, None)[0]
        if replace(filed, occurred_at=first.occurred_at, reference=first.reference) != first:
            raise IdempotencyKeyReused(command.dossier_id)
        state = dossier.fold([r.event for r in records])
        assert state is not None
        return Outcome(state, records[-1].originator_version, position=None, replayed=True)

    def handle(self, command: Command, *, expected_version: int | None) -> Outcome:
        records = self.application.stream(command.dossier_id)
        state = dossier.fold([r.event for r in records])
        version = records[-1].originator_version if records else 0
        if state is None and not isinstance(command, FileDossier):
            raise DossierNotFound(command.dossier_id)
        if expected_version is not None and expected_version != version:
            raise VersionMismatch(expected=expected_version, current=version)
        new_events = dossier.decide(command, state)
        new_records = [
            Recorded(command.dossier_id, version + i, event)
            for i, event in enumerate(new_events, start=1)
        ]
        try:
            recordings = self.application.save(*new_records)
        except IntegrityError:
            raise VersionMismatch(expected=version, current=version + 1) from None
        new_state = dossier.fold(new_events, state)
        assert new_state is not None
        return Outcome(
            state=new_state,
            version=new_records[-1].originator_version,
            position=recordings[-1].notification.id,
        )
