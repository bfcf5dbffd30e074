"""The event store: exact round-trips, stable stored names, atomic appends that refuse a clash."""

import dataclasses
import json
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import ClassVar
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import IntegrityError

from app.store.eventstore import EventMapper, EventNames, EventStoreApplication, Recorded
from domain import dossier
from domain.values import (
    Activity,
    ActivityKind,
    Aid,
    AidRequest,
    Applicant,
    CatastropheClaim,
    ContributionPeriod,
    DifficultyFactor,
    DocumentKind,
    IntakeChannel,
    PostalAddress,
)


def filed(dossier_id: UUID) -> dossier.DossierFiled:
    return dossier.DossierFiled(
        dossier_id=dossier_id,
        occurred_at=datetime(2026, 3, 2, 9, 30, 15, 123456, tzinfo=UTC),
        actor="agent-bzh-003",
        reference="AS-2026-0001",
        applicant=Applicant(
            last_name="Le Goff",
            first_name="Yann",
            birth_date=date(1969, 2, 28),
            siret="73282932000074",
            email="yann.legoff@example.fr",
            phone="0298000000",
            address=PostalAddress(line1="3 quai de l'Odet", postal_code="29000", city="Quimper"),
            nir="169022A12345678",
        ),
        activity=Activity(kind=ActivityKind.ARTISAN, affiliated_since=date(2001, 1, 1)),
        region="bretagne",
        aids=(
            AidRequest(
                aid=Aid.ACED,
                periods=(
                    ContributionPeriod(date(2026, 1, 1), date(2026, 3, 31), Decimal("980.10")),
                ),
            ),
            AidRequest(aid=Aid.AFE, amount=Decimal("2000.00")),
        ),
        difficulty_factors=(DifficultyFactor.FIRE_OR_CATASTROPHE,),
        own_account="L'atelier a brûlé.",
        channel=IntakeChannel.MAIL,
        documents=(DocumentKind.POLICE_COMPLAINT, DocumentKind.INSURANCE_CLAIM),
    )


def test_an_event_round_trips_exactly(application: EventStoreApplication) -> None:
    event = filed(uuid4())
    application.save(Recorded(event.dossier_id, 1, event))
    [record] = application.stream(event.dossier_id)
    assert record.event == event
    assert record.originator_version == 1
    loaded = record.event
    assert str(loaded.aids[0].periods[0].amount) == "980.10"  # the cents are kept, not 980.1
    assert str(loaded.aids[1].amount) == "2000.00"
    assert isinstance(loaded.applicant.birth_date, date)
    assert loaded.occurred_at.tzinfo is not None
    assert type(loaded.activity.kind) is ActivityKind
    assert type(loaded.aids[0].aid) is Aid


def test_events_are_stored_under_their_registered_name(
    application: EventStoreApplication,
) -> None:
    event = filed(uuid4())
    [recording] = application.save(Recorded(event.dossier_id, 1, event))
    [row] = application.recorder.select_notifications(recording.notification.id, 1)
    assert row.topic == "DossierFiled"
    assert b"domain" not in row.state
    assert b"dossier:" not in row.state


@dataclasses.dataclass(frozen=True)
class RenamedFiling:
    """The same fact after a refactoring moved and renamed the class."""

    NAME: ClassVar[str] = "DossierFiled"
    dossier_id: UUID
    occurred_at: datetime
    actor: str
    reference: str
    applicant: Applicant
    activity: Activity
    region: str
    aids: tuple[AidRequest, ...]
    difficulty_factors: tuple[DifficultyFactor, ...]
    own_account: str
    channel: IntakeChannel
    documents: tuple[DocumentKind, ...]
    catastrophe: CatastropheClaim | None = None


def test_stored_events_still_load_after_their_class_moves_or_is_renamed(
    application: EventStoreApplication,
) -> None:
    event = filed(uuid4())
    [recording] = application.save(Recorded(event.dossier_id, 1, event))
    [row] = application.recorder.select_notifications(recording.notification.id, 1)

    moved = EventMapper(EventNames([RenamedFiling]), application.keys, application.audit_key)
    record = moved.to_domain_event(row)
    assert type(record.event) is RenamedFiling
    assert dataclasses.asdict(record.event) == dataclasses.asdict(event)


def test_an_event_stored_before_a_field_was_added_loads_with_its_default(
    application: EventStoreApplication,
) -> None:
    event = filed(uuid4())
    mapper = application.mapper
    stored = mapper.to_stored_event(Recorded(event.dossier_id, 1, event))
    older = json.loads(stored.state)
    del older["data"]["catastrophe"]  # the field came with the FCI rules
    application.recorder.insert_events([replace(stored, state=json.dumps(older).encode())])
    [record] = application.stream(event.dossier_id)
    assert record.event == event
    assert record.event.catastrophe is None


def test_two_event_types_cannot_share_a_stored_name() -> None:
    with pytest.raises(ValueError, match="DossierFiled"):
        EventNames([dossier.DossierFiled, RenamedFiling])


def test_an_append_at_a_taken_version_is_refused_and_changes_nothing(
    application: EventStoreApplication,
) -> None:
    event = filed(uuid4())
    application.save(Recorded(event.dossier_id, 1, event))
    withdrawn = dossier.DossierWithdrawn(
        dossier_id=event.dossier_id, occurred_at=event.occurred_at, actor="x", reason="y"
    )
    with pytest.raises(IntegrityError):
        application.save(Recorded(event.dossier_id, 1, withdrawn))
    assert [r.event for r in application.stream(event.dossier_id)] == [event]


def test_an_append_of_several_events_is_all_or_nothing(application: EventStoreApplication) -> None:
    first, second = filed(uuid4()), filed(uuid4())
    application.save(Recorded(second.dossier_id, 1, second))
    with pytest.raises(IntegrityError):
        application.save(
            Recorded(first.dossier_id, 1, first), Recorded(second.dossier_id, 1, second)
        )
    assert list(application.stream(first.dossier_id)) == []
