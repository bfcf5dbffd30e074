"""One dossier, its commands and the events they cause, with fixed ids and times.

Every factory takes keyword changes (`filed(region="corse")`), so a spec only spells out what
it varies. The dates follow the ordinary path of a dossier filed in March 2024: an ACED for the
last quarter of 2023 and an AFE, asked by a crêperie hit by roadworks, decided by the CASS of
Bretagne on 2 April 2024.
"""

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.anonymisation import AnonymisedSummary
from domain.dossier import (
    AnonymiseDossier,
    CloseWithoutFollowUp,
    Command,
    DecideDossier,
    Dossier,
    FileDossier,
    NotifyDecision,
    PresentToCass,
    ReceiveDocuments,
    RequestDocuments,
    RequestReExamination,
    ReviewDossier,
    SessionFacts,
    Status,
    TakeOffAgenda,
    WithdrawDossier,
    decide,
    fold,
)
from domain.dossier_events import (
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
    ReExaminationRequested,
)
from domain.eligibility import Finding, Result
from domain.rulebook import Rulebook
from domain.values import (
    Activity,
    ActivityKind,
    Aid,
    AidAmount,
    AidRequest,
    Applicant,
    Assessment,
    ContributionPeriod,
    DifficultyFactor,
    DocumentKind,
    IntakeChannel,
    NotificationChannel,
    Opinion,
    Outcome,
    PostalAddress,
    Situation,
)

DOSSIER_ID = UUID("6f1c2d3e-5a4b-4c8d-9e0f-1a2b3c4d5e6f")
ANONYMOUS_CODE = "ANO-5C0D3E9A71"  # keyed by the service (app layer), given to the command
REFERENCE = "AS-2024-6F1C2D3E"
AGENT = "agent.urssaf.bretagne"
CASS_SECRETARY = "secretariat.cass.bretagne"
SESSION_ID = UUID("5e55a0b1-2c3d-4e5f-8a9b-0c1d2e3f4a5b")

FILED_AT = datetime(2024, 3, 4, 9, 30, tzinfo=UTC)
DOCUMENTS_REQUESTED_AT = datetime(2024, 3, 5, 10, 0, tzinfo=UTC)
DOCUMENTS_DUE = date(2024, 3, 29)
DOCUMENTS_RECEIVED_AT = datetime(2024, 3, 12, 14, 0, tzinfo=UTC)
REVIEWED_AT = datetime(2024, 3, 15, 11, 0, tzinfo=UTC)
ANONYMISED_AT = datetime(2024, 3, 18, 8, 0, tzinfo=UTC)
SESSION_DATE = date(2024, 4, 2)
PRESENTED_AT = datetime(2024, 4, 2, 9, 0, tzinfo=UTC)
TAKEN_OFF_AT = datetime(2024, 4, 2, 10, 0, tzinfo=UTC)  # before the session opens
DECIDED_AT = datetime(2024, 4, 2, 16, 0, tzinfo=UTC)
WITHDRAWN_AT = datetime(2024, 4, 3, 10, 0, tzinfo=UTC)
CLOSED_AT = datetime(2024, 4, 3, 10, 0, tzinfo=UTC)
NOTIFIED_AT = datetime(2024, 4, 5, 10, 0, tzinfo=UTC)
NOTIFIED_ON = date(2024, 4, 5)
RE_EXAMINATION_AT = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)
RE_EXAMINATION_RECEIVED_ON = date(2024, 5, 3)

NIR_FIRST_13 = "2780629019123"  # a woman born in June 1978 in Finistère (29)
NIR = NIR_FIRST_13 + "33"  # 97 - 2780629019123 % 97 == 33
SIRET = "73282932000074"

