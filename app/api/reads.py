"""The read side over HTTP: the work queue, dashboards, the CSV export, the commission's view
and the change feed. Lists and dashboards come from the projections' tables, never from
replaying streams; each answer says the store position it reflects, and can wait for one."""

import itertools
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from app.api import read_examples as read
from app.api.access import log_access
from app.api.answers import Out, in_utc, with_example
from app.api.auth import NATIONAL, Caller, Principal, Role, allowed
from app.api.csv_export import csv_lines
from app.api.deps import AccessReason, Clock, Service, documented
from app.api.params import Day
from app.api.problems import ProblemError
from app.api.requests import StrictJSONRoute
from app.api.waiting import read_your_writes
from app.services.dossiers import DossierService
from app.services.projecting import Projections
from app.store.eventstore import EVENT_NAMES, event_data
from domain import cass_session, dossier_events
from domain.dossier import Status
from domain.values import Aid, Outcome
from projections import queries
from projections.base import Change
from projections.commission import summary_of
from projections.queries import DossierFilter
from projections.tables import active_generation, position_of

router = APIRouter(tags=["read models"], route_class=StrictJSONRoute)
POSITION_HEADER = "X-Projection-Position"
CHANGES_LIMIT = 10_000  # events a page of the change feed may ask for


async def get_projections(request: Request) -> Projections:
    projections: Projections = request.app.state.projections
    return projections


ProjectionsDep = Annotated[Projections, Depends(get_projections)]


def euros(cents: int | None) -> Decimal | None:
    return None if cents is None else (Decimal(cents) / 100).quantize(Decimal("0.01"))


DossiersCaughtUp = Annotated[None, Depends(read_your_writes("dossiers"))]
EnvelopesCaughtUp = Annotated[None, Depends(read_your_writes("envelopes"))]
CommissionCaughtUp = Annotated[None, Depends(read_your_writes("commission"))]


NOWHERE = ("",)  # a region filter that matches nothing


def scoped(caller: Principal, asked: list[str] | None) -> tuple[str, ...]:
    """The regions a read covers: those asked, within those the caller acts in."""
    scope = caller.scope(tuple(asked or ()))
    if scope is None:
        return ()
    return scope or NOWHERE


async def asked_regions(
    request: Request, region: Annotated[list[str] | None, Query()] = None
) -> list[str] | None:
    """The regions a read asks for, each one a region of the service (422 naming any other:
    a filter that can match nothing is a mistake, not an empty answer)."""
    known = request.app.state.settings.regions
    unknown = [r for r in region or () if r not in known]
    if unknown:
        why = "unknown region; expected one of " + ", ".join(known)
        raise ProblemError(
            422,
            "invalid-input",
            "Invalid input",
            f"query.region: {why}",
            errors=[{"field": "query.region", "reason": why}],
        )
    return region


AskedRegions = Annotated[list[str] | None, Depends(asked_regions)]


async def dossier_filter(
    caller: Caller,
    region: AskedRegions,
    status: Annotated[list[Status] | None, Query()] = None,
    aid: Annotated[list[Aid] | None, Query()] = None,
    outcome: Annotated[list[Outcome] | None, Query()] = None,
    filed_from: Day | None = None,
    filed_to: Day | None = None,
    decided_from: Day | None = None,
    decided_to: Day | None = None,
    reference: Annotated[
        str | None, Query(max_length=40, description="Part of the reference, any case")
    ] = None,
) -> DossierFilter:
    return DossierFilter(
        status=tuple(s.value for s in status or ()),
        region=scoped(caller, region),
        aid=tuple(a.value for a in aid or ()),
        outcome=tuple(o.value for o in outcome or ()),
        filed_from=filed_from,
        filed_to=filed_to,
        decided_from=decided_from,
        decided_to=decided_to,
        reference=reference,
    )


Filter = Annotated[DossierFilter, Depends(dossier_filter)]


class DossierRowOut(Out):
    id: UUID
    reference: str
    region: str
    aids: list[Aid]
    activity_kind: str
    status: Status
    requested: Decimal
    proposed: Decimal | None
    granted: Decimal | None
    filed_at: datetime
    reviewed_at: datetime | None
    decided_at: datetime | None
    notified_at: datetime | None
    reviewer: str | None
    opinion: str | None
    session_reference: str | None
    outcome: Outcome | None
    delegated: bool
    implicit_rejection_date: date | None
    version: int

    @classmethod
    def of(cls, row: dict[str, Any]) -> "DossierRowOut":
        return cls.model_validate(
            row
            | {
                "aids": row["aids"].split(),
                "requested": euros(row["requested_cents"]),
                "proposed": euros(row["proposed_cents"]),
                "granted": euros(row["granted_cents"]),
            }
        )


