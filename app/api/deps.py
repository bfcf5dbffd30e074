"""What every route shares: the service, the actor, If-Match, the clock and documented problems."""

import re
import unicodedata
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID
from zoneinfo import ZoneInfo

from fastapi import Depends, Header, Request, Response
from sqlalchemy import Engine as SQLEngine

from app.api.access import entries_of, get_engine, log_access
from app.api.auth import Caller, in_region
from app.api.problems import Problem, ProblemError
from app.services.dossiers import DossierService, Opened
from app.settings import Settings
from app.store.commanding import Outcome


async def get_service(request: Request) -> DossierService:
    service: DossierService = request.app.state.dossiers
    return service


async def get_regions(request: Request) -> tuple[str, ...]:
    regions: tuple[str, ...] = request.app.state.settings.regions
    return regions


PARIS = ZoneInfo("Europe/Paris")


def now() -> datetime:
    """The moment, in France: the rules' calendar days are French days."""
    return datetime.now(PARIS)


ETAG_VALUE = re.compile(r'"(0|[1-9][0-9]{0,17})"|(0|[1-9][0-9]{0,17})', re.ASCII)


async def expected_version(
    if_match: Annotated[
        str | None,
        Header(
            alias="If-Match",
            description='The version you last read, as its ETag ("3"); * is refused',
            examples=['"3"'],
        ),
    ] = None,
) -> int:
    """The version the client saw, from If-Match. A command must name the version it read:
    "*" (any version) would let it overwrite a change it never saw."""
    if if_match is None:
        raise ProblemError(
            428,
            "precondition-required",
            "Precondition required",
            'Send If-Match with the ETag you last read (e.g. "3") so that no change is lost.',
        )
    value = if_match.strip()
    if value == "*":
        raise ProblemError(
            428,
            "precondition-required",
            "Precondition required",
            'If-Match: * is not taken: send the ETag you last read (e.g. "3"), so that no '
            "change is lost.",
        )
    if value.startswith("W/"):
        raise ProblemError(
            412, "version-mismatch", "Precondition failed", "A weak ETag never matches If-Match."
        )
    match = ETAG_VALUE.fullmatch(value)
    if match is None:
        raise ProblemError(
            422,
            "invalid-input",
            "Invalid input",
            'If-Match must be one ETag, such as "3"',
            errors=[{"field": "header.If-Match", "reason": 'expected one ETag such as "3"'}],
        )
    return int(match.group(1) or match.group(2))


Service = Annotated[DossierService, Depends(get_service)]


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


