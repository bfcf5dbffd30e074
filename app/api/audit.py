"""The auditor's routes: verify the audit chain of a dossier or of the whole store, and read
the access log of personal data."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from sqlalchemy import and_, select

from app.api import read_examples as read
from app.api.answers import Out, with_example
from app.api.auth import Role, allowed
from app.api.deps import READ, Engine, Service
from app.api.params import Moment
from app.api.requests import StrictJSONRoute
from app.store.audit import Report, verify_store, verify_stream
from app.store.tables import access_log
from projections.base import utc

router = APIRouter(tags=["audit"], route_class=StrictJSONRoute)


class BreachOut(Out):
    stream_id: UUID
    version: int
    problem: str


class VerificationOut(Out):
    model_config = with_example(read.VERIFICATION)

    valid: bool
    streams: int
    events: int
    breaches: list[BreachOut]

    @classmethod
    def of(cls, report: Report) -> "VerificationOut":
        return cls(
            valid=report.valid,
            streams=report.streams,
            events=report.events,
            breaches=[BreachOut(**vars(b)) for b in report.breaches],
        )


@router.get(
    "/audit/dossiers/{dossier_id}",
    response_model=VerificationOut,
    responses=READ,
    **allowed(Role.AUDITOR),
)
def verify_dossier_chain(dossier_id: UUID, service: Service, engine: Engine) -> VerificationOut:
    """Check that no event of the dossier was edited, removed or cut off since it was written."""
    service.dossier_region(dossier_id)  # 404 when there is no such dossier
    return VerificationOut.of(verify_stream(service.application, engine, dossier_id))


@router.get("/audit", response_model=VerificationOut, responses=READ, **allowed(Role.AUDITOR))
def verify_store_chain(service: Service, engine: Engine) -> VerificationOut:
    """Check every stream of the store, event by event."""
    return VerificationOut.of(verify_store(service.application, engine))


class AccessOut(Out):
    id: int
    at: datetime
    actor: str
    role: str
    action: str
    record_id: UUID | None
    reason: str | None


class AccessLogOut(Out):
    model_config = with_example(read.ACCESS_LOG)

    entries: list[AccessOut]
    next_after: int | None


@router.get("/access-log", response_model=AccessLogOut, responses=READ, **allowed(Role.AUDITOR))
def read_access_log(
    engine: Engine,
    record_id: UUID | None = None,
    actor: Annotated[str | None, Query(max_length=100)] = None,
    since: Moment | None = None,
    until: Moment | None = None,
    after: Annotated[int, Query(ge=0, le=2**62, description="The last entry id already read")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> AccessLogOut:
    """Who read which personal data, when, and why if they said, oldest first."""
    conditions = [access_log.c.id > after]
    if record_id:
        conditions.append(access_log.c.record_id == record_id)
    if actor:
        conditions.append(access_log.c.actor == actor)
    if since:
        conditions.append(access_log.c.at >= utc(since))
    if until:
        conditions.append(access_log.c.at < utc(until))
    query = select(access_log).where(and_(*conditions)).order_by(access_log.c.id).limit(limit)
    with engine.connect() as connection:
        rows = [AccessOut.model_validate(dict(r)) for r in connection.execute(query).mappings()]
    return AccessLogOut(entries=rows, next_after=rows[-1].id if len(rows) == limit else None)