APPLICANT = Applicant(
    last_name="Kerbrat",
    first_name="Gwenaëlle",
    birth_date=date(1978, 6, 15),
    siret=SIRET,
    email="g.kerbrat@example.fr",
    phone="0612345678",
    address=PostalAddress(line1="7 rue de Siam", postal_code="29200", city="Brest"),
    nir=NIR,
)
# The applicant of the second outside review: Kerbrat Yann, 14 rue de Siam, Brest.
YANN = replace(
    APPLICANT,
    first_name="Yann",
    address=PostalAddress(line1="14 rue de Siam", postal_code="29200", city="Brest"),
)
ACTIVITY = Activity(
    kind=ActivityKind.COMMERCANT, affiliated_since=date(2015, 9, 1), description="crêperie"
)
Q4_2023 = ContributionPeriod(
    start=date(2023, 10, 1), end=date(2023, 12, 31), amount=Decimal("1320.50")
)
AIDS = (
    AidRequest(aid=Aid.ACED, periods=(Q4_2023,)),
    AidRequest(aid=Aid.AFE, amount=Decimal("1800.00")),
)
FACTORS = (DifficultyFactor.ROADWORKS, DifficultyFactor.LOSS_OF_CUSTOMERS)
OWN_ACCOUNT = "Six months of roadworks in front of the shop: half of my customers went elsewhere."
FINDINGS = "Contributions paid regularly until 2023; the roadworks are confirmed by the city."
COMMISSION_SUMMARY = "Travaux de voirie pendant six mois : la moitié de la clientèle est partie."
ASSESSMENT = Assessment(
    annual_income=Decimal("14200.00"),
    monthly_charges=Decimal("950.00"),
    contributions_due=Decimal("2640.00"),
    contributions_paid=Decimal("21319.50"),  # since affiliation in 2015
    household_size=2,
)
SITUATION = Situation(
    self_employment_is_main_activity=True, difficulty_is_one_off=True, has_covid_debt=False
)
RULEBOOK = Rulebook()
PROPOSAL = (
    AidAmount(aid=Aid.ACED, amount=Decimal("1320.50"), periods=(Q4_2023,)),
    AidAmount(aid=Aid.AFE, amount=Decimal("1500.00")),
)
EVERYTHING_ASKED = (
    AidAmount(aid=Aid.ACED, amount=Decimal("1320.50"), periods=(Q4_2023,)),
    AidAmount(aid=Aid.AFE, amount=Decimal("1800.00")),
)
SESSION = SessionFacts(
    session_id=SESSION_ID,
    reference="CASS-BRE-2024-04",
    region="bretagne",
    session_date=SESSION_DATE,
    is_open=True,
)
SCHEDULED_SESSION = replace(SESSION, is_open=False)  # the agenda is set before the session opens
JUNE = SessionFacts(  # a later session, for an adjourned or re-examined dossier
    session_id=UUID("5e55a0b1-2c3d-4e5f-8a9b-0c1d2e3f4a06"),
    reference="CASS-BRE-2024-06",
    region="bretagne",
    session_date=date(2024, 6, 4),
    is_open=False,
)
JUNE_OPEN = replace(JUNE, is_open=True)
SUMMARY = AnonymisedSummary(
    anonymous_code=ANONYMOUS_CODE,
    region="bretagne",
    activity_kind=ActivityKind.COMMERCANT,
    seniority_years=8,  # affiliated 2015-09-01, anonymised 2024-03-18
    age_bracket="40-49",  # 45 on 2024-03-18
    aids_requested=AIDS,
    difficulty_factors=FACTORS,
    situation=COMMISSION_SUMMARY,
    assessment=ASSESSMENT,
    proposal=PROPOSAL,
    opinion=Opinion.FAVOURABLE,
    written_for_the_commission=True,
)


def _passed(aid: Aid, rule: str, reason: str) -> Finding:
    return Finding(aid=aid, rule=rule, result=Result.PASSED, reason=reason)


