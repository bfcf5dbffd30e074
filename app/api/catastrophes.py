"""The catastrophe event routes: open one with its envelope, read what is used, close it."""

from datetime import date
from decimal import Decimal
from typing import Annotated
from uuid import UUID, uuid4

from fastapi import APIRouter, Response, status

from app.api import answer_examples as answered
from app.api import request_examples as asked
from app.api.answers import Out, with_example
from app.api.auth import Role, allowed
from app.api.deps import (
    COMMAND,
    CREATE,
    READ,
    Actor,
    Clock,
    ExpectedVersion,
    Regions,
    Service,
    tag_position,
)
from app.api.requests import StrictJSONRoute
from app.api.schemas import Body, ReasonRequest
from app.store.commanding import execute
from domain import catastrophe
from domain.errors import InvalidField

router = APIRouter(prefix="/catastrophes", tags=["catastrophe events"], route_class=StrictJSONRoute)
CATASTROPHE = "catastrophe event"


class OpenCatastropheRequest(Body):
    name: str
    regions: list[str]
    start: date
    end: date
    envelope: Decimal


class CatastropheOut(Out):
    model_config = with_example(answered.CATASTROPHE)

    id: UUID
    version: int
    name: str
    regions: list[str]
    start: date
    end: date
    envelope: Decimal
    used: Decimal
    remaining: Decimal
    grants: int
    is_open: bool
    closing_reason: str | None


def catastrophe_answer(
    response: Response, service: Service, catastrophe_id: UUID
) -> CatastropheOut:
    stream = service.catastrophe(catastrophe_id)
    state, opening = stream.state, stream.state.opening
    response.headers["ETag"] = f'"{stream.version}"'
    return CatastropheOut(
        id=stream.id,
        version=stream.version,
        name=opening.name,
        regions=list(opening.regions),
        start=opening.start,
        end=opening.end,
        envelope=opening.envelope,
        used=state.used,
        remaining=state.remaining,
        grants=len(state.draws),
        is_open=state.closing is None,
        closing_reason=state.closing.reason if state.closing else None,
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=CatastropheOut,
    responses=CREATE,
    **allowed(Role.ADMIN),
)
def open_catastrophe(
    body: Annotated[OpenCatastropheRequest, asked.OPEN_CATASTROPHE],
    service: Service,
    at: Clock,
    regions: Regions,
    actor: Actor,
    response: Response,
) -> CatastropheOut:
    """Open a catastrophe event for regions and dates, with the fund envelope FCI draws on."""
    unknown = [r for r in body.regions if r not in regions]
    if unknown:
        raise InvalidField("regions", f"unknown region(s): {', '.join(unknown)}")
    catastrophe_id = uuid4()
    command = catastrophe.OpenCatastrophe(
        catastrophe_id,
        at,
        actor,
        body.name,
        tuple(body.regions),
        body.start,
        body.end,
        body.envelope,
    )
    outcome = execute(service.application, CATASTROPHE, catastrophe, command, catastrophe_id, 0)
    tag_position(response, outcome)
    response.headers["Location"] = f"/catastrophes/{catastrophe_id}"
    return catastrophe_answer(response, service, catastrophe_id)


@router.get(
    "/{catastrophe_id}",
    response_model=CatastropheOut,
    responses=READ,
    **allowed(Role.CASEWORKER, Role.AUDITOR, Role.ANALYST),
)
def get_catastrophe(catastrophe_id: UUID, service: Service, response: Response) -> CatastropheOut:
    """A catastrophe event with its envelope: used and remaining."""
    return catastrophe_answer(response, service, catastrophe_id)


@router.post(
    "/{catastrophe_id}/closing",
    response_model=CatastropheOut,
    responses=COMMAND,
    **allowed(Role.ADMIN),
)
def close_catastrophe(
    catastrophe_id: UUID,
    body: Annotated[ReasonRequest, asked.CLOSE_CATASTROPHE],
    service: Service,
    at: Clock,
    actor: Actor,
    expected: ExpectedVersion,
    response: Response,
) -> CatastropheOut:
    """Close the event: no FCI draws on its envelope any more."""
    command = catastrophe.CloseCatastrophe(catastrophe_id, at, actor, body.reason)
    outcome = execute(
        service.application, CATASTROPHE, catastrophe, command, catastrophe_id, expected
    )
    tag_position(response, outcome)
    return catastrophe_answer(response, service, catastrophe_id)
