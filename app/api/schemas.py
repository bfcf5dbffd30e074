"""Request and response bodies of the dossier API; value objects are the domain's dataclasses."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from app.api import answer_examples as answered
from app.api.answers import Out, with_example
from app.services.dossiers import Snapshot
from app.services.identifiers import FreeIdentifier
from domain.anonymisation import AnonymisedSummary
from domain.dossier import Status, implicit_rejection_date
from domain.dossier_events import (
    DecisionNotified,
    DossierClosedWithoutFollowUp,
    DossierDecided,
    DossierPresentedToCass,
    DossierReviewed,
    DossierWithdrawn,
    ReExaminationRequested,
)
from domain.rulebook import Rulebook
from domain.values import (
    Activity,
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


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FileDossierRequest(Body):
    """A request for help, as the worker filed it with the form and documents."""

    applicant: Applicant
    activity: Activity
    region: str = Field(description="The Urssaf region of the place of activity")
    aids: list[AidRequest] = Field(description="One or more of ACED, AFE, FCI, ADR")
    difficulty_factors: list[DifficultyFactor]
    own_account: str = Field(description="The applicant's own account of the difficulty")
    channel: IntakeChannel
    documents: list[DocumentKind] = Field(default_factory=list)
    catastrophe: CatastropheClaim | None = Field(
        None, description="For an FCI: the catastrophe event and the day of the damage"
    )


class RequestDocumentsRequest(Body):
    documents: list[DocumentKind]
    due_date: date
    reason: str


class ReceiveDocumentsRequest(Body):
    documents: list[DocumentKind]


class ReviewDossierRequest(Body):
    findings: str
    assessment: Assessment
    proposal: list[AidAmount]
    opinion: Opinion
    situation: Situation = Field(
        default_factory=Situation,
        description="What was established of the worker; unknown facts make rules undeterminable",
    )


class AnonymiseDossierRequest(Body):
    """What the commission reads besides the structured facts: a short text written for it."""

    commission_summary: str = Field(
        description="The situation in a few sentences, for the commission (at most 1000 "
        "characters): no name, identifier, address or diagnosis — a health difficulty is "
        "named by the leaflet's category only. Refused, each problem with its place, otherwise"
    )


class DecideDossierRequest(Body):
    outcome: Outcome
    granted: list[AidAmount] = Field(default_factory=list)
    reason: str = Field(description="The motivation of the decision: always required")


class NotifyDecisionRequest(Body):
    channel: NotificationChannel
    notified_on: date
    reference: FreeIdentifier


class WithdrawDossierRequest(Body):
    reason: str


class ReasonRequest(Body):
    """A command whose only content is its reason."""

    reason: str


class ReExaminationRequest(Body):
    """A recours gracieux: the worker contests the notified decision."""

    received_on: date = Field(description="The day the Urssaf received the recours")
    reason: str


class DossierOut(Out):
    """A dossier as it stands at a version: identity, request, and each step's latest fact."""

    model_config = with_example(answered.DOSSIER)

    id: UUID
    reference: str
    version: int = Field(description="The stream version; send it back in If-Match")
    status: Status
    region: str
    filed_at: datetime
    last_changed_at: datetime
    applicant: Applicant
    activity: Activity
    aids: list[AidRequest]
    difficulty_factors: list[DifficultyFactor]
    own_account: str
    channel: IntakeChannel
    documents_received: list[DocumentKind]
    outstanding_documents: list[DocumentKind]
    documents_due: date | None
    implicit_rejection_date: date | None = Field(
        description="After this day, silence counts as an implicit rejection; None when no "
        "decision is awaited"
    )
    catastrophe: CatastropheClaim | None
    review: DossierReviewed | None
    anonymised_summary: AnonymisedSummary | None
    presentation: DossierPresentedToCass | None
    decision: DossierDecided | None
    notification: DecisionNotified | None
    withdrawal: DossierWithdrawn | None
    closure: DossierClosedWithoutFollowUp | None
    re_examination: ReExaminationRequested | None

    @classmethod
    def of(cls, snapshot: Snapshot, rulebook: Rulebook) -> "DossierOut":
        state, filing = snapshot.state, snapshot.state.filing
        return cls(
            id=filing.dossier_id,
            reference=filing.reference,
            version=snapshot.version,
            status=state.status,
            region=filing.region,
            filed_at=filing.occurred_at,
            last_changed_at=state.last_changed_at,
            applicant=filing.applicant,
            activity=filing.activity,
            aids=list(filing.aids),
            difficulty_factors=list(filing.difficulty_factors),
            own_account=filing.own_account,
            channel=filing.channel,
            documents_received=list(state.documents_received),
            outstanding_documents=list(state.outstanding_documents),
            documents_due=state.documents_due,
            implicit_rejection_date=implicit_rejection_date(state, rulebook),
            catastrophe=filing.catastrophe,
            review=state.review,
            anonymised_summary=state.anonymisation.summary if state.anonymisation else None,
            presentation=state.presentation,
            decision=state.decision,
            notification=state.notification,
            withdrawal=state.withdrawal,
            closure=state.closure,
            re_examination=state.re_examination,
        )


class HistoryEntryOut(Out):
    """One event of the dossier's stream, as it was recorded."""

    version: int
    type: str = Field(description="The event's stable stored name, e.g. DossierFiled")
    occurred_at: datetime
    actor: str = Field(description="Who did it")
    data: dict[str, Any] = Field(description="The event's other fields")


class HistoryOut(Out):
    model_config = with_example(answered.HISTORY)

    dossier_id: UUID
    version: int
    events: list[HistoryEntryOut]
