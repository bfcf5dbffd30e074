"""A session of the regional CASS: scheduled, its agenda of anonymised dossiers, opened with its
quorum, each dossier decided while it is open, closed with its minutes.

Attendance is attested by the members themselves: each present member signs in, under their own
name. The quorum counts them, only a member who signed in opens, decides or closes, each decision
records who sat, and the minutes name those members and nobody else."""

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from domain.anonymisation import AnonymisedSummary
from domain.errors import InvalidField, InvalidFields, RuleViolation
from domain.identifiers import (
    VISIBLE_IDENTIFIER_RULE,
    session_reference_problem,
    visible_identifier_problem,
)
from domain.values import AidAmount, Outcome


class SessionStatus(StrEnum):
    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True)
class ScheduleSession:
    session_id: UUID
    at: datetime
    actor: str
    reference: str
    region: str
    session_date: date
    members: tuple[str, ...]
    quorum: int = 1


@dataclass(frozen=True)
class PutOnAgenda:
    """The commission gets the anonymised summary, never the nominative dossier."""

    session_id: UUID
    at: datetime
    actor: str
    dossier_id: UUID
    anonymous_code: str
    summary: AnonymisedSummary | None = None


@dataclass(frozen=True)
class RemoveFromAgenda:
    """Before the session opens, a dossier leaves its agenda (to another session, or withdrawn)."""

    session_id: UUID
    at: datetime
    actor: str
    dossier_id: UUID
    reason: str


@dataclass(frozen=True)
class SignIn:
    """A member attests their own presence: the actor is the member."""

    session_id: UUID
    at: datetime
    actor: str


@dataclass(frozen=True)
class OpenSession:
    """Opened by a member who signed in, once the members signed in make the quorum."""

    session_id: UUID
    at: datetime
    actor: str
    quorum: int


@dataclass(frozen=True)
class RecordDecision:
    session_id: UUID
    at: datetime
    actor: str
    dossier_id: UUID
    outcome: Outcome
    granted: tuple[AidAmount, ...]


@dataclass(frozen=True)
class CloseSession:
    session_id: UUID
    at: datetime
    actor: str


Command = (
    ScheduleSession
    | PutOnAgenda
    | RemoveFromAgenda
    | SignIn
    | OpenSession
    | RecordDecision
    | CloseSession
)


@dataclass(frozen=True)
class SessionScheduled:
    NAME: ClassVar[str] = "SessionScheduled"
    session_id: UUID
    occurred_at: datetime
    actor: str
    reference: str
    region: str
    session_date: date
    members: tuple[str, ...]


@dataclass(frozen=True)
class DossierPutOnAgenda:
    NAME: ClassVar[str] = "DossierPutOnAgenda"
    session_id: UUID
    occurred_at: datetime
    actor: str
    dossier_id: UUID
    anonymous_code: str
    summary: AnonymisedSummary | None = None


@dataclass(frozen=True)
class DossierRemovedFromAgenda:
    NAME: ClassVar[str] = "DossierRemovedFromAgenda"
    session_id: UUID
    occurred_at: datetime
    actor: str
    dossier_id: UUID
    anonymous_code: str
    reason: str


@dataclass(frozen=True)
class MemberSignedIn:
    """A member of the commission attested, under their own name, that they sit."""

    NAME: ClassVar[str] = "MemberSignedIn"
    session_id: UUID
    occurred_at: datetime
    actor: str


@dataclass(frozen=True)
class SessionOpened:
    """`members_present`: those who signed in (`attested`); before sign-ins existed, the list
    the opener declared (stored as `attested` false)."""

    NAME: ClassVar[str] = "SessionOpened"
    session_id: UUID
    occurred_at: datetime
    actor: str
    members_present: tuple[str, ...]
    attested: bool = False


@dataclass(frozen=True)
class SessionDecisionRecorded:
    NAME: ClassVar[str] = "SessionDecisionRecorded"
    session_id: UUID
    occurred_at: datetime
    actor: str
    dossier_id: UUID
    anonymous_code: str
    outcome: Outcome
    granted: tuple[AidAmount, ...]
    members_present: tuple[str, ...] = ()  # who sat (empty in decisions before sign-ins)


@dataclass(frozen=True)
class MinutesLine:
    anonymous_code: str
    outcome: Outcome
    granted: tuple[AidAmount, ...]
    members_present: tuple[str, ...] = ()  # who sat when it was decided