_ACED_AND_AFE_FINDINGS = (
    (
        "requires_more_than_one_year_of_affiliation",
        "affiliated since 2015-09-01, more than 1 year(s) before the request",
    ),
    ("requires_contributions_already_paid", "21319.50 € of contributions already paid"),
    ("requires_self_employment_as_main_activity", "self-employment is the main activity"),
    ("requires_a_one_off_difficulty", "the difficulty is one-off"),
    ("covid_debt_requires_a_payment_plan", "no Covid-related debt"),
)
# What the rules found of the example's ACED and AFE: every condition is met.
ELIGIBILITY = (
    *(_passed(Aid.ACED, rule, reason) for rule, reason in _ACED_AND_AFE_FINDINGS),
    *(_passed(Aid.AFE, rule, reason) for rule, reason in _ACED_AND_AFE_FINDINGS),
    _passed(
        Aid.AFE, "afe_within_ceiling", "1800.00 € asked, within the standard ceiling of 2000.00 €"
    ),
    _passed(
        Aid.AFE,
        "afe_not_above_contributions_paid",
        "1800.00 € asked, not above the 21319.50 € of contributions paid",
    ),
)


def applicant(**changes: Any) -> Applicant:
    return replace(APPLICANT, **changes)


def address(**changes: Any) -> PostalAddress:
    return replace(APPLICANT.address, **changes)


# Commands


def file_dossier(**changes: Any) -> FileDossier:
    command = FileDossier(
        dossier_id=DOSSIER_ID,
        reference=REFERENCE,
        at=FILED_AT,
        actor="applicant",
        applicant=APPLICANT,
        activity=ACTIVITY,
        region="bretagne",
        aids=AIDS,
        difficulty_factors=FACTORS,
        own_account=OWN_ACCOUNT,
        channel=IntakeChannel.URSSAF_MESSAGING,
        documents=(DocumentKind.APPLICATION_FORM,),
    )
    return replace(command, **changes)


def request_documents(**changes: Any) -> RequestDocuments:
    command = RequestDocuments(
        dossier_id=DOSSIER_ID,
        at=DOCUMENTS_REQUESTED_AT,
        actor=AGENT,
        documents=(DocumentKind.TAX_NOTICE, DocumentKind.BANK_DETAILS),
        due_date=DOCUMENTS_DUE,
        reason="the last tax notice and the bank details are missing",
    )
    return replace(command, **changes)


def receive_documents(**changes: Any) -> ReceiveDocuments:
    command = ReceiveDocuments(
        dossier_id=DOSSIER_ID,
        at=DOCUMENTS_RECEIVED_AT,
        actor=AGENT,
        documents=(DocumentKind.TAX_NOTICE, DocumentKind.BANK_DETAILS),
    )
    return replace(command, **changes)


def review_dossier(**changes: Any) -> ReviewDossier:
    command = ReviewDossier(
        dossier_id=DOSSIER_ID,
        at=REVIEWED_AT,
        actor=AGENT,
        findings=FINDINGS,
        assessment=ASSESSMENT,
        proposal=PROPOSAL,
        opinion=Opinion.FAVOURABLE,
        situation=SITUATION,
        rulebook=RULEBOOK,
    )
    return replace(command, **changes)


def anonymise_dossier(**changes: Any) -> AnonymiseDossier:
    return replace(
        AnonymiseDossier(
            dossier_id=DOSSIER_ID,
            at=ANONYMISED_AT,
            actor=AGENT,
            commission_summary=COMMISSION_SUMMARY,
            anonymous_code=ANONYMOUS_CODE,
        ),
        **changes,
    )


def present_to_cass(**changes: Any) -> PresentToCass:
    command = PresentToCass(
        dossier_id=DOSSIER_ID, at=PRESENTED_AT, actor=CASS_SECRETARY, session=SCHEDULED_SESSION
    )
    return replace(command, **changes)


def take_off_agenda(**changes: Any) -> TakeOffAgenda:
    command = TakeOffAgenda(
        dossier_id=DOSSIER_ID,
        at=TAKEN_OFF_AT,
        actor=CASS_SECRETARY,
        reason="the applicant asks to be heard at the June session",
    )
    return replace(command, **changes)


