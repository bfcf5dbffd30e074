"""The aid dossier, as a decider: commands, state, `decide` and `evolve` (events: dossier_events).

The ordinary path is filed → reviewed → anonymised → presented to a CASS session → decided in
that session → notified. On the way a dossier may wait for documents (and be closed without
follow-up when they never come), be adjourned (back to review or to a later session), be
withdrawn, or, once notified, be re-examined on a recours gracieux. An FCI takes the fast path:
reviewed, then decided by delegation, drawing on its catastrophe's envelope.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from uuid import UUID

from domain import rules
from domain.anonymisation import anonymise
from domain.commission_text import check_commission_summary
from domain.dossier_events import (
    EVENT_TYPES,
    DecisionNotified,
    DocumentsReceived,
    DocumentsRequested,
    DossierAnonymised,
    DossierClosedWithoutFollowUp,
    DossierDecided,
    DossierFiled,
    DossierPresentedToCass,
    DossierReviewed,
    DossierTakenOffAgenda,
    DossierWithdrawn,
    Event,
    PersonalDataErased,
    ReExaminationRequested,
)
from domain.eligibility import (
    Case,
    CatastropheFacts,
    check_within_limits,
    evaluate,
    takeover_order,
)
from domain.errors import RuleViolation
from domain.granting import check_grant
from domain.rulebook import Rulebook, add_months
from domain.values import (
    Activity,
    Aid,
    AidAmount,
    AidRequest,
    Applicant,
    Assessment,
    CatastropheClaim,
    DifficultyFactor,
    DocumentKind,
    IntakeChannel,
    NotificationChannel,
    Opinion,
    Outcome,
    Situation,
)

# The events are the decider's too, defined apart: once stored, they never change.
__all__ = [
    "EVENT_TYPES",
    "DecisionNotified",
    "DocumentsReceived",
    "DocumentsRequested",
    "DossierAnonymised",
    "DossierClosedWithoutFollowUp",
    "DossierDecided",
    "DossierFiled",
    "DossierPresentedToCass",
    "DossierReviewed",
    "DossierTakenOffAgenda",
    "DossierWithdrawn",
    "Event",
    "PersonalDataErased",
    "ReExaminationRequested",
]


class Status(StrEnum):
    FILED = "filed"
    AWAITING_DOCUMENTS = "awaiting_documents"
    REVIEWED = "reviewed"
    ANONYMISED = "anonymised"
    PRESENTED = "presented"
    ADJOURNED = "adjourned"
    DECIDED = "decided"
    NOTIFIED = "notified"
    RE_EXAMINATION = "re_examination"
    WITHDRAWN = "withdrawn"
    CLOSED_WITHOUT_FOLLOW_UP = "closed_without_follow_up"


UNDER_REVIEW = frozenset({Status.FILED, Status.ADJOURNED, Status.RE_EXAMINATION})
AFTER_PRESENTATION = frozenset({Status.PRESENTED, Status.DECIDED})
AFTER_ANONYMISATION = AFTER_PRESENTATION | {Status.ANONYMISED}
READY_FOR_A_SESSION = frozenset({Status.ANONYMISED, Status.ADJOURNED, Status.RE_EXAMINATION})
SILENT = frozenset({Status.AWAITING_DOCUMENTS, Status.DECIDED, Status.NOTIFIED}) | {
    Status.WITHDRAWN,
    Status.CLOSED_WITHOUT_FOLLOW_UP,
}


# Commands: what someone asks of a dossier. The edge gives them their id, time and actor, and
# the facts read from other aggregates (a session, a catastrophe event, the rulebook).


@dataclass(frozen=True)
class SessionFacts:
    """What a decision needs to know of the CASS session taking it."""

    session_id: UUID
    reference: str
    region: str
    session_date: date
    is_open: bool


@dataclass(frozen=True)
class FileDossier:
    dossier_id: UUID
    reference: str
    at: datetime
    actor: str
    applicant: Applicant
    activity: Activity
    region: str
    aids: tuple[AidRequest, ...]
    difficulty_factors: tuple[DifficultyFactor, ...]
    own_account: str
    channel: IntakeChannel
    documents: tuple[DocumentKind, ...] = ()
    catastrophe: CatastropheClaim | None = None


@dataclass(frozen=True)
class RequestDocuments:
    dossier_id: UUID
    at: datetime
    actor: str
    documents: tuple[DocumentKind, ...]
    due_date: date
    reason: str


@dataclass(frozen=True)
class ReceiveDocuments:
    dossier_id: UUID
    at: datetime
    actor: str
    documents: tuple[DocumentKind, ...]


@dataclass(frozen=True)
class ReviewDossier:
    dossier_id: UUID
    at: datetime
    actor: str
    findings: str
    assessment: Assessment
    proposal: tuple[AidAmount, ...]
    opinion: Opinion
    situation: Situation
    rulebook: Rulebook
    catastrophe: CatastropheFacts | None = None
    adr_already_granted: bool | None = None


@dataclass(frozen=True)
class AnonymiseDossier:
    """The summary for the commission, with the text the reviewer wrote for it and the code
    the service keyed for the dossier (the domain holds no key)."""

    dossier_id: UUID
    at: datetime
    actor: str
    commission_summary: str
    anonymous_code: str


@dataclass(frozen=True)
class PresentToCass:
    dossier_id: UUID
    at: datetime
    actor: str
    session: SessionFacts


@dataclass(frozen=True)
class TakeOffAgenda:
    dossier_id: UUID
    at: datetime
    actor: str
    reason: str


@dataclass(frozen=True)
class DecideDossier:
    """A decision taken in `session`, or by delegation when `session` is None (FCI only)."""

    dossier_id: UUID
    at: datetime
    actor: str
    outcome: Outcome
    granted: tuple[AidAmount, ...]
    reason: str
    rulebook: Rulebook
    session: SessionFacts | None = None
    catastrophe: CatastropheFacts | None = None


@dataclass(frozen=True)
class NotifyDecision:
    dossier_id: UUID
    at: datetime
    actor: str
    channel: NotificationChannel
    notified_on: date
    reference: str


@dataclass(frozen=True)
class WithdrawDossier:
    dossier_id: UUID
    at: datetime
    actor: str
    reason: str


@dataclass(frozen=True)
class CloseWithoutFollowUp:
    dossier_id: UUID
    at: datetime
    actor: str
    reason: str


@dataclass(frozen=True)
class RequestReExamination:
    dossier_id: UUID
    at: datetime
    actor: str
    received_on: date
    reason: str
    rulebook: Rulebook


@dataclass(frozen=True)
class ErasePersonalData:
    """Whatever became of it, a dossier nobody touched for the retention period is erased."""

    dossier_id: UUID
    at: datetime
    actor: str
    retention_days: int


Command = (
    FileDossier
    | RequestDocuments
    | ReceiveDocuments
    | ReviewDossier
    | AnonymiseDossier
    | PresentToCass
    | TakeOffAgenda
    | DecideDossier
    | NotifyDecision
    | WithdrawDossier
    | CloseWithoutFollowUp
    | RequestReExamination
    | ErasePersonalData
)


# State: the dossier as its events made it. The latest event of each step is kept whole.


@dataclass(frozen=True)
class Dossier:
    filing: DossierFiled
    status: Status
    last_changed_at: datetime
    complete_since: date
    outstanding_documents: tuple[DocumentKind, ...] = ()
    documents_due: date | None = None
    documents_received: tuple[DocumentKind, ...] = ()
    status_before_documents: Status | None = None
    review: DossierReviewed | None = None
    anonymisation: DossierAnonymised | None = None
    presentation: DossierPresentedToCass | None = None
    status_before_presentation: Status | None = None
    decision: DossierDecided | None = None
    notification: DecisionNotified | None = None
    withdrawal: DossierWithdrawn | None = None
    closure: DossierClosedWithoutFollowUp | None = None
    re_examination: ReExaminationRequested | None = None
    erasure: PersonalDataErased | None = None


State = Dossier | None
initial_state: State = None


def implicit_rejection_date(state: Dossier, rulebook: Rulebook) -> date | None:
    """The day after which the administration's silence counts as a rejection (2 months after
    the file is complete), or None when no decision is awaited."""
    if state.status in SILENT:
        return None
    return add_months(state.complete_since, rulebook.implicit_rejection_months)


def decide(command: Command, state: State) -> list[Event]:
    """The events that the command causes, or a RuleViolation / InvalidFields if it may not."""
    if isinstance(command, FileDossier):
        return [_file(command, state)]
    if state is None:
        raise RuleViolation("dossier_must_be_filed_first", "no dossier was filed with this id")
    if isinstance(command, RequestReExamination):
        return [_re_examination(command, state)]
    if isinstance(command, ErasePersonalData):
        return [_erase(command, state)]
    _refuse_if_closed(state)
    match command:
        case RequestDocuments():
            return [_request_documents(command, state)]
        case ReceiveDocuments():
            return [_receive_documents(command, state)]
        case ReviewDossier():
            return [_review(command, state)]
        case AnonymiseDossier():
            return [_anonymise(command, state)]
        case PresentToCass():
            return [_present(command, state)]
        case TakeOffAgenda():
            return [_take_off_agenda(command, state)]
        case DecideDossier():
            return [_decide(command, state)]
        case NotifyDecision():
            return [_notify(command, state)]
        case WithdrawDossier():
            return [_withdraw(command, state)]
        case CloseWithoutFollowUp():
            return [_close_without_follow_up(command, state)]
    raise TypeError(f"unknown command {command!r}")  # pragma: no cover


def _refuse_if_closed(state: Dossier) -> None:
    if state.status is Status.WITHDRAWN:
        raise RuleViolation("nothing_after_withdrawal", "the applicant withdrew this dossier")
    if state.status is Status.CLOSED_WITHOUT_FOLLOW_UP:
        raise RuleViolation(
            "nothing_after_closing_without_follow_up", "the dossier was closed without follow-up"
        )
    if state.status is Status.NOTIFIED:
        raise RuleViolation(
            "nothing_after_notification",
            "the decision was notified: only a re-examination reopens the dossier",
        )


def _require(state: Dossier, allowed: frozenset[Status], rule: str, reason: str) -> None:
    if state.status not in allowed:
        raise RuleViolation(rule, f"{reason} (the dossier is {state.status.value})")


def _refuse_if_done(state: Dossier, done: frozenset[Status], rule: str) -> None:
    if state.status in done:
        raise RuleViolation(
            rule,
            f"this step is done (the dossier is {state.status.value}); an adjournment reopens it",
        )


def _file(command: FileDossier, state: State) -> DossierFiled:
    if state is not None:
        raise RuleViolation("dossier_is_filed_once", "a dossier with this id was already filed")
    rules.check_filing(command)
    return DossierFiled(
        dossier_id=command.dossier_id,
        occurred_at=command.at,
        actor=command.actor,
        reference=command.reference,
        applicant=command.applicant,
        activity=command.activity,
        region=command.region,
        aids=command.aids,
        difficulty_factors=command.difficulty_factors,
        own_account=command.own_account,
        channel=command.channel,
        documents=command.documents,
        catastrophe=command.catastrophe,
    )


def _request_documents(command: RequestDocuments, state: Dossier) -> DocumentsRequested:
    _require(
        state,
        UNDER_REVIEW | {Status.AWAITING_DOCUMENTS, Status.REVIEWED},
        "documents_are_requested_during_review",
        "documents are requested while the dossier is reviewed, before it is anonymised",
    )
    rules.check_document_request(command)
    return DocumentsRequested(
        dossier_id=command.dossier_id,
        occurred_at=command.at,
        actor=command.actor,
        documents=command.documents,
        due_date=command.due_date,
        reason=command.reason,
    )


def _receive_documents(command: ReceiveDocuments, state: Dossier) -> DocumentsReceived:
    _require(
        state,
        frozenset({Status.AWAITING_DOCUMENTS}),
        "documents_are_received_when_requested",
        "no documents are awaited",
    )
    rules.check_documents_received(command, state.outstanding_documents)
    return DocumentsReceived(
        dossier_id=command.dossier_id,
        occurred_at=command.at,
        actor=command.actor,
        documents=command.documents,
    )


def _review(command: ReviewDossier, state: Dossier) -> DossierReviewed:
    if state.status is Status.AWAITING_DOCUMENTS:
        raise RuleViolation(
            "review_waits_for_requested_documents",
            "documents were requested and have not all been received",
        )
    _require(
        state,
        UNDER_REVIEW | {Status.REVIEWED},
        "review_comes_before_anonymisation",
        "a dossier is reviewed after filing or adjournment, before it is anonymised",
    )
    filing = state.filing
    rules.check_review(command, filing.aids)
    check_within_limits(command.proposal, filing.aids, command.assessment, command.rulebook)
    eligibility = tuple(
        finding
        for request in filing.aids
        for finding in evaluate(
            Case(
                request=request,
                activity=filing.activity,
                birth_date=filing.applicant.birth_date,
                region=filing.region,
                filed_on=filing.occurred_at.date(),
                assessment=command.assessment,
                situation=command.situation,
                rulebook=command.rulebook,
                catastrophe_claim=filing.catastrophe,
                catastrophe=command.catastrophe,
                adr_already_granted=command.adr_already_granted,
            )
        )
    )
    return DossierReviewed(
        dossier_id=command.dossier_id,
        occurred_at=command.at,
        actor=command.actor,
        findings=command.findings,
        assessment=command.assessment,
        proposal=command.proposal,
        opinion=command.opinion,
        situation=command.situation,
        eligibility=eligibility,
        rulebook_version=command.rulebook.version,
    )


def _anonymise(command: AnonymiseDossier, state: Dossier) -> DossierAnonymised:
    _refuse_if_done(state, AFTER_ANONYMISATION, "dossier_already_anonymised")
    _require(
        state,
        frozenset({Status.REVIEWED}),
        "no_anonymisation_before_review",
        "only a reviewed dossier is anonymised for the commission",
    )
    assert state.review is not None
    filing, review = state.filing, state.review
    text = check_commission_summary(
        "commission_summary",
        command.commission_summary,
        filing.applicant,
        activity=filing.activity,
        dossier_id=command.dossier_id,
        reference=filing.reference,
    )
    summary = anonymise(
        anonymous_code=command.anonymous_code,
        applicant=filing.applicant,
        region=filing.region,
        activity_kind=filing.activity.kind,
        affiliated_since=filing.activity.affiliated_since,
        aids_requested=filing.aids,
        difficulty_factors=filing.difficulty_factors,
        commission_summary=text,
        assessment=review.assessment,
        proposal=review.proposal,
        opinion=review.opinion,
        on=command.at.date(),
    )
    return DossierAnonymised(
        dossier_id=command.dossier_id,
        occurred_at=command.at,
        actor=command.actor,
        summary=summary,
    )


def _present(command: PresentToCass, state: Dossier) -> DossierPresentedToCass:
    _refuse_if_done(state, AFTER_PRESENTATION, "dossier_already_presented")
    if state.status not in READY_FOR_A_SESSION or state.anonymisation is None:
        raise RuleViolation(
            "no_presentation_before_anonymisation",
            f"the commission only sees anonymised dossiers (the dossier is {state.status.value})",
        )
    session = command.session
    if session.session_date < state.anonymisation.occurred_at.date():
        raise RuleViolation(
            "presented_to_a_session_after_anonymisation",
            f"session of {session.session_date}, before the dossier was anonymised",
        )
    if session.region != state.filing.region:
        raise RuleViolation(
            "presented_to_the_commission_of_its_region",
            f"the dossier is of {state.filing.region}, the session of {session.region}",
        )
    return DossierPresentedToCass(
        dossier_id=command.dossier_id,
        occurred_at=command.at,
        actor=command.actor,
        session_reference=session.reference,
        session_date=session.session_date,
        session_id=session.session_id,
    )


def _take_off_agenda(command: TakeOffAgenda, state: Dossier) -> DossierTakenOffAgenda:
    _require(
        state,
        frozenset({Status.PRESENTED}),
        "decisions_are_on_agenda_dossiers",
        "only a dossier on an agenda is taken off it",
    )
    assert state.presentation is not None
    rules.check_reason("reason", command.reason)
    return DossierTakenOffAgenda(
        dossier_id=command.dossier_id,
        occurred_at=command.at,
        actor=command.actor,
        session_reference=state.presentation.session_reference,
        reason=command.reason,
    )


def _decide(command: DecideDossier, state: Dossier) -> DossierDecided:
    _refuse_if_done(state, frozenset({Status.DECIDED}), "dossier_already_decided")
    if command.session is None:
        _check_delegation(state)
    else:
        _check_session(command.session, state)
    filing, review = state.filing, state.review
    assert review is not None
    rules.check_decision(command, filing.aids)
    check_grant(
        command.outcome,
        command.granted,
        filing,
        review,
        command.rulebook,
        command.catastrophe,
        command.at.date(),
    )
    granted = tuple(
        replace(g, periods=takeover_order(g.periods, command.at.date())) for g in command.granted
    )
    return DossierDecided(
        dossier_id=command.dossier_id,
        occurred_at=command.at,
        actor=command.actor,
        outcome=command.outcome,
        granted=granted,
        reason=command.reason,
        session_id=command.session.session_id if command.session else None,
        session_reference=command.session.reference if command.session else None,
        delegated=command.session is None,
        rulebook_version=command.rulebook.version,
    )


def _check_delegation(state: Dossier) -> None:
    if {request.aid for request in state.filing.aids} != {Aid.FCI}:
        raise RuleViolation(
            "only_fci_takes_the_delegated_path",
            "a decision outside a CASS session is only for an emergency FCI request",
        )
    if state.re_examination is not None:
        raise RuleViolation(
            "re_examination_goes_to_the_commission",
            "a contested decision is re-examined by the commission, not by delegation",
        )
    _require(
        state,
        frozenset({Status.REVIEWED, Status.ANONYMISED}),
        "delegated_decision_follows_the_review",
        "an FCI is decided by delegation once reviewed",
    )


def _check_session(session: SessionFacts, state: Dossier) -> None:
    _require(
        state,
        frozenset({Status.PRESENTED}),
        "no_decision_before_presentation",
        "the commission decides on dossiers presented to it",
    )
    assert state.presentation is not None
    if state.presentation.session_id != session.session_id:
        raise RuleViolation(
            "decided_in_the_session_it_was_presented_to",
            f"the dossier is on the agenda of {state.presentation.session_reference}",
        )
    if not session.is_open:
        raise RuleViolation(
            "decided_in_an_open_session", f"session {session.reference} is not open"
        )


def _notify(command: NotifyDecision, state: Dossier) -> DecisionNotified:
    if state.status is Status.ADJOURNED:
        raise RuleViolation(
            "an_adjournment_is_not_notified",
            "an adjourned dossier goes back to review; only a final decision is notified",
        )
    _require(
        state,
        frozenset({Status.DECIDED}),
        "no_notification_before_decision",
        "only a decision can be notified",
    )
    assert state.decision is not None
    rules.check_notification(command, state.decision.occurred_at.date())
    return DecisionNotified(
        dossier_id=command.dossier_id,
        occurred_at=command.at,
        actor=command.actor,
        channel=command.channel,
        notified_on=command.notified_on,
        reference=command.reference,
    )


def _withdraw(command: WithdrawDossier, state: Dossier) -> DossierWithdrawn:
    if state.status in (Status.DECIDED, Status.RE_EXAMINATION) or state.re_examination:
        raise RuleViolation(
            "no_withdrawal_after_decision",
            "the commission has decided: the decision is notified, then re-examined if contested",
        )
    if state.status is Status.PRESENTED:
        raise RuleViolation(
            "no_withdrawal_while_on_an_agenda",
            "the dossier is on a session's agenda, which closes only when each dossier is "
            "decided: the commission adjourns it, then the withdrawal can be recorded",
        )
    rules.check_reason("reason", command.reason)
    return DossierWithdrawn(
        dossier_id=command.dossier_id,
        occurred_at=command.at,
        actor=command.actor,
        reason=command.reason,
    )


def _close_without_follow_up(
    command: CloseWithoutFollowUp, state: Dossier
) -> DossierClosedWithoutFollowUp:
    _require(
        state,
        frozenset({Status.AWAITING_DOCUMENTS}),
        "closed_without_follow_up_only_when_documents_are_awaited",
        "a dossier is closed without follow-up when the documents asked never came",
    )
    assert state.documents_due is not None
    if command.at.date() <= state.documents_due:
        raise RuleViolation(
            "closed_without_follow_up_after_the_due_date",
            f"the documents are due by {state.documents_due}",
        )
    rules.check_reason("reason", command.reason)
    return DossierClosedWithoutFollowUp(
        dossier_id=command.dossier_id,
        occurred_at=command.at,
        actor=command.actor,
        reason=command.reason,
    )


def _re_examination(command: RequestReExamination, state: Dossier) -> ReExaminationRequested:
    if state.status is not Status.NOTIFIED:
        raise RuleViolation(
            "re_examination_of_a_notified_decision", "only a notified decision is re-examined"
        )
    rulebook = command.rulebook
    if not rulebook.re_examination_allowed:
        raise RuleViolation("re_examination_is_not_open", "this rulebook has no re-examination")
    if state.re_examination is not None:
        raise RuleViolation("a_decision_is_re_examined_once", "it was re-examined already")
    assert state.notification is not None
    notified_on = state.notification.notified_on
    rules.check_re_examination(command, notified_on)
    limit = add_months(notified_on, rulebook.re_examination_months)
    if command.received_on > limit:
        raise RuleViolation(
            "re_examination_within_the_period",
            f"notified on {notified_on}: a recours gracieux is received by {limit}",
        )
    return ReExaminationRequested(
        dossier_id=command.dossier_id,
        occurred_at=command.at,
        actor=command.actor,
        received_on=command.received_on,
        reason=command.reason,
    )


def _erase(command: ErasePersonalData, state: Dossier) -> PersonalDataErased:
    if state.erasure is not None:
        raise RuleViolation("personal_data_is_erased_once", "it was erased already")
    kept_until = state.last_changed_at + timedelta(days=command.retention_days)
    if command.at < kept_until:
        raise RuleViolation(
            "personal_data_is_kept_for_the_retention_period",
            f"kept until {kept_until.date()} ({command.retention_days} days after the last event)",
        )
    return PersonalDataErased(
        dossier_id=command.dossier_id, occurred_at=command.at, actor=command.actor
    )


def evolve(state: State, event: Event) -> State:
    """The dossier after the event. Events are facts: evolve never refuses one."""
    if isinstance(event, DossierFiled):
        return Dossier(
            filing=event,
            status=Status.FILED,
            last_changed_at=event.occurred_at,
            complete_since=event.occurred_at.date(),
            documents_received=event.documents,
        )
    assert state is not None, "a dossier's first event is DossierFiled"
    state = replace(state, last_changed_at=event.occurred_at)
    match event:
        case DocumentsRequested():
            outstanding = tuple(dict.fromkeys(state.outstanding_documents + event.documents))
            before = state.status_before_documents or state.status
            return replace(
                state,
                status=Status.AWAITING_DOCUMENTS,
                outstanding_documents=outstanding,
                documents_due=event.due_date,
                status_before_documents=before,
            )
        case DocumentsReceived():
            outstanding = tuple(d for d in state.outstanding_documents if d not in event.documents)
            received = tuple(dict.fromkeys(state.documents_received + event.documents))
            if outstanding:
                return replace(
                    state, outstanding_documents=outstanding, documents_received=received
                )
            return replace(
                state,
                status=state.status_before_documents or Status.FILED,
                complete_since=event.occurred_at.date(),
                outstanding_documents=(),
                documents_due=None,
                documents_received=received,
                status_before_documents=None,
            )
        case DossierReviewed():  # a new review calls for a new anonymous summary
            return replace(state, status=Status.REVIEWED, review=event, anonymisation=None)
        case DossierAnonymised():
            return replace(state, status=Status.ANONYMISED, anonymisation=event)
        case DossierPresentedToCass():
            before = state.status
            return replace(
                state,
                status=Status.PRESENTED,
                presentation=event,
                status_before_presentation=before,
            )
        case DossierTakenOffAgenda():  # back where it stood before it was presented
            before = state.status_before_presentation or Status.ANONYMISED
            return replace(state, status=before, presentation=None, status_before_presentation=None)
        case DossierDecided():
            adjourned = event.outcome is Outcome.ADJOURNED
            return replace(
                state, status=Status.ADJOURNED if adjourned else Status.DECIDED, decision=event
            )
        case DecisionNotified():
            return replace(state, status=Status.NOTIFIED, notification=event)
        case DossierWithdrawn():
            return replace(state, status=Status.WITHDRAWN, withdrawal=event)
        case DossierClosedWithoutFollowUp():
            return replace(state, status=Status.CLOSED_WITHOUT_FOLLOW_UP, closure=event)
        case PersonalDataErased():
            return replace(state, erasure=event)
        case ReExaminationRequested():
            return replace(
                state,
                status=Status.RE_EXAMINATION,
                re_examination=event,
                complete_since=event.received_on,
            )
    raise TypeError(f"unknown event {event!r}")  # pragma: no cover


def fold(events: "list[Event] | tuple[Event, ...]", state: State = initial_state) -> State:
    for event in events:
        state = evolve(state, event)
    return state
