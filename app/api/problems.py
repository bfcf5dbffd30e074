"""RFC 9457 problem details: every error the API answers, in one shape, mapped in one place."""

import functools
import logging
import re
from typing import Any

import eventsourcing.persistence
import sqlalchemy.exc
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException

from app import __version__
from app.api.middleware import VERSION_HEADER
from app.services.dossiers import IdempotencyKeyReused
from app.store.commanding import Contention, NotFound, VersionMismatch
from domain.errors import InvalidField, InvalidFields, RuleViolation

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"
# What the database answers when it is down, unreachable or too busy to answer in time: the
# request is refused as the store's, never as a failure of the server.
STORE_UNREACHABLE: tuple[type[Exception], ...] = (
    sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.TimeoutError,
    sqlalchemy.exc.DisconnectionError,
    eventsourcing.persistence.OperationalError,
    eventsourcing.persistence.InterfaceError,
)
TYPE_BASE = "/problems/"  # relative to the API: each type is described at its own URL
PROBLEM_STATE = "problem"  # request.state.problem: the problem answered, for the metrics
PROBLEM_TYPES = {
    "invalid-input": "A field of the request is invalid; `errors` names each one and why.",
    "rule-violation": "The command breaks a rule of the aids or of the path; `rule` names it.",
    "not-found": "No such record, or not at that version or date.",
    "version-mismatch": "If-Match is not the current version; read again, then retry.",
    "precondition-required": "A command needs If-Match with the ETag last read.",
    "unsupported-media-type": "Bodies are application/json.",
    "unauthenticated": "No bearer token, or one that is not valid (signature, expiry...).",
    "forbidden": "The caller's role may not do this.",
    "contention": "Too many writers on the same records at once; retry the command.",
    "projection-behind": "A view has not caught up with the position asked for yet.",
    "access-log-unavailable": "The answer holds personal data and the access log could not be "
    "written: nothing was read or changed; retry shortly.",
    "content-too-large": "The body is larger than the service takes (MAX_BODY_BYTES).",
    "header-too-large": "A header is larger than the service takes.",
    "too-many-requests": "The caller made too many requests; retry after `Retry-After` seconds.",
    "store-unavailable": "The database does not answer (or is busy): nothing was written; retry "
    "after `Retry-After` seconds.",
    "internal-error": "The server failed; the request may be retried.",
    "not-ready": "This process should not be sent traffic yet: the database does not answer, its "
    "schema is not at this release's migrations, or a projection lags past its bound; "
    "`not_ready` names each cause. Probes retry on their own.",
}


class FieldProblem(BaseModel):
    field: str = Field(description="Where the value is: body.applicant.siret, header.If-Match…")
    reason: str


class Problem(BaseModel):
    """An RFC 9457 problem: what went wrong, for people and for programs."""

    type: str = Field(description="A URI naming the kind of problem")
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[FieldProblem] | None = Field(None, description="Each invalid field and why")
    rule: str | None = Field(None, description="The rule of the dossier's path that was broken")
    current_version: int | None = Field(None, description="The dossier's version now")
    not_ready: list[str] | None = Field(
        None,
        description="What keeps the service from being ready: database, migrations, "
        "projections, projection:<name>",
    )
    request_id: str | None = Field(
        None, description="The request's `X-Request-ID`: quote it when reporting a problem"
    )


class ProblemType(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": TYPE_BASE + "rule-violation",
                    "description": PROBLEM_TYPES["rule-violation"],
                }
            ]
        }
    )

    type: str
    description: str


