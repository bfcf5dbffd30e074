"""The ADR is granted once per person, ever: one stream per person, whose first event is the grant.

The stream's id is derived from the person's NIR (an ADR request needs one), so the event store's
version check refuses a second grant even when two dossiers are decided at the same moment.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import ClassVar
from uuid import UUID, uuid5

from domain.errors import RuleViolation

ADR_PERSONS = UUID("0b5d7c1e-6a0f-4d61-9f43-3c2a8e5b7d10")


def adr_person_id(nir: str) -> UUID:
    """The same person always gets the same id, whatever dossier they file."""
    return uuid5(ADR_PERSONS, "nir:" + nir[:13])


@dataclass(frozen=True)
class AdrGranted:
    NAME: ClassVar[str] = "AdrGranted"
    person_id: UUID
    occurred_at: datetime
    actor: str
    dossier_id: UUID
    amount: Decimal


@dataclass(frozen=True)
class GrantAdr:
    person_id: UUID
    at: datetime
    actor: str
    dossier_id: UUID
    amount: Decimal


State = AdrGranted | None
EVENT_TYPES: tuple[type[AdrGranted], ...] = (AdrGranted,)


def decide(command: GrantAdr, state: State) -> list[AdrGranted]:
    if state is not None:
        raise RuleViolation(
            "adr_is_granted_once_per_person",
            f"an ADR was already granted to this person (dossier {state.dossier_id})",
        )
    return [
        AdrGranted(command.person_id, command.at, command.actor, command.dossier_id, command.amount)
    ]


def evolve(state: State, event: AdrGranted) -> State:
    return state or event
