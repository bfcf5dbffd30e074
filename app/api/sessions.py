"""The CASS session routes: schedule, agenda, attendance, open, decide, close, minutes.

Everything a session answers is anonymised: the agenda and the minutes name dossiers by their
anonymous code and carry the summary computed for the commission, never the nominative dossier.
Attendance is attested by each member with their own token; nobody declares it for others.
"""

from datetime import date
from typing import Annotated, Any, Literal
from uuid import UUID, uuid4

from fastapi import APIRouter, Path, Response, status
from pydantic import Field

from app.api import answer_examples as answered
from app.api import request_examples as asked
from app.api.answers import Out, with_example
from app.api.auth import Caller, Principal, Role, allowed
from app.api.deps import (
    COMMAND,
    CREATE,
    READ,
    Actor,
    Clock,
    ExpectedVersion,
    Regions,
    Service,
    VisibleSession,
    documented,
    opened_dossier,
)
from app.api.problems import ProblemError
from app.api.requests import StrictJSONRoute
from app.api.schemas import Body, DecideDossierRequest, ReasonRequest
from app.services.identifiers import SessionReference, VisibleIdentifier
from app.store.commanding import Outcome as CommandOutcome
from app.store.commanding import execute
from app.store.eventstore import Stream
from domain import cass_session, dossier
from domain.anonymisation import AnonymisedSummary, for_the_commission
from domain.cass_session import CassSession, MinutesLine, SessionStatus
from domain.errors import InvalidField
from domain.values import AidAmount, Outcome

DOSSIER_ETAG = "X-Dossier-ETag"  # the dossier's new version, when a session command moved it
AnonymousCode = Annotated[
    str, Path(pattern=r"^ANO-[0-9A-F]{10}$", description="The dossier's anonymous code")
]
router = APIRouter(prefix="/cass-sessions", tags=["cass sessions"], route_class=StrictJSONRoute)
SESSION = "CASS session"


class ScheduleSessionRequest(Body):
    reference: SessionReference  # at most 60 characters, as the read models keep it
    region: str
    session_date: date = Field(description="Today or a later day: members sign in on it")
    members: list[VisibleIdentifier] = Field(
        description="The ids of the commission's members, each once whatever the case; each "
        "signs in with a commission token whose `sub` is their id"
    )


class PutOnAgendaRequest(Body):
    dossier_id: UUID = Field(description="An anonymised dossier of the session's region")


class OpenSessionRequest(Body):
    """Nothing to send: the members present are those who signed in."""

    members_present: list[str] | None = Field(
        None,
        deprecated=True,
        description="Refused: each member present signs in with their own token "
        "(POST /cass-sessions/{id}/attendance); nobody declares the others present",
    )


class AgendaDecisionOut(Out):
    outcome: Outcome
    granted: list[AidAmount]
    members_present: list[str] = Field(description="Who sat when it was decided")


class AgendaItemOut(Out):
    anonymous_code: str
    summary: AnonymisedSummary | None
    decision: AgendaDecisionOut | None


class SessionOut(Out):
    """A session as the commission sees it: nothing in it identifies a worker."""

    model_config = with_example(answered.SESSION_ANSWER)

    id: UUID
    version: int
    reference: str
    region: str
    session_date: date
    status: SessionStatus
    members: list[str]
    members_present: list[str] = Field(description="The members who signed in")
    agenda: list[AgendaItemOut]

    @classmethod
    def of(cls, session: Stream[CassSession]) -> "SessionOut":
        state, scheduling = session.state, session.state.scheduling
        return cls(
            id=session.id,
            version=session.version,
            reference=scheduling.reference,
            region=scheduling.region,
            session_date=scheduling.session_date,
            status=state.status,
            members=list(scheduling.members),
            members_present=list(state.members_present),
            agenda=[
                AgendaItemOut(
                    anonymous_code=item.anonymous_code,
                    summary=for_the_commission(item.summary) if item.summary else None,
                    decision=AgendaDecisionOut(
                        outcome=item.decision.outcome,
                        granted=list(item.decision.granted),
                        members_present=list(item.decision.members_present),
                    )
                    if item.decision
                    else None,
                )
                for item in state.agenda
            ],
        )


class MinutesOut(Out):
    model_config = with_example(answered.MINUTES)

    session_id: UUID
    reference: str
    region: str
    session_date: date
    members_present: list[str] = Field(description="The members who signed in, and only them")
    attendance: Literal["attested", "declared"] = Field(
        description="attested: each member present signed in; declared: a session held before "
        "sign-ins, whose opener listed the members present"
    )
    decisions: list[MinutesLine]


