"""The aid dossier, as a decider: commands, events, state, `decide` and `evolve`.

The ordinary path is filed → reviewed → anonymised → presented to the CASS → decided → notified.
On the way a dossier may wait for documents, be adjourned (back to review) or be withdrawn.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from typing import ClassVar
from uuid import UUID

from domain import rules
from domain.anonymisation import AnonymisedSummary, anonymise
from domain.errors import RuleViolation
from domain.values import (
    Activity,
    AidAmount,
    AidRequest,
    Applicant,
    Assessment,
    DifficultyFactor,
    DocumentKind,
    IntakeChannel,
    NotificationChannel,
    Opinion,
    Outcome,
)


class Status(StrEnum):
    FILED = "filed"
    AWAITING_DOCUMENTS = "awaiting_documents"
    REVIEWED = "reviewed"
    ANONYMISED = "anonymised"
    PRESENTED = "presented"
    ADJOURNED = "adjourned"
    DECIDED = "decided"
    NOTIFIED = "notified"
    WITHDRAWN = "withdrawn"


CLOSED = frozenset({Status.NOTIFIED, Status.WITHDRAWN})
UNDER_REVIEW = frozenset({Status.FILED, Status.ADJOURNED})
AFTER_PRESENTATION = frozenset({Status.PRESENTED, Status.DECIDED})
AFTER_ANONYMISATION = AFTER_PRESENTATION | {Status.ANONYMISED}


# Commands: what someone asks of a dossier. The edge gives them their id, time and actor.


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


@dataclass(frozen=True)
class AnonymiseDossier:
    dossier_id: UUID
    at: datetime
    actor: str


@dataclass(frozen=True)
class PresentToCass:
    dossier_id: UUID
    at: datetime
    actor: str
    session_reference: str
    session_date: date


@dataclass(frozen=True)
class DecideDossier:
    dossier_id: UUID
    at: datetime
    actor: str
    outcome: Outcome
    granted: tuple[AidAmount, ...]
    reason: str


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


Command = (
    FileDossier
    | RequestDocuments
    | ReceiveDocuments
    | ReviewDossier
    | AnonymiseDossier
    | PresentToCass
    | DecideDossier
    | NotifyDecision
    | WithdrawDossier
)


# Events: facts, in the past tense. Each says when it happened and who did it.
# NAME is the event's stable stored name: it never changes, whatever the class or module is called.


@dataclass(frozen=True)
class DossierFiled:
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


@dataclass(frozen=True)
class DocumentsRequested:
    NAME: ClassVar[str] = "DocumentsRequested"
    dossier_id: UUID
    occurred_at: datetime
    actor: str
    documents: tuple[DocumentKind, ...]
    due_date: date
    reason: str


@dataclass(frozen=True)
class DocumentsReceived:
    NAME: ClassVar[str] = "DocumentsReceived"
    dossier_id: UUID
    occurred_at: datetime
    actor: str
    documents: tuple[DocumentKind, ...]


@dataclass(frozen=True)
class DossierReviewed:
    NAME: ClassVar[str] = "DossierReviewed"
    dossier_id: UUID
    occurred_at: datetime
    actor: str
    findings: str
    assessment: Assessment
    proposal: tuple[AidAmount, ...]
    opinion: Opinion


@dataclass(frozen=True)
class DossierAnonymised:
    NAME: ClassVar[str] = "DossierAnonymised"
    dossier_id: UUID
    occurred_at: datetime
    actor: str
    summary: AnonymisedSummary


@dataclass(frozen=True)
class DossierPresentedToCass:
    NAME: ClassVar[str] = "DossierPresentedToCass"
    dossier_id: UUID
    occurred_at: datetime
    actor: str
    session_reference: str
    session_date: date


@dataclass(frozen=True)
class DossierDecided:
    NAME: ClassVar[str] = "DossierDecided"
    dossier_id: UUID
    occurred_at: datetime
    actor: str
    outcome: Outcome
    granted: tuple[AidAmount, ...]
    reason: str


@dataclass(frozen=True)
class DecisionNotified:
    NAME: ClassVar[str] = "DecisionNotified"
    dossier_id: UUID
    occurred_at: datetime
    actor: str
    channel: NotificationChannel
    notified_on: date
    reference: str


@dataclass(frozen=True)
class DossierWithdrawn:
    NAME: ClassVar[str] = "DossierWithdrawn"
    dossier_id: UUID
    occurred_at: datetime
    actor: str
    reason: str


Event = (
    DossierFiled
    | DocumentsRequested
    | DocumentsReceived
    | DossierReviewed
    | DossierAnonymised
    | DossierPresentedToCass
    | DossierDecided
    | DecisionNotified
    | DossierWithdrawn
)

EVENT_TYPES: tuple[type[Event], ...] = (
    DossierFiled,
    DocumentsRequested,
    DocumentsReceived,
    DossierReviewed,
    DossierAnonymised,
    DossierPresentedToCass,
    DossierDecided,
    DecisionNotified,
    DossierWithdrawn,
)


# State: the dossier as its events made it. The latest event of each step is kept whole.


@dataclass(frozen=True)
class Dossier:
    filing: DossierFiled
    status: Status
    last_changed_at: datetime
    outstanding_documents: tuple[DocumentKind, ...] = ()
    documents_due: date | None = None
    documents_received: tuple[DocumentKind, ...] = ()
    status_before_documents: Status | None = None
    review: DossierReviewed | None = None
    anonymisation: DossierAnonymised | None = None
    presentation: DossierPresentedToCass | None = None
    decision: DossierDecided | None = None
    notification: DecisionNotified | None = None
    withdrawal: DossierWithdrawn | None = None


State = Dossier | None
initial_state: State = None


def decide(command: Command, state: State) -> list[Event]:
    """The events that the command causes, or a RuleViolation / InvalidFields if it may not."""
    if isinstance(command, FileDossier):
        return [_file(command, state)]
    if state is None:
        raise RuleViolation("dossier_must_be_filed_first", "no dossier was filed with this id")
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
        case DecideDossier():
            return [_decide(command, state)]
        case NotifyDecision():
            return [_notify(command, state)]
        case WithdrawDossier():
            return [_withdraw(command, state)]
    raise TypeError(f"unknown command {command!r}")  # pragma: no cover


def _refuse_if_closed(state: Dossier) -> None:
    if state.status is Status.WITHDRAWN:
        raise RuleViolation("nothing_after_withdrawal", "the applicant withdrew this dossier")
    if state.status is Status.NOTIFIED:
        raise RuleViolation(
            "nothing_after_notification", "the decision was notified: the dossier is closed"
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
    rules.check_review(command, state.filing.aids)
    return DossierReviewed(
        dossier_id=command.dossier_id,
        occurred_at=command.at,
        actor=command.actor,
        findings=command.findings,
        assessment=command.assessment,
        proposal=command.proposal,
        opinion=command.opinion,
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
    summary = anonymise(
        dossier_id=filing.dossier_id,
        applicant=filing.applicant,
        region=filing.region,
        activity_kind=filing.activity.kind,
        affiliated_since=filing.activity.affiliated_since,
        aids_requested=filing.aids,
        difficulty_factors=filing.difficulty_factors,
        own_account=filing.own_account,
        findings=review.findings,
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
    _require(
        state,
        frozenset({Status.ANONYMISED}),
        "no_presentation_before_anonymisation",
        "the commission only sees anonymised dossiers",
    )
    rules.check_presentation(command, state.last_changed_at.date())
    return DossierPresentedToCass(
        dossier_id=command.dossier_id,
        occurred_at=command.at,
        actor=command.actor,
        session_reference=command.session_reference,
        session_date=command.session_date,
    )


def _decide(command: DecideDossier, state: Dossier) -> DossierDecided:
    _refuse_if_done(state, frozenset({Status.DECIDED}), "dossier_already_decided")
    _require(
        state,
        frozenset({Status.PRESENTED}),
        "no_decision_before_presentation",
        "the commission decides on dossiers presented to it",
    )
    rules.check_decision(command, state.filing.aids)
    return DossierDecided(
        dossier_id=command.dossier_id,
        occurred_at=command.at,
        actor=command.actor,
        outcome=command.outcome,
        granted=command.granted,
        reason=command.reason,
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
    if state.status is Status.DECIDED:
        raise RuleViolation(
            "no_withdrawal_after_decision",
            "the commission has decided: the decision is notified, then re-examined if contested",
        )
    rules.check_reason("reason", command.reason)
    return DossierWithdrawn(
        dossier_id=command.dossier_id,
        occurred_at=command.at,
        actor=command.actor,
        reason=command.reason,
    )


def evolve(state: State, event: Event) -> State:
    """The dossier after the event. Events are facts: evolve never refuses one."""
    if isinstance(event, DossierFiled):
        return Dossier(
            filing=event,
            status=Status.FILED,
            last_changed_at=event.occurred_at,
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
                outstanding_documents=(),
                documents_due=None,
                documents_received=received,
                status_before_documents=None,
            )
        case DossierReviewed():
            return replace(state, status=Status.REVIEWED, review=event)
        case DossierAnonymised():
            return replace(state, status=Status.ANONYMISED, anonymisation=event)
        case DossierPresentedToCass():
            return replace(state, status=Status.PRESENTED, presentation=event)
        case DossierDecided():
            adjourned = event.outcome is Outcome.ADJOURNED
            return replace(
                state, status=Status.ADJOURNED if adjourned else Status.DECIDED, decision=event
            )
        case DecisionNotified():
            return replace(state, status=Status.NOTIFIED, notification=event)
        case DossierWithdrawn():
            return replace(state, status=Status.WITHDRAWN, withdrawal=event)
    raise TypeError(f"unknown event {event!r}")  # pragma: no cover


def fold(events: "list[Event] | tuple[Event, ...]", state: State = initial_state) -> State:
    for event in events:
        state = evolve(state, event)
    return state
