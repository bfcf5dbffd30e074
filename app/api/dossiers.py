"""The dossier routes: filing, reading, history, and one route per command of the path.

Presentation to a session and decisions in session are the CASS session's routes.
"""

from dataclasses import replace
from typing import Annotated
from uuid import uuid4

from fastapi import APIRouter, Header, Query, Response, status

from app.api import request_examples as asked
from app.api.access import entries_of
from app.api.answers import in_utc
from app.api.auth import Caller, Role, allowed
from app.api.deps import (
    COMMAND,
    ETAG,
    LOCATION,
    POSITION,
    AccessReason,
    Actor,
    Clock,
    CommandedDossier,
    Engine,
    ExpectedVersion,
    LoggedDossier,
    Regions,
    Service,
    SettingsDep,
    documented,
    tag,
)
from app.api.metrics import access_log_written
from app.api.params import Moment
from app.api.problems import ProblemError
from app.api.requests import StrictJSONRoute
from app.api.schemas import (
    AnonymiseDossierRequest,
    DecideDossierRequest,
    DossierOut,
    FileDossierRequest,
    HistoryEntryOut,
    HistoryOut,
    NotifyDecisionRequest,
    ReasonRequest,
    ReceiveDocumentsRequest,
    ReExaminationRequest,
    RequestDocumentsRequest,
    ReviewDossierRequest,
    WithdrawDossierRequest,
)
from app.services.dossiers import (
    Opened,
    Snapshot,
    dossier_id_for_idempotency_key,
    reference_for,
)
from app.store.commanding import Outcome
from app.store.eventstore import EVENT_NAMES, event_data
from domain import dossier, identifiers
from domain.dossier import Dossier
from domain.errors import InvalidField
from domain.rulebook import Rulebook
from domain.values import Applicant

# Every answer of these routes holds a dossier's personal data: a read is written to the access
# log before its answer leaves (LoggedDossier); a command, or a filing, writes its entry in the
# transaction of its events (CommandedDossier): no entry, no answer.
router = APIRouter(prefix="/dossiers", tags=["dossiers"], route_class=StrictJSONRoute)


def answer(
    response: Response, target: Opened | None, outcome: Outcome[Dossier], rulebook: Rulebook
) -> DossierOut:
    """The dossier as the command left it (its access-log entry stored with its events)."""
    tag(response, outcome)
    if target is not None and target.access:
        access_log_written("written")
    return DossierOut.of(Snapshot(outcome.state, outcome.version), rulebook)


def normalised(applicant: Applicant) -> Applicant:
    """The identifiers as the registers write them: no spaces, dots or dashes."""
    return replace(
        applicant,
        siret=identifiers.compact(applicant.siret),
        nir=identifiers.compact(applicant.nir) if applicant.nir else None,
        phone=identifiers.compact(applicant.phone),
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=DossierOut,
    responses={
        **documented(
            401, 403, 415, 422, 503, ok=201, headers=ETAG | LOCATION | POSITION, description="Filed"
        ),
        200: {
            "model": DossierOut,
            "description": "A replay of an earlier filing: the dossier as it was filed (version 1)",
            "headers": ETAG | LOCATION,
        },
    },
    **allowed(Role.CASEWORKER, Role.INTEGRATION),
)
def file_dossier(
    body: Annotated[FileDossierRequest, asked.FILE_DOSSIER],
    service: Service,
    at: Clock,
    regions: Regions,
    caller: Caller,
    engine: Engine,
    reason: AccessReason,
    response: Response,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            min_length=1,
            max_length=200,
            description="Optional: repeating a request with the same key files the dossier once",
        ),
    ] = None,
) -> DossierOut:
    """File a new aid dossier.

    Answers `201` with `Location` and `ETag` (version 1). With an `Idempotency-Key`, a repeat
    of the same request answers `200` with the dossier as that filing left it (version 1, even
    if it has moved on since); a different body answers `422`. The answer holds personal data:
    it is written to the access log first.
    """
    if body.region not in regions:
        raise InvalidField("region", f"unknown region; expected one of {', '.join(regions)}")
    if not caller.sees(body.region):
        raise ProblemError(403, "forbidden", "Forbidden", f"You do not act in {body.region}.")
    dossier_id = (
        dossier_id_for_idempotency_key(caller.subject, idempotency_key)
        if idempotency_key
        else uuid4()
    )
    access = entries_of(caller, "file_dossier", [dossier_id], reason)
    command = dossier.FileDossier(
        dossier_id=dossier_id,
        reference=reference_for(dossier_id, at),
        at=at,
        actor=caller.subject,
        applicant=normalised(body.applicant),
        activity=body.activity,
        region=body.region,
        aids=tuple(body.aids),
        difficulty_factors=tuple(body.difficulty_factors),
        own_account=body.own_account,
        channel=body.channel,
        documents=tuple(body.documents),
        catastrophe=body.catastrophe,
    )
    outcome = service.file(command, idempotent=idempotency_key is not None, access=access)
    response.headers["Location"] = f"/dossiers/{dossier_id}"
    if outcome.replayed:
        response.status_code = status.HTTP_200_OK
    access_log_written("written")
    return answer(response, None, outcome, service.rulebook)


