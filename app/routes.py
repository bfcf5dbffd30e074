"""The dossier routes: one per command of the path, plus reading a dossier and its history."""

from dataclasses import replace
from datetime import UTC, datetime
from typing import Annotated, Any
from uuid import UUID, uuid4

from fastapi import APIRouter, Depends, Header, Query, Request, Response, status
from pydantic import AwareDatetime

from app.dossiers import (
    DossierService,
    Outcome,
    Snapshot,
    dossier_id_for_idempotency_key,
    reference_for,
)
from app.eventstore import EVENT_NAMES, event_data
from app.problems import Problem, ProblemError
from app.schemas import (
    DecideDossierRequest,
    DossierOut,
    FileDossierRequest,
    HistoryEntryOut,
    HistoryOut,
    NotifyDecisionRequest,
    PresentToCassRequest,
    ReceiveDocumentsRequest,
    RequestDocumentsRequest,
    ReviewDossierRequest,
    WithdrawDossierRequest,
)
from domain import dossier, identifiers
from domain.errors import InvalidField
from domain.values import Applicant


def get_service(request: Request) -> DossierService:
    service: DossierService = request.app.state.dossiers
    return service


def get_regions(request: Request) -> tuple[str, ...]:
    regions: tuple[str, ...] = request.app.state.settings.regions
    return regions


def now() -> datetime:
    return datetime.now(UTC)


def expected_version(
    if_match: Annotated[
        str | None,
        Header(
            alias="If-Match",
            description='The version you last read, as its ETag ("3"), or * for any',
            examples=['"3"'],
        ),
    ] = None,
) -> int | None:
    """The version the client saw, from If-Match; None for "*"."""
    if if_match is None:
        raise ProblemError(
            428,
            "precondition-required",
            "Precondition required",
            'Send If-Match with the dossier\'s ETag (e.g. "3") so that no change is lost.',
        )
    value = if_match.strip()
    if value == "*":
        return None
    value = value.strip('"')
    if not value.isdigit():
        raise ProblemError(
            422,
            "invalid-input",
            "Invalid input",
            'If-Match must be the ETag of a dossier version, such as "3"',
            errors=[{"field": "header.If-Match", "reason": 'expected a version such as "3"'}],
        )
    return int(value)


Service = Annotated[DossierService, Depends(get_service)]
Regions = Annotated[tuple[str, ...], Depends(get_regions)]
ExpectedVersion = Annotated[int | None, Depends(expected_version)]
Actor = Annotated[
    str,
    Header(
        alias="X-Actor-Id",
        min_length=1,
        description="Who performs the command (an agent or system id); recorded on the event",
        examples=["agent-ge-042"],
    ),
]

PROBLEM_TEXTS = {
    404: "No such dossier (or version)",
    409: "The command breaks a rule of the dossier's path; `rule` names it",
    412: "If-Match is not the dossier's current version; `current_version` says which is",
    422: "Invalid input; `errors` names each field and why",
    428: "If-Match is missing",
}
ETAG = {
    "ETag": {"description": "The dossier's version, for If-Match", "schema": {"type": "string"}}
}


def documented(*problems: int, ok: int = 200, **extra: Any) -> dict[int | str, dict[str, Any]]:
    """The responses of an operation: its success with headers, and the problems it may answer."""
    responses: dict[int | str, dict[str, Any]] = {
        code: {"model": Problem, "description": PROBLEM_TEXTS[code]} for code in problems
    }
    responses[ok] = {"headers": ETAG, **extra}
    return responses


READ = documented(404, 422)
COMMAND = documented(404, 409, 412, 422, 428)

router = APIRouter(prefix="/dossiers", tags=["dossiers"])