def decide_dossier(**changes: Any) -> DecideDossier:
    command = DecideDossier(
        dossier_id=DOSSIER_ID,
        at=DECIDED_AT,
        actor=CASS_SECRETARY,
        outcome=Outcome.GRANTED_IN_FULL,
        granted=EVERYTHING_ASKED,
        reason="a one-off difficulty caused by roadworks, contributions paid until then",
        rulebook=RULEBOOK,
        session=SESSION,
    )
    return replace(command, **changes)


def notify_decision(**changes: Any) -> NotifyDecision:
    command = NotifyDecision(
        dossier_id=DOSSIER_ID,
        at=NOTIFIED_AT,
        actor=AGENT,
        channel=NotificationChannel.LETTER,
        notified_on=NOTIFIED_ON,
        reference="NOTIF-2024-0042",
    )
    return replace(command, **changes)


def withdraw_dossier(**changes: Any) -> WithdrawDossier:
    command = WithdrawDossier(
        dossier_id=DOSSIER_ID,
        at=WITHDRAWN_AT,
        actor="applicant",
        reason="the business recovered after the roadworks",
    )
    return replace(command, **changes)


def close_without_follow_up(**changes: Any) -> CloseWithoutFollowUp:
    command = CloseWithoutFollowUp(
        dossier_id=DOSSIER_ID,
        at=CLOSED_AT,
        actor=AGENT,
        reason="the tax notice and the bank details never came",
    )
    return replace(command, **changes)


def request_re_examination(**changes: Any) -> RequestReExamination:
    command = RequestReExamination(
        dossier_id=DOSSIER_ID,
        at=RE_EXAMINATION_AT,
        actor=AGENT,
        received_on=RE_EXAMINATION_RECEIVED_ON,
        reason="the roadworks lasted three more months than the commission knew",
        rulebook=RULEBOOK,
    )
    return replace(command, **changes)


# Events: what each command above causes, field for field


def filed(**changes: Any) -> DossierFiled:
    c = file_dossier()
    event = DossierFiled(
        dossier_id=c.dossier_id,
        occurred_at=c.at,
        actor=c.actor,
        reference=c.reference,
        applicant=c.applicant,
        activity=c.activity,
        region=c.region,
        aids=c.aids,
        difficulty_factors=c.difficulty_factors,
        own_account=c.own_account,
        channel=c.channel,
        documents=c.documents,
    )
    return replace(event, **changes)


def documents_requested(**changes: Any) -> DocumentsRequested:
    c = request_documents()
    event = DocumentsRequested(
        dossier_id=c.dossier_id,
        occurred_at=c.at,
        actor=c.actor,
        documents=c.documents,
        due_date=c.due_date,
        reason=c.reason,
    )
    return replace(event, **changes)


def documents_received(**changes: Any) -> DocumentsReceived:
    c = receive_documents()
    event = DocumentsReceived(
        dossier_id=c.dossier_id, occurred_at=c.at, actor=c.actor, documents=c.documents
    )
    return replace(event, **changes)


def reviewed(**changes: Any) -> DossierReviewed:
    c = review_dossier()
    event = DossierReviewed(
        dossier_id=c.dossier_id,
        occurred_at=c.at,
        actor=c.actor,
        findings=c.findings,
        assessment=c.assessment,
        proposal=c.proposal,
        opinion=c.opinion,
        situation=c.situation,
        eligibility=ELIGIBILITY,
        rulebook_version="2026.1",
    )
    return replace(event, **changes)


def anonymised(**changes: Any) -> DossierAnonymised:
    event = DossierAnonymised(
        dossier_id=DOSSIER_ID, occurred_at=ANONYMISED_AT, actor=AGENT, summary=SUMMARY
    )
    return replace(event, **changes)


def presented(**changes: Any) -> DossierPresentedToCass:
    c = present_to_cass()
    event = DossierPresentedToCass(
        dossier_id=c.dossier_id,
        occurred_at=c.at,
        actor=c.actor,
        session_reference="CASS-BRE-2024-04",
        session_date=SESSION_DATE,
        session_id=SESSION_ID,
    )
    return replace(event, **changes)