@router.get(
    "/{dossier_id}",
    response_model=DossierOut,
    responses=documented(401, 403, 404, 422, 503),
    **allowed(Role.CASEWORKER, Role.INTEGRATION, Role.AUDITOR),
)
async def get_dossier(
    read: LoggedDossier,
    service: Service,
    response: Response,
    version: Annotated[
        int | None,
        Query(ge=1, le=2**62, description="The dossier as it was at this version"),
    ] = None,
    at: Annotated[
        Moment | None,
        Query(description="The dossier as it stood at this moment (ISO 8601 with time zone)"),
    ] = None,
) -> DossierOut:
    """Read a dossier: now, at an earlier version, or as it stood at a date.

    A read of personal data: it is written to the access log, with `X-Access-Reason` if given.
    """
    snapshot = service.load(read.id, version=version, at=at, records=read.records)
    if version is not None and snapshot.version != version and at is None:
        raise ProblemError(
            404, "not-found", "Version not found", f"The dossier has no version {version}."
        )
    response.headers["ETag"] = f'"{snapshot.version}"'
    return DossierOut.of(snapshot, service.rulebook)


@router.get(
    "/{dossier_id}/history",
    response_model=HistoryOut,
    responses=documented(401, 403, 404, 422, 503),
    **allowed(Role.CASEWORKER, Role.INTEGRATION, Role.AUDITOR),
)
async def get_dossier_history(
    read: LoggedDossier,
    service: Service,
    response: Response,
) -> HistoryOut:
    """Every event of the dossier, oldest first: version, type, time, actor and data.

    A read of personal data: it is written to the access log, with `X-Access-Reason` if given.
    """
    records = read.records
    response.headers["ETag"] = f'"{records[-1].originator_version}"'
    entries = []
    for record in records:
        data = event_data(record.event)
        for common in ("dossier_id", "occurred_at", "actor"):
            data.pop(common, None)
        # built as they are, not validated again: each field is the event's own, checked when
        # it was decided and read back (a thousand events cost 30 ms of validation otherwise)
        entries.append(
            HistoryEntryOut.model_construct(
                version=record.originator_version,
                type=EVENT_NAMES.name_of(record.event),
                occurred_at=in_utc(record.event.occurred_at),
                actor=record.event.actor,
                data=data,
            )
        )
    return HistoryOut.model_construct(
        dossier_id=read.id, version=records[-1].originator_version, events=entries
    )


@router.post(
    "/{dossier_id}/document-requests",
    response_model=DossierOut,
    responses=COMMAND,
    **allowed(Role.CASEWORKER),
)
def request_documents(
    target: CommandedDossier,
    body: Annotated[RequestDocumentsRequest, asked.REQUEST_DOCUMENTS],
    service: Service,
    at: Clock,
    actor: Actor,
    expected: ExpectedVersion,
    response: Response,
) -> DossierOut:
    """Ask the applicant for missing documents: the dossier waits until they are received."""
    command = dossier.RequestDocuments(
        dossier_id=target.id,
        at=at,
        actor=actor,
        documents=tuple(body.documents),
        due_date=body.due_date,
        reason=body.reason,
    )
    return answer(
        response,
        target,
        service.handle(command, expected_version=expected, opened=target),
        service.rulebook,
    )