ONLY_MEMBERS = "Only the session's members may do this, each with their own commission token."
# Signing in, opening, deciding and closing: commission tokens only, an admin's included.
SITTING = allowed(Role.COMMISSION, admin=False, refusal=ONLY_MEMBERS)


def member(caller: Principal, service: Service, session_id: UUID) -> None:
    """A commission's token acts only in a session of its own commission; whether the member
    signed in is the session's rule (409 `only_a_member_present_acts`)."""
    if caller.subject not in service.session(session_id).state.scheduling.members:
        raise ProblemError(
            403,
            "forbidden",
            "Forbidden",
            ONLY_MEMBERS,
        )


def session_answer(
    response: Response,
    service: Service,
    session_id: VisibleSession,
    outcome: CommandOutcome[Any] | None = None,
) -> SessionOut:
    """The session as it is now; after a command, the store position of its last event too."""
    if outcome is not None and outcome.position is not None:
        response.headers["X-Event-Position"] = str(outcome.position)
    session = service.session(session_id)
    response.headers["ETag"] = f'"{session.version}"'
    return SessionOut.of(session)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=SessionOut,
    responses=CREATE,
    **allowed(Role.CASEWORKER),
)
def schedule_cass_session(
    body: Annotated[ScheduleSessionRequest, asked.SCHEDULE_SESSION],
    service: Service,
    at: Clock,
    regions: Regions,
    caller: Caller,
    actor: Actor,
    response: Response,
) -> SessionOut:
    """Schedule a session of a region's commission, with its members."""
    if body.region not in regions:
        raise InvalidField("region", f"unknown region; expected one of {', '.join(regions)}")
    if not caller.sees(body.region):
        raise ProblemError(403, "forbidden", "Forbidden", f"You do not act in {body.region}.")
    session_id = uuid4()
    command = cass_session.ScheduleSession(
        session_id,
        at,
        actor,
        body.reference,
        body.region,
        body.session_date,
        tuple(body.members),
        quorum=service.rulebook.cass_quorum,
    )
    outcome = execute(service.application, SESSION, cass_session, command, session_id, 0)
    response.headers["Location"] = f"/cass-sessions/{session_id}"
    return session_answer(response, service, session_id, outcome)


@router.get(
    "/{session_id}",
    response_model=SessionOut,
    responses=READ,
    **allowed(Role.CASEWORKER, Role.COMMISSION, Role.AUDITOR),
)
def get_cass_session(
    session_id: VisibleSession, service: Service, response: Response
) -> SessionOut:
    """A session with its agenda of anonymised dossiers and their decisions."""
    return session_answer(response, service, session_id)


@router.post(
    "/{session_id}/agenda", response_model=SessionOut, responses=COMMAND, **allowed(Role.CASEWORKER)
)
def put_dossier_on_agenda(
    session_id: VisibleSession,
    body: Annotated[PutOnAgendaRequest, asked.PUT_ON_AGENDA],
    service: Service,
    at: Clock,
    caller: Caller,
    actor: Actor,
    expected: ExpectedVersion,
    response: Response,
) -> SessionOut:
    """Present an anonymised dossier to the session: it joins the agenda.

    `If-Match` is the **dossier's** ETag (the caseworker presents the dossier they read); the
    answer's ETag is the session's.
    """
    presented = opened_dossier(body.dossier_id, caller, service)
    outcome = service.present(session_id, body.dossier_id, at, actor, expected, presented)
    response.headers[DOSSIER_ETAG] = f'"{outcome.version}"'
    return session_answer(response, service, session_id, outcome)


@router.post(
    "/{session_id}/attendance",
    response_model=SessionOut,
    responses=COMMAND,
    **SITTING,
)
def sign_in_to_cass_session(
    session_id: VisibleSession,
    service: Service,
    at: Clock,
    caller: Caller,
    actor: Actor,
    expected: ExpectedVersion,
    response: Response,
) -> SessionOut:
    """A member of the session's commission attests, with their own token, that they sit: on
    the session's day, before it opens or once open (a late arrival), once. No body.

    The quorum counts the members who signed in; only they open, decide and close; each
    decision records who sat, and the minutes name them and nobody else.
    """
    member(caller, service, session_id)
    command = cass_session.SignIn(session_id, at, actor)
    outcome = execute(service.application, SESSION, cass_session, command, session_id, expected)
    return session_answer(response, service, session_id, outcome)