@dataclass(frozen=True)
class SessionClosed:
    NAME: ClassVar[str] = "SessionClosed"
    session_id: UUID
    occurred_at: datetime
    actor: str
    members_present: tuple[str, ...]
    minutes: tuple[MinutesLine, ...]


Event = (
    SessionScheduled
    | DossierPutOnAgenda
    | DossierRemovedFromAgenda
    | MemberSignedIn
    | SessionOpened
    | SessionDecisionRecorded
    | SessionClosed
)
EVENT_TYPES: tuple[type[Event], ...] = (
    SessionScheduled,
    DossierPutOnAgenda,
    DossierRemovedFromAgenda,
    MemberSignedIn,
    SessionOpened,
    SessionDecisionRecorded,
    SessionClosed,
)


@dataclass(frozen=True)
class AgendaItem:
    dossier_id: UUID
    anonymous_code: str
    summary: AnonymisedSummary | None = None
    decision: SessionDecisionRecorded | None = None


@dataclass(frozen=True)
class CassSession:
    scheduling: SessionScheduled
    status: SessionStatus
    agenda: tuple[AgendaItem, ...] = ()
    members_present: tuple[str, ...] = ()  # signed in (or, in sessions of old, declared)
    attendance_attested: bool = True
    closing: SessionClosed | None = None

    def item(self, dossier_id: UUID) -> AgendaItem | None:
        return next((i for i in self.agenda if i.dossier_id == dossier_id), None)


State = CassSession | None


def decide(command: Command, state: State) -> list[Event]:
    if isinstance(command, ScheduleSession):
        if state is not None:
            raise RuleViolation("session_is_scheduled_once", "this session is already scheduled")
        return [_schedule(command)]
    if state is None:
        raise RuleViolation("session_must_be_scheduled_first", "no such CASS session")
    if state.status is SessionStatus.CLOSED:
        raise RuleViolation("nothing_after_the_minutes", "the session is closed")
    match command:
        case PutOnAgenda():
            if state.item(command.dossier_id):
                raise RuleViolation("on_the_agenda_once", "the dossier is already on the agenda")
            return [
                DossierPutOnAgenda(
                    command.session_id,
                    command.at,
                    command.actor,
                    command.dossier_id,
                    command.anonymous_code,
                    command.summary,
                )
            ]
        case RemoveFromAgenda():
            return [_remove(command, state)]
        case SignIn():
            return [_sign_in(command, state)]
        case OpenSession():
            return [_open(command, state)]
        case RecordDecision():
            return [_record_decision(command, state)]
        case CloseSession():
            return [_close(command, state)]
    raise TypeError(f"unknown command {command!r}")  # pragma: no cover


def _schedule(command: ScheduleSession) -> SessionScheduled:
    if command.session_date < command.at.date():
        raise RuleViolation(
            "a_session_is_scheduled_ahead",
            "a session is scheduled for today or a later day: its minutes carry its date",
        )
    problems = [
        InvalidField(name, "must not be blank")
        for name, value in (("reference", command.reference), ("region", command.region))
        if not value.strip()
    ]
    if not problems and (reason := session_reference_problem(command.reference)):
        problems.append(InvalidField("reference", reason))
    # "a" and "A" would be two seats for one person: member ids are compared ignoring case
    if not command.members or len({m.lower() for m in command.members}) != len(command.members):
        problems.append(
            InvalidField("members", "name each member of the commission once, whatever the case")
        )
    elif any(visible_identifier_problem(member) for member in command.members):
        problems.append(InvalidField("members", "a member id is " + VISIBLE_IDENTIFIER_RULE))
    elif len(command.members) < command.quorum:
        problems.append(
            InvalidField("members", f"fewer members than the quorum of {command.quorum}")
        )
    if problems:
        raise InvalidFields(tuple(problems))
    return SessionScheduled(
        command.session_id,
        command.at,
        command.actor,
        command.reference,
        command.region,
        command.session_date,
        command.members,
    )


def _remove(command: RemoveFromAgenda, state: CassSession) -> DossierRemovedFromAgenda:
    if state.status is not SessionStatus.SCHEDULED:
        raise RuleViolation(
            "agenda_changes_before_the_session_opens",
            "the session is open: the commission decides or adjourns each dossier on its agenda",
        )
    item = state.item(command.dossier_id)
    if item is None:
        raise RuleViolation("decisions_are_on_agenda_dossiers", "the dossier is not on the agenda")
    if not command.reason.strip():
        raise InvalidFields((InvalidField("reason", "must not be blank"),))
    return DossierRemovedFromAgenda(
        command.session_id,
        command.at,
        command.actor,
        command.dossier_id,
        item.anonymous_code,
        command.reason,
    )