def taken_off_agenda(**changes: Any) -> DossierTakenOffAgenda:
    c = take_off_agenda()
    event = DossierTakenOffAgenda(
        dossier_id=c.dossier_id,
        occurred_at=c.at,
        actor=c.actor,
        session_reference="CASS-BRE-2024-04",
        reason=c.reason,
    )
    return replace(event, **changes)


def decided(**changes: Any) -> DossierDecided:
    c = decide_dossier()
    event = DossierDecided(
        dossier_id=c.dossier_id,
        occurred_at=c.at,
        actor=c.actor,
        outcome=c.outcome,
        granted=c.granted,
        reason=c.reason,
        session_id=SESSION_ID,
        session_reference="CASS-BRE-2024-04",
        delegated=False,
        rulebook_version="2026.1",
    )
    return replace(event, **changes)


def adjourned(**changes: Any) -> DossierDecided:
    event = decided(
        outcome=Outcome.ADJOURNED, granted=(), reason="the commission wants the 2023 accounts"
    )
    return replace(event, **changes)


def notified(**changes: Any) -> DecisionNotified:
    c = notify_decision()
    event = DecisionNotified(
        dossier_id=c.dossier_id,
        occurred_at=c.at,
        actor=c.actor,
        channel=c.channel,
        notified_on=c.notified_on,
        reference=c.reference,
    )
    return replace(event, **changes)


def withdrawn(**changes: Any) -> DossierWithdrawn:
    c = withdraw_dossier()
    event = DossierWithdrawn(
        dossier_id=c.dossier_id, occurred_at=c.at, actor=c.actor, reason=c.reason
    )
    return replace(event, **changes)


def closed_without_follow_up(**changes: Any) -> DossierClosedWithoutFollowUp:
    c = close_without_follow_up()
    event = DossierClosedWithoutFollowUp(
        dossier_id=c.dossier_id, occurred_at=c.at, actor=c.actor, reason=c.reason
    )
    return replace(event, **changes)


def re_examination_requested(**changes: Any) -> ReExaminationRequested:
    c = request_re_examination()
    event = ReExaminationRequested(
        dossier_id=c.dossier_id,
        occurred_at=c.at,
        actor=c.actor,
        received_on=c.received_on,
        reason=c.reason,
    )
    return replace(event, **changes)


# A history that leaves the dossier in each status

_PRESENTED = (filed(), reviewed(), anonymised(), presented())
HISTORY: dict[Status, tuple[Event, ...]] = {
    Status.FILED: (filed(),),
    Status.AWAITING_DOCUMENTS: (filed(), documents_requested()),
    Status.REVIEWED: (filed(), reviewed()),
    Status.ANONYMISED: (filed(), reviewed(), anonymised()),
    Status.PRESENTED: _PRESENTED,
    Status.ADJOURNED: (*_PRESENTED, adjourned()),
    Status.DECIDED: (*_PRESENTED, decided()),
    Status.NOTIFIED: (*_PRESENTED, decided(), notified()),
    Status.RE_EXAMINATION: (*_PRESENTED, decided(), notified(), re_examination_requested()),
    Status.WITHDRAWN: (filed(), withdrawn()),
    Status.CLOSED_WITHOUT_FOLLOW_UP: (filed(), documents_requested(), closed_without_follow_up()),
}


def run(*commands: Command, history: tuple[Event, ...] = ()) -> tuple[Event, ...]:
    """The history after each command in turn, as the domain decides them."""
    events = list(history)
    for command in commands:
        events += decide(command, fold(events))
    return tuple(events)


def dossier_after(*events: Event) -> Dossier:
    state = fold(events)
    assert state is not None
    return state


def finding(aid: Aid, rule: str, filing: FileDossier, review: ReviewDossier) -> Finding:
    """What one rule found of one aid, as the review of the filed dossier records it."""
    [event] = decide(review, fold(run(filing)))
    assert isinstance(event, DossierReviewed)
    [found] = [f for f in event.eligibility if f.aid is aid and f.rule == rule]
    return found