def answer(response: Response, outcome: Outcome) -> DossierOut:
    response.headers["ETag"] = f'"{outcome.version}"'
    if outcome.position is not None:
        response.headers["X-Event-Position"] = str(outcome.position)
    return DossierOut.of(Snapshot(outcome.state, outcome.version))


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
        **documented(422, ok=201, description="Filed"),
        200: {"model": DossierOut, "description": "A replay of an earlier filing", "headers": ETAG},
    },
)
def file_dossier(
    body: FileDossierRequest,
    service: Service,
    regions: Regions,
    actor: Actor,
    response: Response,
    idempotency_key: Annotated[
        str | None,
        Header(
            alias="Idempotency-Key",
            max_length=200,
            description="Optional: repeating a request with the same key files the dossier once",
        ),
    ] = None,
) -> DossierOut:
    """File a new aid dossier.

    Answers `201` with `Location` and `ETag` (version 1). With an `Idempotency-Key`, a repeat
    of the same request answers `200` with the same dossier; a different body answers `422`.
    """
    if body.region not in regions:
        raise InvalidField("region", f"unknown region; expected one of {', '.join(regions)}")
    at = now()
    dossier_id = (
        dossier_id_for_idempotency_key(actor, idempotency_key) if idempotency_key else uuid4()
    )
    command = dossier.FileDossier(
        dossier_id=dossier_id,
        reference=reference_for(dossier_id, at),
        at=at,
        actor=actor,
        applicant=normalised(body.applicant),
        activity=body.activity,
        region=body.region,
        aids=tuple(body.aids),
        difficulty_factors=tuple(body.difficulty_factors),
        own_account=body.own_account,
        channel=body.channel,
        documents=tuple(body.documents),
    )
    outcome = service.file(command, idempotent=idempotency_key is not None)
    response.headers["Location"] = f"/dossiers/{dossier_id}"
    if outcome.replayed:
        response.status_code = status.HTTP_200_OK
    return answer(response, outcome)


@router.get("/{dossier_id}", response_model=DossierOut, responses=READ)
def get_dossier(
    dossier_id: UUID,
    service: Service,
    response: Response,
    version: Annotated[
        int | None, Query(ge=1, description="The dossier as it was at this version")
    ] = None,
    at: Annotated[
        AwareDatetime | None,
        Query(description="The dossier as it stood at this moment (ISO 8601 with time zone)"),
    ] = None,
) -> DossierOut:
    """Read a dossier: now, at an earlier version, or as it stood at a date."""
    snapshot = service.load(dossier_id, version=version, at=at)
    if version is not None and snapshot.version != version and at is None:
        raise ProblemError(
            404, "not-found", "Version not found", f"The dossier has no version {version}."
        )
    response.headers["ETag"] = f'"{snapshot.version}"'
    return DossierOut.of(snapshot)


@router.get("/{dossier_id}/history", response_model=HistoryOut, responses=documented(404, 422))
def get_dossier_history(dossier_id: UUID, service: Service) -> HistoryOut:
    """Every event of the dossier, oldest first: version, type, time, actor and data."""
    records = service.history(dossier_id)
    entries = []
    for record in records:
        data = event_data(record.event)
        for common in ("dossier_id", "occurred_at", "actor"):
            data.pop(common, None)
        entries.append(
            HistoryEntryOut(
                version=record.originator_version,
                type=EVENT_NAMES.name_of(record.event),
                occurred_at=record.event.occurred_at,
                actor=record.event.actor,
                data=data,
            )
        )
    return HistoryOut(dossier_id=dossier_id, version=records[-1].originator_version, events=entries)


@router.post("/{dossier_id}/document-requests", response_model=DossierOut, responses=COMMAND)
def request_documents(
    dossier_id: UUID,
    body: RequestDocumentsRequest,
    service: Service,
    actor: Actor,
    expected: ExpectedVersion,
    response: Response,
) -> DossierOut:
    """Ask the applicant for missing documents: the dossier waits until they are received."""
    command = dossier.RequestDocuments(
        dossier_id=dossier_id,
        at=now(),
        actor=actor,
        documents=tuple(body.documents),
        due_date=body.due_date,
        reason=body.reason,
    )
    return answer(response, service.handle(command, expected_version=expected))