Engine = Annotated[SQLEngine, Depends(get_engine)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
MAX_REASON = 500
# controls, formats (zero-width, direction marks, byte order mark), surrogates, private use,
# unassigned: nothing a reason written by a person needs, and what could hide something in it
INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


async def access_reason(
    header: Annotated[
        str | None,
        Header(
            alias="X-Access-Reason",
            # counted below in characters of its UTF-8 text, not in the bytes HTTP carries
            json_schema_extra={"maxLength": MAX_REASON},
            description=f"Why you read this personal data (UTF-8, at most {MAX_REASON} "
            "characters): kept in the access log",
        ),
    ] = None,
) -> str | None:
    """The reason given, as the UTF-8 text the caller wrote (HTTP hands headers over as bytes)."""
    if not header:
        return None
    if len(header) > 4 * MAX_REASON:  # more bytes than MAX_REASON characters can take
        raise invalid_reason(f"at most {MAX_REASON} characters")
    try:
        reason = header.encode("latin-1").decode("utf-8")
    except UnicodeError:
        raise invalid_reason("not UTF-8 text") from None
    if len(reason) > MAX_REASON:
        raise invalid_reason(f"at most {MAX_REASON} characters")
    if any(unicodedata.category(c) in INVISIBLE for c in reason):
        raise invalid_reason("contains an invisible or control character")
    return reason


def invalid_reason(why: str) -> ProblemError:
    field = "header.X-Access-Reason"
    return ProblemError(
        422,
        "invalid-input",
        "Invalid input",
        f"{field}: {why}",
        errors=[{"field": field, "reason": why}],
    )


AccessReason = Annotated[str | None, Depends(access_reason)]


def opened_dossier(dossier_id: UUID, caller: Caller, service: Service) -> Opened:
    """The dossier of the path, read once for the request, if the caller acts in its region
    (else it is not there)."""
    opened = service.open(dossier_id)
    in_region(caller, opened.region, "dossier", dossier_id)
    return opened


def visible_session(session_id: UUID, caller: Caller, service: Service) -> UUID:
    """The CASS session of the path, if the caller acts in its region."""
    region = service.session(session_id).state.scheduling.region
    in_region(caller, region, "CASS session", session_id)
    return session_id


OpenedDossier = Annotated[Opened, Depends(opened_dossier)]
VisibleSession = Annotated[UUID, Depends(visible_session)]


def logged_dossier(
    request: Request,
    dossier_id: UUID,
    caller: Caller,
    service: Service,
    reason: AccessReason,
) -> Opened:
    """The dossier of the path, read once, once the access log holds this read (in one trip
    to the thread pool: the route itself only shapes the answer).

    Its answer carries the dossier's personal data, so the entry is written before anything
    of it leaves: when it cannot be, the request is refused (503)."""
    opened = opened_dossier(dossier_id, caller, service)
    log_access(service.application, caller, request.scope["route"].name, [opened.id], reason)
    return opened


async def commanded_dossier(
    request: Request, opened: OpenedDossier, caller: Caller, reason: AccessReason
) -> Opened:
    """The dossier of the path, with the access-log entry of the answer the command makes:
    written in the transaction of the command's events, so the answer holding the dossier
    exists only if both were stored (no entry, no change, a 503)."""
    action = request.scope["route"].name
    return opened.accessed(entries_of(caller, action, [opened.id], reason))


LoggedDossier = Annotated[Opened, Depends(logged_dossier)]
CommandedDossier = Annotated[Opened, Depends(commanded_dossier)]
Clock = Annotated[datetime, Depends(now)]
Regions = Annotated[tuple[str, ...], Depends(get_regions)]
ExpectedVersion = Annotated[int, Depends(expected_version)]


async def actor(caller: Caller) -> str:
    """Who acts: the token's subject, recorded on the event."""
    return caller.subject


Actor = Annotated[str, Depends(actor)]

PROBLEM_TEXTS = {
    401: "No valid bearer token",
    403: "The caller's role may not do this",
    404: "No such record (or version)",
    409: "The command breaks a rule; `rule` names it and `detail` says why",
    412: "If-Match is not the current version; `current_version` says which is",
    413: "The body is larger than MAX_BODY_BYTES",
    415: "The body is not application/json",
    422: "Invalid input; `errors` names each field and why",
    428: "If-Match is missing, or is * (a command names the version it read)",
    503: "The view has not caught up within the wait, the writers contend, or the access log "
    "cannot be written (then nothing was read or changed)",
}
ETAG = {"ETag": {"description": "The version, for If-Match", "schema": {"type": "string"}}}
POSITION = {
    "X-Event-Position": {
        "description": "The store position of the command's last event",
        "schema": {"type": "integer"},
    }
}
LOCATION = {"Location": {"description": "Where the new record is", "schema": {"type": "string"}}}


def documented(
    *problems: int, ok: int = 200, headers: dict[str, Any] = ETAG, **extra: Any
) -> dict[int | str, dict[str, Any]]:
    """The responses of an operation: its success with headers, and the problems it may answer."""
    responses: dict[int | str, dict[str, Any]] = {
        code: {"model": Problem, "description": PROBLEM_TEXTS[code]} for code in problems
    }
    responses[ok] = {"headers": headers, **extra}
    return responses


READ = documented(401, 403, 404, 422)
COMMAND = documented(401, 403, 404, 409, 412, 415, 422, 428, 503, headers=ETAG | POSITION)
CREATE = documented(401, 403, 409, 415, 422, ok=201, headers=ETAG | LOCATION | POSITION)


def tag(response: Response, outcome: Outcome[Any]) -> None:
    """Say the new version (ETag) and where the last event stands in the store."""
    response.headers["ETag"] = f'"{outcome.version}"'
    tag_position(response, outcome)


def tag_position(response: Response, outcome: Outcome[Any]) -> None:
    """Say where the command's last event stands in the store: wait for it when reading."""
    if outcome.position is not None:
        response.headers["X-Event-Position"] = str(outcome.position)