@router.post(
    "/{dossier_id}/received-documents",
    response_model=DossierOut,
    responses=COMMAND,
    **allowed(Role.CASEWORKER),
)
def receive_documents(
    target: CommandedDossier,
    body: Annotated[ReceiveDocumentsRequest, asked.RECEIVE_DOCUMENTS],
    service: Service,
    at: Clock,
    actor: Actor,
    expected: ExpectedVersion,
    response: Response,
) -> DossierOut:
    """Record documents received; when none is outstanding, the review can go on."""
    command = dossier.ReceiveDocuments(
        dossier_id=target.id, at=at, actor=actor, documents=tuple(body.documents)
    )
    return answer(
        response,
        target,
        service.handle(command, expected_version=expected, opened=target),
        service.rulebook,
    )


@router.post(
    "/{dossier_id}/review", response_model=DossierOut, responses=COMMAND, **allowed(Role.CASEWORKER)
)
def review_dossier(
    target: CommandedDossier,
    body: Annotated[ReviewDossierRequest, asked.REVIEW_DOSSIER],
    service: Service,
    at: Clock,
    actor: Actor,
    expected: ExpectedVersion,
    response: Response,
) -> DossierOut:
    """Record the review (instruction): findings, financial assessment, proposal and opinion."""
    command = dossier.ReviewDossier(
        dossier_id=target.id,
        at=at,
        actor=actor,
        findings=body.findings,
        assessment=body.assessment,
        proposal=tuple(body.proposal),
        opinion=body.opinion,
        situation=body.situation,
        rulebook=service.rulebook,
    )
    return answer(
        response,
        target,
        service.review(command, expected_version=expected, opened=target),
        service.rulebook,
    )


@router.post(
    "/{dossier_id}/anonymisation",
    response_model=DossierOut,
    responses=COMMAND,
    **allowed(Role.CASEWORKER),
)
def anonymise_dossier(
    target: CommandedDossier,
    body: Annotated[AnonymiseDossierRequest, asked.ANONYMISE_DOSSIER],
    service: Service,
    at: Clock,
    actor: Actor,
    expected: ExpectedVersion,
    response: Response,
) -> DossierOut:
    """Prepare the summary the commission will see: the review's structured facts and the
    text written here for the commission, under the dossier's anonymous code.

    The text is refused (422, each problem with its place) when it holds an identifier of the
    dossier or what looks like anyone's (NIR, SIRET, IBAN, e-mail, phone, web or street
    address, a person's name), or a medical term: a health difficulty reaches the commission
    as the leaflet's category only. Neither the findings nor the applicant's account reach it.
    """
    outcome = service.anonymise(
        target.id, at, actor, body.commission_summary, expected_version=expected, opened=target
    )
    return answer(response, target, outcome, service.rulebook)


@router.post(
    "/{dossier_id}/delegated-decision",
    response_model=DossierOut,
    responses=COMMAND,
    **allowed(Role.CASEWORKER),
)
def decide_dossier_by_delegation(
    target: CommandedDossier,
    body: Annotated[DecideDossierRequest, asked.DECIDE_BY_DELEGATION],
    service: Service,
    at: Clock,
    actor: Actor,
    expected: ExpectedVersion,
    response: Response,
) -> DossierOut:
    """Decide an FCI request on the fast path, outside a CASS session.

    A grant draws on the catastrophe event's envelope in the same atomic write: two decisions
    can never overspend it (`409 fci_within_remaining_envelope`).
    """
    command = dossier.DecideDossier(
        dossier_id=target.id,
        at=at,
        actor=actor,
        outcome=body.outcome,
        granted=tuple(body.granted),
        reason=body.reason,
        rulebook=service.rulebook,
    )
    outcome = service.decide_by_delegation(command, expected_version=expected, opened=target)
    return answer(response, target, outcome, service.rulebook)