@router.post(
    "/{session_id}/opening",
    response_model=SessionOut,
    responses=COMMAND,
    **SITTING,
)
def open_cass_session(
    session_id: VisibleSession,
    service: Service,
    at: Clock,
    caller: Caller,
    actor: Actor,
    expected: ExpectedVersion,
    response: Response,
    body: Annotated[OpenSessionRequest | None, asked.OPEN_SESSION] = None,
) -> SessionOut:
    """Open the session once the members who signed in make the rulebook's quorum; the one who
    opens it is among them. No body: nobody declares the others present."""
    member(caller, service, session_id)
    if body is not None and body.members_present is not None:
        raise InvalidField(
            "members_present",
            "attendance is not declared: each member present signs in with their own token "
            f"(POST /cass-sessions/{session_id}/attendance)",
        )
    command = cass_session.OpenSession(session_id, at, actor, service.rulebook.cass_quorum)
    outcome = execute(service.application, SESSION, cass_session, command, session_id, expected)
    return session_answer(response, service, session_id, outcome)


@router.post(
    "/{session_id}/agenda/{anonymous_code}/decision",
    response_model=SessionOut,
    responses=COMMAND,
    **SITTING,
)
def decide_in_cass_session(
    session_id: VisibleSession,
    anonymous_code: AnonymousCode,
    body: Annotated[DecideDossierRequest, asked.DECIDE_IN_SESSION],
    service: Service,
    at: Clock,
    caller: Caller,
    actor: Actor,
    expected: ExpectedVersion,
    response: Response,
) -> SessionOut:
    """The open session decides a dossier of its agenda; the decision lands on the dossier.

    Taken by a member who signed in; it records the members present. `If-Match` is the
    session's ETag. An adjourned dossier goes back to review, or to a later session.
    """
    member(caller, service, session_id)
    command = dossier.DecideDossier(
        dossier_id=service.agenda_item(session_id, anonymous_code),
        at=at,
        actor=actor,
        outcome=body.outcome,
        granted=tuple(body.granted),
        reason=body.reason,
        rulebook=service.rulebook,
    )
    outcome = service.decide_in_session(session_id, command, session_version=expected)
    response.headers[DOSSIER_ETAG] = f'"{outcome.version}"'
    return session_answer(response, service, session_id, outcome)


@router.post(
    "/{session_id}/agenda/{anonymous_code}/removal",
    response_model=SessionOut,
    responses=COMMAND,
    **allowed(Role.CASEWORKER),
)
def remove_dossier_from_agenda(
    session_id: VisibleSession,
    anonymous_code: AnonymousCode,
    body: Annotated[ReasonRequest, asked.REMOVE_FROM_AGENDA],
    service: Service,
    at: Clock,
    actor: Actor,
    expected: ExpectedVersion,
    response: Response,
) -> SessionOut:
    """Before the session opens, take a dossier off its agenda (a session cancelled or moved,
    a dossier to present elsewhere or to withdraw). `If-Match` is the session's ETag."""
    dossier_id = service.agenda_item(session_id, anonymous_code)
    outcome = service.remove_from_agenda(
        session_id, dossier_id, at, actor, body.reason, session_version=expected
    )
    response.headers[DOSSIER_ETAG] = f'"{outcome.version}"'
    return session_answer(response, service, session_id, outcome)


@router.post(
    "/{session_id}/closing",
    response_model=SessionOut,
    responses=COMMAND,
    **SITTING,
)
def close_cass_session(
    session_id: VisibleSession,
    service: Service,
    at: Clock,
    caller: Caller,
    actor: Actor,
    expected: ExpectedVersion,
    response: Response,
) -> SessionOut:
    """Close the session once every dossier of its agenda is decided; the minutes are drawn,
    naming the members who signed in. Closed by one of them."""
    member(caller, service, session_id)
    command = cass_session.CloseSession(session_id, at, actor)
    outcome = execute(service.application, SESSION, cass_session, command, session_id, expected)
    return session_answer(response, service, session_id, outcome)


@router.get(
    "/{session_id}/minutes",
    response_model=MinutesOut,
    responses=documented(401, 403, 404, 409),
    **allowed(Role.CASEWORKER, Role.COMMISSION, Role.AUDITOR),
)
def get_cass_session_minutes(session_id: VisibleSession, service: Service) -> MinutesOut:
    """The minutes of a closed session: the members who signed in, and for each dossier its
    anonymous code, the decision, the amounts and who sat."""
    session = service.session(session_id)
    closing = session.state.closing
    if closing is None:
        raise ProblemError(
            409,
            "rule-violation",
            "Rule violation",
            "The minutes are drawn when the session closes.",
            rule="minutes_once_closed",
        )
    scheduling = session.state.scheduling
    return MinutesOut(
        session_id=session.id,
        reference=scheduling.reference,
        region=scheduling.region,
        session_date=scheduling.session_date,
        members_present=list(closing.members_present),
        attendance="attested" if session.state.attendance_attested else "declared",
        decisions=list(closing.minutes),
    )
