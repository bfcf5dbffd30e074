"""The ADR is granted once per person, ever: one stream per person records who holds the grant.

The stream's id is derived from the person's NIR (an ADR request needs one), so the event store's
version check refuses a second dossier's grant even when two are decided at the same moment. The
dossier holding the grant may be decided again (a recours gracieux): its grant is then updated,
or revoked if the new decision no longer grants the ADR.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import ClassVar
from uuid import UUID, uuid5

from domain.errors import RuleViolation

ADR_PERSONS = UUID("0b5d7c1e-6a0f-4d61-9f43-3c2a8e5b7d10")


def adr_person_id(nir: str, pepper: bytes = b"") -> UUID:
    """The same person always gets the same id, whatever dossier they file. With a pepper (a
    secret of the deployment) nobody holding a NIR can find that person's stream."""
    if not pepper:
        return uuid5(ADR_PERSONS, "nir:" + nir[:13])
    return uuid5(ADR_PERSONS, hmac.new(pepper, nir[:13].encode(), hashlib.sha256).hexdigest())


@dataclass(frozen=True)
class AdrGranted:
    NAME: ClassVar[str] = "AdrGranted"
    person_id: UUID
    occurred_at: datetime
    actor: str
    dossier_id: UUID
    amount: Decimal


@dataclass(frozen=True)
class AdrGrantRevoked:
    NAME: ClassVar[str] = "AdrGrantRevoked"
    person_id: UUID
    occurred_at: datetime
    actor: str
    dossier_id: UUID


@dataclass(frozen=True)
class GrantAdr:
    person_id: UUID
    at: datetime
    actor: str
    dossier_id: UUID
    amount: Decimal


@dataclass(frozen=True)
class RevokeAdr:
    person_id: UUID
    at: datetime
    actor: str
    dossier_id: UUID


Command = GrantAdr | RevokeAdr
Event = AdrGranted | AdrGrantRevoked
State = AdrGranted | None  # the grant the person holds now
EVENT_TYPES: tuple[type[Event], ...] = (AdrGranted, AdrGrantRevoked)


def decide(command: Command, state: State) -> list[Event]:
    held_elsewhere = state is not None and state.dossier_id != command.dossier_id
    match command:
        case GrantAdr():
            if held_elsewhere:
                raise RuleViolation(
                    "adr_is_granted_once_per_person",
                    "an ADR was already granted to this person, on another dossier",
                )
            return [
                AdrGranted(
                    command.person_id, command.at, command.actor, command.dossier_id, command.amount
                )
            ]
        case RevokeAdr():
            if state is None or held_elsewhere:
                return []
            return [
                AdrGrantRevoked(command.person_id, command.at, command.actor, command.dossier_id)
            ]
    raise TypeError(f"unknown command {command!r}")  # pragma: no cover


def evolve(state: State, event: Event) -> State:
    return event if isinstance(event, AdrGranted) else None


def holds_a_grant_elsewhere(state: State, dossier_id: UUID) -> bool:
    """Whether the person holds an ADR granted on another dossier than this one."""
    return state is not None and state.dossier_id != dossier_id