@router.post(
    "/{dossier_id}/notification",
    response_model=DossierOut,
    responses=COMMAND,
    **allowed(Role.CASEWORKER),
)
def notify_decision(
    target: CommandedDossier,
    body: Annotated[NotifyDecisionRequest, asked.NOTIFY_DECISION],
    service: Service,
    at: Clock,
    actor: Actor,
    expected: ExpectedVersion,
    response: Response,
) -> DossierOut:
    """Record that the worker was told of the decision: this closes the ordinary path."""
    command = dossier.NotifyDecision(
        dossier_id=target.id,
        at=at,
        actor=actor,
        channel=body.channel,
        notified_on=body.notified_on,
        reference=body.reference,
    )
    return answer(
        response,
        target,
        service.handle(command, expected_version=expected, opened=target),
        service.rulebook,
    )


@router.post(
    "/{dossier_id}/withdrawal",
    response_model=DossierOut,
    responses=COMMAND,
    **allowed(Role.CASEWORKER),
)
def withdraw_dossier(
    target: CommandedDossier,
    body: Annotated[WithdrawDossierRequest, asked.WITHDRAW_DOSSIER],
    service: Service,
    at: Clock,
    actor: Actor,
    expected: ExpectedVersion,
    response: Response,
) -> DossierOut:
    """Record that the applicant withdrew the request; nothing happens to the dossier after."""
    command = dossier.WithdrawDossier(dossier_id=target.id, at=at, actor=actor, reason=body.reason)
    return answer(
        response,
        target,
        service.handle(command, expected_version=expected, opened=target),
        service.rulebook,
    )


@router.post(
    "/{dossier_id}/closure-without-follow-up",
    response_model=DossierOut,
    responses=COMMAND,
    **allowed(Role.CASEWORKER),
)
def close_dossier_without_follow_up(
    target: CommandedDossier,
    body: Annotated[ReasonRequest, asked.CLOSE_WITHOUT_FOLLOW_UP],
    service: Service,
    at: Clock,
    actor: Actor,
    expected: ExpectedVersion,
    response: Response,
) -> DossierOut:
    """Close a dossier whose requested documents never came (after their due date)."""
    command = dossier.CloseWithoutFollowUp(
        dossier_id=target.id, at=at, actor=actor, reason=body.reason
    )
    return answer(
        response,
        target,
        service.handle(command, expected_version=expected, opened=target),
        service.rulebook,
    )


@router.post(
    "/{dossier_id}/re-examination",
    response_model=DossierOut,
    responses=COMMAND,
    **allowed(Role.CASEWORKER),
)
def request_re_examination(
    target: CommandedDossier,
    body: Annotated[ReExaminationRequest, asked.RE_EXAMINATION],
    service: Service,
    at: Clock,
    actor: Actor,
    expected: ExpectedVersion,
    response: Response,
) -> DossierOut:
    """Record a recours gracieux against the notified decision: it goes back to the commission.

    Received within the rulebook's period (two months by default) of the notification.
    """
    command = dossier.RequestReExamination(
        dossier_id=target.id,
        at=at,
        actor=actor,
        received_on=body.received_on,
        reason=body.reason,
        rulebook=service.rulebook,
    )
    return answer(
        response,
        target,
        service.handle(command, expected_version=expected, opened=target),
        service.rulebook,
    )


@router.post(
    "/{dossier_id}/erasure",
    response_model=DossierOut,
    responses=COMMAND,
    **allowed(Role.ADMIN),
)
def erase_personal_data(
    target: CommandedDossier,
    service: Service,
    at: Clock,
    actor: Actor,
    settings: SettingsDep,
    expected: ExpectedVersion,
    response: Response,
) -> DossierOut:
    """Erase a closed dossier's personal data once its retention period is over (by default two
    years after its last event): its key is destroyed, its identifying fields read as erased
    for good, and its events, statistics and audit chain remain. Like every command, it names
    the version read (`If-Match`)."""
    outcome = service.erase(
        target.id,
        at,
        actor,
        settings.erasure_after_days,
        expected_version=expected,
        opened=target,
    )
    return answer(response, target, outcome, service.rulebook)