def _sign_in(command: SignIn, state: CassSession) -> MemberSignedIn:
    if command.actor not in state.scheduling.members:
        raise RuleViolation("only_members_sit", "only a member of this commission signs in")
    if command.at.date() != state.scheduling.session_date:
        raise RuleViolation(
            "members_sign_in_on_the_session_day",
            f"the session is on {state.scheduling.session_date}: members sign in on that day only",
        )
    if command.actor in state.members_present:
        raise RuleViolation("a_member_signs_in_once", "you have signed in to this session")
    return MemberSignedIn(command.session_id, command.at, command.actor)


def _check_sitting(actor: str, state: CassSession) -> None:
    """Only a member present, who attested it, acts for the commission."""
    if actor not in state.members_present:
        raise RuleViolation(
            "only_a_member_present_acts",
            "sign in to the session first: only a member present opens, decides and closes",
        )


def _open(command: OpenSession, state: CassSession) -> SessionOpened:
    if state.status is not SessionStatus.SCHEDULED:
        raise RuleViolation("session_opens_once", "the session is already open")
    if command.at.date() != state.scheduling.session_date:
        raise RuleViolation(
            "a_session_opens_on_its_date",
            f"the session is on {state.scheduling.session_date}: it opens on that day only",
        )
    _check_sitting(command.actor, state)
    present = len(state.members_present)
    if present < command.quorum:
        raise RuleViolation(
            "session_needs_its_quorum",
            f"{present} members signed in, the quorum is {command.quorum}",
        )
    return SessionOpened(
        command.session_id, command.at, command.actor, state.members_present, attested=True
    )


def _record_decision(command: RecordDecision, state: CassSession) -> SessionDecisionRecorded:
    if state.status is not SessionStatus.OPEN:
        raise RuleViolation("decisions_are_taken_in_an_open_session", "the session is not open yet")
    item = state.item(command.dossier_id)
    if item is None:
        raise RuleViolation(
            "decisions_are_on_agenda_dossiers", "the dossier is not on this session's agenda"
        )
    if item.decision is not None:
        raise RuleViolation("decided_once_per_session", "the session already decided it")
    _check_sitting(command.actor, state)
    return SessionDecisionRecorded(
        command.session_id,
        command.at,
        command.actor,
        command.dossier_id,
        item.anonymous_code,
        command.outcome,
        command.granted,
        state.members_present,
    )


def _close(command: CloseSession, state: CassSession) -> SessionClosed:
    if state.status is not SessionStatus.OPEN:
        raise RuleViolation("only_an_open_session_closes", "the session was never opened")
    _check_sitting(command.actor, state)
    undecided = [i.anonymous_code for i in state.agenda if i.decision is None]
    if undecided:
        raise RuleViolation(
            "every_agenda_dossier_is_decided_before_closing",
            f"still to decide (or adjourn): {', '.join(undecided)}",
        )
    minutes = tuple(
        MinutesLine(
            i.anonymous_code, i.decision.outcome, i.decision.granted, i.decision.members_present
        )
        for i in state.agenda
        if i.decision is not None
    )
    return SessionClosed(
        command.session_id, command.at, command.actor, state.members_present, minutes
    )


def evolve(state: State, event: Event) -> State:
    if isinstance(event, SessionScheduled):
        return CassSession(scheduling=event, status=SessionStatus.SCHEDULED)
    assert state is not None
    match event:
        case DossierPutOnAgenda():
            item = AgendaItem(event.dossier_id, event.anonymous_code, event.summary)
            return replace(state, agenda=(*state.agenda, item))
        case DossierRemovedFromAgenda():
            agenda = tuple(i for i in state.agenda if i.dossier_id != event.dossier_id)
            return replace(state, agenda=agenda)
        case MemberSignedIn():
            return replace(state, members_present=(*state.members_present, event.actor))
        case SessionOpened():  # of old, the members it names were declared, not signed in
            present = tuple(dict.fromkeys((*state.members_present, *event.members_present)))
            return replace(
                state,
                status=SessionStatus.OPEN,
                members_present=present,
                attendance_attested=event.attested,
            )
        case SessionDecisionRecorded():
            agenda = tuple(
                replace(i, decision=event) if i.dossier_id == event.dossier_id else i
                for i in state.agenda
            )
            return replace(state, agenda=agenda)
        case SessionClosed():
            return replace(state, status=SessionStatus.CLOSED, closing=event)
    raise TypeError(f"unknown event {event!r}")  # pragma: no cover
