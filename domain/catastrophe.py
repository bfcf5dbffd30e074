"""A catastrophe event (storm, flood, fire…): regions, dates and the fund envelope FCI draws on."""

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar
from uuid import UUID

from domain.eligibility import CatastropheFacts
from domain.errors import InvalidField, InvalidFields, RuleViolation
from domain.rules import money_problem


@dataclass(frozen=True)
class OpenCatastrophe:
    catastrophe_id: UUID
    at: datetime
    actor: str
    name: str
    regions: tuple[str, ...]
    start: date
    end: date
    envelope: Decimal


@dataclass(frozen=True)
class DrawOnEnvelope:
    """An FCI grant: within the envelope, and within the FCI ceiling per worker and event."""

    catastrophe_id: UUID
    at: datetime
    actor: str
    dossier_id: UUID
    amount: Decimal
    worker: str = ""  # a pseudonym of the worker (every establishment of one SIREN)
    ceiling: Decimal | None = None


@dataclass(frozen=True)
class CloseCatastrophe:
    catastrophe_id: UUID
    at: datetime
    actor: str
    reason: str


Command = OpenCatastrophe | DrawOnEnvelope | CloseCatastrophe


@dataclass(frozen=True)
class CatastropheOpened:
    NAME: ClassVar[str] = "CatastropheOpened"
    catastrophe_id: UUID
    occurred_at: datetime
    actor: str
    name: str
    regions: tuple[str, ...]
    start: date
    end: date
    envelope: Decimal


@dataclass(frozen=True)
class EnvelopeDrawn:
    NAME: ClassVar[str] = "EnvelopeDrawn"
    catastrophe_id: UUID
    occurred_at: datetime
    actor: str
    dossier_id: UUID
    amount: Decimal
    worker: str = ""  # a pseudonym of the worker: every establishment of one SIREN counts


@dataclass(frozen=True)
class CatastropheClosed:
    NAME: ClassVar[str] = "CatastropheClosed"
    catastrophe_id: UUID
    occurred_at: datetime
    actor: str
    reason: str


Event = CatastropheOpened | EnvelopeDrawn | CatastropheClosed
EVENT_TYPES: tuple[type[Event], ...] = (CatastropheOpened, EnvelopeDrawn, CatastropheClosed)


@dataclass(frozen=True)
class Catastrophe:
    opening: CatastropheOpened
    used: Decimal
    draws: tuple[EnvelopeDrawn, ...] = ()
    closing: CatastropheClosed | None = None

    @property
    def remaining(self) -> Decimal:
        return self.opening.envelope - self.used

    def facts(self) -> CatastropheFacts:
        o = self.opening
        return CatastropheFacts(
            o.catastrophe_id, o.regions, o.start, o.end, self.closing is None, self.remaining
        )


State = Catastrophe | None


def decide(command: Command, state: State) -> list[Event]:
    match command:
        case OpenCatastrophe():
            if state is not None:
                raise RuleViolation("catastrophe_is_opened_once", "this event is already open")
            _check_opening(command)
            return [
                CatastropheOpened(
                    command.catastrophe_id,
                    command.at,
                    command.actor,
                    command.name,
                    command.regions,
                    command.start,
                    command.end,
                    command.envelope,
                )
            ]
    if state is None:
        raise RuleViolation("catastrophe_must_be_opened_first", "no such catastrophe event")
    if state.closing is not None:
        raise RuleViolation("nothing_after_closing", "the catastrophe event is closed")
    match command:
        case DrawOnEnvelope():
            problem = money_problem(command.amount)
            if problem or command.amount == 0:
                raise InvalidFields((InvalidField("amount", problem or "a draw is above zero"),))
            if any(d.dossier_id == command.dossier_id for d in state.draws):
                raise RuleViolation("a_dossier_draws_once", "this dossier already drew on it")
            if command.ceiling is not None and command.worker:
                before = sum(
                    (d.amount for d in state.draws if d.worker == command.worker), Decimal("0.00")
                )
                if before + command.amount > command.ceiling:
                    raise RuleViolation(
                        "fci_within_ceiling_per_worker_and_event",
                        f"this worker was already granted {before} € for this event: "
                        f"{command.ceiling} € at most in all",
                    )
            if command.amount > state.remaining:
                raise RuleViolation(
                    "fci_within_remaining_envelope",
                    f"{command.amount} € asked, only {state.remaining} € remain in the envelope",
                )
            return [
                EnvelopeDrawn(
                    command.catastrophe_id,
                    command.at,
                    command.actor,
                    command.dossier_id,
                    command.amount,
                    command.worker,
                )
            ]
        case CloseCatastrophe():
            if not command.reason.strip():
                raise InvalidFields((InvalidField("reason", "must not be blank"),))
            return [
                CatastropheClosed(command.catastrophe_id, command.at, command.actor, command.reason)
            ]
    raise TypeError(f"unknown command {command!r}")  # pragma: no cover


def _check_opening(command: OpenCatastrophe) -> None:
    problems = []
    if not command.name.strip():
        problems.append(InvalidField("name", "must not be blank"))
    if not command.regions:
        problems.append(InvalidField("regions", "name at least one region"))
    elif len(set(command.regions)) != len(command.regions):
        problems.append(InvalidField("regions", "name each region once"))
    if command.end < command.start:
        problems.append(InvalidField("end", "the event cannot end before it starts"))
    problem = money_problem(command.envelope)
    if problem or command.envelope == 0:
        problems.append(InvalidField("envelope", problem or "an envelope holds some money"))
    if problems:
        raise InvalidFields(tuple(problems))


def evolve(state: State, event: Event) -> State:
    match event:
        case CatastropheOpened():
            return Catastrophe(opening=event, used=Decimal("0.00"))
        case EnvelopeDrawn():
            assert state is not None
            return replace(state, used=state.used + event.amount, draws=(*state.draws, event))
        case CatastropheClosed():
            assert state is not None
            return replace(state, closing=event)
    raise TypeError(f"unknown event {event!r}")  # pragma: no cover