class ProblemError(Exception):
    """An error the edge raises itself, already shaped as a problem."""

    def __init__(
        self,
        status: int,
        kind: str,
        title: str,
        detail: str,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status, self.kind, self.title, self.detail = status, kind, title, detail
        self.headers, self.extra = headers, extra


def problem_response(
    request: Request,
    status: int,
    kind: str,
    title: str,
    detail: str,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    request_id = getattr(request.state, "request_id", None)
    if request_id:  # also on the answers that leave before the request's middleware sees them
        headers = {**(headers or {}), "X-Request-ID": request_id}
    body = Problem(
        type=kind if kind == "about:blank" else TYPE_BASE + kind,
        title=title,
        status=status,
        detail=detail,
        instance=request.url.path,
        request_id=request_id,
        **extra,
    )
    setattr(request.state, PROBLEM_STATE, body)  # a command's outcome, for the metrics
    return JSONResponse(
        body.model_dump(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


# The same words for the same problem, whichever level of the body it is at.
REASONS = {
    "extra_forbidden": "unknown field",
    "unexpected_keyword_argument": "unknown field",
    "missing": "required",
    "missing_argument": "required",
    # pydantic's words would quote the character it stopped at: the input is never echoed
    "uuid_parsing": "a UUID, such as 3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "uuid_type": "a UUID, such as 3fa85f64-5717-4562-b3fc-2c963f66afa6",
}


def _reason(error: dict[str, Any]) -> str:
    if error["type"] == "value_error" and "error" in error.get("ctx", {}):
        return str(error["ctx"]["error"])  # our own words, without pydantic's "Value error, "
    return REASONS.get(error["type"], str(error["msg"]))


def _location(loc: tuple[Any, ...]) -> str:
    field = ""
    for part in loc:
        field += f"[{part}]" if isinstance(part, int) else (f".{part}" if field else str(part))
    return field


MAX_PROBLEMS = 50  # a client fixes its body from the first ones; a huge list only costs us
MAX_FIELD = 200  # a field's name can be the client's own key: never echo much of it


def invalid_fields(request: Request, problems: list[FieldProblem]) -> JSONResponse:
    """422 naming each (field, reason) once, at most MAX_PROBLEMS of them; never the input."""
    distinct: dict[tuple[str, str], FieldProblem] = {}
    for p in problems:
        field = p.field if len(p.field) <= MAX_FIELD else p.field[:MAX_FIELD] + "…"
        distinct.setdefault((field, p.reason), FieldProblem(field=field, reason=p.reason))
    listed = list(distinct.values())[:MAX_PROBLEMS]
    detail = "; ".join(f"{p.field}: {p.reason}" for p in listed)
    if len(distinct) > len(listed):
        detail += f" (and {len(distinct) - len(listed)} more problems, not listed)"
    return problem_response(request, 422, "invalid-input", "Invalid input", detail, errors=listed)


def methods_of(app: FastAPI, path: str) -> list[str]:
    """The methods the spec gives the path (its template that matches it)."""
    for template, operations in app.openapi()["paths"].items():
        if _template(template).fullmatch(path):
            methods = {method.upper() for method in operations}
            return sorted(methods | {"HEAD"} if "GET" in methods else methods)
    return []


@functools.cache
def _template(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    return re.compile("".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts))


def install_problem_handlers(app: FastAPI) -> None:
    @app.get(
        "/problems/{kind}",
        tags=["problems"],
        response_model=ProblemType,
        responses={
            404: {"model": Problem, "description": "No such kind of problem"},
            422: {"model": Problem, "description": "A control character in the kind"},
        },
    )
    def describe_problem_type(kind: str) -> ProblemType:
        """What a problem `type` of this API means."""
        if kind not in PROBLEM_TYPES:
            raise ProblemError(404, "not-found", "Not found", f"No problem type {kind!r}.")
        return ProblemType(type=TYPE_BASE + kind, description=PROBLEM_TYPES[kind])

    @app.exception_handler(RequestValidationError)
    async def request_invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            FieldProblem(field=_location(tuple(e["loc"])), reason=_reason(e)) for e in exc.errors()
        ]
        return invalid_fields(request, problems)

    @app.exception_handler(InvalidFields)
    async def domain_invalid(request: Request, exc: InvalidFields) -> JSONResponse:
        return invalid_fields(
            request, [FieldProblem(field=f"body.{p.field}", reason=p.reason) for p in exc.problems]
        )

    @app.exception_handler(InvalidField)
    async def domain_invalid_one(request: Request, exc: InvalidField) -> JSONResponse:
        return invalid_fields(request, [FieldProblem(field=f"body.{exc.field}", reason=exc.reason)])

    @app.exception_handler(RuleViolation)
    async def rule_violated(request: Request, exc: RuleViolation) -> JSONResponse:
        return problem_response(
            request, 409, "rule-violation", "Rule violation", exc.reason, rule=exc.rule
        )

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> JSONResponse:
        return problem_response(request, 404, "not-found", "Not found", exc.detail)

    @app.exception_handler(VersionMismatch)
    async def version_mismatch(request: Request, exc: VersionMismatch) -> JSONResponse:
        return problem_response(
            request,
            412,
            "version-mismatch",
            "Precondition failed",
            f"The record is at version {exc.current}, not {exc.expected}: "
            "read it again and retry if your change still applies.",
            headers={"ETag": f'"{exc.current}"'},
            current_version=exc.current,
        )

    @app.exception_handler(Contention)
    async def contention(request: Request, exc: Contention) -> JSONResponse:
        return problem_response(
            request,
            503,
            "contention",
            "Too many writers at once",
            "The records this command touches kept changing while it ran; nothing was written. "
            "Retry it.",
            headers={"Retry-After": "1"},
        )

    @app.exception_handler(IdempotencyKeyReused)
    async def key_reused(request: Request, exc: IdempotencyKeyReused) -> JSONResponse:
        return invalid_fields(
            request,
            [
                FieldProblem(
                    field="header.Idempotency-Key",
                    reason="this key already filed a different dossier: use a new key",
                )
            ],
        )

    @app.exception_handler(ProblemError)
    async def edge_problem(request: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(
            request, exc.status, exc.kind, exc.title, exc.detail, headers=exc.headers, **exc.extra
        )

    @app.exception_handler(HTTPException)
    async def http_problem(request: Request, exc: HTTPException) -> JSONResponse:
        title = {404: "Not found", 405: "Method not allowed"}.get(exc.status_code, "HTTP error")
        headers = dict(exc.headers or {})
        if exc.status_code == 405:  # every method of the path, not only its first route's
            headers["Allow"] = ", ".join(methods_of(app, request.url.path)) or headers["Allow"]
        return problem_response(
            request, exc.status_code, "about:blank", title, str(exc.detail), headers=headers
        )

    async def store_unavailable(request: Request, exc: Exception) -> JSONResponse:
        log.warning("the database does not answer", extra={"error": type(exc).__name__})
        return problem_response(
            request,
            503,
            "store-unavailable",
            "Store unavailable",
            "The database does not answer, or is busy: nothing was written. Retry shortly.",
            headers={"Retry-After": "5"},
        )

    for unreachable in STORE_UNREACHABLE:
        app.add_exception_handler(unreachable, store_unavailable)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        return problem_response(
            request,
            500,
            "internal-error",
            "Internal error",
            "The server failed to answer this request.",
            # answered outside every middleware (Starlette's last resort): named here
            headers={VERSION_HEADER: __version__},
        )