class DossierPageOut(Out):
    model_config = with_example(read.DOSSIER_PAGE)

    position: int = Field(description="The store position this page reflects (at least)")
    items: list[DossierRowOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page")


def reflected(response: Response, projections: Projections, name: str) -> tuple[str, int]:
    """The generation readers use now, and the position it reflects (read first, so the rows
    read after it reflect at least that position)."""
    with projections.engine.connect() as connection:
        generation = active_generation(connection, name)
        position = position_of(connection, name, generation)
    response.headers[POSITION_HEADER] = str(position)
    return generation, position


@router.get(
    "/dossiers",
    response_model=DossierPageOut,
    responses=documented(401, 403, 422, 503),
    **allowed(Role.CASEWORKER, Role.INTEGRATION, Role.AUDITOR, Role.ANALYST),
)
def list_dossiers(
    projections: ProjectionsDep,
    caught_up: DossiersCaughtUp,
    f: Filter,
    response: Response,
    sort: Annotated[
        str,
        Query(
            pattern=r"^-?(filed_at|reference|requested|decided_at|updated)$",
            description="filed_at, reference, requested, decided_at (decided ones) or updated; "
            "prefix with - for descending",
        ),
    ] = "filed_at",
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> DossierPageOut:
    """The work queue: dossiers filtered, sorted and paged with a cursor."""
    generation, position = reflected(response, projections, "dossiers")
    column, descending = queries.sort_of(sort)
    try:
        with projections.engine.connect() as connection:
            page = queries.list_dossiers(
                connection,
                generation,
                f,
                sort=column,
                descending=descending,
                cursor=cursor,
                limit=limit,
            )
    except queries.BadCursor as error:
        raise ProblemError(
            422,
            "invalid-input",
            "Invalid input",
            str(error),
            errors=[{"field": "query.cursor", "reason": str(error)}],
        ) from None
    return DossierPageOut(
        position=position,
        items=[DossierRowOut.of(r) for r in page.rows],
        next_cursor=page.next_cursor,
    )


@router.get(
    "/exports/dossiers.csv",
    response_class=StreamingResponse,
    responses={
        **documented(401, 403, 422, 503),
        200: {
            "content": {"text/csv": {"example": read.CSV}},
            "description": "One line per dossier",
        },
    },
    **allowed(Role.CASEWORKER, Role.AUDITOR, Role.ANALYST),
)
def export_dossiers_csv(
    projections: ProjectionsDep, caught_up: DossiersCaughtUp, f: Filter, response: Response
) -> StreamingResponse:
    """The work queue as a flat CSV for BI tools and spreadsheets (UTF-8, comma-separated, every
    cell quoted): `id` and `reference` first, the totals and each aid's requested, proposed and
    granted amounts in euros (`aced_requested`, ..., `adr_granted`; empty when the aid was not
    requested), booleans `true`/`false`, dates ISO 8601, date-times ISO 8601 in UTC with `Z`.
    A text that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
    return) is prefixed with a single quote."""
    generation, position = reflected(response, projections, "dossiers")

    def lines() -> Iterator[str]:
        with projections.engine.connect() as connection:
            yield from csv_lines(queries.export_dossiers(connection, generation, f))

    headers = {
        POSITION_HEADER: str(position),
        "Content-Disposition": 'attachment; filename="dossiers.csv"',
    }
    # The query runs, and its first chunk is made, before the answer starts: a failure then is
    # a problem with its status, not a 200 cut off in the middle.
    chunks = lines()
    first = next(chunks)
    return StreamingResponse(
        itertools.chain([first], chunks), media_type="text/csv; charset=utf-8", headers=headers
    )


class ActivityRowOut(Out):
    region: str | None = None
    aid: Aid | None = None
    status: Status | None = None
    month: str | None = None
    dossiers: int
    requested: Decimal
    proposed: Decimal
    granted: Decimal


class ActivityOut(Out):
    model_config = with_example(read.ACTIVITY)

    position: int
    by: list[str]
    rows: list[ActivityRowOut]


@router.get(
    "/dashboards/activity",
    response_model=ActivityOut,
    responses=documented(401, 403, 422, 503),
    **allowed(Role.CASEWORKER, Role.AUDITOR, Role.ANALYST),
)
def dashboard_activity(
    projections: ProjectionsDep,
    caught_up: DossiersCaughtUp,
    f: Filter,
    response: Response,
    by: Annotated[
        list[Literal["region", "aid", "status", "month"]] | None,
        Query(
            description="Group by region, aid, status and/or month (of filing); all four if none"
        ),
    ] = None,
) -> ActivityOut:
    """Counts and amounts (requested, proposed, granted) by region × aid × status × month."""
    groups: list[str] = list(dict.fromkeys(by or queries.GROUPS))
    generation, position = reflected(response, projections, "dossiers")
    with projections.engine.connect() as connection:
        rows = queries.activity(connection, generation, groups, f)
    return ActivityOut(
        position=position,
        by=groups,
        rows=[
            ActivityRowOut.model_validate(
                r
                | {
                    "requested": euros(r["requested_cents"]),
                    "proposed": euros(r["proposed_cents"]),
                    "granted": euros(r["granted_cents"]),
                }
            )
            for r in rows
        ],
    )


class Percentiles(BaseModel):
    count: int
    p50: float | None = Field(description="Median, in days")
    p90: float | None = Field(description="90th percentile, in days")


class DelaysOut(Out):
    model_config = with_example(read.DELAYS)

    position: int
    filed_to_decided: Percentiles
    decided_to_notified: Percentiles
    filed_to_notified: Percentiles


@router.get(
    "/dashboards/delays",
    response_model=DelaysOut,
    responses=documented(401, 403, 422, 503),
    **allowed(Role.CASEWORKER, Role.AUDITOR, Role.ANALYST),
)
def dashboard_delays(
    projections: ProjectionsDep, caught_up: DossiersCaughtUp, f: Filter, response: Response
) -> DelaysOut:
    """How long dossiers take: filed → decided → notified, in days (p50, p90)."""
    generation, position = reflected(response, projections, "dossiers")
    with projections.engine.connect() as connection:
        figures = queries.delays(connection, generation, f)
    return DelaysOut.model_validate({"position": position} | figures)


class SilentDossierOut(Out):
    id: UUID
    reference: str
    region: str
    status: Status
    implicit_rejection_date: date


class SilenceOut(Out):
    model_config = with_example(read.SILENCE)

    position: int
    today: date
    within_days: int
    past: list[SilentDossierOut] = Field(description="Silence already counts as a rejection")
    close: list[SilentDossierOut] = Field(description="It will within `within_days`")


@router.get(
    "/dashboards/silence",
    response_model=SilenceOut,
    responses=documented(401, 403, 422, 503),
    **allowed(Role.CASEWORKER, Role.AUDITOR, Role.ANALYST),
)
def dashboard_silence(
    projections: ProjectionsDep,
    caught_up: DossiersCaughtUp,
    f: Filter,
    response: Response,
    at: Clock,
    within_days: Annotated[int, Query(ge=0, le=366)] = 15,
) -> SilenceOut:
    """Dossiers past their implicit-rejection date, and those close to it."""
    generation, position = reflected(response, projections, "dossiers")
    today = at.date()
    with projections.engine.connect() as connection:
        figures = queries.silence(connection, generation, today, within_days, f)
    return SilenceOut.model_validate(
        {"position": position, "today": today, "within_days": within_days} | figures
    )


class EnvelopeOut(Out):
    id: UUID
    name: str
    regions: list[str]
    start: date
    end: date
    envelope: Decimal
    used: Decimal
    remaining: Decimal
    grants: int
    is_open: bool


class EnvelopesOut(Out):
    model_config = with_example(read.ENVELOPES)

    position: int
    envelopes: list[EnvelopeOut]


@router.get(
    "/dashboards/envelopes",
    response_model=EnvelopesOut,
    responses=documented(401, 403, 422, 503),
    **allowed(Role.CASEWORKER, Role.AUDITOR, Role.ANALYST),
)
def dashboard_envelopes(
    projections: ProjectionsDep, caught_up: EnvelopesCaughtUp, response: Response
) -> EnvelopesOut:
    """Each catastrophe event's envelope: used and remaining."""
    generation, position = reflected(response, projections, "envelopes")
    with projections.engine.connect() as connection:
        rows = queries.envelopes(connection, generation)
    return EnvelopesOut(
        position=position,
        envelopes=[
            EnvelopeOut.model_validate(
                r
                | {
                    "regions": r["regions"].split(),
                    "envelope": euros(r["envelope_cents"]),
                    "used": euros(r["used_cents"]),
                    "remaining": euros(r["envelope_cents"] - r["used_cents"]),
                }
            )
            for r in rows
        ],
    )


class CommissionItemOut(Out):
    session_id: UUID
    session_reference: str
    region: str
    session_date: date
    session_status: str
    anonymous_code: str
    summary: dict[str, Any] | None
    outcome: Outcome | None
    granted: Decimal | None


class CommissionViewOut(Out):
    model_config = with_example(read.COMMISSION_VIEW)

    position: int
    items: list[CommissionItemOut]


@router.get(
    "/commission-view",
    response_model=CommissionViewOut,
    responses=documented(401, 403, 422, 503),
    **allowed(Role.COMMISSION, Role.AUDITOR),
)
def get_commission_view(
    caller: Caller,
    projections: ProjectionsDep,
    caught_up: CommissionCaughtUp,
    response: Response,
    region: AskedRegions,
    session_status: Annotated[list[str] | None, Query()] = None,
) -> CommissionViewOut:
    """Every agenda item across sessions, as the commission sees it: anonymised."""
    generation, position = reflected(response, projections, "commission")
    with projections.engine.connect() as connection:
        rows = queries.commission_view(
            connection, generation, scoped(caller, region), session_status or ()
        )
    return CommissionViewOut(
        position=position,
        items=[
            CommissionItemOut.model_validate(
                r | {"summary": summary_of(r), "granted": euros(r["granted_cents"])}
            )
            for r in rows
        ],
    )


def _region_of(service: DossierService, change: Change) -> str | None:
    """The region a change belongs to: its dossier's or its session's (None: no region)."""
    event = change.event
    if isinstance(event, dossier_events.EVENT_TYPES):
        return service.dossier_region(change.stream_id)
    if isinstance(event, cass_session.EVENT_TYPES):
        return service.session(change.stream_id).state.scheduling.region
    return None


class ChangeOut(Out):
    position: int
    stream_id: UUID
    version: int
    type: str
    occurred_at: datetime
    actor: str
    data: dict[str, Any]


class ChangesOut(Out):
    model_config = with_example(read.CHANGES)

    changes: list[ChangeOut]
    next_after: int = Field(description="Pass as `after` to continue where this page stopped")
    head: int = Field(description="The store's last position now")


@router.get(
    "/changes",
    response_model=ChangesOut,
    responses=documented(401, 403, 422, 503),
    **allowed(Role.INTEGRATION, Role.AUDITOR),
)
def list_changes(
    caller: Caller,
    service: Service,
    projections: ProjectionsDep,
    reason: AccessReason,
    after: Annotated[int, Query(ge=0, le=2**62, description="The last position already seen")] = 0,
    limit: Annotated[int, Query(ge=1, le=CHANGES_LIMIT)] = 100,
) -> ChangesOut:
    """Every event in store order after a position: a back office syncs incrementally and
    resumes where it stopped."""
    read = projections.changes_after(after, limit)
    changes = [
        c for c in read if caller.role in NATIONAL or _region_of(service, c) in caller.regions
    ]
    dossiers = [c.stream_id for c in changes if isinstance(c.event, dossier_events.EVENT_TYPES)]
    log_access(service.application, caller, "list_changes", dossiers, reason)
    # built as they are, not validated again: each field is the event's own, checked when it
    # was decided and read back (10 000 changes cost a third of a second of validation)
    return ChangesOut.model_construct(
        changes=[
            ChangeOut.model_construct(
                position=c.position,
                stream_id=c.stream_id,
                version=c.version,
                type=EVENT_NAMES.name_of(c.event),
                occurred_at=in_utc(c.event.occurred_at),
                actor=c.event.actor,
                data={
                    k: v
                    for k, v in event_data(c.event).items()
                    if k not in ("occurred_at", "actor")
                },
            )
            for c in changes
        ],
        next_after=read[-1].position if read else after,
        head=projections.head(),
    )
