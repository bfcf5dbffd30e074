"""The facts of a dossier's life, as stored. A stored event is never renamed or changed
incompatibly: new fields come with defaults, and NAME is the stored name, whatever the class."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import ClassVar
from uuid import UUID

from domain.anonymisation import AnonymisedSummary
from domain.eligibility import Finding
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
    catastrophe: CatastropheClaim | None = None


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
    """The review, with what each rule of the rulebook found of each aid requested."""

    NAME: ClassVar[str] = "DossierReviewed"
    dossier_id: UUID
    occurred_at: datetime
    actor: str
    findings: str
    assessment: Assessment
    proposal: tuple[AidAmount, ...]
    opinion: Opinion
    situation: Situation = field(default_factory=Situation)
    eligibility: tuple[Finding, ...] = ()
    rulebook_version: str = ""


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
    session_id: UUID | None = None


@dataclass(frozen=True)
class DossierTakenOffAgenda:
    """The session had not opened: the dossier is ready for another one (or to be withdrawn)."""

    NAME: ClassVar[str] = "DossierTakenOffAgenda"
    dossier_id: UUID
    occurred_at: datetime
    actor: str
    session_reference: str
    reason: str


@dataclass(frozen=True)
class DossierDecided:
    """The decision: by a CASS session, or delegated (the FCI's fast path)."""

    NAME: ClassVar[str] = "DossierDecided"
    dossier_id: UUID
    occurred_at: datetime
    actor: str
    outcome: Outcome
    granted: tuple[AidAmount, ...]
    reason: str
    session_id: UUID | None = None
    session_reference: str | None = None
    delegated: bool = False
    rulebook_version: str = ""


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


@dataclass(frozen=True)
class DossierClosedWithoutFollowUp:
    """The documents asked for never came: the dossier is closed (classé sans suite)."""

    NAME: ClassVar[str] = "DossierClosedWithoutFollowUp"
    dossier_id: UUID
    occurred_at: datetime
    actor: str
    reason: str


@dataclass(frozen=True)
class ReExaminationRequested:
    """A recours gracieux against the notified decision: it goes back to the commission."""

    NAME: ClassVar[str] = "ReExaminationRequested"
    dossier_id: UUID
    occurred_at: datetime
    actor: str
    received_on: date
    reason: str


@dataclass(frozen=True)
class PersonalDataErased:
    """The retention period is over: the dossier's identifying data is destroyed for good."""

    NAME: ClassVar[str] = "PersonalDataErased"
    dossier_id: UUID
    occurred_at: datetime
    actor: str


Event = (
    DossierFiled
    | DocumentsRequested
    | DocumentsReceived
    | DossierReviewed
    | DossierAnonymised
    | DossierPresentedToCass
    | DossierTakenOffAgenda
    | DossierDecided
    | DecisionNotified
    | DossierWithdrawn
    | DossierClosedWithoutFollowUp
    | ReExaminationRequested
    | PersonalDataErased
)

EVENT_TYPES: tuple[type[Event], ...] = (
    DossierFiled,
    DocumentsRequested,
    DocumentsReceived,
    DossierReviewed,
    DossierAnonymised,
    DossierPresentedToCass,
    DossierTakenOffAgenda,
    DossierDecided,
    DecisionNotified,
    DossierWithdrawn,
    DossierClosedWithoutFollowUp,
    ReExaminationRequested,
    PersonalDataErased,
)