@router.post("/{dossier_id}/received-documents", response_model=DossierOut, responses=COMMAND)
def receive_documents(
    dossier_id: UUID,
    body: ReceiveDocumentsRequest,
    service: Service,
    actor: Actor,
    expected: ExpectedVersion,
    response: Response,
) -> DossierOut:
    """Record documents received; when none is outstanding, the review can go on."""
    command = dossier.ReceiveDocuments(
        dossier_id=dossier_id, at=now(), actor=actor, documents=tuple(body.documents)
    )
    return answer(response, service.handle(command, expected_version=expected))


@router.post("/{dossier_id}/review", response_model=DossierOut, responses=COMMAND)
def review_dossier(
    dossier_id: UUID,
    body: ReviewDossierRequest,
    service: Service,
    actor: Actor,
    expected: ExpectedVersion,
    response: Response,
) -> DossierOut:
    """Record the review (instruction): findings, financial assessment, proposal and opinion."""
    command = dossier.ReviewDossier(
        dossier_id=dossier_id,
        at=now(),
        actor=actor,
        findings=body.findings,
        assessment=body.assessment,
        proposal=tuple(body.proposal),
        opinion=body.opinion,
    )
    return answer(response, service.handle(command, expected_version=expected))


@router.post("/{dossier_id}/anonymisation", response_model=DossierOut, responses=COMMAND)
def anonymise_dossier(
    dossier_id: UUID,
    service: Service,
    actor: Actor,
    expected: ExpectedVersion,
    response: Response,
) -> DossierOut:
    """Compute the anonymous summary the commission will see (no direct identifier)."""
    command = dossier.AnonymiseDossier(dossier_id=dossier_id, at=now(), actor=actor)
    return answer(response, service.handle(command, expected_version=expected))


@router.post("/{dossier_id}/presentation", response_model=DossierOut, responses=COMMAND)
def present_dossier_to_cass(
    dossier_id: UUID,
    body: PresentToCassRequest,
    service: Service,
    actor: Actor,
    expected: ExpectedVersion,
    response: Response,
) -> DossierOut:
    """Put the anonymised dossier before a session of the regional CASS."""
    command = dossier.PresentToCass(
        dossier_id=dossier_id,
        at=now(),
        actor=actor,
        session_reference=body.session_reference,
        session_date=body.session_date,
    )
    return answer(response, service.handle(command, expected_version=expected))


@router.post("/{dossier_id}/decision", response_model=DossierOut, responses=COMMAND)
def decide_dossier(
    dossier_id: UUID,
    body: DecideDossierRequest,
    service: Service,
    actor: Actor,
    expected: ExpectedVersion,
    response: Response,
) -> DossierOut:
    """Record the commission's decision; an adjourned dossier goes back to review."""
    command = dossier.DecideDossier(
        dossier_id=dossier_id,
        at=now(),
        actor=actor,
        outcome=body.outcome,
        granted=tuple(body.granted),
        reason=body.reason,
    )
    return answer(response, service.handle(command, expected_version=expected))


@router.post("/{dossier_id}/notification", response_model=DossierOut, responses=COMMAND)
def notify_decision(
    dossier_id: UUID,
    body: NotifyDecisionRequest,
    service: Service,
    actor: Actor,
    expected: ExpectedVersion,
    response: Response,
) -> DossierOut:
    """Record that the worker was told of the decision: this closes the ordinary path."""
    command = dossier.NotifyDecision(
        dossier_id=dossier_id,
        at=now(),
        actor=actor,
        channel=body.channel,
        notified_on=body.notified_on,
        reference=body.reference,
    )
    return answer(response, service.handle(command, expected_version=expected))


@router.post("/{dossier_id}/withdrawal", response_model=DossierOut, responses=COMMAND)
def withdraw_dossier(
    dossier_id: UUID,
    body: WithdrawDossierRequest,
    service: Service,
    actor: Actor,
    expected: ExpectedVersion,
    response: Response,
) -> DossierOut:
    """Record that the applicant withdrew the request; nothing happens to the dossier after."""
    command = dossier.WithdrawDossier(
        dossier_id=dossier_id, at=now(), actor=actor, reason=body.reason
    )
    return answer(response, service.handle(command, expected_version=expected))
